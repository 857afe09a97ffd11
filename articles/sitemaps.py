from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Article, Category, CompanyTag, TopicTag
from .public_data import latest_publication, public_tags, published_count


class ArticleSitemap(Sitemap):
    """Every public article, in pages of ``limit`` listed by the sitemap index; a page
    reads only the columns its addresses and dates need. 1,000 a page (the protocol
    allows 50,000; WordPress writes 2,000 and Yoast 1,000): a page costs the same
    however large the archive, and crawlers fetch the index's pages as they need them."""

    changefreq = "weekly"
    priority = 0.8
    limit = 1_000

    def items(self):
        return (
            Article.objects.published().order_by("-published_at", "-id")
            .only("slug", "published_at", "last_published_at")
        )

    def lastmod(self, article):
        return article.modified_at

    @property
    def paginator(self):
        pages = super().paginator
        pages.count = published_count()  # counted once per change, not per request
        return pages

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every article loaded to find the newest.
        return latest_publication()


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]

    def get_latest_lastmod(self):
        return self.lastmod("articles:index")


class TagSitemap(Sitemap):
    """Company, topic or category pages that list at least one published article."""

    changefreq = "daily"
    priority = 0.5
    model = None

    def items(self):
        return sorted(public_tags(self.model), key=lambda tag: tag.slug)

    def lastmod(self, obj):
        return obj.latest

    def get_latest_lastmod(self):
        return latest_publication()


class CompanySitemap(TagSitemap):
    model = CompanyTag


class TopicSitemap(TagSitemap):
    model = TopicTag


class CategorySitemap(TagSitemap):
    model = Category


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "companies": CompanySitemap,
    "topics": TopicSitemap,
    "categories": CategorySitemap,
}
