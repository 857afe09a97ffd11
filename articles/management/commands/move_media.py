from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from articles.media.moving import SameStorage, move_pictures


class Command(BaseCommand):
    help = (
        "Copy the library's pictures (each image's file and renditions) from a folder (by default "
        "MEDIA_ROOT) into the storage the settings name now (EDITORIAL_MEDIA_S3_*). Files already there "
        "are left; a stopped run starts again where it was. Nothing is deleted from the folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", metavar="FOLDER", default=str(settings.MEDIA_ROOT),
                            help="The folder the pictures are in now (default: MEDIA_ROOT).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be copied; copy nothing.")
        parser.add_argument("--batch", type=int, default=200, help="Images read at a time (default 200).")

    def handle(self, *args, source, dry_run, batch, **options):
        def progress(moved, total):
            self.stdout.write(f"{moved.images}/{total} images: {moved.copied} files "
                              f"{'to copy' if dry_run else 'copied'} ({moved.bytes / 2**20:.1f} MB), "
                              f"{moved.already} already there, {len(moved.missing)} missing")

        try:
            moved = move_pictures(FileSystemStorage(location=source), default_storage, dry_run=dry_run,
                                  batch=max(1, batch), progress=progress)
        except SameStorage as exc:
            raise CommandError(f"The pictures are already kept in {exc}: set EDITORIAL_MEDIA_S3_* to name where "
                               "they go.") from None
        if moved.images == 0:
            self.stdout.write("No pictures to move.")
        if moved.missing:
            shown = "\n  ".join(moved.missing[:20])
            raise CommandError(f"{len(moved.missing)} files are in neither place (the rest were copied):\n  {shown}")
        verb = "would copy" if dry_run else "copied"
        self.stdout.write(self.style.SUCCESS(
            f"Done: {verb} {moved.copied} files ({moved.bytes / 2**20:.1f} MB) of {moved.images} images; "
            f"{moved.already} were already there."))
