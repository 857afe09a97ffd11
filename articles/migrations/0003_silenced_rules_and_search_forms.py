"""The writing rules an editor stopped for an article, and the article's text in
Sudachi's normalised forms for search, with its index (the statements as
articles/reading/search.py puts them back after a table rebuild on SQLite, frozen here).
Articles stored before it get their normalised text when next saved, or at once with
``manage.py render_articles``."""

from django.db import migrations, models

SQLITE_BEFORE = [
    "DROP TRIGGER IF EXISTS articles_search_insert",
    "DROP TRIGGER IF EXISTS articles_search_delete",
    "DROP TRIGGER IF EXISTS articles_search_update",
    "DROP TABLE IF EXISTS articles_search",
]
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5("
    "search_text, search_forms, content='articles_article', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER IF NOT EXISTS articles_search_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_search(rowid, search_text, search_forms) VALUES (new.id, new.search_text, new.search_forms);
        END""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_search(articles_search, rowid, search_text, search_forms)
        VALUES ('delete', old.id, old.search_text, old.search_forms); END""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_update AFTER UPDATE OF search_text, search_forms
        ON articles_article BEGIN
        INSERT INTO articles_search(articles_search, rowid, search_text, search_forms)
        VALUES ('delete', old.id, old.search_text, old.search_forms);
        INSERT INTO articles_search(rowid, search_text, search_forms) VALUES (new.id, new.search_text, new.search_forms);
        END""",
    "INSERT INTO articles_search(articles_search) VALUES ('rebuild')",
]
POSTGRESQL_SEARCH = [
    "CREATE INDEX IF NOT EXISTS article_forms_trgm ON articles_article USING gin (search_forms gin_trgm_ops)",
]


def install_search(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BEFORE + SQLITE_SEARCH, "postgresql": POSTGRESQL_SEARCH}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_initial_data'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='search_forms',
            field=models.TextField(default='', editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='silenced_rules',
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(install_search, migrations.RunPython.noop),
    ]
