"""What the front page shows above the newest articles: the lead story and the stories
beside it, as editors arranged them (articles/publishing/front_page.py) or, where they
chose fewer, the newest articles with a picture after theirs; and the newest few of
each section."""

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import get_language

from articles.models import Article, FrontPageItem
from articles.reading import caching

# The chosen articles the front page shows: the lead and the stories beside it.
SHOWN = 5
# Articles shown for each section.
PER_SECTION = 3
# A chosen article leaves the page within this many seconds of its time (its stored
# copy is made again at least this often while one is due to leave).
EXPIRY_SECONDS = 60


def chosen_ids():
    """The ids of the front page's stories, lead first: the editors' choice (live, not
    past its time), then the newest live articles with a picture, up to ``SHOWN``."""
    now = timezone.now()
    bucket = int(now.timestamp() // EXPIRY_SECONDS)

    def compute():
        items = (FrontPageItem.objects.filter(article__in=Article.objects.published())
                 .filter(Q(until__isnull=True) | Q(until__gt=now)).order_by("position", "id"))
        ids = list(items.values_list("article_id", flat=True)[:SHOWN])
        if len(ids) < SHOWN:
            newest = (Article.objects.published().filter(cover__isnull=False).exclude(pk__in=ids)
                      .order_by("-published_at", "-id").values_list("pk", flat=True)[: SHOWN - len(ids)])
            ids += list(newest)
        return ids

    # A story's time to leave is the one change nobody makes: the minute is in the name.
    return caching.remember(f"front-ids:{bucket}", compute, areas=(caching.LIVE, caching.FRONT))


def sections():
    """``[(category, [article])]``: the newest ``PER_SECTION`` live articles of each
    section that has any, sections by name."""

    def compute():
        # One query however many sections: each live article's rank in its section.
        ranked = (Article.objects.published().filter(category__isnull=False)
                  .annotate(rank=Window(RowNumber(), partition_by=F("category_id"),
                                        order_by=[F("published_at").desc(), F("id").desc()]))
                  .filter(rank__lte=PER_SECTION).select_related("category")
                  .only("pk", "title", "slug", "published_at", "category__name", "category__slug")
                  .order_by("category__name", "category_id", "rank"))
        result = {}
        for article in ranked:
            result.setdefault(article.category, []).append(article)
        return list(result.items())

    def areas(result):
        return [caching.LIVE, *(caching.list_area("category", category.pk) for category, _articles in result),
                *(caching.article_area(article.pk) for _category, articles in result for article in articles)]

    return caching.remember(f"front-sections:{get_language()}", compute, areas=areas)
