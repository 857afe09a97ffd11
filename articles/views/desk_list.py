"""The desk's list of articles: search, filters, order, pages, and one workflow action
for many articles at once (the rules stay in articles/publishing/workflow.py)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles.forms.desk import ArticleFilterForm, BulkActionForm
from articles.publishing import workflow
from articles.reading import readership
from articles.views.access import articles_known_to, desk_user_required

PER_PAGE = 50
HEAVY_COLUMNS = ("body", "body_html", "body_text", "search_text", "search_forms", "picture_words",
                 "latest_revision__body", "latest_revision__excerpt", "latest_revision__markup")


def _people():
    """Everyone with a role in the desk, for the author filter."""
    return (get_user_model().objects.filter(Q(groups__name__in=["Writers", "Editors"]) | Q(is_superuser=True))
            .distinct().order_by("first_name", "last_name", "username"))


@desk_user_required
def article_list(request, bulk_form=None):
    form = ArticleFilterForm(request.GET or None, people=_people())
    # A row prints titles, states and dates: never the texts (up to 100,000 characters
    # each, for the article and its working copy).
    known = (articles_known_to(request.user).select_related("latest_revision", "category", "owner")
             .defer(*HEAVY_COLUMNS).with_last_action())
    valid = form.is_valid() if form.is_bound else True
    articles = form.filter(known) if form.is_bound and valid else known.order_by("-updated_at", "-id")
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    # Reads in the last 7 days, for this page's rows only (one query).
    reads = readership.reads_since(timezone.now() - readership.PERIODS["week"], [a.pk for a in page])
    for article in page:
        article.reads_this_week = reads.get(article.pk, 0)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "desk/article_list.html", {
        "form": form,
        "bulk_form": bulk_form or BulkActionForm(),
        "page_obj": page,
        "query": query.urlencode(),
        "filtered": bool(query),
    }, status=200 if valid else 400)


@require_POST
@desk_user_required
def bulk_action(request):
    back = reverse("desk:articles") + (f"?{request.GET.urlencode()}" if request.GET else "")
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    asked = [pk for pk, _revision in form.cleaned_data["articles"]]
    known = articles_known_to(request.user).select_related("latest_revision").in_bulk(asked)
    chosen = [(known[pk], revision) for pk, revision in form.cleaned_data["articles"] if pk in known]
    action = form.cleaned_data["action"]
    done, refused = workflow.apply_to_many(chosen, action, request.user, form.cleaned_data["note"])
    if done:
        messages.success(request, ngettext(
            "%(action)s: %(count)d article.", "%(action)s: %(count)d articles.", len(done),
        ) % {"action": workflow.ACTIONS[action].label, "count": len(done)})
    for article, reason in refused:
        messages.error(request, _("Not done for “%(title)s”: %(reason)s") % {
            "title": article.latest_revision.title if article.latest_revision else article.title, "reason": reason})
    missing = len(form.cleaned_data["articles"]) - len(chosen)
    if missing:
        messages.error(request, ngettext(
            "%(count)d article is no longer there.", "%(count)d articles are no longer there.", missing,
        ) % {"count": missing})
    return redirect(back)


