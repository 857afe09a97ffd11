import re

from django.db import migrations, models

# The body's picture references, as articles/images.py reads them (copied: a migration
# must not change when the app does).
REFERENCE = re.compile(r"\]\(\s*image:(\d{1,18})(?=[\s)])")


def keep_the_words_readers_have(apps, schema_editor):
    """Live articles keep the pictures' words they show today."""
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("articles", "Image")
    live = Article.objects.filter(published_revision__isnull=False).only("pk", "body", "cover_id")
    for article in live.iterator(chunk_size=500):
        ids = {int(pk) for pk in REFERENCE.findall(article.body)} | ({article.cover_id} if article.cover_id else set())
        if not ids:
            continue
        words = {
            str(pk): {"alt": alt, "caption": caption, "credit": credit}
            for pk, alt, caption, credit in Image.objects.filter(pk__in=ids).values_list(
                "pk", "alt_text", "caption", "credit")
        }
        Article.objects.filter(pk=article.pk).update(picture_words=words)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0023_fold_final_long_vowels'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='picture_words',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AlterField(
            model_name='image',
            name='caption',
            field=models.TextField(blank=True, help_text='Shown under the picture.', max_length=500, verbose_name='caption'),
        ),
        migrations.RunPython(keep_the_words_readers_have, migrations.RunPython.noop, elidable=True),
    ]
