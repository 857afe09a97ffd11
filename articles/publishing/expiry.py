"""Articles leave the site at the end of publication an editor set (an embargo's end, a
notice's last day) as scheduled ones arrive: nothing runs on a clock. The page cache
keeps the next such time with its generation (articles/reading/caching.py); the first
request after it runs ``came_due()``, which takes the articles down through the
workflow (``end_publication``: the audit trail, the address answering 410, the counts and
pages told) and then lets the scheduled ones that came due go live."""

import contextlib

from django.utils import timezone

from articles.models import Article
from articles.publishing import workflow
from articles.reading import public_changes


def came_due():
    end_publications()
    public_changes.came_due()


def end_publications():
    """Take down every article whose end of publication has come. One that is not live
    then (taken down by hand, or its publication moved past the end) only forgets it."""
    now = timezone.now()
    for article in Article.objects.filter(unpublish_at__lte=now).only("pk"):
        # Not live then: there is nothing readers see to take down.
        with contextlib.suppress(workflow.WorkflowError):
            workflow.end_publication(article)
        Article.objects.filter(pk=article.pk, unpublish_at__lte=now).update(unpublish_at=None)
