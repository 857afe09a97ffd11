"""The Content-Security-Policy holds in a real browser: the pages people use work under
it, and nothing they load is refused (a refusal is a broken button or a missing style)."""

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

# Recorded from the first moment of every page, before any of the page's own scripts.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    return page.evaluate("window.__cspViolations")


def log_in(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_desk_and_the_site_work_under_the_policy(live_server, page, client, editor, make_article):
    page.add_init_script(RECORD_VIOLATIONS)
    article = make_article(title="方針の下で", body="## 見出し\n\n本文です。", topics=["LLM"])
    refused = []
    for path in ["/", article.get_absolute_url(), "/search/?q=本文", "/accounts/login/"]:
        refused += visit(page, live_server.url + path)
    log_in(page, live_server, client, editor)
    refused += visit(page, live_server.url + "/desk/articles/new/")
    # The editor's script runs: the live preview follows the text.
    page.get_by_label("本文（Markdown）").fill("## 生きている\n\n**プレビュー**")
    expect(page.locator("#live-preview strong")).to_have_text("プレビュー")
    refused += page.evaluate("window.__cspViolations")
    refused += visit(page, live_server.url + f"/desk/articles/{article.pk}/")
    assert refused == []


def test_the_admin_works_under_the_policy(live_server, page, client, admin_user, make_article):
    page.add_init_script(RECORD_VIOLATIONS)
    article = make_article(title="管理画面で")
    log_in(page, live_server, client, admin_user)
    refused = []
    for path in ["/admin/", "/admin/articles/article/", f"/admin/articles/article/{article.pk}/change/",
                 "/admin/articles/category/add/"]:
        refused += visit(page, live_server.url + path)
    assert refused == []


def test_the_policy_does_refuse_inline_script(live_server, page, db):
    # Proof that the checks above can fail.
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url + "/")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.ran = 1";
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__cspViolations"))
