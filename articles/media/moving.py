"""Moving the pictures a site already has into the storage the settings now name (from
the folder of one machine into an object store, say): every library image's file and
renditions, copied in batches of images read in order, so that a run stopped half-way
is taken up again where it was (a file already there is not copied twice)."""

from dataclasses import dataclass, field

from django.core.files.storage import FileSystemStorage

from articles.media.images import stored_names
from articles.models import Image


class SameStorage(Exception):
    """The source and the target are one place."""


@dataclass
class Moved:
    """What a run did (or, in a dry run, would do)."""

    images: int = 0
    copied: int = 0
    bytes: int = 0
    already: int = 0
    missing: list = field(default_factory=list)


def move_pictures(source, target, *, dry_run=False, batch=200, progress=None):
    """Copy every library picture's files from storage ``source`` to ``target``; returns
    ``Moved``. ``progress(moved, total)`` is told after each batch."""
    if isinstance(source, FileSystemStorage) and isinstance(target, FileSystemStorage) \
            and source.location == target.location:
        raise SameStorage(source.location)
    images = Image.objects.exclude(file="").order_by("pk")
    total = images.count()
    moved, after = Moved(), 0
    while True:
        chunk = list(images.filter(pk__gt=after).only("pk", "file", "renditions")[:batch])
        if not chunk:
            return moved
        for image in chunk:
            for name in stored_names(image):
                _copy(name, source, target, moved, dry_run)
        moved.images += len(chunk)
        after = chunk[-1].pk
        if progress is not None:
            progress(moved, total)


def _copy(name, source, target, moved, dry_run):
    if not source.exists(name):
        if not target.exists(name):
            moved.missing.append(name)
        else:
            moved.already += 1
        return
    size = source.size(name)
    if target.exists(name) and target.size(name) == size:
        moved.already += 1
        return
    moved.copied += 1
    moved.bytes += size
    if dry_run:
        return
    with source.open(name, "rb") as file:
        saved = target.save(name, file)
    if saved != name:  # the target refused the name (no overwrite): say so, do not guess
        target.delete(saved)
        moved.missing.append(name)
