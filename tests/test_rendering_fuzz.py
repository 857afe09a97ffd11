"""Property-based fuzzing: thousands of generated texts, built from the pieces attacks
and accidents are made of. Each one renders within its bound, comes out harmless as a
browser would parse it (html5lib), and the editorial checks read it without failing."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.checks.article_text import ArticleText
from articles.checks.editorial import run_checks
from articles.rendering.markdown import render

from .harmless import assert_harmless

PIECES = [
    "[", "]", "(", ")", "![", "[^", "[^1]: ", "][", "](", "<", ">", "</", "/>", "<a ", "<a href=", 'href="',
    "<img src=x onerror=alert(1)>", "<script>", "</script>", "<style>", "<svg>", "<math>", "<iframe>",
    "<div>", "</div>", "<span class=x>", "<p>", "<b>", "<!--", "-->", "<![CDATA[", "]]>", "<?", "<!DOCTYPE",
    "javascript:", "java\tscript:", "&#106;", "&#x6A;", "&lt;", "&", "&amp;", '"', "'", "`", "```", "~~~",
    "*", "**", "_", "__", "~~", "#", "## ", "> ", "- ", "* ", "1. ", "|", "|--|", "\n", "\n\n", "    ", "\t",
    "{: ", "}", "#main", ".button", "onload=", "onerror=", "style=", "src=", "data:", "vbscript:", "//evil.example",
    "\\", "https://example.com", "mailto:a@example.com", "本文", "見出し", "日本語の文章です。", "NVIDIA", "AWS",
    "\u202e", "\u200b", "\x00", "\x07", "\ufeff", "  \n",
]
texts = st.one_of(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=80).map("".join),
    st.text(max_size=300),
)
FUZZ = settings(
    max_examples=1500, derandomize=True, database=None,
    # A bound against catastrophes (one such text took 76 s), not a measure of speed:
    # the figures are benchmarks/render_worst_case.py's.
    deadline=dt.timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(source=texts)
def test_any_text_renders_harmless_and_bounded(source):
    rendered = render(source)
    assert_harmless(rendered.html)
    assert len(rendered.html) <= 30 * len(source) + 200


@pytest.mark.django_db
@settings(FUZZ, max_examples=600)
@given(title=texts, excerpt=texts, body=texts, tags=st.lists(st.sampled_from([*PIECES, "LLM", "推論"]), max_size=5))
def test_the_checks_read_any_text(title, excerpt, body, tags):
    findings = run_checks(ArticleText(title=title, body=body, excerpt=excerpt, companies=tags, topics=tags))
    assert all(finding.level in ("error", "warning", "info") for finding in findings)


@settings(FUZZ, max_examples=1000)
@given(data=st.text(alphabet="[]a!^(", max_size=60), start=st.integers(0, 60))
def test_linear_brackets_find_what_python_markdown_finds(data, start):
    """Our getText answers exactly as Python-Markdown's own, only without the scan."""
    from markdown.inlinepatterns import LinkInlineProcessor

    from articles.rendering.extensions import _get_text

    start = min(start, len(data))
    original = LinkInlineProcessor.getText(None, data, start)
    assert _get_text(None, data, start) == original
