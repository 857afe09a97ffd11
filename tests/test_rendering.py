from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from articles.rendering import (
    ALLOWED_TAGS,
    derive_excerpt,
    html_to_text,
    reading_time_minutes,
    render_markdown,
    truncate_text,
)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(rendered):
    collector = _Collector()
    collector.feed(rendered)
    return collector.elements


def assert_harmless(rendered):
    """What a browser would build from ``rendered`` can run no script."""
    for tag, attrs in elements(rendered):
        assert tag in ALLOWED_TAGS, f"<{tag}> survived: {rendered}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} survived: {rendered}"
            assert name not in {"style", "srcdoc", "formaction", "xlink:href"}, rendered
            if name in {"href", "src", "cite", "action"}:
                scheme = urlsplit("".join((value or "").split()).lower()).scheme
                assert scheme in {"", "http", "https", "mailto"}, f"{name}={value!r}: {rendered}"


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
    assert '<pre><code class="language-html">&lt;script&gt;alert("x")&lt;/script&gt;' in rendered
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
    assert '<h2 id="概要">概要</h2>' in rendered
    assert '<th align="left">手法</th>' in rendered and '<td align="right">大</td>' in rendered
    assert 'href="#fn:1"' in rendered and 'id="fn:1"' in rendered
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
