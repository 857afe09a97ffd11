"""RSS 2.0 and Atom feeds of the newest articles, site-wide and per company, topic and
category. ``EDITORIAL_FEED_FULL_CONTENT`` chooses the whole article or its excerpt."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .models import Article, Category, CompanyTag, TopicTag
from .text import strip_control_characters

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
    pass


class LatestArticlesFeed(Feed):
    feed_type = RssFeed
    description = _("The newest articles.")

    def title(self, obj=None):
        return f"{obj.name} | {settings.EDITORIAL_SITE_NAME}" if obj else settings.EDITORIAL_SITE_NAME

    def link(self, obj=None):
        return obj.get_absolute_url() if obj else reverse("articles:index")

    def items(self, obj=None):
        articles = Article.objects.published().for_listing()
        if obj is not None:
            articles = articles.filter(**{self.filter_field: obj})
        return articles.order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html if settings.EDITORIAL_FEED_FULL_CONTENT else item.excerpt

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        tags = [tag.name for tag in [*item.companies.all(), *item.topics.all()]]
        return [item.category.name, *tags] if item.category else tags


class AtomMixin:
    feed_type = AtomFeed

    def subtitle(self, obj=None):
        return self.description


class FilteredFeedMixin:
    filter_model = None
    filter_field = None

    def get_object(self, request, slug):
        from .views.public import filter_object

        return filter_object(self.filter_model, slug, self.filter_model is not Category)


class CompanyFeed(FilteredFeedMixin, LatestArticlesFeed):
    filter_model, filter_field = CompanyTag, "companies"


class TopicFeed(FilteredFeedMixin, LatestArticlesFeed):
    filter_model, filter_field = TopicTag, "topics"


class CategoryFeed(FilteredFeedMixin, LatestArticlesFeed):
    filter_model, filter_field = Category, "category"


class LatestArticlesAtomFeed(AtomMixin, LatestArticlesFeed):
    pass


class CompanyAtomFeed(AtomMixin, CompanyFeed):
    pass


class TopicAtomFeed(AtomMixin, TopicFeed):
    pass


class CategoryAtomFeed(AtomMixin, CategoryFeed):
    pass
