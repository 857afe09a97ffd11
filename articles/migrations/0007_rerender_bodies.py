"""Render every stored body again with the current renderer: ids now carry the prefix
"md-" and only Markdown's own classes survive, so that no stored article can take the
page's ids or dress up as its interface."""

from django.db import migrations


def rerender(apps, schema_editor):
    from articles.rendering import RenderError, plain_paragraphs, render_markdown

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body").iterator():
        try:
            html = render_markdown(article.body)
        except RenderError:
            html = plain_paragraphs(article.body)
        Article.objects.filter(pk=article.pk).update(body_html=html)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_tag_slugs")]
    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
