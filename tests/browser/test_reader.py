import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def articles(make_article, category):
    # A long paragraph, a table and a wide code block: what could push a phone screen sideways.
    body = "\n\n".join(["## 概要", "長い段落です。" * 60, "| 列 | 値 |\n|--|--|\n| a | b |", f"```\n{'x' * 200}\n```"])
    return [
        make_article(title=f"記事その{n}", body=body, category=category, companies=["NVIDIA"], topics=["LLM"])
        for n in range(3)
    ]


def test_reader_goes_from_the_home_page_to_an_article(live_server, page, articles):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("最新の記事")
    page.locator("article.card").get_by_role("link", name="記事その2").click()
    expect(page).to_have_url(re.compile(r"/articles/\d{4}/\d{2}/\d{2}/"))
    expect(page.locator("h1")).to_have_text("記事その2")
    expect(page.locator(".article-body h2")).to_have_text("概要")
    page.get_by_role("link", name="NVIDIA").first.click()
    expect(page.locator("h1")).to_contain_text("NVIDIA")


def test_skip_link_moves_keyboard_focus_to_the_content(live_server, page, articles):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_article_page_fits_a_phone_screen(live_server, browser, articles):
    context = browser.new_context(locale="ja-JP", viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + articles[0].get_absolute_url())
    expect(page.locator("h1")).to_have_text("記事その0")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "article-375.png", full_page=True)
    context.close()
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 375px"


def test_an_old_link_to_a_heading_lands_on_it(live_server, page, make_article):
    # Another site links to the imported post's heading as Jekyll named it.
    body = "\n\n".join(["## はじめに", "段落です。" * 400, "## まとめ", "最後の段落。", "段落です。" * 400])
    article = make_article(title="見出しへのリンク", body=body)
    page.goto(live_server.url + article.get_absolute_url() + "#まとめ")
    heading = page.locator("#md-まとめ")
    expect(heading).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 500


@pytest.mark.parametrize("path", ["/en/", "/"])
def test_the_header_never_breaks_a_word_on_a_phone(live_server, browser, articles, path):
    """At 375 px the English header split its words (Late|st, Categori|es): a menu
    item wraps as a whole or not at all."""
    context = browser.new_context(locale="en-US", viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        links = page.locator(".site-header nav a")
        expect(links.first).to_be_visible()
        lines = page.evaluate("[...document.querySelectorAll('.site-header nav a')]"
                              ".map(a => [a.textContent, a.getClientRects().length])")
        assert lines and all(count == 1 for _, count in lines), lines
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    finally:
        context.close()


def test_reading_an_article_counts_one_read(live_server, page, articles):
    """The page's beacon goes through the site's Content-Security-Policy and is counted,
    once for a reload."""
    import time

    from articles.models import ArticleReads

    url = live_server.url + articles[0].get_absolute_url()
    page.goto(url)
    page.reload()
    deadline = time.monotonic() + 10
    while not ArticleReads.objects.filter(article=articles[0]).exists():
        assert time.monotonic() < deadline, "no read was counted"
        time.sleep(0.1)
    time.sleep(0.5)  # the reload's beacon, had it been counted
    assert list(ArticleReads.objects.values_list("count", flat=True)) == [1]
