"""The image library: safe uploads, renditions made once, responsive markup, embeds."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from PIL import Image as PILImage

from articles.media import images, imaging, pictures
from articles.media.imaging import ImageRejected
from articles.models import Image, ImageUse
from articles.publishing.editing import Content, create_article, save_working_copy
from articles.rendering.markdown import render_markdown

from .conftest import run_queued_tasks
from .harmless import assert_harmless, browser_elements
from .images import photo, png_bomb

pytestmark = pytest.mark.django_db


def upload(data, name="photo.jpg", alt="記者会見の様子", **fields):
    """An upload from the desk, once the task worker has made it."""
    image, created = images.upload(SimpleUploadedFile(name, data), alt_text=alt, **fields)
    run_queued_tasks()
    image.refresh_from_db()
    return image, created


def served_bytes(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, b"".join(response.streaming_content)


class TestSafeUploads:
    def test_a_phone_photo_reaches_readers_without_its_location(self, client):
        image, created = upload(photo(gps=True, xmp=True, orientation=6))
        assert created
        data = pictures.image_data(image)
        for url in [data["master"], data["social"], *(u for u, _ in data["webp"] + data["fallback"])]:
            response, body = served_bytes(client, url)
            assert b"Exif" not in body and b"Chiyoda" not in body and b"xmpmeta" not in body, url
            assert response["X-Content-Type-Options"] == "nosniff"
            # Served by Django (without nginx), a picture still runs nothing and loads nothing.
            assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
            reopened = PILImage.open(io.BytesIO(body))
            assert not reopened.getexif() and "xmp" not in reopened.info
        # Orientation 6 (rotate 90°) applied before the metadata went: portrait now.
        assert (image.width, image.height) == (1200, 1600)

    def test_served_media_say_what_they_are(self, client):
        image, _ = upload(photo())
        data = pictures.image_data(image)
        assert served_bytes(client, data["webp"][0][0])[0]["Content-Type"] == "image/webp"
        assert served_bytes(client, data["social"])[0]["Content-Type"] == "image/jpeg"
        assert client.get("/media/images/../../settings.py").status_code == 404
        assert client.get("/media/images/nothing-here.jpg").status_code == 404

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'),
            ("page.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
            ("empty.jpg", b""),
            ("truncated.jpg", photo()[:200]),
            ("document.png", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"),
        ],
    )
    def test_what_is_not_an_accepted_image_is_refused_with_a_reason(self, name, data):
        with pytest.raises(ImageRejected) as refused:
            upload(data, name=name)
        assert refused.value.code == "not_an_image"
        assert "JPEG" in pictures.rejection_message(refused.value)
        assert not Image.objects.exists()

    def test_a_decompression_bomb_is_refused_from_its_header(self):
        bomb = png_bomb()
        assert len(bomb) < 100_000
        with pytest.raises(ImageRejected) as refused:
            upload(bomb, name="small.png")
        assert refused.value.code == "too_many_pixels" and refused.value.params["width"] == 20_000

    def test_a_file_over_the_size_limit_is_refused_unread(self, settings):
        settings.EDITORIAL_IMAGE_MAX_BYTES = 10_000
        with pytest.raises(ImageRejected) as refused:
            upload(photo())
        assert refused.value.code == "too_big"

    def test_a_polyglot_keeps_none_of_its_original_bytes(self, client):
        payload = b"<script>alert('polyglot')</script>"
        image, _ = upload(photo() + payload)
        _, body = served_bytes(client, pictures.image_data(image)["master"])
        assert payload not in body

    @pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF", "AVIF"])
    def test_every_accepted_format(self, fmt):
        image, _ = upload(photo(640, 480, fmt=fmt), name=f"x.{fmt.lower()}")
        assert image.width == 640 and image.renditions["social.jpeg"]["width"] == 1200

    def test_the_same_file_twice_is_one_image(self):
        first, created = upload(photo())
        again, created_again = upload(photo(), alt="別の説明")
        assert created and not created_again and again.pk == first.pk

    def test_the_same_file_stored_at_the_same_moment_is_one_image(self, monkeypatch):
        first, _ = upload(photo())
        # The other upload did not see this one yet when it looked.
        monkeypatch.setattr(images, "find", lambda data: None)
        again, created = upload(photo(), alt="同時の別の説明")
        assert not created and again.pk == first.pk and Image.objects.count() == 1

    def test_storage_names_are_random(self):
        image, _ = upload(photo(), name="社長の顔写真.jpg")
        assert "社長" not in image.file.name and re.fullmatch(r"images/[0-9a-f]{2}/[0-9a-f]{24}\.jpg", image.file.name)


class TestRenditions:
    def test_made_once_at_upload_at_a_few_widths_and_for_cards_and_social(self):
        image, _ = upload(photo(2400, 1600))
        sizes = {key: (r["width"], r["height"]) for key, r in image.renditions.items()}
        assert sizes["w480.webp"] == (480, 320) and sizes["w1440.jpeg"] == (1440, 960)
        assert sizes["thumb1x.webp"] == (400, 225) and sizes["thumb2x.jpeg"] == (800, 450)
        assert sizes["social.jpeg"] == (1200, 630)

    def test_a_small_image_is_never_enlarged(self):
        image, _ = upload(photo(300, 200))
        widths = {r["width"] for key, r in image.renditions.items() if key.startswith("w")}
        assert widths == {300}

    def test_transparency_falls_back_to_png(self):
        buffer = io.BytesIO()
        PILImage.new("RGBA", (500, 300), (255, 0, 0, 128)).save(buffer, "PNG")
        image, _ = upload(buffer.getvalue(), name="logo.png")
        assert "w480.png" in image.renditions and "w480.jpeg" not in image.renditions

    def test_cards_are_small(self):
        image, _ = upload(photo(4000, 3000))
        assert all(image.renditions[f"thumb1x.{kind}"]["width"] == 400 for kind in ("webp", "jpeg"))


class TestMarkup:
    def test_a_library_image_on_its_own_line_is_a_responsive_figure(self):
        image, _ = upload(photo(2400, 1600), caption="会見場の様子", credit="写真：編集部")
        html = render_markdown(f"前の段落\n\n{image.markdown}\n\n後の段落")
        assert_harmless_figure(html)
        assert '<figure class="image">' in html and "会見場の様子" in html and "写真：編集部" in html
        img = next(attrs for tag, attrs in browser_elements(html) if tag == "img")
        assert img["width"] == "1440" and img["height"] == "960" and img["loading"] == "lazy"
        assert img["alt"] == "記者会見の様子" and "480w" in img["srcset"]
        source = next(attrs for tag, attrs in browser_elements(html) if tag == "source")
        assert source["type"] == "image/webp" and source["sizes"]

    def test_the_markdown_alt_and_title_override_the_librarys(self):
        image, _ = upload(photo(), caption="元のキャプション")
        html = render_markdown(f'![壇上の社長](image:{image.pk} "別のキャプション")')
        assert 'alt="壇上の社長"' in html and "別のキャプション" in html and "元のキャプション" not in html

    def test_an_image_inside_a_sentence_stays_inline(self):
        image, _ = upload(photo())
        html = render_markdown(f"文中の ![アイコン](image:{image.pk}) 画像")
        assert "<figure" not in html and "<picture>" in html and html.startswith("<p>文中の <picture>")

    def test_a_missing_image_leaves_its_alt_text(self):
        html = render_markdown("![消えた写真](image:999999)")
        assert "消えた写真" in html and "<img" not in html

    def test_markers_cannot_be_forged(self):
        html = render_markdown("figure0123456789abcdefx0z と <p>figurex0z</p>")
        assert "<picture>" not in html and "<iframe" not in html

    def test_library_edits_reach_the_stored_article(self, writer):
        image, _ = upload(photo())
        # Alt text written in the body is the writer's; left empty, it is the library's.
        article = create_article(Content(title="題", slug="alt-edit", body=f"![](image:{image.pk})"), writer)
        image.alt_text, image.caption = "新しい説明", "新しいキャプション"
        image.save()
        images.picture_changed(image)
        article.refresh_from_db()
        assert 'alt="新しい説明"' in article.body_html and "新しいキャプション" in article.body_html


def assert_harmless_figure(html):
    # Our own markup carries what the writer's may not (picture, source, srcset): checked
    # here to be exactly that, and nothing more.
    stripped = re.sub(r"<picture>.*?</picture>", "", html, flags=re.S)
    assert_harmless(stripped)


class TestEmbeds:
    @pytest.mark.parametrize(
        "line",
        [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "<https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42>",
            '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=x" '
            'title="YouTube video player" frameborder="0" allowfullscreen></iframe>',
        ],
        ids=["watch", "short link", "autolink", "pasted iframe"],
    )
    def test_a_youtube_url_or_its_share_iframe_becomes_the_private_player(self, line):
        html = render_markdown(f"動画です。\n\n{line}\n\n以上。")
        frame = next(attrs for tag, attrs in browser_elements(html) if tag == "iframe")
        assert frame["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        assert frame["loading"] == "lazy" and frame["title"] and frame["referrerpolicy"]
        assert html.count("<iframe") == 1

    def test_vimeo_and_x(self):
        html = render_markdown("https://vimeo.com/76979871\n\nhttps://x.com/example_user/status/1234567890123")
        assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in html
        assert 'href="https://x.com/example_user/status/1234567890123"' in html and "<script" not in html

    def test_a_url_inside_a_sentence_is_not_embedded(self):
        html = render_markdown("詳しくは https://www.youtube.com/watch?v=dQw4w9WgXcQ を見てください。")
        assert "<iframe" not in html

    @pytest.mark.parametrize("iframe", [
        '<iframe src="https://evil.example/embed"></iframe>',
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" onload="alert(1)"></iframe> 文中',
        '```\n<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>\n```',
    ], ids=["other host", "not on its own line", "in a code block"])
    def test_other_iframes_stay_stripped(self, iframe):
        html = render_markdown(iframe)
        assert "<iframe" not in html


class TestUses:
    def test_an_image_in_use_cannot_be_deleted(self, writer):
        image, _ = upload(photo())
        article = create_article(Content(title="題", slug="uses", body=f"本文\n\n{image.markdown}"), writer)
        assert ImageUse.objects.filter(image=image, article=article).exists()
        with pytest.raises(ProtectedError):
            images.delete(image)
        save_working_copy(article, Content(title="題", slug="uses", body="画像なし"), writer,
                          base_version=article.version)
        assert not ImageUse.objects.filter(image=image).exists()
        images.delete(image)
        assert not Image.objects.exists()

    def test_a_cover_counts_as_a_use(self, writer):
        image, _ = upload(photo())
        create_article(Content(title="題", slug="cover-use", cover=image), writer)
        with pytest.raises(ProtectedError):
            images.delete(image)

    def test_the_importers_door(self):
        image, created = images.store(photo(), alt_text="取り込んだ写真")
        again, created_again = images.store(photo(), alt_text="同じ写真")
        assert created and not created_again and again == image
        assert image.markdown == f"![取り込んだ写真](image:{image.pk})"
        assert pictures.references(f"前 {image.markdown} 後") == [image.pk]


def test_the_renditions_are_kept_in_imaging_formats():
    assert set(imaging.CONTENT_TYPES) == set(imaging.EXTENSIONS)


def test_the_librarys_own_copy_coming_back_is_the_same_image():
    # What the export writes, or a reader saves from the page, is the stored file.
    image, _ = upload(photo())
    with image.file.open("rb") as stored:
        again, created = images.store(stored.read(), alt_text="別の説明")
    assert not created and again.pk == image.pk and Image.objects.count() == 1


def test_a_related_article_shows_its_cover_small_and_lazily(client, writer):
    import datetime as dt

    from django.utils import timezone

    from articles.publishing.workflow import record_import

    image, _ = upload(photo())

    def live(title, slug, **fields):
        article = create_article(Content(title=title, slug=slug, topics=("推論",), **fields), writer)
        article.published_at = timezone.now() - dt.timedelta(hours=1)
        record_import(article, published=True)
        return article

    live("写真つき<記事>", "pictured", cover=image)
    plain = live("写真なし", "plain")
    page = client.get(plain.get_absolute_url()).content.decode()
    block = page[page.index('<section class="related"'):page.index("</section>", page.index('<section class="related"'))]
    assert '<li class="with-thumbnail"><div class="card-thumbnail">' in block
    assert 'loading="lazy"' in block and 'alt=""' in block
    assert "写真つき&lt;記事&gt;</a>" in block
