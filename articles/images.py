"""The image library: storing uploads, knowing where each image is used, and the data
the renderer and the templates need to show one.

The pixel work is Pillow's, in a bounded helper process (articles/imaging.py). A body
refers to a stored image as ``![代替テキスト](image:42)`` (``Image.markdown``); the
renderer turns that into responsive markup (articles/figures.py).
"""

import contextlib
import contextvars
import datetime as dt
import logging
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from . import bounded, caching, imaging, signals
from .imaging import ImageRejected
from .models import Article, AuthorProfile, Image, ImageUse, UploadedOriginal

__all__ = ["ImageRejected", "store", "upload"]

logger = logging.getLogger(__name__)

_runner = bounded.BoundedRunner(preload=["articles.imaging"], size=1)

# ![alt](image:42) and ![alt](image:42 "caption"): the id is all a body stores.
REFERENCE = re.compile(r"\]\(\s*image:(\d{1,18})(?=[\s)])")


def references(source):
    """The ids of library images that Markdown ``source`` refers to, in order, once each."""
    return list(dict.fromkeys(int(match) for match in REFERENCE.findall(source or "")))


# ---------------------------------------------------------------------------------
# Storing


def upload(file, *, alt_text, caption="", credit="", user=None):
    """Take a picture uploaded in the desk; ``(image, created)``, at once.

    Only the file's header is read here: a file that is not a picture the site takes is
    refused now, saying why (``ImageRejected``; ``rejection_message()`` says it for
    people). Decoding and the renditions are the task worker's (``make_upload``): a
    12 MP photo or a long GIF never holds a server worker. Until then the picture is
    ``PROCESSING``. The same bytes uploaded again give the picture already there.
    """
    limit = settings.EDITORIAL_IMAGE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ImageRejected("too_big", {"size": file.size, "max": limit})  # not even read
    data = file.read()
    existing = find(data)
    if existing is not None:
        return _again(existing, data), False
    header = _identify(data)
    image = Image(
        state=Image.State.PROCESSING, format=header.format, width=header.width, height=header.height,
        animated=header.animated, file_size=len(data), content_hash=imaging.content_hash(data),
        alt_text=alt_text, caption=caption, credit=credit, uploaded_by=user,
    )
    try:
        with transaction.atomic():
            image.save()
            _queue(image, data)
    except IntegrityError:
        # The same file, uploaded by someone else a moment ago.
        return Image.objects.get(content_hash=image.content_hash), False
    image.refresh_from_db()  # a worker that runs tasks at once (development) has made it already
    return image, True


def _again(image, data):
    """The same bytes as ``image``, uploaded again: a picture the machine was too busy to
    make, or could not store, is tried again."""
    if image.state == Image.State.FAILED and image.failure in RETRIED_FAILURES:
        with transaction.atomic():
            Image.objects.filter(pk=image.pk).update(state=Image.State.PROCESSING, failure="")
            _queue(image, data)
        image.refresh_from_db()
    return image


# Failures that say nothing about the file: uploading it again tries again.
RETRIED_FAILURES = ("busy", "not_stored")
# A worker that finds the machine too busy tries again later, this many times.
BUSY_ATTEMPTS = 5


def _queue(image, data):
    UploadedOriginal.objects.update_or_create(image=image, defaults={"data": data, "attempts": 0})
    # In the database queue, in this transaction: the picture and its task exist together.
    make_upload.enqueue(image.pk)


@task()
def make_upload(image_id):
    """The task worker's half of an upload: decode the original, store the picture and its
    renditions, and render again the drafts that show it."""
    original = UploadedOriginal.objects.select_related("image").filter(
        image_id=image_id, image__state=Image.State.PROCESSING).first()
    if original is None:
        return  # deleted meanwhile, or made already
    image = original.image
    try:
        prepared = _prepare(bytes(original.data), focal_point=image.focal_point)
        _keep(image, prepared)
    except ImageRejected as exc:
        if exc.code == "busy" and original.attempts < BUSY_ATTEMPTS and default_task_backend.supports_defer:
            original.attempts += 1
            original.save(update_fields=["attempts"])
            later = timezone.now() + dt.timedelta(seconds=30 * original.attempts)
            make_upload.using(run_after=later).enqueue(image_id)
            return
        logger.warning("picture %s could not be made: %s", image_id, exc.code)
        image.state, image.failure, image.file, image.renditions = Image.State.FAILED, exc.code, "", {}
    else:
        image.state, image.failure = Image.State.READY, ""
    with transaction.atomic():
        kept = Image.objects.filter(pk=image.pk, state=Image.State.PROCESSING).update(
            state=image.state, failure=image.failure, file=image.file.name, renditions=image.renditions,
            format=image.format, width=image.width, height=image.height, file_size=image.file_size,
            file_hash=image.file_hash)
        original.delete()
    if not kept:
        _delete_files(image)  # the picture was deleted while it was being made
        return
    picture_changed(image)
    if AuthorProfile.objects.filter(picture=image).exists():
        caching.content_changed()  # an author's page shows it from now on


def unready(ids):
    """``{id: state}`` of those of library pictures ``ids`` that are not ready."""
    if not ids:
        return {}
    return dict(Image.objects.filter(pk__in=ids).exclude(state=Image.State.READY).values_list("pk", "state"))


def find(data):
    """The library image ``data`` is, as uploaded or as the library stored it; or None."""
    digest = imaging.content_hash(data)
    return Image.objects.filter(Q(content_hash=digest) | Q(file_hash=digest)).order_by("pk").first()


def store(data, *, alt_text, caption="", credit="", user=None):
    """Store ``data`` (a file's bytes) as a ready library image, made here and now,
    deduplicated by content; ``(image, created)``. The importer's door: it runs in a
    command, not in a server worker."""
    existing = find(data)
    if existing is not None:
        return existing, False
    prepared = _prepare(data)
    image = Image(content_hash=prepared.content_hash, alt_text=alt_text, caption=caption, credit=credit,
                  uploaded_by=user)
    _keep(image, prepared)
    try:
        with transaction.atomic():
            image.save()
    except IntegrityError:
        # The same file, stored by someone else a moment ago.
        _delete_files(image)
        return Image.objects.get(content_hash=prepared.content_hash), False
    except Exception:
        _delete_files(image)
        raise
    return image, True


def _keep(image, prepared):
    """Store the files of ``prepared`` for ``image`` (not saved). A full disk (or a store
    that refuses) is ``ImageRejected("not_stored")``, and nothing half-written stays
    behind, or the disk stays full."""
    master = prepared.master
    image.format, image.width, image.height, image.animated = master.format, master.width, master.height, \
        prepared.animated
    image.file_size, image.file_hash = len(master.data), imaging.content_hash(master.data)
    try:
        image.file.save(f"upload.{imaging.EXTENSIONS[master.format]}", ContentFile(master.data), save=False)
        image.renditions = _save_renditions(image, prepared)
    except OSError:
        _delete_files(image)
        raise ImageRejected("not_stored") from None


def set_focal_point(image, x, y):
    """Move the point crops keep in view; the cropped renditions are made again. The
    whole-picture ones ("w960.webp"…) stay as they are: stored bodies name their files.
    A picture still being made is made with the new point."""
    if not image.is_ready:
        image.focal_point_x, image.focal_point_y = x, y
        image.save(update_fields=["focal_point_x", "focal_point_y"])
        return
    with image.file.open("rb") as master:
        data = master.read()
    prepared = _prepare(data, focal_point=(x, y))
    cropped = [key for key in prepared.renditions if not key.startswith("w")]
    old = {key: image.renditions[key] for key in cropped if key in image.renditions}
    image.focal_point_x, image.focal_point_y = x, y
    image.renditions = {**image.renditions, **_save_renditions(image, prepared, keys=cropped)}
    image.save(update_fields=["focal_point_x", "focal_point_y", "renditions"])
    transaction.on_commit(lambda: _delete_names(rendition["name"] for rendition in old.values()))


def _identify(data):
    try:
        return _runner.run(
            imaging.identify, data, cpu_seconds=IDENTIFY_SECONDS,
            max_bytes=settings.EDITORIAL_IMAGE_MAX_BYTES, max_pixels=settings.EDITORIAL_IMAGE_MAX_PIXELS,
        )
    except (bounded.Timeout, MemoryError):
        raise ImageRejected("not_an_image") from None  # no header of an honest file costs that
    except (bounded.Busy, bounded.HelperDied):
        raise ImageRejected("busy") from None


# Reading a header is quick; this only stops a file built to make it slow.
IDENTIFY_SECONDS = 2


def _prepare(data, focal_point=None):
    try:
        return _runner.run(
            imaging.prepare, data, cpu_seconds=settings.EDITORIAL_IMAGE_TIMEOUT,
            max_bytes=settings.EDITORIAL_IMAGE_MAX_BYTES, max_pixels=settings.EDITORIAL_IMAGE_MAX_PIXELS,
            focal_point=focal_point,
        )
    except (bounded.Timeout, MemoryError):
        raise ImageRejected("too_costly") from None
    except (bounded.Busy, bounded.HelperDied):
        raise ImageRejected("busy") from None


def _save_renditions(image, prepared, keys=None):
    """Store every rendition (or those named by ``keys``); on failure, those already
    stored are deleted again."""
    stem = image.file.name.rsplit(".", 1)[0]
    saved = {}
    try:
        for key, encoded in prepared.renditions.items():
            if keys is not None and key not in keys:
                continue
            name = default_storage.save(f"{stem}-{key.rsplit('.', 1)[0]}.{imaging.EXTENSIONS[encoded.format]}",
                                        ContentFile(encoded.data))
            saved[key] = {"name": name, "width": encoded.width, "height": encoded.height,
                          "format": encoded.format, "size": len(encoded.data)}
    except Exception:
        _delete_names(rendition["name"] for rendition in saved.values())
        raise
    return saved


def delete(image):
    """Delete ``image`` and its files; refused (``ProtectedError``) while an article uses it."""
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: _delete_files(image))


def _delete_files(image):
    _delete_names([image.file.name, *(rendition["name"] for rendition in (image.renditions or {}).values())])


def _delete_names(names):
    for name in names:
        if name:
            default_storage.delete(name)


def rejection_message(exc):
    """Why an upload was refused, in the uploader's language."""
    params = exc.params
    if exc.code == "too_big":
        return _("The file has %(size)s MB; an image may have at most %(max)s MB.") % {
            "size": f"{params['size'] / 2**20:.1f}", "max": f"{params['max'] / 2**20:.0f}"}
    if exc.code == "too_many_pixels":
        return _("The image is %(width)d×%(height)d pixels (%(frames)d frames); at most %(max)s million pixels "
                 "are accepted. Make it smaller first.") % {**params, "max": f"{params['max'] / 1e6:.0f}"}
    if exc.code == "busy":
        return _("The server is too busy to process the picture right now. Nothing was kept: try again in a "
                 "moment.")
    if exc.code == "not_stored":
        return _("The server could not store the picture (its storage may be full). Nothing was kept: try again "
                 "later, and tell an administrator if it happens again.")
    if exc.code == "too_costly":
        return _("The image took too long or too much memory to process. Save it again as an ordinary JPEG or PNG.")
    return _("This file is not an image the site accepts. Upload a JPEG, PNG, WebP, GIF or AVIF picture "
             "(SVG and other formats are refused).")


def state_label(image):
    """What the desk says of a picture that is not ready."""
    if image.state == Image.State.PROCESSING:
        return _("Processing the picture…")
    # The worker's own reasons; the ones with figures are the request's, never stored.
    code = image.failure if image.failure in ("busy", "not_stored", "too_costly") else "not_an_image"
    return _("This picture could not be made: %(reason)s") % {"reason": rejection_message(ImageRejected(code))}


# ---------------------------------------------------------------------------------
# Showing


def url(name):
    return default_storage.url(name)


WORDS = ("alt", "caption", "credit")


def words_of(ids):
    """``{"42": {"alt", "caption", "credit"}}``: the words library images ``ids`` have now."""
    return {
        str(pk): {"alt": alt, "caption": caption, "credit": credit}
        for pk, alt, caption, credit in Image.objects.filter(pk__in=ids).values_list(
            "pk", "alt_text", "caption", "credit")
    }


def shown(body, cover_id):
    """The ids of the library pictures a text shows: those its body refers to, and its cover."""
    return references(body) + ([cover_id] if cover_id else [])


def words_shown_by(revision):
    """The words of every picture ``revision`` shows (in its text and as its cover): what an
    editor who approves it reads, and what readers then keep (``Article.picture_words``)."""
    ids = shown(revision.body, revision.cover_id)
    return words_of(ids) if ids else {}


def image_data(image, words=None):
    """What the renderer and the templates need to show ``image`` (plain data, no model).
    ``words``: an article's ``picture_words``, whose words for this image win over the
    library's (a live article keeps those it was approved with). A picture that is not
    ready has no files yet: its data says so (``state``, and ``label`` for the desk)."""
    if not image.is_ready:
        return _with_words({
            "id": image.pk, "alt": image.alt_text, "caption": image.caption, "credit": image.credit,
            "state": image.state, "label": state_label(image),
        }, words)
    renditions = image.renditions

    def candidates(prefix, kind):
        found = [(r["width"], url(r["name"])) for key, r in renditions.items()
                 if key.startswith(prefix) and key.endswith("." + kind)]
        return [[address, width] for width, address in sorted(found)]

    fallback = "png" if any(key.endswith(".png") for key in renditions) else "jpeg"
    largest = max((r for key, r in renditions.items() if key.startswith("w") and key.endswith(".webp")),
                  key=lambda r: r["width"])
    thumb = renditions["thumb1x.webp"]
    data = {
        "id": image.pk,
        "state": image.state,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "animated": image.animated,
        "master": url(image.file.name),
        "width": image.width if image.animated else largest["width"],
        "height": image.height if image.animated else largest["height"],
        "webp": candidates("w", "webp"),
        "fallback": candidates("w", fallback),
        "thumb_webp": candidates("thumb", "webp"),
        "thumb_fallback": candidates("thumb", fallback),
        "thumb_width": thumb["width"],
        "thumb_height": thumb["height"],
        "social": url(renditions["social.jpeg"]["name"]),
        "social_width": renditions["social.jpeg"]["width"],
        "social_height": renditions["social.jpeg"]["height"],
        "social_size": renditions["social.jpeg"]["size"],
    }
    return _with_words(data, words)


def _with_words(data, words):
    """``data`` of one image with the words ``words`` (``picture_words``) has for it."""
    if not words or str(data["id"]) not in words:
        return data
    return {**data, **{key: value for key, value in words[str(data["id"])].items() if key in WORDS}}


_remembered = contextvars.ContextVar("remembered_image_data", default=None)


@contextlib.contextmanager
def remembering(memo=None):
    """Within this block, the data of an image is read once: one piece of work (an
    import) renders the same bodies several times, and their images do not change
    meanwhile. ``memo`` carries what was read from one block to the next."""
    token = _remembered.set({} if memo is None else memo)
    try:
        yield
    finally:
        _remembered.reset(token)


def data_for(source, words=None):
    """``{id: image_data}`` for every library image ``source`` refers to (one query);
    ``words`` as for ``image_data``."""
    ids = references(source)
    if not ids:
        return {}
    memo = _remembered.get()
    key = tuple(sorted(ids))
    if memo is not None and key in memo:
        data = memo[key]
    else:
        data = {image.pk: image_data(image) for image in Image.objects.filter(pk__in=ids)}
        if memo is not None:
            memo[key] = data
    return {pk: _with_words(item, words) for pk, item in data.items()} if words else data


# ---------------------------------------------------------------------------------
# Where each image is used


def uses_after_transition(article, **kwargs):
    """``signals.transition_recorded``: a publish or a redraft changes what it shows."""
    record_uses(article)


def record_uses(article, *, new=False):
    """Remember which images the working copy and the live version of ``article`` show
    (``new``: it was just created, and has no uses yet)."""
    ids = set()
    for revision in {article.latest_revision, article.published_revision} - {None}:
        ids.update(references(revision.body))
        if revision.cover_id:
            ids.add(revision.cover_id)
    if article.cover_id:
        ids.add(article.cover_id)
    if ids:
        ids &= set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if new:
        ImageUse.objects.bulk_create([ImageUse(article=article, image_id=pk) for pk in ids])
        return
    ImageUse.objects.filter(article=article).exclude(image_id__in=ids).delete()
    known = set(ImageUse.objects.filter(article=article).values_list("image_id", flat=True))
    ImageUse.objects.bulk_create([ImageUse(article=article, image_id=pk) for pk in ids - known])


def live_articles_using(image):
    """The live articles that show ``image``: they keep the words they were approved with."""
    return Article.objects.filter(image_uses__image=image, published_revision__isnull=False).distinct()


def picture_changed(image):
    """``image``'s words or renditions changed, or it has just been made: say so
    (``signals.picture_changed``; the articles in the desk that show it follow)."""
    signals.picture_changed.send(sender=Image, image=image)
