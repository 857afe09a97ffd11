"""Every page the site serves is valid HTML, as the Nu HTML Checker (the W3C's validator,
from the npm package vnu-jar, run on Debian's Java) reads it: readers' pages in both
languages, with the shapes a body can take, and the desk's pages.

CI installs Java and vnu-jar and sets EDITORIAL_REQUIRE_VNU=1, so this never skips
there; elsewhere it skips without them. One run of the checker reads every page (the
JVM's start is most of its time)."""

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from articles.media import images
from articles.models import Article, AuthorProfile, Comment
from articles.publishing import assignments, front_page, locks, workflow
from articles.publishing.editing import Content, create_article, save_working_copy
from tests.images import photo

VNU = Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif((JAVA is None or not VNU.exists()) and not os.environ.get("EDITORIAL_REQUIRE_VNU"),
                       reason="the Nu HTML Checker needs Java and vnu-jar (npm ci)"),
]

BODY = (
    "## 概要\n\nNVIDIAとAmazonのチップを比べる[^1]。\n\n| 項目 | 値 |\n|:--|--:|\n| 性能 | 2倍 |\n\n"
    "{picture}\n\n```python\nprint(\"x\")\n```\n\n```mermaid\ngraph TD\n```\n\n"
    "用語\n: 説明\n\n*[GPU]: Graphics Processing Unit\n\nGPU を使う。\n\n"
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n> 引用\n\n- 一\n  - 二\n\n[^1]: 補足。"
)


@pytest.fixture
def site(make_article, category, writer, editor):
    cover, _ = images.store(photo(1600, 900), alt_text="チップの基板", caption="新しいチップ")
    AuthorProfile.objects.create(user=writer, name="記者 花子", slug="hanako", bio="取材する記者。", picture=cover)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=2)):
        article = create_article(Content(
            title="AIチップの現在地", slug="chips", excerpt="各社の新しいチップを比べる。", category=category,
            companies=("NVIDIA", "Amazon"), topics=("半導体",), cover=cover,
            body=BODY.format(picture=f"![基板](image:{cover.pk})")), writer)
        for action, user in (("submit", writer), ("approve", editor), ("publish", editor)):
            workflow.apply_transition(article, action, user)
    article.refresh_from_db()
    # A correction, so that pages show an update's time too.
    save_working_copy(article, Content(
        title="AIチップの現在地", slug="chips", excerpt="各社の新しいチップを比べる。", category=category,
        companies=("NVIDIA", "Amazon"), topics=("半導体",), cover=cover,
        body=BODY.format(picture=f"![基板](image:{cover.pk})") + "\n\n追記。"), writer, base_version=article.version)
    article = Article.objects.get(pk=article.pk)
    for action, user in (("submit", writer), ("approve", editor), ("publish", editor)):
        workflow.apply_transition(article, action, user)
    make_article(title="関連する記事", companies=["NVIDIA"], topics=["半導体"])
    front_page.feature(Article.objects.get(pk=article.pk), editor)  # the front page, arranged
    draft = make_article(title="下書きの記事", status="draft", owner=writer)
    Comment.objects.create(article=draft, author=editor, body="ここを直してください。")
    # The newsroom's states: the draft assigned, due, and open in the writer's editor (so
    # the editor's page reads it, locked); the article leaving the site at a set time.
    assignments.assign(draft, editor, writer=writer, editor=editor, due_at=timezone.now() + dt.timedelta(hours=3))
    locks.hold(draft, writer)
    workflow.apply_transition(Article.objects.get(pk=article.pk), "schedule_unpublish", editor,
                              unpublish_at=timezone.now() + dt.timedelta(days=1))
    return Article.objects.get(pk=article.pk), draft, cover


def public_pages(article):
    paths = ["/", "/?page=1", "/companies/", "/companies/nvidia/", "/topics/", "/topics/半導体/", "/categories/",
             "/authors/hanako/", "/search/?q=チップ", "/search/?q=該当なし", "/no-such-page/",
             article.canonical_path()]
    return [*paths, *("/en" + path for path in paths)]


def desk_pages(article, draft, cover):
    return ["/desk/", "/desk/articles/", "/desk/articles/new/", f"/desk/articles/{article.pk}/",
            f"/desk/articles/{article.pk}/edit/", f"/desk/articles/{draft.pk}/edit/",
            f"/desk/articles/{article.pk}/history/", f"/desk/articles/{article.pk}/preview/",
            f"/desk/articles/{draft.pk}/", "/desk/calendar/", "/desk/inbox/", "/desk/profile/", "/desk/images/",
            f"/desk/images/{cover.pk}/", "/desk/front-page/"]


def checked(pages, folder):
    """``{path: [error]}`` of the Nu HTML Checker over ``pages`` (``{path: html}``)."""
    files = {}
    for number, (path, html) in enumerate(pages.items()):
        file = folder / f"page{number}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = path
    result = subprocess.run(  # noqa: S603 (our files, the checker from package-lock.json)
        [JAVA or "java", "-Xss2m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, folder.iterdir())],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = {}
    for message in messages:
        url = message.get("url", "")
        path = files.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(path, []).append(f"{message.get('lastLine')}: {message['message']} "
                                           f"[{message.get('extract', '').strip()[:120]}]")
    return errors


def test_every_page_is_valid_html(client, site, editor, tmp_path):
    article, draft, cover = site
    pages = {}
    for path in public_pages(article):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        pages[path] = response.content.decode()
    client.force_login(editor)
    for path in desk_pages(article, draft, cover):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    assert 'id="editor-lockable" disabled' in pages[f"/desk/articles/{draft.pk}/edit/"]  # read while locked
    client.logout()
    pages["/accounts/login/"] = client.get("/accounts/login/").content.decode()
    errors = checked(pages, tmp_path)
    assert errors == {}, json.dumps(errors, ensure_ascii=False, indent=1)


def test_the_checker_does_find_errors(tmp_path):
    errors = checked({"/broken/": '<!DOCTYPE html><html lang="ja"><title>x</title><p><time datetime="x">y</time>'
                                  '<img alt=""></p></html>'}, tmp_path)
    assert len(errors["/broken/"]) == 2, errors
