"""Search: the normalised text of each article and the index that serves it
(FTS5 with trigrams on SQLite, pg_trgm on PostgreSQL; see articles/search.py)."""

import re
import unicodedata
from html import unescape

from django.db import migrations, models


def _document(article, tag_names):
    # A frozen copy of articles.search.document() for the rows that exist now.
    body = unescape(re.sub(r"<[^>]+>", " ", article.body_html))
    text = "\n".join([article.title, article.excerpt, " ".join(tag_names), " ".join(body.split())])
    return unicodedata.normalize("NFKC", text).casefold()


def fill_and_index(apps, schema_editor):
    from articles.search import install_index

    Article = apps.get_model("articles", "Article")
    TaggedCompany = apps.get_model("articles", "TaggedCompany")
    TaggedTopic = apps.get_model("articles", "TaggedTopic")
    for article in Article.objects.all():
        names = [t.tag.name for t in TaggedCompany.objects.filter(content_object=article).select_related("tag")]
        names += [t.tag.name for t in TaggedTopic.objects.filter(content_object=article).select_related("tag")]
        Article.objects.filter(pk=article.pk).update(search_text=_document(article, names))
    install_index(schema_editor.connection)


def remove_index(apps, schema_editor):
    from articles.search import remove_index

    remove_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_roles")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_and_index, remove_index),
    ]
