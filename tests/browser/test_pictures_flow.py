"""Pictures in a real browser: dropped and pasted into the editor with alt text, a cover
from the library, published, and shown to readers as responsive images that are shared
with their own card picture."""

import base64
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Image

from ..images import photo
from .test_desk_flow import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)

# A File made in the page from bytes, handed over as a drop or as a paste.
GIVE_FILE = """
([kind, name, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/jpeg" }));
  const body = document.getElementById("id_body");
  if (kind === "drop") {
    body.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    body.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  } else {
    body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
  }
}
"""


def give(page, kind, data, name):
    page.evaluate(GIVE_FILE, [kind, name, base64.b64encode(data).decode()])


def upload_in_dialog(page, alt):
    dialog = page.locator("#image-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#upload-preview")).to_be_visible()
    dialog.get_by_role("textbox", name="代替テキスト").fill(alt)
    dialog.get_by_role("button", name="アップロードして使う").click()
    expect(dialog).to_be_hidden()


@pytest.mark.usefixtures("task_worker")
def test_drop_paste_cover_publish_read(live_server, page, writer, editor):
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    page.get_by_label("タイトル").fill("新工場の写真")
    page.get_by_label("抜粋").fill("新しい工場の内部を写真で伝える。")
    body = page.get_by_label("本文（Markdown）")
    body.fill("新工場を取材した。")

    # Dropped on the text: the dialog asks for alt text, then the reference goes in.
    give(page, "drop", photo(2000, 1500), "factory.jpg")
    upload_in_dialog(page, "組み立てラインの全景")
    expect(body).to_have_value(re.compile(r"!\[組み立てラインの全景\]\(image:\d+\)"))
    preview = page.locator("#live-preview")
    expect(preview.locator("picture img")).to_have_attribute("alt", "組み立てラインの全景")

    # Pasted from the clipboard: the same, a second picture.
    body.press("End")
    give(page, "paste", photo(1600, 1200, color=(200, 30, 30)), "clipboard.jpg")
    upload_in_dialog(page, "赤い検査装置")
    expect(preview.locator("picture img")).to_have_count(2)

    # The cover, chosen from the library.
    page.get_by_role("button", name="カバーを選ぶ・アップロード").click()
    page.get_by_role("tab", name="ライブラリから選ぶ").click()
    page.locator("#picker-results .image-choice", has_text="組み立てラインの全景").click()
    expect(page.locator("#live-cover picture img")).to_have_attribute("alt", "組み立てラインの全景")
    page.get_by_role("button", name="保存してレビューに提出").click()
    expect(page.get_by_text("保存してレビューに提出しました。")).to_be_visible()
    log_out(page)

    # An editor approves and publishes what they read.
    log_in(page, live_server, "editor")
    page.locator("section", has=page.get_by_role("heading", name="レビュー待ち")).get_by_role(
        "link", name="新工場の写真").click()
    expect(page.locator(".reader-preview picture")).to_have_count(2)
    page.get_by_role("button", name="承認").click()
    expect(page.get_by_text("承認しました。")).to_be_visible()
    page.get_by_role("button", name="公開", exact=True).click()
    expect(page.get_by_text("公開しました。")).to_be_visible()

    # Readers: the cover first, responsive pictures with their size, a card picture to share.
    article = Article.objects.get()
    assert article.cover == Image.objects.get(alt_text="組み立てラインの全景")
    page.goto(live_server.url + article.get_absolute_url())
    images = page.locator("article img")
    expect(images).to_have_count(3)
    for index in range(3):
        img = images.nth(index)
        assert img.get_attribute("width") and img.get_attribute("height") and img.get_attribute("srcset")
        assert img.evaluate("(el) => el.complete && el.naturalWidth > 0")
    assert images.nth(0).get_attribute("loading") is None and images.nth(1).get_attribute("loading") == "lazy"
    og_image = page.locator('meta[property="og:image"]').get_attribute("content")
    response = page.request.get(og_image)
    # (The test server hands /media/ to Django's own file handler; the site's media view,
    # with its nosniff header, is tested in tests/test_images.py.)
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    page.goto(live_server.url + "/")
    # The only article with a picture leads the front page, its picture large.
    lead = page.locator(".lead-picture img")
    expect(lead).to_have_count(1)
    assert lead.evaluate("(el) => el.complete && el.naturalWidth > 0")


def test_a_picture_being_made_shows_in_the_preview_as_soon_as_it_is_ready(live_server, page, writer):
    """Issue 21, item 3: the upload answers at once; the preview says the picture is being
    made, and shows it by itself when the worker is done."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.media import images

    from ..conftest import run_queued_tasks

    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    page.get_by_label("タイトル").fill("新製品の発表")
    # Uploaded while the worker is busy with something else.
    image, _created = images.upload(SimpleUploadedFile("p.jpg", photo(1600, 1200)), alt_text="新製品")
    body = page.get_by_label("本文（Markdown）")
    body.fill(f"発表会の写真。\n\n{image.markdown}\n")
    preview = page.locator("#live-preview")
    expect(preview.get_by_role("img", name="新製品")).to_contain_text("画像を処理しています")
    run_queued_tasks()
    expect(preview.locator("picture img")).to_have_attribute("alt", "新製品", timeout=15_000)


@pytest.mark.parametrize(("caret_after", "expected"), [
    # In the middle of a word: the picture goes after its paragraph, the word stays whole.
    ("AIチッ", "前の段落。\n\nAIチップの性能が上がった。\n\n{picture}\n\n後の段落。"),
    # At the start of a paragraph: before it.
    ("前の段落。\n\n", "前の段落。\n\n{picture}\n\nAIチップの性能が上がった。\n\n後の段落。"),
    # Inside a fenced code block: after the fence.
    ("print", "前の段落。\n\n```python\nprint(1)\n\nprint(2)\n```\n\n{picture}\n\n後の段落。"),
])
def test_a_picture_goes_between_paragraphs_never_into_a_word(live_server, page, writer, caret_after, expected):
    """Issue 20, item 4: 画像を挿入 with the caret mid-word split 「AIチップ」 in two."""
    from articles.media import images

    picture = images.store(photo(800, 600), alt_text="チップの写真", user=writer)[0]
    text = ("前の段落。\n\n```python\nprint(1)\n\nprint(2)\n```\n\n後の段落。" if caret_after == "print"
            else "前の段落。\n\nAIチップの性能が上がった。\n\n後の段落。")
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    body = page.get_by_label("本文（Markdown）")
    body.fill(text)
    body.evaluate("(el, offset) => { el.focus(); el.setSelectionRange(offset, offset); }",
                  text.index(caret_after) + len(caret_after))
    page.get_by_role("button", name="画像を挿入").click()
    page.get_by_role("tab", name="ライブラリから選ぶ").click()
    page.locator("#picker-results .image-choice", has_text="チップの写真").click()
    expect(body).to_have_value(expected.format(picture=picture.markdown))
