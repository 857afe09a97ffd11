"""The writing findings of a text, for the tests of the Japanese writing checks."""

from articles.checks.article_text import ArticleText
from articles.checks.editorial import run_checks


def findings(body, title="見出し", excerpt="", code=None):
    found = run_checks(ArticleText(title=title, body=body, excerpt=excerpt))
    return [f for f in found if f.code.startswith("writing.") and (code is None or f.code == code)]


def codes(body, **kwargs):
    return {f.code for f in findings(body, **kwargs)}
