"""Search now drops a long vowel mark that ends a katakana word (サーバー is found as
サーバ; articles/search.py normalise): the stored search text follows."""

import re

from django.db import migrations

# A frozen copy of articles.search._FINAL_LONG_VOWEL.
FINAL_LONG_VOWEL = re.compile(r"(?<=[ァ-ヺ])ー+(?![ァ-ヺー])")
BATCH = 1000


def fold(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    last = 0
    while True:
        rows = list(Article.objects.filter(pk__gt=last).order_by("pk").only("pk", "search_text")[:BATCH])
        if not rows:
            return
        changed = []
        for row in rows:
            folded = FINAL_LONG_VOWEL.sub("", row.search_text)
            if folded != row.search_text:
                row.search_text = folded
                changed.append(row)
        Article.objects.bulk_update(changed, ["search_text"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_house_style_terms")]
    # Not reversible in kind (the marks are gone), but harmless to leave: search reads
    # folded text either way.
    operations = [migrations.RunPython(fold, migrations.RunPython.noop)]
