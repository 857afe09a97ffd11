"""The read API's documentation page works in a browser under the site's CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_documentation_page_lists_the_endpoints_and_tries_one(live_server, page, make_article):
    make_article(title="APIで読む記事", slug="via-api")
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.get_by_text("/api/v1/articles/by-slug/{slug}/")).to_be_visible()
    operation = page.locator(".opblock", has_text="/api/v1/articles/by-slug/{slug}/")
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='slug']").fill("via-api")
    page.get_by_role("button", name="Execute").click()
    expect(operation.locator(".response .microlight").first).to_contain_text("APIで読む記事")
    assert problems == []
