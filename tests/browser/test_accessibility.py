"""axe-core, injected into real Chromium: no serious or critical violations on the
pages readers and writers use most."""

import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from articles.media import images
from articles.models import Article, AuthorProfile

from ..images import photo

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_source():
    import os

    if not AXE.exists():
        if os.environ.get("EDITORIAL_REQUIRE_BROWSER"):
            pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def site(make_article, category):
    article = make_article(
        title="AIチップの現在地", excerpt="各社の新しいチップを比べる。", byline="ALLFORCES編集部", category=category,
        companies=["NVIDIA", "Amazon"], topics=["半導体"],
        body="## 概要\n\nNVIDIAとAmazonのチップを比べる。\n\n| 項目 | 値 |\n|--|--|\n| 性能 | 2倍 |\n\n"
             "![チップの写真](https://example.com/chip.png)\n\n```\ncode\n```\n\n"
             "```python\n# 読み込む\nimport os\nprint(\"x\", 1)\n```\n\n脚注つき[^1]\n\n[^1]: 補足。",
    )
    make_article(title="関連する記事", companies=["NVIDIA"], topics=["半導体"])
    cover, _ = images.store(photo(1600, 900), alt_text="チップの基板", caption="新しいチップ")
    owner = article.owner or get_user_model().objects.create_user("writer")
    Article.objects.filter(pk=article.pk).update(owner=owner)
    AuthorProfile.objects.create(user=owner, name="記者 花子", slug="writer", bio="取材する記者。", picture=cover)
    Article.objects.filter(pk=article.pk).update(cover=cover)
    article.refresh_from_db()
    return article


def with_axe(page, axe_source):
    # An init script, not a <script> added to the page: the site's Content-Security-Policy
    # refuses inline scripts, and that stays on while the pages are checked.
    if not getattr(page, "_axe", False):
        page.add_init_script(axe_source)
        page._axe = True


def run_axe(page):
    return page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")


def violations(page, axe_source, url):
    with_axe(page, axe_source)
    page.goto(url)
    result = run_axe(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def log_in(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize(
    "path",
    ["/", "{article}", "/companies/nvidia/", "/topics/", "/categories/", "/search/?q=チップ", "/authors/writer/",
     "/no-such-page/"],
    ids=["home", "article", "company", "topics", "categories", "search", "author", "404"],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages(live_server, page, site, axe_source, path, scheme):
    page.emulate_media(color_scheme=scheme)
    found = violations(page, axe_source, live_server.url + path.format(article=site.get_absolute_url()))
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(20, 23, 28)") == (scheme == "dark"), background


@pytest.mark.parametrize("path", ["/desk/articles/new/", "/desk/", "/desk/articles/{pk}/", "/desk/calendar/",
                                  "/desk/images/", "/desk/images/{image}/", "/desk/articles/", "/desk/inbox/", "/desk/profile/",
                                  "/desk/front-page/"],
                         ids=["editor", "dashboard", "review", "calendar", "library", "picture", "articles", "inbox",
                              "profile", "front page"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_desk_pages(live_server, page, site, axe_source, client, editor, path, scheme):
    page.emulate_media(color_scheme=scheme)
    log_in(page, live_server, client, editor)
    url = live_server.url + path.format(pk=site.pk, image=site.cover_id)
    found = violations(page, axe_source, url)
    if path.endswith("new/"):
        # With text typed in, the live preview and the checks are part of the page too.
        page.get_by_label("本文（Markdown）").fill("## 見出し\n\n本文。\n\n![](https://example.com/x.png)")
        page.wait_for_selector("#live-checks li")
        result = run_axe(page)
        found += [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        # And the picture dialog, open.
        page.get_by_role("button", name="画像を挿入").click()
        result = run_axe(page)
        found += [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)
    # The desk follows the system's scheme as the readers' site does (issue 28, item 11).
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(20, 23, 28)") == (scheme == "dark"), background


def test_login_page(live_server, page, axe_source, db):
    found = violations(page, axe_source, live_server.url + "/accounts/login/")
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


def test_the_harness_does_find_violations(page, axe_source):
    # Proof that the checks above can fail: a page with known problems.
    page.set_content('<html><body><img src="x.png"><button></button><input type="text"></body></html>')
    page.add_script_tag(content=axe_source)
    result = run_axe(page)
    ids = {v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")}
    assert {"image-alt", "button-name", "label"} <= ids
