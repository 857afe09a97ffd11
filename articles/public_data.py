"""What readers' pages show that costs more as the archive grows: which tags have
published articles and how many, and each article's related articles. Computed once per
generation of public pages (articles/caching.py), so a request pays for it only after a
change readers can see."""

from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import caching
from .models import Article, Category


def public_tags(model, articles="tagged_articles__content_object"):
    """``[tag]`` of ``model`` with at least one published article, most used first, each
    with ``article_count`` and ``latest`` (its newest article's date)."""

    def compute():
        published = Q(**{f"{articles}__in": Article.objects.published()})
        return list(
            model.objects.annotate(
                article_count=Count(articles, filter=published),
                latest=Max(f"{articles}__published_at", filter=published),
            )
            .filter(article_count__gt=0)
            .order_by("-article_count", "name")
        )

    return caching.remember(f"tags:{model._meta.label}", compute)


def tag_counts(model, articles="tagged_articles__content_object"):
    """``{pk: number of published articles}`` for ``model``'s tags (or categories) that
    have any: what a list page's paginator needs, without counting the rows again."""
    return caching.remember(
        f"counts:{model._meta.label}",
        lambda: {tag.pk: tag.article_count for tag in public_tags(model, articles)},
    )


def is_common(model, tag):
    """Whether ``tag`` is on enough of the archive (2% or more) that its newest
    articles are best found newest-first (``ArticleQuerySet.with_tag``)."""
    return tag_counts(model).get(tag.pk, 0) * 50 >= published_count()


def articles_with_tag(queryset, field, model, tag):
    return queryset.with_tag(field, tag, common=is_common(model, tag))


def published_count():
    return caching.remember("count:published", lambda: Article.objects.published().count())


def latest_publication():
    """When readers last got something new: the newest publication or new version."""

    def compute():
        dates = Article.objects.published().aggregate(first=Max("published_at"), again=Max("last_published_at"))
        return max(filter(None, dates.values()), default=None)

    return caching.remember("latest-publication", compute)


def public_tag(model, slug):
    """The tag of ``model`` at ``slug`` if a published article carries it, else None."""

    def compute():
        published = Article.objects.published().values("pk")
        # False, not None: "no such tag" is worth remembering too.
        return model.objects.filter(slug=slug, tagged_articles__content_object__in=published).first() or False

    return caching.remember(f"tag:{model._meta.label}:{slug}", compute) or None


def related_articles(article):
    """``Article.objects.related_to(article)``, as a list, once per generation."""
    return caching.remember(f"related:{article.pk}", lambda: list(Article.objects.related_to(article)))


def filtered(articles, model, field, obj):
    """``articles`` of one company, topic or category, in the plan that suits it."""
    if model is Category:
        return articles.filter(category=obj)
    return articles_with_tag(articles, field, model, obj)


def filter_object(model, slug, needs_published_article=True):
    """The company, topic or category a public page or feed is about, or 404."""
    if not needs_published_article:
        return get_object_or_404(model, slug=slug)
    found = public_tag(model, slug)
    if found is None:
        raise Http404
    return found
