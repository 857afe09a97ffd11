"""Search that works for Japanese, with the same results on SQLite and PostgreSQL.

Japanese has no spaces between words, so word-based full-text search finds almost
nothing. Each article keeps ``search_text``: NFKC + casefold of its title, excerpt,
plain body and tags. A query is split on ASCII and full-width spaces, normalised the
same way, and every term must occur as a substring:

- SQLite: an FTS5 table with the trigram tokenizer answers terms of three or more
  characters; shorter ones (推論, AI) are a substring filter on the base table
  (trigram MATCH cannot see them).
- PostgreSQL: a pg_trgm GIN index on ``search_text`` serves ``LIKE '%term%'``
  (Django's ``contains``; ``icontains`` wraps the column in UPPER() and skips it).

Results are ranked the same way on both: terms found early (the title comes first in
``search_text``) rank higher, then newer articles.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import F, IntegerField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .rendering import html_to_text
from .text import strip_control_characters

MAX_TERMS = 8
FTS_TABLE = "articles_search"


def normalise(text):
    # No control characters: a NUL ends a C string inside the database's query parser.
    return strip_control_characters(unicodedata.normalize("NFKC", text or "").casefold())


def document(title, excerpt, body_html, tag_names):
    """The text an article is found by, normalised."""
    return normalise("\n".join([title, excerpt, " ".join(tag_names), html_to_text(body_html)]))


def split_terms(query):
    """Distinct normalised terms of ``query`` (NFKC turns full-width spaces into spaces)."""
    terms = []
    for term in normalise(query).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def search(queryset, query):
    """``queryset`` narrowed to articles containing every term of ``query``, ranked."""
    terms = split_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "sqlite":
        long_terms = [term for term in terms if len(term) >= 3]
        if long_terms:
            # Each term a quoted phrase: FTS5 syntax in a query is text, not operators.
            match = " AND ".join('"{}"'.format(term.replace('"', '""')) for term in long_terms)
            queryset = queryset.filter(
                pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
            )
        for term in terms:
            if len(term) < 3:
                queryset = queryset.filter(search_text__contains=term)
    else:
        for term in terms:
            queryset = queryset.filter(search_text__contains=term)
    position = sum(
        (StrIndex(F("search_text"), Value(term)) for term in terms), start=Value(0, output_field=IntegerField())
    )
    return queryset.annotate(search_position=position).order_by("search_position", "-published_at", "-id")


def snippet(body_html, query, width=60):
    """A piece of the body around the first match, with every term marked."""
    text = unicodedata.normalize("NFKC", html_to_text(body_html)).replace("\n\n", " ")
    terms = split_terms(query)
    if not terms:
        return ""
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - width // 2) if first else 0
    piece = text[start:start + width * 2]
    marked = pattern.sub(lambda m: f"\0{m.group(0)}\1", piece)
    html = escape(marked).replace("\0", "<mark>").replace("\1", "</mark>")
    return mark_safe(("…" if start else "") + html + ("…" if start + width * 2 < len(text) else ""))


# ---------------------------------------------------------------------------------
# The index itself: created by a migration, kept by triggers (SQLite) or an index
# (PostgreSQL). On SQLite, Django rebuilds a table to alter it, which drops its
# triggers; post_migrate puts them back (articles/apps.py).

_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_text ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
]


def install_index(schema_connection):
    """Create what the database needs for search; safe to run again."""
    with schema_connection.cursor() as cursor:
        if schema_connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "search_text, content='articles_article', content_rowid='id', tokenize='trigram')"
            )
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{FTS_TABLE}_%"]
            )
            missing = cursor.fetchone()[0] < len(_SQLITE_TRIGGERS)
            for statement in _SQLITE_TRIGGERS:
                cursor.execute(statement)
            if missing:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        elif schema_connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS article_search_trgm ON articles_article "
                "USING gin (search_text gin_trgm_ops)"
            )


def remove_index(schema_connection):
    with schema_connection.cursor() as cursor:
        if schema_connection.vendor == "sqlite":
            for suffix in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif schema_connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS article_search_trgm")

