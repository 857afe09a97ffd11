"""The sitemaps: Django's sitemap framework (its classes and views), with each section's
addresses written in Python (``section``) rather than through its template."""

import datetime as dt
from html import escape as _e

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from articles.converters import dated_address
from articles.models import Article, AuthorProfile, Category, CompanyTag, TopicTag
from articles.reading.public_data import latest_publication, public_tags, published_count
from articles.rendering.dates import machine_time


class ArticleSitemap(Sitemap):
    """Every public article, in pages of ``limit`` listed by the sitemap index; a page
    reads only the columns its addresses and dates need. 1,000 a page (the protocol
    allows 50,000; WordPress writes 2,000 and Yoast 1,000): a page costs the same
    however large the archive, and crawlers fetch the index's pages as they need them."""

    changefreq = "weekly"
    priority = 0.8
    limit = 1_000

    def items(self):
        return _LiveAddresses()

    def lastmod(self, row):
        _slug, published_at, last_published_at = row
        return Article.modified(published_at, last_published_at)

    def get_urls(self, page=1, site=None, protocol=None):
        """Django's ``get_urls()`` for these rows, without its per-item lookups (a third
        of a page): the same addresses, dates and ``latest_lastmod``."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        zone = timezone.get_current_timezone()
        urls = []
        for row in self.paginator.page(page).object_list:
            slug, published_at, _last = row
            urls.append({"item": row, "lastmod": self.lastmod(row), "changefreq": self.changefreq,
                         "priority": str(self.priority), "alternates": [],
                         "location": base + dated_address("articles:detail", published_at.astimezone(zone).date(),
                                                          slug)})
        if urls:
            self.latest_lastmod = max(url["lastmod"] for url in urls)
        return urls

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every article loaded to find the newest.
        return latest_publication()


class _LiveAddresses:
    """``(slug, published_at, last_published_at)`` of the live articles, newest first, as
    the sitemap's paginator slices them: a page's ids are found in the index alone, then
    its rows by id (an OFFSET deep in the archive walked 50,000 rows of the table: 35
    ms of 85 at 100,000 articles on PostgreSQL)."""

    NEWEST = ("-published_at", "-id")

    def __len__(self):
        return published_count()  # counted once per change, not per request

    def __getitem__(self, part):
        ids = Article.objects.published().order_by(*self.NEWEST).values("pk")[part]
        return list(Article.objects.filter(pk__in=Subquery(ids)).order_by(*self.NEWEST)
                    .values_list("slug", "published_at", "last_published_at"))


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


class AuthorSitemap(Sitemap):
    """The pages of writers with at least one live article."""

    changefreq = "daily"
    priority = 0.4

    def items(self):
        newest = Article.objects.published().filter(owner=OuterRef("user")).order_by("-published_at")
        return list(AuthorProfile.objects.annotate(latest=Subquery(newest.values("published_at")[:1]))
                    .filter(latest__isnull=False).order_by("slug"))

    def lastmod(self, profile):
        return profile.latest

    def get_latest_lastmod(self):
        return latest_publication()


class NewsSitemap(Sitemap):
    """Google News' sitemap: the articles of the last two days (at most 1,000), each with
    its publication, language, date and title."""

    limit = 1_000
    DAYS = 2

    def items(self):
        since = timezone.now() - dt.timedelta(days=self.DAYS)
        return list(Article.objects.published().filter(published_at__gte=since).order_by("-published_at", "-id")
                    .only("slug", "title", "language", "published_at")[: self.limit])

    def location(self, article):
        return article.canonical_path()

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            article = url["item"]
            url["news"] = {"name": settings.EDITORIAL_SITE_NAME, "language": article.language or settings.LANGUAGE_CODE,
                           "publication_date": article.published_at, "title": article.title}
        return urls

    def get_latest_lastmod(self):
        return latest_publication()


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "companies": CompanySitemap,
    "topics": TopicSitemap,
    "categories": CategorySitemap,
    "authors": AuthorSitemap,
    "news": NewsSitemap,
}


def section(request, sitemaps, section):
    """Django's ``sitemap`` view (pagination, 404 for a page past the end, Last-Modified),
    its ``urlset`` written here: a thousand addresses through the template engine cost
    75 ms, a page a crawler may ask for at any time."""
    response = sitemap_views.sitemap(request, sitemaps, section=section)
    response.content = urlset(response.context_data["urlset"])
    return response


def urlset(urls):
    """The XML of the sitemap template (django/contrib/sitemaps/templates/sitemap.xml),
    without the whitespace its ``spaceless`` takes out."""
    news = any("news" in url for url in urls)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml"',
             ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else "", ">\n"]
    for url in urls:
        parts.append(f"<url><loc>{_e(url['location'])}</loc>")
        if url.get("lastmod"):
            parts.append(f"<lastmod>{_w3c(url['lastmod'])}</lastmod>")
        if "news" in url:
            item = url["news"]
            parts.append(f"<news:news><news:publication><news:name>{_e(item['name'])}</news:name>"
                         f"<news:language>{_e(item['language'])}</news:language></news:publication>"
                         f"<news:publication_date>{machine_time(item['publication_date'])}</news:publication_date>"
                         f"<news:title>{_e(item['title'])}</news:title></news:news>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{_e(str(url['changefreq']))}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{_e(str(url['priority']))}</priority>")
        for alternate in url.get("alternates") or ():
            parts.append(f'<xhtml:link rel="alternate" hreflang="{_e(alternate["lang_code"])}" '
                         f'href="{_e(alternate["location"])}"/>')
        parts.append("</url>")
    parts.append("\n</urlset>\n")
    return "".join(parts)


def _w3c(value):
    # W3C Datetime, as the protocol asks: to the second for a time (a correction made
    # today is news to a crawler that came this morning), the day for a date.
    if isinstance(value, dt.datetime):
        return machine_time(value)
    return value.strftime("%Y-%m-%d")
