"""Count again, over the whole archive, the live articles of every company, topic and
category: after articles were written in bulk past the workflow (a restored backup, a
script), which keeps the counts as it goes (articles/reading/public_data.py)."""

from django.core.management.base import BaseCommand

from articles.reading.caching import content_changed
from articles.reading.public_data import recount_everything


class Command(BaseCommand):
    help = "Count the live articles of every company, topic and category again, over the whole archive."

    def handle(self, *args, **options):
        recount_everything()
        content_changed()  # every page that shows a count
        self.stdout.write("Counted.")
