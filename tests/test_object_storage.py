"""Pictures in object storage (issue 26): with EDITORIAL_MEDIA_S3_* the library keeps
every file in an S3-compatible bucket (moto's server here, spoken to over HTTP), nothing
on the app server's disk; bodies name pictures in a form resolved when served, so that
the address readers fetch them from is a setting; a command moves a site's pictures from
its folder into the bucket."""

import datetime as dt
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.media import images, pictures
from articles.models import Article, Image
from articles.publishing.editing import Content, create_article
from articles.publishing.workflow import record_import
from tests.conftest import run_queued_tasks
from tests.images import photo
from tests.test_uploads import post_upload

pytestmark = pytest.mark.django_db

CDN = "https://cdn.example.com/media/"


def files_on_disk():
    return {os.path.join(folder, name) for folder, _sub, names in os.walk(settings.MEDIA_ROOT) for name in names}


def stored_names(image):
    return {image.file.name, *(rendition["name"] for rendition in image.renditions.values())}


@pytest.fixture
def illustrated(writer):
    """A live article showing a library picture in its body and as its cover."""
    picture, _ = images.store(photo(1600, 900), alt_text="基板の写真", caption="新しい基板")
    article = create_article(Content(title="写真の記事", slug="photo", excerpt="写真のある記事。", cover=picture,
                                     body=f"前の段落。\n\n{picture.markdown}\n\n後の段落。"), writer)
    article.published_at = timezone.now() - dt.timedelta(hours=1)
    record_import(article, published=True)
    return Article.objects.get(pk=article.pk), picture


class TestPicturesInABucket:
    def test_an_upload_and_its_renditions_are_objects_and_nothing_is_written_to_disk(
            self, client, writer, bucket, object_store):
        before = files_on_disk()
        client.force_login(writer)
        assert post_upload(client, photo(2400, 1600)).status_code == 201
        run_queued_tasks()  # the worker makes the renditions, reading the master from the bucket
        image = Image.objects.get()
        assert image.is_ready
        assert object_store.keys(bucket) == stored_names(image)
        head = object_store.head(bucket, image.renditions["w960.webp"]["name"])
        assert head["ContentType"] == "image/webp" and "immutable" in head["CacheControl"]
        assert files_on_disk() == before

    def test_readers_get_them_under_media_with_the_sandbox(self, client, bucket, illustrated):
        article, _picture = illustrated
        page = client.get(article.get_absolute_url()).content.decode()
        addresses = set(re.findall(r'(?:src|srcset)="(/media/[^" ]+)', page))
        assert addresses, "the page shows no picture"
        response = client.get(addresses.pop())
        assert response.status_code == 200 and response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert client.get("/media/images/nothing-here.webp").status_code == 404

    def test_a_new_crop_and_a_deletion_work_on_the_objects(self, bucket, object_store,
                                                           django_capture_on_commit_callbacks):
        picture, _ = images.store(photo(1600, 900), alt_text="切り抜き")
        before = object_store.keys(bucket)
        with django_capture_on_commit_callbacks(execute=True):
            images.set_focal_point(picture, 0.1, 0.1)  # the crops are made again from the master
        picture.refresh_from_db()
        assert object_store.keys(bucket) == stored_names(picture) != before
        with django_capture_on_commit_callbacks(execute=True):
            images.delete(picture)
        assert object_store.keys(bucket) == set()


    def test_a_store_that_does_not_answer_fails_the_health_check(self, client, settings, object_store):
        from editorial.settings import media_storage

        unreachable = {**object_store.environment("nowhere"), "EDITORIAL_MEDIA_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
        settings.STORAGES = {**settings.STORAGES, "default": media_storage(unreachable)}
        response = client.get("/healthz")
        assert response.status_code == 503 and response.json()["failing"] == ["storage"]


class TestTheAddressIsASetting:
    def test_a_cdn_host_is_a_setting_and_no_body_is_rendered_again(self, client, settings, illustrated):
        article, _picture = illustrated
        stored = article.body_html
        assert 'src="/media/images/' in stored or 'srcset="/media/images/' in stored
        settings.MEDIA_URL = CDN
        page = client.get(article.get_absolute_url()).content.decode()
        assert re.search(r'src="https://cdn\.example\.com/media/images/[^"]+\.(webp|jpg)"', page)
        assert '"/media/' not in page and " /media/" not in page
        feed = client.get("/feed/").content.decode()
        assert "https://cdn.example.com/media/images/" in feed and "http://testserver/media/" not in feed
        api = client.get(f"/api/v1/articles/{article.pk}/").json()
        assert "https://cdn.example.com/media/images/" in api["body_html"] and '"/media/' not in api["body_html"]
        assert api["cover"]["url"].startswith(CDN)
        assert Article.objects.get(pk=article.pk).body_html == stored  # nothing written again

    def test_pages_kept_with_other_addresses_are_not_served_after_a_change(self):
        def prefix(**env):
            result = subprocess.run(
                [sys.executable, "-c", "from editorial import settings; print(settings.CACHES['pages']['KEY_PREFIX'])"],
                env={**os.environ, "DEBUG": "1", **env}, capture_output=True, text=True, check=False)
            return result.stdout.strip() or result.stderr.strip().splitlines()[-1]

        assert prefix() == "pages"
        assert prefix(EDITORIAL_MEDIA_URL=CDN).startswith("pages:") and prefix(EDITORIAL_MEDIA_URL=CDN) != prefix(
            EDITORIAL_MEDIA_URL="https://cdn2.example.com/media/")
        assert "must end with a slash" in prefix(EDITORIAL_MEDIA_URL="https://cdn.example.com/media")

    def test_a_body_on_the_sites_own_media_is_served_as_it_is(self, illustrated):
        article, _picture = illustrated
        assert pictures.served(article.body_html) == article.body_html
        assert 'src="http://news.example.com/media/' in pictures.served(article.body_html, host="http://news.example.com")


class TestMovingPicturesIntoABucket:
    def test_a_dry_run_then_the_move_then_nothing_left_to_do(self, client, settings, object_store, illustrated):
        article, picture = illustrated
        names = stored_names(picture)
        folder = settings.MEDIA_ROOT
        from editorial.settings import media_storage

        bucket = object_store.new_bucket()
        settings.STORAGES = {**settings.STORAGES, "default": media_storage(object_store.environment(bucket))}
        out = StringIO()
        call_command("move_media", "--from", folder, "--dry-run", stdout=out)
        assert f"1/1 images: {len(names)} files to copy" in out.getvalue() and "would copy" in out.getvalue()
        assert object_store.keys(bucket) == set()
        out = StringIO()
        call_command("move_media", "--from", folder, "--batch", "1", stdout=out)
        assert object_store.keys(bucket) == names
        assert f"copied {len(names)} files" in out.getvalue()
        # The site now serves its pictures from the bucket (the folder is left as it was).
        page = client.get(article.get_absolute_url()).content.decode()
        address = re.search(r'src="(/media/images/[^"]+)"', page)[1]
        assert client.get(address).status_code == 200
        out = StringIO()
        call_command("move_media", "--from", folder, stdout=out)
        assert f"copied 0 files (0.0 MB) of 1 images; {len(names)} were already there" in out.getvalue()

    def test_a_missing_file_is_named_and_the_rest_is_copied(self, settings, object_store, illustrated):
        _article, picture = illustrated
        lost = picture.renditions["thumb1x.webp"]["name"]
        FileSystemStorage(location=settings.MEDIA_ROOT).delete(lost)
        from editorial.settings import media_storage

        bucket = object_store.new_bucket()
        folder = settings.MEDIA_ROOT
        settings.STORAGES = {**settings.STORAGES, "default": media_storage(object_store.environment(bucket))}
        with pytest.raises(CommandError, match=re.escape(lost)):
            call_command("move_media", "--from", folder, stdout=StringIO())
        assert object_store.keys(bucket) == stored_names(picture) - {lost}

    def test_moving_into_the_same_folder_is_refused(self, settings):
        with pytest.raises(CommandError, match="already kept"):
            call_command("move_media", stdout=StringIO())


class TestRenditionsMadeAgain:
    def test_a_picture_stored_before_the_search_crops_gets_them_and_keeps_the_rest(self, bucket, object_store):
        picture, _ = images.store(photo(1600, 900), alt_text="古い写真")
        older = {key: value for key, value in picture.renditions.items() if not key.startswith("search")}
        for key in set(picture.renditions) - set(older):
            picture.file.storage.delete(picture.renditions[key]["name"])
        Image.objects.filter(pk=picture.pk).update(renditions=older)  # as pictures of before were stored
        out = StringIO()
        call_command("complete_renditions", "--dry-run", stdout=out)
        assert "1 pictures lack renditions." in out.getvalue()
        call_command("complete_renditions", stdout=StringIO())
        picture.refresh_from_db()
        assert {"search16x9.jpeg", "search4x3.jpeg", "search1x1.jpeg"} <= set(picture.renditions)
        assert all(picture.renditions[key] == value for key, value in older.items())  # bodies' files stay
        assert object_store.keys(bucket) == stored_names(picture)
        assert len(pictures.image_data(picture)["search"]) == 3
        out = StringIO()
        call_command("complete_renditions", stdout=out)
        assert "0 pictures lack renditions." in out.getvalue()
