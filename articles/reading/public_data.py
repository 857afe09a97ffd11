"""What readers' pages show that costs more as the archive grows: which tags have
published articles and how many, and each article's related articles. Computed once per
change of what they show (articles/reading/caching.py), so a request pays for it only after a
change readers can see. The counts are kept in the database and moved by each change
(``recount``, ``count_all``; articles/reading/public_changes.py), not counted over the archive."""

import contextlib
import contextvars
import re

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404

from articles.models import Article, Category, PublicCount
from articles.models.tags import CompanyTag, TaggedCompany, TaggedTopic, TopicTag
from articles.reading import caching, compression


def public_tags(model):
    """``[tag]`` of ``model`` (a vocabulary, or Category) with at least one published
    article, most used first, each with ``article_count`` and ``latest`` (its newest
    article's date)."""
    return caching.remember(f"tags:{model._meta.label}", lambda: _counted(model), areas=(caching.LIVE,))


def _counted(model):
    """The tags of ``public_tags``, from the kept counts (``PublicCount``): as many rows
    as there are tags, whatever the size of the archive."""
    count = PublicCount.objects.filter(kind=_KINDS[model._meta.label], key=OuterRef("pk"))
    tags = model.objects.annotate(article_count=Subquery(count.values("articles")),
                                  latest=Subquery(count.values("latest"))).filter(article_count__gt=0)
    return sorted(tags, key=lambda tag: (-tag.article_count, tag.name))


# PublicCount.kind of each model counted.
_KINDS = {"articles.CompanyTag": "company", "articles.TopicTag": "topic", "articles.Category": "category"}


def recount(kind, keys):
    """Count again the live articles of the companies, topics or categories ``keys`` (of
    ``kind``): after a change that moved an article into or out of them. Each count reads
    that tag's articles only, through an index. Their rows are locked first, so that two
    changes at once count one after the other. (Within ``counted_once()``: later.)"""
    keys = sorted(set(keys) - {None})
    if not keys:
        return
    later = _later.get()
    if later is not None:
        later.setdefault(kind, set()).update(keys)
    else:
        _count(kind, keys)


def _count(kind, keys):
    with transaction.atomic():
        PublicCount.objects.bulk_create([PublicCount(kind=kind, key=key) for key in keys], ignore_conflicts=True)
        list(PublicCount.objects.select_for_update().filter(kind=kind, key__in=keys).order_by("key"))
        live = Article.objects.published()
        if kind == "category":
            counted = live.filter(category_id__in=keys).values("category_id").annotate(
                n=Count("id"), newest=Max("published_at")).values_list("category_id", "n", "newest")
        else:
            through = TAGGED[kind]
            counted = through.objects.filter(tag_id__in=keys, content_object__in=live).values("tag_id").annotate(
                n=Count("id"), newest=Max("content_object__published_at")).values_list("tag_id", "n", "newest")
        found = {key: (n, newest) for key, n, newest in counted}
        for key in keys:
            articles, latest = found.get(key, (0, None))
            PublicCount.objects.filter(kind=kind, key=key).update(articles=articles, latest=latest)


_later = contextvars.ContextVar("recounted_later", default=None)


# Within ``counted_once()``: the time up to which scheduled articles are known counted
# (articles/reading/public_changes.py keeps it).
DUE_CHECKED = "due checked"


def bulk():
    """What ``counted_once()`` keeps for the bulk write under way, or None outside one."""
    return _later.get()


@contextlib.contextmanager
def counted_once():
    """For a bulk write (an import): within it, ``recount()``, ``count_all()`` and
    ``caching.areas_changed()`` note what they would count, and each is counted once on
    the way out: an import of a thousand posts counted the same few tags, the live
    articles and the areas of the change again after every post (half its statements).
    Pages made meanwhile are made again once the counts are right."""
    later = {"all": 0}
    token, areas = _later.set(later), caching.gathered_areas()
    try:
        yield
    finally:
        if _later.get() is later:  # (a generator closed elsewhere runs this in another context)
            _later.reset(token)
        names = caching.stop_gathering(areas)
        later.pop(DUE_CHECKED, None)
        delta = later.pop("all")
        if delta:
            _count_all(delta)
        for kind, keys in later.items():
            _count(kind, sorted(keys))
            names |= {caching.list_area(kind, key) for key in keys}
        if names:
            caching.areas_changed(names)


# The through model of each tag kind (articles/reading/public_changes.py reads it too).
TAGGED = {"company": TaggedCompany, "topic": TaggedTopic}


def count_all(delta):
    """One article more (``delta`` 1) or fewer (-1) is live. (Within ``counted_once()``:
    later.)"""
    later = _later.get()
    if later is not None:
        later["all"] += delta
    else:
        _count_all(delta)


def _count_all(delta):
    PublicCount.objects.bulk_create([PublicCount(kind="all", key=0)], ignore_conflicts=True)
    PublicCount.objects.filter(kind="all", key=0).update(articles=Greatest(F("articles") + delta, 0))


def recount_everything():
    """Every count from the whole archive: after a live article was deleted."""
    with transaction.atomic():
        PublicCount.objects.all().delete()
        PublicCount.objects.create(kind="all", key=0, articles=Article.objects.published().count())
        for model in (CompanyTag, TopicTag, Category):
            kind = _KINDS[model._meta.label]
            recount(kind, list(model.objects.values_list("pk", flat=True)))
        PublicCount.objects.filter(articles=0).exclude(kind="all").delete()


def is_common(tag):
    """Whether ``tag`` (from ``filter_object``) is on enough of the archive (2% or more)
    that its newest articles are best found newest-first (``ArticleQuerySet.with_tag``)."""
    return tag.article_count * 50 >= published_count()


def published_count():
    def compute():
        return PublicCount.objects.filter(kind="all", key=0).values_list("articles", flat=True).first() or 0

    return caching.remember("count:published", compute, areas=(caching.LIVE,))


def latest_publication():
    """When readers last got something new: the newest publication or new version."""

    def compute():
        dates = Article.objects.published().aggregate(first=Max("published_at"), again=Max("last_published_at"))
        return max(filter(None, dates.values()), default=None)

    return caching.remember("latest-publication", compute)


def related_articles(article):
    """``Article.objects.related_to(article)``, as a list, made again when one of its tags
    gains or loses an article, or one of the articles it holds changes."""
    tags = [caching.list_area("company", tag.pk) for tag in article.company_list] + [
        caching.list_area("topic", tag.pk) for tag in article.topic_list]

    def areas(related):
        return [*(tags or [caching.LIVE]), *(caching.article_area(item.pk) for item in related)]

    return caching.remember(f"related:{article.pk}", lambda: list(Article.objects.related_to(article)), areas=areas)


def live_article(slug):
    """The live article at ``slug`` with everything its page prints (HTML, tags, section,
    cover, author), or None: kept until it changes (its area), or, when there is none,
    until an article goes live."""

    def load():
        article = Article.objects.published().for_listing(with_html=True).filter(slug=slug).first()
        if article is None:
            return False  # not None: "nothing here" is worth remembering too
        # Its body compressed and hashed once, for every page made of it (articles/reading/compression.py).
        article.body_piece = compression.piece(article.body_html.encode())
        return article

    def areas(article):
        return [caching.article_area(article.pk)] if article else [caching.LIVE]

    return caching.remember(f"article:{slug}", load, areas=areas) or None


def filtered(articles, model, field, obj):
    """``articles`` of one company, topic or category (from ``filter_object``), in the
    plan that suits it."""
    if model is Category:
        return articles.filter(category=obj)
    return articles.with_tag(field, obj, common=is_common(obj))


# The shape of any tag's or category's slug (taggit's and ours: letters of any script,
# digits, hyphens and underscores, at most 100 characters).
_PLAUSIBLE_SLUG = re.compile(r"[-\w]{1,100}")


def public_tag(model, slug):
    """The company, topic or category of ``model`` with this slug and a published
    article, with its ``article_count``; None if there is none."""

    if not _PLAUSIBLE_SLUG.fullmatch(slug or ""):
        return None  # no tag has such an address: nothing to look up, nothing to keep

    def compute():
        # False, not None: "not public" is worth remembering too.
        return next((tag for tag in public_tags(model) if tag.slug == slug), False)

    return caching.remember(f"tag:{model._meta.label}:{slug}", compute, areas=(caching.LIVE,)) or None


def filter_object(model, slug, needs_published_article=True):
    """The company, topic or category a public page or feed is about, with its
    ``article_count``, or 404. A company or topic without a published article is not
    public (its name belongs to a draft); a category always is."""
    found = public_tag(model, slug)
    if found:
        return found
    if needs_published_article:
        raise Http404
    empty = get_object_or_404(model, slug=slug)
    empty.article_count = 0
    return empty
