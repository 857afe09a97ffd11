from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .models import Article, Category, CompanyTag, TopicTag


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("-published_at", "-id")

    def lastmod(self, article):
        return article.modified_at


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class TagSitemap(Sitemap):
    """Company, topic or category pages that list at least one published article."""

    changefreq = "daily"
    priority = 0.5
    model = None
    articles = None  # how the model reaches its articles

    def items(self):
        published = Q(**{f"{self.articles}__in": Article.objects.published()})
        return (
            self.model.objects.filter(published)
            .annotate(latest=Max(f"{self.articles}__published_at", filter=published))
            .order_by("slug")
        )

    def lastmod(self, obj):
        return obj.latest


class CompanySitemap(TagSitemap):
    model, articles = CompanyTag, "tagged_articles__content_object"


class TopicSitemap(TagSitemap):
    model, articles = TopicTag, "tagged_articles__content_object"


class CategorySitemap(TagSitemap):
    model, articles = Category, "articles"


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "companies": CompanySitemap,
    "topics": TopicSitemap,
    "categories": CategorySitemap,
}
