"""Render every article's stored body again, after the rendering changed (a Markdown
extension, highlighting, the sanitiser's rules): readers then get the new HTML."""

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.publishing.columns import refresh_rendering


class Command(BaseCommand):
    help = "Render the stored HTML of every article (or of those given by id) again."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="only these articles")

    def handle(self, *args, ids, **options):
        articles = Article.objects.order_by("pk")
        if ids:
            articles = articles.filter(pk__in=ids)
        count = 0
        for article in articles.iterator(chunk_size=200):
            refresh_rendering(article)
            count += 1
        self.stdout.write(f"Rendered {count} articles again.")
