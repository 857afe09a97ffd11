import re

import pytest
from django.utils import translation
from pygments.token import STANDARD_TYPES

from articles.checks.article_text import ArticleText
from articles.checks.editorial import run_checks
from articles.rendering import markdown
from articles.rendering.markdown import RenderError, render, render_markdown
from articles.rendering.plain_text import derive_excerpt, html_to_text, reading_time_minutes, truncate_text
from articles.rendering.sanitising import EXTERNAL_LINK_REL

from .code_blocks import code_blocks
from .harmless import assert_harmless, browser_elements

ATTACKS = {
    "script element": "<script>alert(1)</script>",
    "script in a paragraph": "前<script>alert(1)</script>後",
    "uppercase script": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "img onerror": '<img src="x" onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)><circle r=1></svg>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object data": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "form action": '<form action="javascript:alert(1)"><button>押す</button></form>',
    "style element": "<style>body{background:url(javascript:alert(1))}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "markdown javascript link": "[click](javascript:alert(1))",
    "markdown vbscript link": "[click](vbscript:msgbox(1))",
    "markdown data link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "markdown data image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "entity-encoded scheme": '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    "tab inside scheme": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "newline inside scheme": "[x](java\nscript:alert(1))",
    "mixed case scheme": "[x](JaVaScRiPt:alert(1))",
    "leading spaces in href": '<a href="   javascript:alert(1)">x</a>',
    "reference link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "attr_list onclick": "段落\n{: onclick=\"alert(1)\" }",
    "attr_list on link": '[x](https://example.com){: onmouseover="alert(1)" }',
    "attr_list href override": '[x](https://example.com){: href="javascript:alert(1)" }',
    "attr_list on heading": '## 見出し {: onclick="alert(1)" style="color:red" }',
    "footnote with raw html": "本文[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    "footnote with javascript link": "本文[^a]\n\n[^a]: [x](javascript:alert(1))",
    "md_in_html": '<div markdown="1" onclick="alert(1)">*x*</div>',
    "math with script": "<math><mtext><script>alert(1)</script></mtext></math>",
    "noscript breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "comment breakout": "<!--><img src=x onerror=alert(1)>-->",
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="javascript:alert(1)//">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "table background": '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "image title quote breakout": '![x](https://example.com/a.png "a\\" onerror=\\"alert(1)")',
    "template": "<template><script>alert(1)</script></template>",
    "unclosed tag attribute": '<img src="https://example.com/a.png" onerror="alert(1)"',
}


@pytest.mark.parametrize("source", ATTACKS.values(), ids=ATTACKS.keys())
def test_hostile_markdown_comes_out_harmless(source):
    assert_harmless(render_markdown(source))


@pytest.mark.parametrize("source", [ATTACKS["script in a paragraph"], ATTACKS["style element"]])
def test_script_and_style_content_does_not_become_prose(source):
    assert "alert" not in render_markdown(source)


def test_script_removed_but_surrounding_text_kept():
    assert render_markdown("前<script>alert(1)</script>後") == "<p>前後</p>"


def test_code_blocks_stay_code():
    rendered = render_markdown('```html\n<script>alert("x")</script>\n```\n\n`<b>inline</b>`')
    assert code_blocks(rendered) == [("html", '<script>alert("x")</script>')]
    assert '<span class="nt">script</span>' in rendered  # highlighted by Pygments
    assert "<code>&lt;b&gt;inline&lt;/b&gt;</code>" in rendered
    assert "<script>" not in rendered


def test_external_links_get_rel_and_internal_links_do_not():
    rendered = render_markdown("[外部](https://example.com/a) と [内部](/articles/) と [メール](mailto:a@example.com)")
    assert '<a href="https://example.com/a" rel="noopener noreferrer nofollow">外部</a>' in rendered
    assert '<a href="/articles/">内部</a>' in rendered
    assert '<a href="mailto:a@example.com">メール</a>' in rendered


def test_writer_cannot_override_rel():
    rendered = render_markdown('<a href="https://example.com" rel="opener">x</a>')
    assert 'rel="noopener noreferrer nofollow"' in rendered
    assert "opener\"" not in rendered.replace('noopener noreferrer nofollow"', "")


def test_markdown_features_editors_use():
    source = (
        "## 概要\n\n"
        "| 手法 | 効果 |\n|:--|--:|\n| 量子化 | 大 |\n\n"
        "注記[^1]\n\n[^1]: 補足です。\n\n"
        "- 一つ目\n- 二つ目\n\n"
        "> 引用\n\n"
        "![図の説明](https://example.com/fig.png)\n"
    )
    rendered = render_markdown(source)
    assert '<h2 id="md-概要">概要</h2>' in rendered
    assert '<th class="align-left">手法</th>' in rendered and '<td class="align-right">大</td>' in rendered
    assert 'align=' not in rendered  # obsolete in HTML
    assert 'href="#md-fn:1"' in rendered and 'id="md-fn:1"' in rendered
    assert "<li>一つ目</li>" in rendered
    assert "<blockquote>" in rendered
    assert '<img alt="図の説明" loading="lazy" src="https://example.com/fig.png">' in rendered or (
        'alt="図の説明"' in rendered and 'src="https://example.com/fig.png"' in rendered
    )


def test_empty_source_renders_empty():
    assert render_markdown("") == ""
    assert render_markdown("  \n ") == ""


def test_plain_text_keeps_paragraphs_and_drops_markup():
    text = html_to_text(render_markdown("# 見出し\n\n**太字**の段落 &amp; 記号\n\n- 項目"))
    assert text == "見出し\n\n太字の段落 & 記号\n\n項目"


class TestReadingTime:
    def test_japanese_counts_characters_at_500_a_minute(self):
        assert reading_time_minutes("あ" * 500) == 1
        assert reading_time_minutes("あ" * 501) == 2
        assert reading_time_minutes("あ" * 2400) == 5

    def test_whitespace_does_not_count(self):
        assert reading_time_minutes("あ " * 500 + "\n" * 1000) == 1

    def test_latin_words_count_at_250_a_minute(self):
        assert reading_time_minutes("word " * 250) == 1
        assert reading_time_minutes("word " * 251) == 2

    def test_mixed_text_adds_both(self):
        # 400 characters (0.8 min) + 100 words (0.4 min) = 1.2 → 2 minutes
        assert reading_time_minutes("あ" * 400 + " NVIDIA" * 100) == 2

    def test_full_width_latin_reads_as_words(self):
        assert reading_time_minutes("ＡＩ " * 250) == 1

    def test_at_least_one_minute(self):
        assert reading_time_minutes("") == 1


class TestExcerpt:
    def test_skips_a_first_paragraph_that_repeats_the_title(self):
        html = render_markdown("新チップの狙い\n\n最初の本当の段落です。\n\n次の段落。")
        assert derive_excerpt(html, "新チップの狙い") == "最初の本当の段落です。"

    def test_title_comparison_ignores_width_and_spacing(self):
        html = render_markdown("ＡＩ チップ\n\n本文です。")
        assert derive_excerpt(html, "AIチップ") == "本文です。"

    def test_long_paragraph_is_cut_at_a_sentence_end(self):
        text = "あ" * 80 + "。" + "い" * 80 + "。"
        assert truncate_text(text, 120) == "あ" * 80 + "。"

    def test_long_paragraph_without_sentence_end_gets_an_ellipsis(self):
        cut = truncate_text("あ" * 300, 120)
        assert len(cut) == 120 and cut.endswith("…")


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<p style="x">y</p>',
    ],
)
def test_the_harmlessness_check_itself_rejects_unsafe_html(unsafe):
    with pytest.raises(AssertionError):
        assert_harmless(unsafe)


# ---------------------------------------------------------------------------------
# Bounds: no text under the size limit holds a server worker for long.


def test_text_that_would_take_minutes_is_refused_with_a_clear_error(settings):
    # Unclosed "[a](": Python-Markdown scans to the end of the paragraph from each one.
    settings.EDITORIAL_RENDER_TIMEOUT = 0.5
    with translation.override("en"), pytest.raises(RenderError) as refused:
        render("[a](" * 50_000)
    assert "too long" in str(refused.value) and "Nothing you wrote was lost" in str(refused.value)
    # The helper that was stopped is replaced: the next text renders.
    assert render("次の本文").html == "<p>次の本文</p>"


def test_a_refusal_is_remembered_so_one_request_waits_once(settings, monkeypatch):
    settings.EDITORIAL_RENDER_TIMEOUT = 0.3
    calls = []
    real_run = markdown._runner.run
    monkeypatch.setattr(markdown._runner, "run", lambda *a, **k: calls.append(1) or real_run(*a, **k))
    for _ in range(3):
        with pytest.raises(RenderError):
            render("[b](" * 50_000)
    assert len(calls) == 1


def test_unclosed_brackets_are_fast():
    # 5,000 unclosed brackets took about 4 s (quadratic); now a few hundredths.
    for source in ["[" * 5_000, "![" * 3_000, "[^" * 3_000, "[[" * 3_000, "[a][" * 3_000]:
        assert render(source).html.startswith("<p>")


@pytest.mark.parametrize(
    "source",
    [
        "1. " * 600 + "x",  # lists nested in lists: RecursionError in Python-Markdown
        "* " * 600 + "x",
        "> " * 1_200 + "x",
        "<span>" * 5_000 + "<script>x</script>",  # RecursionError in our own pruning
        "<b>" * 5_000,
    ],
    ids=["ordered", "bullets", "quotes", "spans", "bold"],
)
def test_deep_nesting_gives_bounded_output(source):
    rendered = render(source)
    assert len(rendered.html) <= 12 * len(source) + 100
    assert_harmless(rendered.html)


@pytest.mark.django_db
def test_text_too_deep_to_format_is_shown_as_plain_paragraphs_and_flagged():
    rendered = render("1. " * 600 + "<script>alert(1)</script>")
    assert rendered.flattened
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    findings = run_checks(ArticleText(title="t", body="1. " * 600 + "x"))
    assert "markup.flattened" in [finding.code for finding in findings if finding.level == "error"]


@pytest.mark.django_db
def test_checks_of_a_text_that_cannot_be_rendered_report_it(settings):
    settings.EDITORIAL_RENDER_TIMEOUT = 0.3
    findings = run_checks(ArticleText(title="t", body="[c](" * 50_000))
    assert [f.code for f in findings if f.level == "error"] == ["markup.render"]


# ---------------------------------------------------------------------------------
# Ids and classes in a body are the article's own; links leaving the site are marked.


def test_ids_are_prefixed_so_a_body_cannot_take_the_pages_own():
    rendered = render_markdown('## main\n\n<a id="article-form" href="#main">戻る</a>\n\n## x {: #live-preview }')
    assert 'id="main"' not in rendered and 'id="md-main"' in rendered
    assert 'id="article-form"' not in rendered and 'href="#md-main"' in rendered
    assert 'id="live-preview"' not in rendered


def test_only_markdowns_own_classes_survive():
    rendered = render_markdown(
        '<div class="messages button primary">偽の通知</div>\n\n段落 <span class="badge live">公開中</span>\n'
        "{: .badge .status-published }\n\n"
        "```python\nx = 1\n```\n\n注[^1]\n\n[^1]: 補足"
    )
    classes = {name for _, attrs in browser_elements(rendered) for name in attrs.get("class", "").split()}
    # Pygments' token classes only colour the code: any of them may appear.
    assert classes - set(STANDARD_TYPES.values()) == {
        "language-python", "highlight", "footnote-ref", "footnote", "footnote-backref"}


@pytest.mark.parametrize("href", ["//evil.example/x", "\\\\evil.example/x", "/\\evil.example/x", " //evil.example"])
def test_protocol_relative_links_are_external_too(href):
    rendered = render_markdown(f'<a href="{href}">x</a>')
    assert f'rel="{EXTERNAL_LINK_REL}"' in rendered


class TestWhatKramdownAndGitHubWritersType:
    def test_lists_nest_two_spaces_deep_and_four(self):
        for source in ("- a\n  - b\n    - c\n- d", "- a\n    - b\n        - c\n- d"):
            html = render_markdown(source)
            assert html.count("<ul>") == 3, source
            assert "<li>b<ul>" in html.replace("\n", "") and "<li>d</li>" in html

    def test_numbered_items_nest_under_their_text(self):
        html = render_markdown("1. 準備\n   - 材料\n2. 手順").replace("\n", "")
        assert html == "<ol><li>準備<ul><li>材料</li></ul></li><li>手順</li></ol>"

    def test_a_fenced_block_in_a_list_item_stays_code(self):
        html = render_markdown("- 手順:\n  ```bash\n  # 入れる\n  pip install x\n  ```\n- 次")
        assert code_blocks(html) == [("bash", "# 入れる\npip install x")]
        assert re.search(r"<li>\s*<p>手順:</p>\s*<div class=\"language-bash highlight\">.*?</div>\s*</li>", html, re.S)
        assert "<h1" not in html and html.count("<li>") == 2

    def test_a_list_may_follow_a_paragraph_line(self):
        html = render_markdown("以下の通り:\n- 一\n- 二").replace("\n", "")
        assert html == "<p>以下の通り:</p><ul><li>一</li><li>二</li></ul>"

    def test_strike_through_but_no_subscript(self):
        html = render_markdown("~~発売中~~ 販売終了。受付は3~5日です。")
        assert html == "<p><del>発売中</del> 販売終了。受付は3~5日です。</p>"

    def test_indented_code_and_rules_are_not_lists(self):
        html = render_markdown("本文\n\n    - not a list")
        assert code_blocks(html) == [("", "- not a list")] and "<li>" not in html
        assert render_markdown("前\n\n* * *\n\n後") == "<p>前</p>\n<hr>\n<p>後</p>"

    def test_definition_lists_and_abbreviations(self):
        html = render_markdown("GPU\n: 画像処理装置\n\n*[API]: Application Programming Interface\n\nAPI を使う")
        assert "<dl>\n<dt>GPU</dt>\n<dd>画像処理装置</dd>\n</dl>" in html
        assert '<abbr title="Application Programming Interface">API</abbr>' in html

    def test_a_definition_goes_on_under_the_column_its_text_starts_at(self):
        # As kramdown and PHP Markdown Extra read it: two spaces after ": " are the
        # definition's, so its list stays one list and the <dl> one list.
        html = render_markdown("形式\n: - ONNX\n  - TensorRT\n\n    - 量子化\n\n観点\n: 速さ\n  二行目")
        assert html.count("<dl>") == 1 and html.count("<ul>") == 2
        assert "<li>ONNX</li>" in html and "<li>量子化</li>" in html
        assert html.index("TensorRT") < html.index("<ul>", html.index("TensorRT")) < html.index("量子化")
        assert html.index("量子化") < html.index("</dd>") < html.index("<dt>観点</dt>")
        assert "二行目" in html.split("<dt>観点</dt>")[1].split("</dd>")[0]

    def test_a_colon_with_no_term_above_it_is_text(self):
        assert render_markdown(": 始まり\n  続き") == "<p>: 始まり\n  続き</p>"


def test_render_articles_brings_stored_html_up_to_date(make_article):
    from io import StringIO

    from django.core.management import call_command

    from articles.models import Article

    article = make_article(body="```python\nimport os\n```")
    Article.objects.filter(pk=article.pk).update(body_html="<pre><code>import os</code></pre>")
    out = StringIO()
    call_command("render_articles", stdout=out)
    assert '<span class="kn">import</span>' in Article.objects.get(pk=article.pk).body_html
    assert "Rendered 1 articles again." in out.getvalue()


def test_a_picture_in_a_heading_stays_out_of_its_id_and_the_table_of_contents(db):
    """Issue 20, item 13: the picture's markup went into the heading's id and TOC link."""
    from articles.media import images

    from .images import photo

    picture = images.store(photo(300, 200), alt_text="ロゴ")[0]
    html = render_markdown(f"[TOC]\n\n## 新製品 ![ロゴ](image:{picture.pk}) の発表\n\n本文。\n")
    heading = re.search(r"<h2[^>]*>.*?</h2>", html, re.DOTALL)[0]
    assert re.match(r'<h2 id="md-新製品-の発表">', heading), heading
    assert "<picture>" in heading
    toc = re.search(r'<div class="toc">.*?</div>', html, re.DOTALL)[0]
    assert "<picture>" not in toc and "<img" not in toc and "figure" not in toc
    assert 'href="#md-新製品-の発表"' in toc


@pytest.mark.parametrize("source", [
    "<svg><script>alert(1)</script></svg>",
    "前<svg><title>alert(1)</title><text>alert(1)</text></svg>後",
    "<math><mi>alert(1)</mi></math>",
    "<div><svg><style>alert(1)</style></svg></div>",
])
def test_svg_and_math_leave_no_text_behind(source):
    """Issue 20, item 17: the pruning compared the namespaced tag with "svg"."""
    html = render_markdown(source)
    assert "alert" not in html
