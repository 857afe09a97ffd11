"""The working copy shown exactly as readers will get it: in the desk, and through
signed links that let someone without an account review an unpublished article."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from taggit.utils import parse_tags

from ..checks import ArticleText, run_checks
from ..editing import Content
from ..models import Article, CompanyTag, TopicTag
from ..rendering import html_to_text, reading_time_minutes, render_markdown
from .access import article_for, desk_user_required

SHARE_SALT = "articles.preview-link"


def share_token(article):
    """A signed token naming the article and its current preview key."""
    return signing.dumps({"a": article.pk, "k": article.preview_key}, salt=SHARE_SALT, compress=True)


def share_expires(now=None):
    return (now or timezone.now()) + dt.timedelta(days=settings.EDITORIAL_PREVIEW_LINK_DAYS)


def _article_from_token(token):
    try:
        data = signing.loads(
            token, salt=SHARE_SALT, max_age=dt.timedelta(days=settings.EDITORIAL_PREVIEW_LINK_DAYS)
        )
    except signing.SignatureExpired:
        raise Http404("This preview link has expired.") from None
    except signing.BadSignature:
        raise Http404("This preview link is not valid.") from None
    article = (
        Article.objects.select_related("latest_revision__category")
        .filter(pk=data.get("a"), preview_key=data.get("k"))
        .first()
    )
    if article is None or article.latest_revision is None:
        raise Http404("This preview link has been revoked.")
    return article


def _tags(model, names):
    found = {tag.name: tag for tag in model.objects.filter(name__in=names)}
    return [found.get(name) or model(name=name, slug=slugify(name, allow_unicode=True)) for name in names]


def reader_context(article, revision):
    """Context for the public article template, built from ``revision``."""
    body_html = revision.body_html()
    stand_in = Article(
        pk=article.pk,
        title=revision.title,
        slug=revision.slug,
        excerpt=revision.excerpt,
        byline=revision.byline,
        category=revision.category,
        body_html=body_html,
        reading_time=reading_time_minutes(html_to_text(body_html)),
        published_at=article.published_at or timezone.now(),
    )
    return {
        "article": stand_in,
        "companies": _tags(CompanyTag, revision.companies),
        "topics": _tags(TopicTag, revision.topics),
        "preview": True,
    }


def _preview_response(request, article, **extra):
    response = render(request, "articles/article_detail.html", {**reader_context(article, article.latest_revision),
                                                                  **extra})
    # Never indexed, never cached: the text is unpublished and may change any minute.
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


@desk_user_required
def preview_as_reader(request, pk):
    article = article_for(request, pk)
    return _preview_response(request, article, preview_kind="desk")


def shared_preview(request, token):
    article = _article_from_token(token)
    return _preview_response(request, article, preview_kind="shared")


@require_POST
@desk_user_required
def render_preview(request):
    """The live preview pane: Markdown in, the HTML readers would get out."""
    body_html = render_markdown(request.POST.get("body", ""))
    fields = Content(
        title=request.POST.get("title", ""),
        slug="",
        excerpt=request.POST.get("excerpt", ""),
        body=request.POST.get("body", ""),
        companies=tuple(parse_tags(request.POST.get("companies", ""))),
        topics=tuple(parse_tags(request.POST.get("topics", ""))),
    ).as_revision_fields()
    text = ArticleText(
        title=fields["title"], body=fields["body"], excerpt=fields["excerpt"], companies=fields["companies"],
        topics=fields["topics"], body_html=body_html,
    )
    return JsonResponse({
        "html": body_html,
        "reading_time": reading_time_minutes(html_to_text(body_html)),
        "checks_html": render_to_string("desk/_checks.html", {"findings": run_checks(text)}, request=request),
    })
