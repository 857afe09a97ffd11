"""How much each article is read, and the most read: counted per article per hour from a
beacon the article's page sends (static/js/reads.js), so that a page served from the
page cache or nginx's counts as well; no cookie, address or anything else about the
reader is kept.

A reader's address is held for a moment in the cache, hashed with the site's secret,
so that one browser reloading a page counts once every ``REREAD_SECONDS``; it is never
written to the database.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from articles.models import Article, ArticleReads
from articles.reading import caching

REREAD_SECONDS = 30 * 60
# The most-read lists are made again at most this often: a ranking minutes old is news
# enough, and no reader's visit waits on a sum over a week of hours.
RANKING_SECONDS = 5 * 60
PERIODS = {"today": dt.timedelta(hours=24), "week": dt.timedelta(days=7)}


def count_read(article_id, client_address):
    """Count one read of the live article ``article_id`` by the client at
    ``client_address``; False when it was not counted (not live, or read just now)."""
    seen = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address}:{article_id}".encode()).hexdigest()
    if not cache.add(f"read:{seen}", 1, REREAD_SECONDS):
        return False
    if not Article.objects.published().filter(pk=article_id).exists():
        return False
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    if not ArticleReads.objects.filter(article_id=article_id, hour=hour).update(count=F("count") + 1):
        try:
            with transaction.atomic():
                ArticleReads.objects.create(article_id=article_id, hour=hour, count=1)
        except IntegrityError:  # another reader made the hour's row meanwhile
            ArticleReads.objects.filter(article_id=article_id, hour=hour).update(count=F("count") + 1)
    return True


def reads_since(since, article_ids=None):
    """``{article id: reads}`` since ``since`` (of ``article_ids``, or of every article)."""
    rows = ArticleReads.objects.filter(hour__gte=since.replace(minute=0, second=0, microsecond=0))
    if article_ids is not None:
        rows = rows.filter(article_id__in=article_ids)
    return dict(rows.values("article_id").annotate(total=Sum("count")).values_list("article_id", "total"))


def most_read(period, limit=5):
    """The live articles read most in ``period`` ("today": the last 24 hours, "week":
    the last 7 days), most first, each with ``reads``."""
    bucket = int(timezone.now().timestamp() // RANKING_SECONDS)

    def compute():
        since = timezone.now() - PERIODS[period]
        totals = (ArticleReads.objects.filter(hour__gte=since.replace(minute=0, second=0, microsecond=0))
                  .values("article_id").annotate(total=Sum("count")).order_by("-total", "-article_id"))
        ranked = {row["article_id"]: row["total"] for row in totals[: limit * 3]}
        live = Article.objects.published().for_listing().in_bulk(list(ranked))
        articles = [live[pk] for pk in ranked if pk in live][:limit]
        for article in articles:
            article.reads = ranked[article.pk]
        return articles

    # Gone from the ranking as soon as an article stops being live (LIVE), else made
    # again every few minutes (the bucket is in the name).
    return caching.remember(f"most-read:{period}:{limit}:{bucket}", compute, areas=(caching.LIVE,))
