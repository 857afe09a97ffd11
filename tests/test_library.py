"""The desk's image library and covers, and pictures on the reader's site."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.media import images, pictures
from articles.models import Article, Image
from articles.publishing import workflow
from articles.publishing.editing import Content, create_article

from .conftest import run_queued_tasks
from .harmless import browser_elements
from .images import photo, png_bomb

pytestmark = pytest.mark.django_db


def post_upload(client, data=None, name="photo.jpg", alt="会見の写真", json=True, **fields):
    """An upload from the desk; the task worker then does its part."""
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    response = client.post(reverse("desk:upload"), {
        "file": SimpleUploadedFile(name, data if data is not None else photo()), "alt_text": alt, **fields,
    }, **headers)
    run_queued_tasks()
    return response


@pytest.fixture
def picture(writer):
    return images.store(photo(2400, 1600), alt_text="発表会の会場", caption="会場の様子", user=writer)[0]


class TestUploadingFromTheEditor:
    def test_an_upload_answers_with_the_markdown_to_insert(self, client, writer):
        client.force_login(writer)
        response = post_upload(client, caption="壇上", credit="写真：編集部")
        assert response.status_code == 201
        result = response.json()
        image = Image.objects.get()
        assert result["markdown"] == f"![会見の写真](image:{image.pk})" and result["id"] == image.pk
        assert (image.uploaded_by, image.caption, image.credit) == (writer, "壇上", "写真：編集部")
        # The answer came before the picture was made; the worker has made it since.
        assert result["state"] == "processing" and result["thumbnail"] is None
        assert image.is_ready
        assert client.get(pictures.image_data(image)["thumb_fallback"][0][0]).status_code == 200

    def test_alt_text_is_required(self, client, writer):
        client.force_login(writer)
        response = post_upload(client, alt="  ")
        assert response.status_code == 400 and response.json()["error"]
        assert not Image.objects.exists()

    @pytest.mark.parametrize(("name", "data", "words"), [
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
        ("x.png", b"<html><script>alert(1)</script></html>", "JPEG"),
        ("bomb.png", png_bomb(), "20000×20000"),
    ])
    def test_a_refused_file_says_why(self, client, writer, name, data, words):
        client.force_login(writer)
        response = post_upload(client, data, name=name, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400 and words in response.json()["error"]
        assert not Image.objects.exists()

    def test_uploads_are_rate_limited(self, client, writer, settings, frozen_clock):
        settings.EDITORIAL_UPLOAD_RATE = "2/m"
        client.force_login(writer)
        statuses = [post_upload(client, photo(200 + n, 100)).status_code for n in range(3)]
        assert statuses == [201, 201, 429]

    def test_readers_cannot_upload(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_user("reader"))
        assert post_upload(client).status_code == 403
        client.logout()
        assert post_upload(client).status_code == 302


class TestTheLibrary:
    def test_grid_search_and_filters(self, client, writer, editor, picture):
        images.store(photo(800, 600, color=(200, 0, 0)), alt_text="赤い看板", user=editor)
        client.force_login(writer)
        page = client.get(reverse("desk:library")).content.decode()
        assert "発表会の会場" in page and "赤い看板" in page and 'for="id_alt_text"' in page
        assert "赤い看板" not in client.get(reverse("desk:library"), {"q": "会場"}).content.decode()
        assert "赤い看板" not in client.get(reverse("desk:library"), {"show": "mine"}).content.decode()
        create_article(Content(title="使う", slug="uses-it", cover=picture), writer)
        unused = client.get(reverse("desk:library"), {"show": "unused"}).content.decode()
        assert "赤い看板" in unused and "発表会の会場" not in unused

    def test_the_picker_is_a_grid_of_choices(self, client, writer, picture):
        client.force_login(writer)
        fragment = client.get(reverse("desk:library"), {"picker": 1}).content.decode()
        assert 'class="image-choice"' in fragment and f'data-markdown="{picture.markdown}"' in fragment
        assert "<html" not in fragment

    def test_pagination(self, client, writer):
        for n in range(26):
            images.store(photo(100 + n, 100), alt_text=f"写真{n}")
        client.force_login(writer)
        first = client.get(reverse("desk:library")).content.decode()
        assert first.count('class="image-card"') == 24 and "page=2" in first

    def test_editing_the_words_reaches_articles(self, client, writer, picture):
        article = create_article(Content(title="題", slug="words", body=f"![](image:{picture.pk})"), writer)
        client.force_login(writer)
        response = client.post(reverse("desk:image", kwargs={"pk": picture.pk}),
                               {"alt_text": "新しい代替テキスト", "caption": "新しいキャプション", "credit": ""})
        assert response.status_code == 302
        article.refresh_from_db()
        assert "新しい代替テキスト" in article.body_html and "新しいキャプション" in article.body_html

    def test_moving_the_focal_point_makes_the_crops_again(self, client, writer, picture):
        before = picture.renditions["social.jpeg"]["name"]
        client.force_login(writer)
        client.post(reverse("desk:image", kwargs={"pk": picture.pk}), {
            "alt_text": picture.alt_text, "caption": "", "credit": "", "focal_point_x": "0.1", "focal_point_y": "0.2"})
        picture.refresh_from_db()
        assert picture.focal_point == (0.1, 0.2) and picture.renditions["social.jpeg"]["name"] != before

    def test_only_the_uploader_or_an_editor_changes_a_picture(self, client, other_writer, editor, picture):
        client.force_login(other_writer)
        url = reverse("desk:image", kwargs={"pk": picture.pk})
        assert 'name="alt_text"' not in client.get(url).content.decode()
        assert client.post(url, {"alt_text": "落書き"}).status_code == 403
        client.force_login(editor)
        assert client.post(url, {"alt_text": "編集長が直した", "caption": "", "credit": ""}).status_code == 302

    def test_deleting_is_refused_while_an_article_uses_it(self, client, writer, other_writer, picture):
        create_article(Content(title="他人の下書き", slug="secret-use", body=picture.markdown), other_writer)
        client.force_login(writer)
        page = client.get(reverse("desk:image", kwargs={"pk": picture.pk})).content.decode()
        assert "他人の下書き" not in page and "開けない記事が1件" in page
        response = client.post(reverse("desk:image-delete", kwargs={"pk": picture.pk}), follow=True)
        assert Image.objects.filter(pk=picture.pk).exists() and "使われている" in response.content.decode()

    def test_an_unused_picture_can_be_deleted_with_its_files(self, client, writer, picture,
                                                             django_capture_on_commit_callbacks):
        names = [picture.file.name, *(r["name"] for r in picture.renditions.values())]
        client.force_login(writer)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("desk:image-delete", kwargs={"pk": picture.pk}))
        assert not Image.objects.exists()
        from django.core.files.storage import default_storage

        assert not any(default_storage.exists(name) for name in names)


class TestCovers:
    def test_the_editor_sets_a_cover_kept_in_the_revision(self, client, writer, picture):
        client.force_login(writer)
        client.post(reverse("desk:new"), {
            "title": "カバーつき", "slug": "", "byline": "", "category": "", "companies": "", "topics": "",
            "excerpt": "要約", "body": "本文", "cover": str(picture.pk), "version": "0",
        })
        article = Article.objects.get()
        assert article.cover == picture and article.latest_revision.cover == picture
        page = client.get(reverse("desk:edit", kwargs={"pk": article.pk})).content.decode()
        assert f'name="cover" value="{picture.pk}"' in page

    def test_the_live_preview_shows_the_cover(self, client, writer, picture):
        client.force_login(writer)
        result = client.post(reverse("desk:render"), {"body": "本文", "cover": str(picture.pk)}).json()
        assert "<picture>" in result["cover_html"] and 'alt="発表会の会場"' in result["cover_html"]


class TestReaders:
    @pytest.fixture
    def published(self, make_article, picture, writer):
        article = make_article(title="写真つきの記事", body=f"本文です。\n\n{picture.markdown}\n\n続き。",
                               topics=["半導体"])
        Article.objects.filter(pk=article.pk).update(cover=picture)
        article.refresh_from_db()
        return article

    def test_the_article_page_has_the_cover_and_a_responsive_body_image(self, client, published):
        page = client.get(published.get_absolute_url()).content.decode()
        imgs = [attrs for tag, attrs in browser_elements(page) if tag == "img"]
        cover, body = imgs[0], imgs[1]
        assert "loading" not in cover and cover["fetchpriority"] == "high"
        assert body["loading"] == "lazy"
        for img in imgs:
            assert img["width"] and img["height"] and "w" in img["srcset"]

    def test_sharing_shows_the_cover(self, client, published):
        page = client.get(published.get_absolute_url()).content.decode()
        og = re.search(r'<meta property="og:image" content="([^"]+)">', page)[1]
        assert og.startswith("http://testserver/media/") and client.get(og.removeprefix("http://testserver")).status_code == 200
        assert '<meta name="twitter:card" content="summary_large_image">' in page
        images = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])["image"]
        assert len(images) == 3 and all(client.get(url.removeprefix("http://testserver")).status_code == 200
                                        for url in images)  # the search shapes (tests/test_news_site.py)

    def test_every_list_shows_thumbnails(self, client, published, make_article):
        make_article(title="関連記事", topics=["半導体"])
        for url in ["/topics/" + published.topics.get().slug + "/", "/search/?q=写真つき"]:
            page = client.get(url).content.decode()
            thumbnail = next(attrs for tag, attrs in browser_elements(page) if tag == "img")
            assert "400w" in thumbnail["srcset"] and thumbnail["width"] == "400", url
        # On the front page it is the lead story: its picture large, loaded at once.
        lead = next(attrs for tag, attrs in browser_elements(client.get("/").content.decode()) if tag == "img")
        assert "1440w" in lead["srcset"] and lead["fetchpriority"] == "high" and "loading" not in lead
        related = make_article(title="別の関連", topics=["半導体"])
        page = client.get(related.get_absolute_url()).content.decode()
        assert 'class="card-thumbnail"' in page

    def test_feeds_carry_the_cover(self, client, published):
        rss = ET.fromstring(client.get("/feed/").content)
        enclosure = rss.find("channel/item/enclosure")
        assert enclosure.get("type") == "image/jpeg" and enclosure.get("url").startswith("http://testserver/media/")
        assert int(enclosure.get("length")) > 0
        description = rss.find("channel/item/description").text
        assert 'src="http://testserver/media/' in description and '"/media/' not in description
        atom = ET.fromstring(client.get("/feed/atom/").content)
        assert atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}link[@rel='enclosure']") is not None

    def test_the_admin_lists_pictures_with_where_they_are_used(self, admin_client, published, picture):
        listing = admin_client.get(reverse("admin:articles_image_changelist")).content.decode()
        assert "発表会の会場" in listing and "<picture>" in listing
        page = admin_client.get(reverse("admin:articles_image_change", args=[picture.pk])).content.decode()
        assert "写真つきの記事" in page


def test_checks_want_alt_text_and_library_pictures(writer):
    from articles.checks.article_text import ArticleText
    from articles.checks.editorial import run_checks

    findings = {f.code: f.level for f in run_checks(ArticleText(
        title="題", body="![](https://example.com/a.png)\n\n![図](https://cdn.example.net/b.png)\n\n![消えた](image:999999)"))}
    assert findings["markup.image_alt"] == "error" and findings["markup.external_image"] == "warning"
    assert findings["markup.missing_image"] == "error"


def test_a_published_article_with_a_picture_can_go_through_the_workflow(writer, editor, second_editor, picture):
    article = create_article(Content(title="題", slug="wf", excerpt="要約", body=f"本文\n\n{picture.markdown}",
                                     cover=picture), writer)
    workflow.apply_transition(article, "submit", writer)
    workflow.apply_transition(article, "approve", editor)
    workflow.apply_transition(article, "publish", editor)
    article.refresh_from_db()
    assert article.is_public and article.cover == picture and "<picture>" in article.body_html


class TestLiveArticlesKeepTheirApprovedWords:
    """Editing a picture's words in the library never changes a published article behind
    the workflow's back (issue 20, item 2)."""

    @pytest.fixture
    def live(self, other_writer, editor, second_editor, picture):
        article = create_article(Content(title="他人の公開記事", slug="theirs", excerpt="要約",
                                         body=f"本文です。\n\n{picture.markdown}\n\n続き。", cover=picture), other_writer)
        workflow.apply_transition(article, "submit", other_writer)
        workflow.apply_transition(article, "approve", editor)
        workflow.apply_transition(article, "publish", editor)
        article.refresh_from_db()
        return article

    def rewrite(self, client, picture, **words):
        return client.post(reverse("desk:image", kwargs={"pk": picture.pk}), {
            "alt_text": "書き換えた代替", "caption": "書き換えたキャプション", "credit": "書き換えた提供", **words},
            follow=True)

    def test_readers_keep_the_words_the_editor_approved(self, client, writer, live, picture):
        client.force_login(writer)  # the picture's uploader, not the article's writer
        response = self.rewrite(client, picture)
        assert "他人の公開記事" in response.content.decode()  # the desk says which article keeps the old words
        client.logout()
        page = client.get(live.get_absolute_url()).content.decode()
        assert "書き換えた" not in page
        assert "会場の様子" in page and "発表会の会場" in page
        api = client.get(f"/api/v1/articles/{live.pk}/").json()
        assert api["cover"]["caption"] == "会場の様子" and "書き換えた" not in api["body_html"]
        assert "書き換えた" not in client.get("/feed/").content.decode()
        live.refresh_from_db()
        assert "書き換えた" not in live.body_html

    def test_the_words_reach_readers_with_the_next_approved_version(self, client, writer, live, picture,
                                                                      other_writer, editor, second_editor):
        client.force_login(writer)
        self.rewrite(client, picture)
        edited = Content.of(live.latest_revision)
        edited.body += "\n\n追記。"
        from articles.publishing.editing import save_working_copy
        save_working_copy(live, edited, other_writer, base_version=live.version)
        workflow.apply_transition(live, "submit", other_writer)
        workflow.apply_transition(live, "approve", editor)
        workflow.apply_transition(live, "publish", editor)
        page = client.get(live.get_absolute_url()).content.decode()
        assert "書き換えたキャプション" in page and "会場の様子" not in page

    def test_a_change_after_approval_waits_for_the_next_approval(self, client, writer, other_writer, editor,
                                                                 picture):
        article = create_article(Content(title="承認済み", slug="approved-words", excerpt="要約",
                                         body=f"本文。\n\n{picture.markdown}"), other_writer)
        workflow.apply_transition(article, "submit", other_writer)
        workflow.apply_transition(article, "approve", editor)
        client.force_login(writer)
        self.rewrite(client, picture)
        workflow.apply_transition(article, "publish", editor)
        article.refresh_from_db()
        assert "会場の様子" in article.body_html and "書き換えた" not in article.body_html

    def test_drafts_show_the_new_words(self, client, writer, picture):
        draft = create_article(Content(title="下書き", slug="draft-words", body=picture.markdown), writer)
        client.force_login(writer)
        self.rewrite(client, picture)
        draft.refresh_from_db()
        assert "書き換えたキャプション" in draft.body_html

    def test_a_caption_has_a_length_limit(self, client, writer, picture):
        client.force_login(writer)
        response = self.rewrite(client, picture, caption="長" * 501)
        picture.refresh_from_db()
        assert picture.caption == "会場の様子"
        assert response.status_code == 200 and "500" in response.content.decode()


class TestStorageFailures:
    def test_a_full_disk_refuses_the_upload_clearly_and_leaves_no_file(self, client, writer, monkeypatch):
        """Issue 20, item 7: a full media disk answered 500 and kept orphan files."""
        import errno
        import os

        from django.conf import settings
        from django.core.files.storage import FileSystemStorage

        before = {os.path.join(folder, name) for folder, _, names in os.walk(settings.MEDIA_ROOT) for name in names}
        real_save, saves = FileSystemStorage._save, []

        def fills_up(storage, name, content):
            saves.append(name)
            if len(saves) > 3:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_save(storage, name, content)

        monkeypatch.setattr(FileSystemStorage, "_save", fills_up)
        client.force_login(writer)
        post_upload(client)  # the worker meets the full disk
        image = Image.objects.get()
        assert image.state == Image.State.FAILED
        after = {os.path.join(folder, name) for folder, _, names in os.walk(settings.MEDIA_ROOT) for name in names}
        assert after == before
        page = client.get(reverse("desk:library")).content.decode()
        assert "保存できませんでした" in page

        # Once there is room, the same file uploaded again is made.
        monkeypatch.setattr(FileSystemStorage, "_save", real_save)
        post_upload(client)
        image.refresh_from_db()
        assert image.is_ready and Image.objects.count() == 1

    def test_moving_the_focal_point_never_breaks_a_published_body(self, client, writer, make_article, picture):
        article = make_article(title="写真の記事", body=f"本文。\n\n{picture.markdown}")
        client.force_login(writer)
        client.post(reverse("desk:image", kwargs={"pk": picture.pk}), {
            "alt_text": picture.alt_text, "caption": picture.caption, "credit": "",
            "focal_point_x": "0.9", "focal_point_y": "0.1"})
        client.logout()
        page = client.get(article.get_absolute_url()).content.decode()
        sources = set(re.findall(r'(/media/[^" ,]+)', page))
        assert sources
        from django.core.files.storage import default_storage

        for source in sources:
            assert default_storage.exists(source.removeprefix("/media/")), source
