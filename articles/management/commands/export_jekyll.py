import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.jekyll import post_filename, write_post
from articles.models import Article, Status


class Command(BaseCommand):
    help = (
        "Write articles as Jekyll posts: OUTDIR/_posts/YYYY-MM-DD-<slug>.md. By default the "
        "published ones, as readers see them. The same data always gives the same bytes."
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
        posts = Path(outdir) / "_posts"
        try:
            posts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot create {posts}: {exc.strerror}") from None
        written = unchanged = 0
        for article in articles:
            path = posts / post_filename(article)
            if write_post(path, article):
                written += 1
            else:
                unchanged += 1
        self.stdout.write(f"exported to {posts}: {written} written, {unchanged} unchanged")
