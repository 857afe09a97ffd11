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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import throttling
from articles.checks.article_text import ArticleText
from articles.checks.editorial import run_checks
from articles.forms.articles import LivePreviewForm
from articles.media import images, pictures
from articles.media.pictures import cover_figure
from articles.models import Article, CompanyTag, Image, TopicTag
from articles.reading import cards
from articles.rendering import markdown
from articles.rendering.plain_text import character_count, html_to_text, reading_time_minutes
from articles.rendering.text import suggested_slug, tag_slug
from articles.views.access import article_for, desk_user_required

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
    if article is None or article.latest_revision is None or article.status == Article.Status.UNPUBLISHED:
        raise Http404("This preview link has been revoked.")
    return article


def _tags(model, names):
    found = {tag.name: tag for tag in model.objects.filter(name__in=names)}
    # A tag the working copy introduces has no row yet: show it with the address it will get.
    return [found.get(name) or model(name=name, slug=tag_slug(name)) for name in names]


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
        cover=revision.cover,
        body_html=body_html,
        reading_time=reading_time_minutes(html_to_text(body_html)),
        published_at=article.published_at or timezone.now(),
    )
    return {
        "article": stand_in,
        "meta": cards.meta(stand_in),
        "tags": cards.tags(_tags(CompanyTag, revision.companies), _tags(TopicTag, revision.topics)),
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
    """The live preview pane: Markdown in, the HTML readers would get out, and the checks.

    Rate-limited per writer; the same limits as saving apply, with the reason as
    ``error`` in the JSON answer.
    """
    wait = throttling.wait_seconds(request, throttling.PREVIEW)
    if wait:
        return _refused(
            _("Too many previews in a short time: the preview resumes in %(seconds)d s.") % {"seconds": wait},
            status=429, retry_after=wait,
        )
    form = throttling.bound_body_form(request, LivePreviewForm)
    if not form.is_valid():
        messages = [str(message) for errors in form.errors.values() for message in errors]
        status = 429 if form.has_error("body", code="throttled") else 400
        return _refused(" ".join(messages), status=status)
    fields = form.content().as_revision_fields()
    rendered = markdown.render(fields["body"])
    # The article being edited, if any: the checks an editor stopped for it stay stopped,
    # and its language decides whether the Japanese writing checks run.
    pk = request.GET.get("article", "")
    article = article_for(request, int(pk)) if pk.isdigit() and len(pk) < 19 else None
    text = ArticleText(
        title=fields["title"], body=fields["body"], excerpt=fields["excerpt"], companies=fields["companies"],
        topics=fields["topics"], rendering=rendered, cover_id=fields["cover"].pk if fields["cover"] else None,
        silenced=frozenset(article.silenced_rules) if article else frozenset(),
        language=article.language if article else "",
    )
    plain = html_to_text(rendered.html)
    shown = pictures.shown(fields["body"], fields["cover"].pk if fields["cover"] else None)
    return JsonResponse({
        # The page asks again in a few seconds, until every picture is made.
        "pictures_pending": Image.State.PROCESSING in images.unready(shown).values(),
        "cover_html": cover_figure(fields["cover"]),
        "html": pictures.served(rendered.html),
        "reading_time": reading_time_minutes(plain),
        "characters": character_count(plain),
        # The address the server makes if the field is left empty (without a -2 for a
        # taken one): shown in the empty field.
        "suggested_slug": suggested_slug(fields["title"]),
        "checks_html": render_to_string("desk/_checks.html", {"findings": run_checks(text), "fixable": True},
                                        request=request),
    })


def _refused(message, *, status, retry_after=None):
    response = JsonResponse({"error": message}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
