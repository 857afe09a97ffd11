import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.jekyll.export import CONFIG_NAME, front_matter_pictures, post_path, write_config, write_post
from articles.media.pictures import references
from articles.models import Article, Image, Status


class Command(BaseCommand):
    help = (
        "Write articles as Jekyll posts: OUTDIR/_posts/YYYY-MM-DD-<slug>.md (an imported post goes back "
        "where it came from), their pictures under OUTDIR/assets/images/, and OUTDIR/_config.yml (unless "
        "one not written by this command is there). By default the published "
        "ones, as readers see them. The same data always gives the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", metavar="OUTDIR")
        parser.add_argument(
            "--status", action="append", choices=[s.value for s in Status],
            help="Export articles in this state instead (repeatable); unpublished ones get published: false.",
        )
        parser.add_argument("--category", help="Only this category (slug).")
        parser.add_argument("--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                            help="Only articles published on or after this day.")

    def handle(self, *args, outdir, status, category, since, **options):
        articles = Article.objects.filter(status__in=status) if status else Article.objects.published()
        articles = articles.select_related("category").prefetch_related("companies", "topics").order_by("pk")
        if category:
            articles = articles.filter(category__slug=category)
        if since:
            start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
            articles = articles.filter(published_at__gte=start)
        root = Path(outdir)
        try:
            (root / "_posts").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot create {root / '_posts'}: {exc.strerror}") from None
        articles = list(articles)
        image_paths = self._export_images(root, articles)
        written = unchanged = 0
        for article in articles:
            path = root / post_path(article)
            if write_post(path, article, image_paths):
                written += 1
            else:
                unchanged += 1
        config = write_config(root)
        self.stdout.write(
            f"exported to {root}: {written} written, {unchanged} unchanged, {len(image_paths)} pictures"
        )
        if config == "kept":
            self.stdout.write(f"{root / CONFIG_NAME} was not written by this command and is left as it is")

    def _export_images(self, root, articles):
        """Copy every library picture the articles show to ``assets/images/``;
        ``{id: site path}``."""
        wanted = {pk for article in articles for pk in references(article.body)}
        wanted |= {article.cover_id for article in articles if article.cover_id}
        wanted |= {pk for article in articles for pk in front_matter_pictures(article.jekyll_front_matter or {})}
        paths = {}
        folder = root / "assets" / "images"
        for image in Image.objects.filter(pk__in=wanted).order_by("pk"):
            name = f"{image.pk}-{Path(image.file.name).name}"
            target = folder / name
            folder.mkdir(parents=True, exist_ok=True)
            with image.file.open("rb") as source:
                data = source.read()
            if not target.exists() or target.read_bytes() != data:
                target.write_bytes(data)
            paths[image.pk] = f"/assets/images/{name}"
        return paths
