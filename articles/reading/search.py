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

Spellings meet: a long vowel mark at the end of a katakana word is dropped on both
sides (サーバー and サーバ are サーバ); a term that is a company's name or alias
(エヌビディア, nvidia, ＮＶＩＤＩＡ) stands for all of that company's names; a term holding
a form of the house style (articles.models.HouseStyleTerm: バッファー in
バッファーオーバーフロー) stands for itself with each other form in its place. Each
article also keeps ``search_forms``, its text in Sudachi's normalised forms, and a term
is looked for there in its own normalised form too: every spelling Sudachi knows finds
the others (行なう and 行う, ウインドウ and ウィンドウ, メイル and メール, ウィンドウズ and
Windows) without an entry in any table.

A short Latin term (up to five letters: AI, Arm, Intel) and a company's or product's
name match as whole words, not inside others (AI is not the ai of Trainium or email).

Results are ranked the same way on both: articles with every term in the title (the
first line of ``search_text``) first, then the rest; newer before older in each.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce

from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import HouseStyleTerm, ProductName
from articles.models.tags import CompanyTag, TopicTag
from articles.reading.caching import remember
from articles.rendering import japanese
from articles.rendering.text import strip_control_characters

MAX_TERMS = 8
MAX_RESULTS = 500
# Terms the trigram index finds in this many articles or more are looked for
# newest-first instead (search._common).
COMMON_MATCHES = 2000
FTS_TABLE = "articles_search"


# A long vowel mark that ends a katakana word: サーバー, not the ー of サーバーレス.
_FINAL_LONG_VOWEL = re.compile(r"(?<=[ァ-ヺ])ー+(?![ァ-ヺー])")
# Alternatives a term may stand for, at most (a term holding several house forms).
MAX_SPELLINGS = 8


def normalise(text):
    return _FINAL_LONG_VOWEL.sub("", _unfolded(text))


# A Latin term this short is a word of its own or nothing (ai, arm, aws): matched inside
# other words it finds mostly them.
WHOLE_WORD_LETTERS = 5
_LATIN_TERM = re.compile(r"[a-z0-9][a-z0-9.+#-]*")


def forms(text):
    """``text`` with each word in Sudachi's normalised form (行なう → 行う, メイル → メール,
    ウィンドウズ → windows), normalised as ``normalise`` does."""
    text = _unfolded(text)
    pieces, position = [], 0
    for word in japanese.words(text):
        pieces += [text[position:word.start], word.normalized]
        position = word.end
    pieces.append(text[position:])
    return normalise("".join(pieces))


def forms_document(title, excerpt, body_text, tag_names):
    """``document`` in Sudachi's normalised forms (``search_forms``), line by line."""
    return "\n".join(forms(line) for line in _lines(title, excerpt, body_text, tag_names))


def _unfolded(text):
    # No control characters: a NUL ends a C string inside the database's query parser.
    return strip_control_characters(unicodedata.normalize("NFKC", text or "").casefold())


def document(title, excerpt, body_text, tag_names):
    """The text an article is found by, normalised: the title is its first line."""
    return normalise("\n".join(_lines(title, excerpt, body_text, tag_names)))


def _lines(title, excerpt, body_text, tag_names):
    return [title.replace("\n", " "), excerpt, " ".join(tag_names), body_text]


def split_terms(query):
    """Distinct normalised terms of ``query`` (NFKC turns full-width spaces into spaces)."""
    terms = []
    for term in normalise(query).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def spellings():
    """``{normalised name: every normalised name of the same thing}`` for the one-word
    names and aliases of every company, of topics with aliases and of products
    (エヌビディア and NVIDIA, トレイニウム and Trainium), made once per change of the
    vocabularies. A Latin name here matches whole words only (``term_groups``)."""
    def compute():
        table = {}
        named = [*CompanyTag.objects.all(), *TopicTag.objects.exclude(aliases=""),
                 *ProductName.objects.all()]
        for thing in named:
            names = list(dict.fromkeys(n for n in map(normalise, thing.names()) if n and " " not in n))
            for name in names:
                table.setdefault(name, tuple(names))
        return table

    return remember("spellings", compute, areas=())  # aliases and product names: changes of every page


def house_spellings():
    """The house style's entries as tuples of normalised forms (the preferred first),
    longest forms first, made once per change of the table or the site."""
    def compute():
        groups = []
        for term in HouseStyleTerm.objects.all():
            # Without dropping the final long vowel: バッファー is a form of its own
            # inside バッファーオーバーフロー. Longest first: バッファー before バッファ.
            forms = {_unfolded(form) for form in [term.preferred, *term.variant_list]} - {""}
            if len(forms) > 1:
                groups.append(tuple(sorted(forms, key=len, reverse=True)))
        return groups

    return remember("house-spellings", compute, areas=())


@dataclass(frozen=True)
class Group:
    """One term of a query: its spellings in ``search_text`` (itself first), its
    normalised forms in ``search_forms``, and those of either that match whole words."""

    terms: tuple
    forms: tuple = ()
    whole_words: frozenset = frozenset()

    def all(self):
        return (*self.terms, *self.forms)

    def condition(self):
        """Any of the spellings, as a filter on the article table."""
        return _any(_contains(column, term, term in self.whole_words) for column, term in self.columns())

    def columns(self):
        return [("search_text", term) for term in self.terms] + [("search_forms", form) for form in self.forms]


def term_groups(query):
    """The query's terms, each with the other spellings it stands for (``Group``)."""
    table = spellings()
    house = house_spellings()
    groups = []
    for term in split_terms(query):
        named = table.get(term, ())
        alternatives = [term, *named]
        for house_forms in house:
            for form in house_forms:
                if form in term:
                    alternatives += [normalise(term.replace(form, other)) for other in house_forms if other != form]
                    break
        alternatives = tuple(dict.fromkeys(alternatives))[:MAX_SPELLINGS]
        normalised = tuple(dict.fromkeys(filter(None, (forms(alternative) for alternative in alternatives))))
        whole = frozenset(
            spelling for spelling in (*alternatives, *normalised)
            if _LATIN_TERM.fullmatch(spelling) and (len(spelling) <= WHOLE_WORD_LETTERS or spelling in table)
        )
        groups.append(Group(alternatives, normalised, whole))
    return groups


def _contains(column, term, whole_word):
    if whole_word:
        # Not between two Latin letters or digits: "ai" in "ai チップ" or "aiの", not in "email".
        return Q(**{f"{column}__regex": rf"(^|[^a-z0-9]){re.escape(term)}([^a-z0-9]|$)"})
    return GreaterThan(StrIndex(F(column), Value(term)), 0)


def search(queryset, query):
    """The articles of ``queryset`` containing every term of ``query``, ranked (a list)."""
    return in_order(queryset, ranked_ids(queryset, query))


def matching(queryset, query):
    """The articles of ``queryset`` containing every term of ``query`` (any spelling of
    each), unranked: for lists with an order of their own, such as the desk's."""
    groups = term_groups(query)
    return _matching(queryset, groups) if groups else queryset


def in_order(queryset, ids):
    """The articles of ``queryset`` with these ``ids``, in that order (one query)."""
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def ranked_ids(queryset, query, *, by_relevance=True):
    """Primary keys of the articles in ``queryset`` containing every term of ``query``:
    those with every term in the title first, then the others, newest first in each
    (or, not ``by_relevance``, newest first).

    Only the newest MAX_RESULTS matches are ranked, read in one pass down the date index
    (or from the trigram index for a rare term): a word found in half the archive costs
    a search what a rare one does."""
    groups = term_groups(query)
    if not groups:
        return []
    # The title is the first line of search_text and of search_forms.
    def in_title(column, term):
        position = StrIndex(F(column), Value(term))
        return GreaterThan(position, 0) & LessThan(position, StrIndex(F(column), Value("\n")))

    in_titles = [
        Case(When(_any(in_title(column, term) for column, term in group.columns()), then=Value(1)), default=Value(0))
        for group in groups
    ]
    rows = (
        _matching(queryset, groups)
        .annotate(title_terms=sum(in_titles[1:], start=in_titles[0]))
        .order_by("-published_at", "-id")
        .values_list("pk", "title_terms")[:MAX_RESULTS]
    )
    if not by_relevance:
        return [pk for pk, _title_terms in rows]
    # A stable sort: newest first stays so among equals.
    return [pk for pk, _title_terms in sorted(rows, key=lambda row: -row[1])]


def _matching(queryset, groups):
    # Terms of three characters or more are looked up in the trigram index (SQLite's
    # FTS5 table, PostgreSQL's pg_trgm), unless it finds them in much of the archive:
    # then walking the newest articles and reading their text finds MAX_RESULTS sooner.
    # Every other term is read from the text of the articles walked (strpos, not LIKE,
    # so that PostgreSQL expects to find it often and walks the date index). A group
    # (one term's spellings) is indexed only if all of its spellings can be. Whole words
    # are then checked in the rows found.
    indexed = [group for group in groups if all(len(term) >= 3 for term in group.all())]
    if indexed and _common(indexed):
        indexed = []
    if indexed and connection.vendor == "sqlite":
        queryset = queryset.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts_match(indexed)])
        )
    for group in groups:
        if group in indexed and connection.vendor != "sqlite":
            queryset = queryset.filter(_any(Q(**{f"{column}__contains": term}) for column, term in group.columns()))
        if group not in indexed or group.whole_words:
            queryset = queryset.filter(group.condition())
    return queryset


def _any(conditions):
    return reduce(operator.or_, (Q(condition) if not isinstance(condition, Q) else condition
                                 for condition in conditions))


def _fts_match(groups):
    # Each term a quoted phrase: FTS5 syntax in a query is text, not operators.
    def phrase(term):
        return '"{}"'.format(term.replace('"', '""'))
    return " AND ".join("(" + " OR ".join(map(phrase, dict.fromkeys(group.all()))) + ")" for group in groups)


def _common(groups):
    """Whether the trigram index finds COMMON_MATCHES or more articles (drafts included)
    with every one of the term ``groups``; it stops counting there."""
    if connection.vendor == "sqlite":
        sql = f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"
        params = [_fts_match(groups), COMMON_MATCHES]
    else:
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM articles_article WHERE "
            + " AND ".join("(" + " OR ".join(f"{column} LIKE %s" for column, _term in group.columns()) + ")"
                           for group in groups)
            + " LIMIT %s) AS found"
        )
        params = [*(f"%{_escape_like(term)}%" for group in groups for _column, term in group.columns()),
                  COMMON_MATCHES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] >= COMMON_MATCHES


def _escape_like(term):
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def snippets(query, width=60):
    """``snippet(text)``: a piece of ``text`` (an article's stored plain text) around the
    first match of ``query``, with every term marked. The query's spellings are worked
    out once, for every result of a page."""
    terms = [term for group in term_groups(query) for term in group.terms]
    if not terms:
        return lambda text: ""
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)

    def snippet(text):
        text = unicodedata.normalize("NFKC", text).replace("\n\n", " ")
        first = pattern.search(text)
        start = max(0, first.start() - width // 2) if first else 0
        piece = text[start:start + width * 2]
        marked = pattern.sub(lambda m: f"\0{m.group(0)}\1", piece)
        html = escape(marked).replace("\0", "<mark>").replace("\1", "</mark>")
        return mark_safe(("…" if start else "") + html + ("…" if start + width * 2 < len(text) else ""))

    return snippet


# ---------------------------------------------------------------------------------
# The index itself: created by a migration, kept by triggers (SQLite) or an index
# (PostgreSQL). On SQLite, Django rebuilds a table to alter it, which drops its
# triggers; post_migrate puts them back (articles/apps.py).

_COLUMNS = "search_text, search_forms"
_SQLITE_TABLE = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                 f"{_COLUMNS}, content='articles_article', content_rowid='id', tokenize='trigram')")
_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES (new.id, new.search_text, new.search_forms); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS})
        VALUES ('delete', old.id, old.search_text, old.search_forms); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF {_COLUMNS} ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS})
        VALUES ('delete', old.id, old.search_text, old.search_forms);
        INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES (new.id, new.search_text, new.search_forms); END""",
]
_POSTGRESQL_INDEXES = [
    "CREATE INDEX IF NOT EXISTS article_search_trgm ON articles_article USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS article_forms_trgm ON articles_article USING gin (search_forms gin_trgm_ops)",
]


def install_index(schema_connection):
    """Create what the database needs for search; safe to run again."""
    with schema_connection.cursor() as cursor:
        if schema_connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_TABLE])
            row = cursor.fetchone()
            if row is not None and "search_forms" not in row[0]:
                remove_index(schema_connection)  # the index of one column, before search_forms
            cursor.execute(_SQLITE_TABLE)
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
            for statement in _POSTGRESQL_INDEXES:
                cursor.execute(statement)


def remove_index(schema_connection):
    with schema_connection.cursor() as cursor:
        if schema_connection.vendor == "sqlite":
            for suffix in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif schema_connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS article_search_trgm")
            cursor.execute("DROP INDEX IF EXISTS article_forms_trgm")
