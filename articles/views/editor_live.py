"""What the editor page does while someone types: saves the working copy on its own
(autosave) and says who else has the article open (presence)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import throttling
from articles.forms.articles import ArticleForm
from articles.models import EditingPresence, person_name
from articles.publishing import editing, locks, permissions
from articles.views.access import article_for, create_once, desk_user_required, made_by_this_page

# A page that has not said it is open for this long is gone (it says so every 20 s).
PRESENCE_SECONDS = 60


def _refused(message, status, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def _form_errors(form):
    return " ".join(f"{form[name].label}: {message}" if name in form.fields else message
                    for name, errors in form.errors.items() for message in errors)


@require_POST
@desk_user_required
def autosave(request, pk=None):
    """Save the editor's form as a new working copy, marked as saved automatically. A
    new article is created by its first autosave; the answer gives its addresses."""
    if pk is None and (made := made_by_this_page(request)) is not None:
        pk = made.pk  # this page's save made the article a moment ago
    try:
        article = article_for(request, pk, for_edit=True) if pk is not None else None
    except PermissionDenied as refusal:
        # Submitted for review a moment ago, say: an answer for the page, not an error
        # for the log.
        return _refused(str(refusal), 403)
    form = throttling.bound_body_form(request, ArticleForm, **({"article": article} if article else {}))
    if not form.is_valid():
        status = 429 if form.has_error("body", code="throttled") else 400
        return _refused(_form_errors(form), status)
    created = False
    if article is None:
        article, created = create_once(request, form, autosaved=True)
    if not created:
        try:
            editing.save_working_copy(article, form.content(), request.user,
                                      base_version=form.cleaned_data["version"], autosaved=True)
        except editing.EditConflict as conflict:
            theirs = conflict.article.latest_revision
            return _refused(
                _("%(who)s saved this article meanwhile, so it is no longer saved automatically. Your text is "
                  "safe in this browser; save it to see the differences.")
                % {"who": theirs.author_name or _("Someone")},
                409,
            )
        except locks.Locked as locked:
            return _refused(str(locked), 423, lock=locked.holder.as_json())
    article.refresh_from_db()
    return JsonResponse({
        "version": article.version,
        # The address the server made when the field was left empty: the form takes it.
        "slug": article.latest_revision.slug,
        "saved_at": timezone.localtime(article.updated_at).strftime("%H:%M"),
        "edit_url": reverse("desk:edit", kwargs={"pk": article.pk}),
        "autosave_url": reverse("desk:autosave", kwargs={"pk": article.pk}),
        "presence_url": reverse("desk:presence", kwargs={"pk": article.pk}),
        "draft_key": f"article-{article.pk}",
    })


def others_editing(article, user):
    """Names of the other people with ``article`` open in the editor now."""
    since = timezone.now() - dt.timedelta(seconds=PRESENCE_SECONDS)
    rows = (EditingPresence.objects.filter(article=article, seen_at__gte=since).exclude(user=user)
            .select_related("user").order_by("seen_at"))
    return [person_name(row.user) for row in rows]


def mark_present(article, user):
    EditingPresence.objects.update_or_create(article=article, user=user, defaults={"seen_at": timezone.now()})


@require_POST
@desk_user_required
def presence(request, pk):
    """The editor page's sign of life (or, with ``leaving``, its goodbye); the answer
    names the others who have the article open."""
    article = article_for(request, pk)
    if request.POST.get("leaving"):
        EditingPresence.objects.filter(article=article, user=request.user).delete()
        locks.release(article, request.user)
        return JsonResponse({"others": []})
    mark_present(article, request.user)
    # A page that is only reading (someone else had the article when it opened, or took
    # it over since) keeps no lock and takes none: it learns whether one is free.
    editing_page = request.POST.get("editing") == "1" and permissions.can_edit(request.user, article)
    holder = locks.hold(article, request.user) if editing_page else locks.holder(article)
    return JsonResponse({
        "others": others_editing(article, request.user),
        "lock": None if holder is None else {**holder.as_json(), "mine": holder.user_id == request.user.pk},
    })


@require_POST
@desk_user_required
def take_over(request, pk):
    """Take the article's lock (from whoever holds it) and open its editor."""
    article = article_for(request, pk, for_edit=True)
    if locks.take_over(article, request.user) is not None:
        messages.success(request, _("You are editing the article now. Whoever had it can no longer save."))
    return redirect("desk:edit", pk=article.pk)
