"""RSS 2.0 and Atom feeds of the newest articles, site-wide and per company, topic and
category. ``EDITORIAL_FEED_FULL_CONTENT`` chooses the whole article or its excerpt."""

import copy
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from articles.media.pictures import image_data, served
from articles.models import Article, Category, CompanyTag, TopicTag
from articles.reading import caching, cards
from articles.reading.public_data import filter_object, filtered
from articles.rendering import figures
from articles.rendering.text import strip_control_characters

FEED_SIZE = 20


def _xml_safe(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_safe(item) for item in value)
    return value


class _XmlSafe:
    """A feed generator that leaves out what XML 1.0 cannot carry. Inputs are cleaned
    when stored; this keeps one old or stray character from breaking the feed for all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{key: _xml_safe(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{key: _xml_safe(value) for key, value in kwargs.items()})


class RssFeed(_XmlSafe, Rss201rev2Feed):
    pass


class AtomFeed(_XmlSafe, Atom1Feed):
    """Atom with the article's text in ``<content>`` and its excerpt in ``<summary>``
    (Django's puts whatever the description is in ``<summary>``)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestArticlesFeed(Feed):
    feed_type = RssFeed
    description = _("The newest articles.")

    def get_feed(self, obj, request):
        # The feed object serves every request; a copy of it knows this one's host.
        feed = copy.copy(self)
        feed.request = request
        return Feed.get_feed(feed, obj, request)

    def title(self, obj=None):
        return f"{obj.name} | {settings.EDITORIAL_SITE_NAME}" if obj else settings.EDITORIAL_SITE_NAME

    def link(self, obj=None):
        return obj.get_absolute_url() if obj else reverse("articles:index")

    area_kind = None  # of the list it follows (articles/reading/caching.py)

    def items(self, obj=None):
        articles = Article.objects.published().for_listing(with_html=True)
        if obj is not None:
            articles = filtered(articles, self.filter_model, self.filter_field, obj)
        items = list(articles.order_by("-published_at", "-id").prefetch_related("public_notes")[:FEED_SIZE])
        caching.shows(caching.list_area(self.area_kind, obj.pk) if obj is not None else caching.LIVE)
        caching.shows_articles(items)
        return items

    def item_title(self, item):
        return item.title

    def item_guid(self, item):
        # Neither the address (which a renamed article changes) nor the language of
        # the feed: a reader keeps one entry per article (RFC 4151 tag URI).
        host = urlsplit(self.request.build_absolute_uri("/")).hostname
        return f"tag:{host},{timezone.localtime(item.created_at):%Y-%m-%d}:article:{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        if not settings.EDITORIAL_FEED_FULL_CONTENT:
            return item.excerpt
        return self.full_text(item)

    def full_text(self, item):
        """The article's text as HTML with its cover and its corrections and updates,
        every address absolute."""
        html = item.body_html + cards.public_notes(list(item.public_notes.all()))
        if item.cover is not None and item.cover.is_ready:
            cover = image_data(item.cover, item.shown_words)
            html = figures.figure(cover, sizes=figures.COVER_SIZES, css="cover") + html
        base = self.request.build_absolute_uri("/")[:-1]
        return served(html, host=base)

    def item_enclosures(self, item):
        if item.cover is None or not item.cover.is_ready:
            return []
        data = image_data(item.cover)
        return [Enclosure(self.request.build_absolute_uri(data["social"]), str(data["social_size"]), "image/jpeg")]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return item.credited_name or None

    def item_author_link(self, item):
        profile = item.author_profile
        return self.request.build_absolute_uri(profile.get_absolute_url()) if profile else None

    def author_name(self):
        # The feed's author, which Atom gives every entry that names none (RFC 4287 §4.1.1).
        return settings.EDITORIAL_SITE_NAME

    def author_link(self):
        return self.request.build_absolute_uri(reverse("articles:index"))

    def item_categories(self, item):
        tags = [tag.name for tag in [*item.company_list, *item.topic_list]]
        return [item.category.name, *tags] if item.category else tags


class AtomMixin:
    feed_type = AtomFeed

    def item_description(self, item):
        return item.excerpt

    def item_extra_kwargs(self, item):
        return {"content": self.full_text(item)} if settings.EDITORIAL_FEED_FULL_CONTENT else {}

    def subtitle(self, obj=None):
        return self.description


class FilteredFeedMixin:
    filter_model = None
    filter_field = None

    def get_object(self, request, slug):
        return filter_object(self.filter_model, slug, self.filter_model is not Category)


class CompanyFeed(FilteredFeedMixin, LatestArticlesFeed):
    filter_model, filter_field, area_kind = CompanyTag, "companies", "company"


class TopicFeed(FilteredFeedMixin, LatestArticlesFeed):
    filter_model, filter_field, area_kind = TopicTag, "topics", "topic"


class CategoryFeed(FilteredFeedMixin, LatestArticlesFeed):
    filter_model, filter_field, area_kind = Category, "category", "category"


class LatestArticlesAtomFeed(AtomMixin, LatestArticlesFeed):
    pass


class CompanyAtomFeed(AtomMixin, CompanyFeed):
    pass


class TopicAtomFeed(AtomMixin, TopicFeed):
    pass


class CategoryAtomFeed(AtomMixin, CategoryFeed):
    pass
