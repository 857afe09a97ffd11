from django.core.management.base import BaseCommand

from articles.media import images
from articles.media.imaging import ImageRejected
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions that pictures stored before they were added lack (the search engines' 16:9, "
        "4:3 and 1:1 crops of a cover, say), from each picture's master, one picture at a time in the picture "
        "helper. Renditions a picture has stay as they are (stored bodies name them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the pictures; make nothing.")

    def handle(self, *args, dry_run, **options):
        lacking = images.lacking_renditions()
        if dry_run or not lacking:
            self.stdout.write(f"{len(lacking)} pictures lack renditions.")
            return
        failed = 0
        for number, pk in enumerate(lacking, start=1):
            image = Image.objects.get(pk=pk)
            try:
                made = images.complete_renditions(image)
            except (ImageRejected, OSError) as exc:
                failed += 1
                self.stderr.write(f"picture {pk}: not made ({exc})")
                continue
            self.stdout.write(f"{number}/{len(lacking)}: picture {pk}, made {', '.join(made) or 'nothing'}")
        self.stdout.write(self.style.SUCCESS(f"Done: {len(lacking) - failed} pictures completed, {failed} failed."))
