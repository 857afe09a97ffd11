"""The image library: storing uploads (at once, or by the task worker), moving a
picture's focal point, deleting, and knowing which articles use each picture. What showing
one takes is articles/media/pictures.py's.

The pixel work is Pillow's, in a bounded helper process (articles/media/imaging.py).
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from articles import signals
from articles.media import imaging, vector
from articles.media.imaging import ImageRejected
from articles.media.pictures import references
from articles.models import Article, Image, ImageUse, UploadedOriginal
from articles.rendering import bounded

__all__ = ["ImageRejected", "store", "upload"]

logger = logging.getLogger(__name__)

_runner = bounded.BoundedRunner(preload=["articles.media.imaging"], size=1)

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
    prepared = _prepare(data, patient=True)
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


def complete_renditions(image):
    """Make the renditions ``image`` lacks (those added to the library since it was
    made: the search engines' crops, say) from its master; the ones it has stay, since
    stored bodies name their files. Returns the keys made (none: nothing was missing)."""
    with image.file.open("rb") as master:
        data = master.read()
    prepared = _prepare(data, focal_point=image.focal_point, patient=True)
    missing = [key for key in prepared.renditions if key not in (image.renditions or {})]
    if not missing:
        return []
    image.renditions = {**image.renditions, **_save_renditions(image, prepared, keys=missing)}
    image.save(update_fields=["renditions"])
    return missing


# Renditions every picture has had since they were added (the others depend on its size).
ALWAYS_MADE = ("thumb1x.webp", "social.jpeg", *(f"search{shape}.jpeg" for shape in imaging.SEARCH_SHAPES))


def lacking_renditions():
    """The ids of ready images made before a rendition every picture now gets, in order."""
    ready = Image.objects.filter(state=Image.State.READY).exclude(file="").order_by("pk")
    return [pk for pk, renditions in ready.values_list("pk", "renditions")
            if not set(ALWAYS_MADE) <= set(renditions or {})]


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


def svg_as_png(data):
    """An SVG document drawn as PNG in the picture helper (articles/media/vector.py), for
    the importer: patient, bounded like any picture. Raises ``ImageRejected``."""
    return _in_helper(vector.to_png, data, patient=True, max_bytes=settings.EDITORIAL_IMAGE_MAX_BYTES)


def _prepare(data, focal_point=None, *, patient=False):
    """``imaging.prepare`` in the helper; ``patient``: nobody waits on it (an import), so a
    busy machine makes it wait, not fail. (The task worker tries a busy picture again
    later instead.)"""
    return _in_helper(imaging.prepare, data, patient=patient, max_bytes=settings.EDITORIAL_IMAGE_MAX_BYTES,
                      max_pixels=settings.EDITORIAL_IMAGE_MAX_PIXELS, focal_point=focal_point)


def _in_helper(function, data, *, patient, **kwargs):
    """``function(data, **kwargs)`` in the picture helper within the picture bounds; what
    the bounds or the machine refuse is an ``ImageRejected``."""
    cpu = settings.EDITORIAL_IMAGE_TIMEOUT
    try:
        return _runner.run(function, data, cpu_seconds=cpu,
                           wall_seconds=bounded.patient_backstop(cpu) if patient else None, **kwargs)
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


def stored_names(image):
    """Every file stored for ``image``: its master and its renditions."""
    names = [image.file.name] if image.file else []
    return names + [rendition["name"] for rendition in (image.renditions or {}).values()]


def _delete_files(image):
    _delete_names(stored_names(image))


def _delete_names(names):
    for name in names:
        if name:
            default_storage.delete(name)


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
