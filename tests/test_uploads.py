"""Issue 21, item 3: an upload answers at once. The request checks the file's header and
keeps it; the task worker makes the picture; the desk says "processing" until then and
readers never get a picture that is not made."""

import datetime as dt
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.checks.article_text import ArticleText
from articles.checks.editorial import findings_for_revision, run_checks
from articles.media import images, pictures
from articles.models import AuthorProfile, Image, UploadedOriginal
from articles.publishing import workflow
from articles.publishing.editing import Content, create_article

from .conftest import run_queued_tasks
from .images import photo

pytestmark = pytest.mark.django_db


def post_upload(client, data, alt="壇上の社長"):
    return client.post(reverse("desk:upload"), {"file": SimpleUploadedFile("photo.jpg", data), "alt_text": alt},
                       HTTP_ACCEPT="application/json")


def media_files():
    return {name for _folder, _subfolders, names in os.walk(settings.MEDIA_ROOT) for name in names}


def truncated_jpeg():
    """A JPEG whose header is whole and whose pixels stop half-way: only decoding finds out."""
    data = photo(1200, 900)
    return data[: len(data) // 2]


class TestTheRequestOnlyKeepsTheFile:
    def test_the_answer_comes_before_the_picture_is_made(self, client, writer):
        client.force_login(writer)
        before = media_files()
        response = post_upload(client, photo(2400, 1600))
        assert response.status_code == 201
        image = Image.objects.get()
        assert response.json()["state"] == "processing" and image.state == Image.State.PROCESSING
        # The header told the size; nothing was decoded or written where readers get files.
        assert (image.width, image.height, image.format) == (2400, 1600, "jpeg")
        assert media_files() == before and UploadedOriginal.objects.filter(image=image).exists()

        run_queued_tasks()  # the worker
        image.refresh_from_db()
        assert image.is_ready and {"w960.webp", "thumb1x.webp", "social.jpeg"} <= set(image.renditions)
        assert not UploadedOriginal.objects.exists()
        assert client.get(pictures.image_data(image)["social"]).status_code == 200

    def test_what_the_header_refuses_is_refused_at_once(self, client, writer):
        client.force_login(writer)
        response = post_upload(client, b"<svg xmlns='http://www.w3.org/2000/svg'/>")
        assert response.status_code == 400 and "SVG" in response.json()["error"]
        assert not Image.objects.exists() and not DBTaskResult.objects.exists()

    def test_the_same_file_while_it_is_being_made_is_the_same_picture(self, client, writer):
        client.force_login(writer)
        first = post_upload(client, photo()).json()
        again = post_upload(client, photo(), alt="別の説明").json()
        assert again["id"] == first["id"] and not again["created"]
        run_queued_tasks()
        assert Image.objects.get().is_ready

    def test_a_picture_deleted_before_it_is_made_leaves_nothing(self, client, writer):
        client.force_login(writer)
        before = media_files()
        post_upload(client, photo())
        image = Image.objects.get()
        client.post(reverse("desk:image-delete", kwargs={"pk": image.pk}))
        run_queued_tasks()
        assert not Image.objects.exists() and not UploadedOriginal.objects.exists()
        assert media_files() == before


class TestTheDeskWhileAPictureIsBeingMade:
    @pytest.fixture
    def pending(self, client, writer):
        client.force_login(writer)
        post_upload(client, photo(2000, 1500))
        return Image.objects.get()

    def test_the_preview_says_processing_then_shows_the_picture(self, client, pending):
        body = f"会見の様子。\n\n{pending.markdown}\n"
        answer = client.post(reverse("desk:render"), {"title": "会見", "body": body}).json()
        assert answer["pictures_pending"] and "処理しています" in answer["html"]
        assert "<picture>" not in answer["html"]
        run_queued_tasks()
        answer = client.post(reverse("desk:render"), {"title": "会見", "body": body}).json()
        assert not answer["pictures_pending"] and "<picture>" in answer["html"]

    def test_a_draft_that_shows_it_is_rendered_again_once_it_is_made(self, writer, pending):
        article = create_article(Content(title="会見", slug="kaiken", body=f"本文。\n\n{pending.markdown}"), writer)
        assert "処理しています" in article.body_html
        run_queued_tasks()
        article.refresh_from_db()
        assert "<picture>" in article.body_html and "処理しています" not in article.body_html

    def test_the_library_shows_it_as_processing(self, client, pending):
        page = client.get(reverse("desk:library")).content.decode()
        assert "処理しています" in page

    def test_it_holds_the_article_back_until_it_is_made(self, writer, editor, pending):
        article = create_article(Content(title="会見", slug="kaiken", excerpt="会見の写真。",
                                         body=f"本文。\n\n{pending.markdown}"), writer)
        workflow.apply_transition(article, "submit", writer)
        codes = [finding.code for finding in findings_for_revision(article.latest_revision)]
        assert "markup.image_processing" in codes
        with pytest.raises(workflow.ChecksFailed):
            workflow.apply_transition(article, "approve", editor)
        run_queued_tasks()
        codes = [finding.code for finding in findings_for_revision(article.latest_revision)]
        assert "markup.image_processing" not in codes

    def test_a_cover_being_made_holds_the_article_back_too(self, pending):
        text = ArticleText(title="会見", body="本文。", cover_id=pending.pk)
        assert "markup.image_processing" in [finding.code for finding in run_checks(text)]


class TestPicturesThatCannotBeMade:
    def test_a_file_broken_past_its_header_fails_in_the_worker_and_says_why(self, client, writer):
        client.force_login(writer)
        assert post_upload(client, truncated_jpeg()).status_code == 201
        run_queued_tasks()
        image = Image.objects.get()
        assert image.state == Image.State.FAILED and not image.renditions
        assert not UploadedOriginal.objects.exists()
        page = client.get(reverse("desk:image", kwargs={"pk": image.pk})).content.decode()
        assert "作成できませんでした" in page
        text = ArticleText(title="会見", body=f"本文。\n\n{image.markdown}")
        assert "markup.image_failed" in [finding.code for finding in run_checks(text)]

    def test_a_busy_machine_makes_it_later(self, client, writer, monkeypatch):
        client.force_login(writer)
        real_prepare, calls = images._prepare, []

        def busy_once(data, focal_point=None):
            calls.append(1)
            if len(calls) == 1:
                raise images.ImageRejected("busy")
            return real_prepare(data, focal_point)

        monkeypatch.setattr(images, "_prepare", busy_once)
        post_upload(client, photo())
        run_queued_tasks()
        image = Image.objects.get()
        assert image.state == Image.State.PROCESSING and image.original.attempts == 1
        # Tried again later, not at once.
        later = DBTaskResult.objects.filter(status="READY").get()
        assert later.run_after > timezone.now()
        DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now() - dt.timedelta(seconds=1))
        run_queued_tasks()
        image.refresh_from_db()
        assert image.is_ready


class TestReaders:
    def test_an_authors_new_portrait_shows_once_it_is_made(self, client, writer):
        client.force_login(writer)
        client.post(reverse("desk:profile"), {
            "name": "記者 花子", "slug": "hanako", "bio": "", "picture_file": SimpleUploadedFile("me.jpg", photo()),
        })
        profile = AuthorProfile.objects.get(user=writer)
        assert profile.picture is not None and not profile.picture.is_ready
        client.logout()
        page = client.get(profile.get_absolute_url()).content.decode()
        assert "処理しています" not in page and "/media/" not in page
        api = client.get(f"/api/v1/authors/{profile.slug}/").json()
        assert api["picture"] is None
        run_queued_tasks()
        page = client.get(profile.get_absolute_url()).content.decode()
        assert "<picture>" in page
