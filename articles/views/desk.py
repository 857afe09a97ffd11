"""The desk: where writers write and editors review. Business rules live in
articles/publishing/workflow.py and articles/publishing/editing.py; these views only connect them to HTTP."""

import calendar
import datetime as dt
import json
import re
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from articles import throttling
from articles.checks.editorial import blocking, findings_for_revision
from articles.checks.findings import RULES
from articles.forms.articles import ArticleForm, CommentForm, TransitionForm
from articles.forms.desk import AssignmentForm
from articles.models import Article, CompanyTag, Image, Status, TopicTag
from articles.publishing import assignments, editing, locks, notifications, permissions, workflow
from articles.rendering.diff import diff_contents
from articles.views.access import article_for, articles_known_to, create_once, desk_user_required, made_by_this_page
from articles.views.editor_live import mark_present, others_editing
from articles.views.preview import share_expires, share_token

# The browser keeps an unsaved copy of the editor under this key; a page rendered right
# after a successful save tells it which copies the server now has.
_SAVED_SESSION_KEY = "desk_saved_drafts"


def _listing(queryset):
    return queryset.select_related("latest_revision", "category", "owner").with_last_action()


@desk_user_required
def dashboard(request):
    user = request.user
    mine = _listing(Article.objects.filter(owner=user)).order_by("-updated_at")
    groups = [(status, [a for a in mine if a.status == status]) for status in Status]
    context = {"groups": [(status, items) for status, items in groups if items], "is_editor": False,
               "assigned": list(_listing(assignments.assigned_to(user)))}
    if permissions.is_editor(user):
        context.update(
            is_editor=True,
            review_queue=_listing(Article.objects.filter(status=Status.IN_REVIEW)).order_by("status_changed_at"),
            approved=_listing(Article.objects.filter(status=Status.APPROVED)).order_by("status_changed_at"),
            scheduled=_listing(Article.objects.scheduled()).order_by("published_at"),
            ending=_listing(Article.objects.filter(published_revision__isnull=False, unpublish_at__isnull=False))
            .order_by("unpublish_at"),
            recent=_listing(Article.objects.published()).order_by("-last_published_at")[:10],
        )
    return render(request, "desk/dashboard.html", context)


def _vocabulary(user):
    """Tag names to suggest: those readers can see, those of articles this person may
    open in the desk, and the companies curated in the admin (no article yet). Another
    writer's private draft does not give its tags away."""
    seen = Q(tagged_articles__content_object__in=articles_known_to(user).values("pk"))
    companies = CompanyTag.objects.filter(seen | Q(tagged_articles__isnull=True)).distinct()
    topics = TopicTag.objects.filter(seen).distinct()
    return {
        "companies": {company.name: company.alias_list for company in companies},
        "topics": list(topics.values_list("name", flat=True)),
    }


def _editor_page(request, form, article=None, status=200, **extra):
    cover_id = form["cover"].value()
    context = {
        "form": form,
        "article": article,
        "cover": Image.objects.filter(pk=cover_id).first() if str(cover_id or "").isdigit() else None,
        "vocabulary": _vocabulary(request.user),
        "draft_key": f"article-{article.pk}" if article else "new",
        "saved_drafts": json.dumps(request.session.pop(_SAVED_SESSION_KEY, [])),
        **extra,
    }
    if article is not None:
        context["comments"] = article.comments.all()
        notifications.mark_read(request.user, article)
        mark_present(article, request.user)
        lock = locks.hold(article, request.user)
        context["locked_by"] = lock if lock and lock.user_id != request.user.pk else None
        context["others_editing"] = others_editing(article, request.user)
        context["others_names"] = _(", ").join(context["others_editing"])
        context["comment_form"] = CommentForm()
    return render(request, "desk/editor.html", context, status=status)


def _after_save(request, article, saved_keys, then):
    request.session[_SAVED_SESSION_KEY] = saved_keys
    if then == "submit":
        try:
            workflow.apply_transition(article, "submit", request.user)
        except (workflow.WorkflowError, PermissionDenied) as exc:
            messages.warning(request, str(exc))
        else:
            messages.success(request, _("Saved and submitted for review."))
            return redirect("desk:review", pk=article.pk)
    return redirect("desk:edit", pk=article.pk)


@desk_user_required
def create(request):
    if request.method == "POST":
        made = made_by_this_page(request)
        if made is not None:
            # The page's first autosave made the article a moment before this save.
            return _save(request, article_for(request, made.pk, for_edit=True), also_saved=["new"])
        form = throttling.bound_body_form(request, ArticleForm)
        if form.is_valid():
            article, created = create_once(request, form)
            if not created:  # an autosave of this page won the race: this save continues it
                return _save(request, article_for(request, article.pk, for_edit=True), also_saved=["new"])
            messages.success(request, _("Draft saved."))
            return _after_save(request, article, ["new", f"article-{article.pk}"], request.POST.get("then"))
        messages.error(request, _("Not saved: correct the marked fields. Your text is still here."))
    else:
        form = ArticleForm(initial={"version": 0, "creation_key": uuid.uuid4().hex})
    return _editor_page(request, form)


@desk_user_required
def edit(request, pk):
    article = article_for(request, pk, for_edit=True)
    if request.method != "POST":
        return _editor_page(request, ArticleForm(initial=ArticleForm.initial_for(article), article=article), article)
    return _save(request, article)


def _save(request, article, also_saved=()):
    form = throttling.bound_body_form(request, ArticleForm, article=article)
    if not form.is_valid():
        messages.error(request, _("Not saved: correct the marked fields. Your text is still here."))
        return _editor_page(request, form, article)
    try:
        revision = editing.save_working_copy(
            article, form.content(), request.user, base_version=form.cleaned_data["version"]
        )
    except editing.EditConflict as conflict:
        return _conflict(request, form, conflict.article)
    except locks.Locked as locked:
        # Kept in the form (and in the browser): the page shows who has the article.
        messages.error(request, _("Not saved: %(reason)s") % {"reason": locked})
        return _editor_page(request, form, article, status=409)
    latest = article.latest_revision
    if revision is None and latest.autosaved and latest.author_id == request.user.pk:
        messages.success(request, _("Saved as version %(version)d.") % {"version": latest.version})
    elif revision is None:
        messages.info(request, _("No changes to save."))
    else:
        messages.success(request, _("Saved as version %(version)d.") % {"version": revision.version})
    return _after_save(request, article, [*also_saved, f"article-{article.pk}"], request.POST.get("then"))


def _conflict(request, form, current):
    """Someone saved first: show both versions and keep this writer's text to merge."""
    theirs = current.latest_revision
    yours = form.content().as_revision_fields()
    data = request.POST.copy()
    data["version"] = current.version  # saving this form again means "I have merged"
    merge_form = ArticleForm(data, article=current)
    merge_form.is_valid()
    return _editor_page(
        request, merge_form, current, status=409,
        conflict={
            "theirs": theirs,
            "diffs": diff_contents(theirs.content(), yours),
        },
    )


def _review_base(article):
    """What the working copy is compared with: the live version, else what was last reviewed."""
    latest = article.latest_revision
    if article.published_revision_id and article.published_revision_id != article.latest_revision_id:
        return article.published_revision, _("the published version")
    reviewed = article.transitions.filter(action__in=["request_changes", "approve"]).exclude(revision=latest)
    last = reviewed.select_related("revision").first()
    if last and last.revision:
        return last.revision, _("the version last reviewed")
    return None, None


def _review_page(request, article, status=200, transition_form=None, failed_action=None, assignment_form=None):
    notifications.mark_read(request.user, article)
    revision = article.latest_revision
    actions = workflow.available_actions(article, request.user)
    # Under review but not for this person to approve: say who may, so that nobody
    # waits without knowing whom to ask.
    approvers = None
    if article.status == Status.IN_REVIEW and not any(action.name == "approve" for action in actions):
        approvers = permissions.approvers(article)
    base, base_label = _review_base(article)
    body_html = revision.body_html()
    findings = findings_for_revision(revision, body_html=body_html)
    can_edit = permissions.can_edit(request.user, article)
    context = {
        "article": article,
        "revision": revision,
        "body_html": body_html,
        "diffs": diff_contents(base.content(), revision.content()) if base else None,
        "base": base,
        "base_label": base_label,
        "actions": actions,
        "approvers": approvers,
        "transition_form": transition_form or TransitionForm(),
        "failed_action": failed_action,
        "public_note_kinds": TransitionForm.base_fields["public_note_kind"].choices,
        "comments": article.comments.all(),
        "comment_form": CommentForm(),
        "transitions": article.transitions.all()[:50],
        "can_edit": can_edit,
        "is_editor": permissions.is_editor(request.user),
        "findings": findings,
        "has_errors": bool(blocking(findings)),
        "fix_url": reverse("desk:fix", kwargs={"pk": article.pk}) if can_edit else "",
        "fix_version": article.version,
        "silence_url": reverse("desk:silence-rule", kwargs={"pk": article.pk}) if permissions.is_editor(request.user)
        else "",
        "silenced_rules": [(rule, RULES.get(rule, rule)) for rule in article.silenced_rules],
    }
    if context["is_editor"] and article.status != Status.UNPUBLISHED:
        context["assignment_form"] = assignment_form or AssignmentForm(article=article)
    if article.status != Status.PUBLISHED or article.is_scheduled:
        context["share_url"] = request.build_absolute_uri(
            reverse("articles:shared-preview", kwargs={"token": share_token(article)})
        )
        context["share_expires"] = share_expires()
    return render(request, "desk/review.html", context, status=status)


@desk_user_required
def review(request, pk):
    return _review_page(request, article_for(request, pk))


@require_http_methods(["GET", "HEAD", "POST"])
@desk_user_required
def transition(request, pk, action):
    if workflow.public_action(action) is None:
        raise Http404(_("No such action."))
    article = article_for(request, pk)
    if request.method != "POST":
        # The address a refused action left in the browser, opened again (a reload, a
        # bookmark): the article's page, not a blank "method not allowed".
        return redirect("desk:review", pk=article.pk)
    form = TransitionForm(request.POST, action=action)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return _review_page(request, article, status=400, transition_form=form, failed_action=action)
    try:
        workflow.apply_transition(
            article, action, request.user, form.cleaned_data["note"], publish_at=form.cleaned_data["publish_at"],
            override_reason=form.cleaned_data["override_reason"], seen_revision=form.cleaned_data["revision"],
            public_note=form.note_for_readers, unpublish_at=form.cleaned_data["unpublish_at"],
        )
    except workflow.NoteRequired as exc:
        form.add_error("note", str(exc))
        return _review_page(request, article, status=400, transition_form=form, failed_action=action)
    except workflow.ChecksFailed as exc:
        form.add_error("override_reason", str(exc))
        return _review_page(request, article, status=400, transition_form=form, failed_action=action)
    except workflow.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        # Shown as it is now: the version that changed under the editor's eyes.
        return _review_page(request, article_for(request, pk), status=409)
    messages.success(request, workflow.ACTIONS[action].done_message(article))
    return redirect("desk:review", pk=article.pk)


@require_POST
@desk_user_required
def assign(request, pk):
    """An editor says who writes the article, who edits it and by when."""
    article = article_for(request, pk)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            done = assignments.assign(article, request.user, writer=form.cleaned_data["writer"],
                                      editor=form.cleaned_data["editor"], due_at=form.cleaned_data["due_at"])
        except assignments.AssignmentRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Assigned.") if done else _("Nothing changed."))
            return redirect("desk:review", pk=article.pk)
    return _review_page(request, article, status=400, assignment_form=form)


@require_POST
@desk_user_required
def comment(request, pk):
    article = article_for(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        posted = form.save(commit=False)
        posted.article = article
        posted.author = request.user
        with transaction.atomic():
            posted.save()
            notifications.comment_recorded(posted)
        messages.success(request, _("Comment posted."))
    else:
        messages.error(request, _("Write something before posting."))
    back = request.POST.get("back")
    target = "desk:edit" if back == "edit" and permissions.can_edit(request.user, article) else "desk:review"
    return redirect(reverse(target, kwargs={"pk": article.pk}) + "#comments")


@require_POST
@desk_user_required
def revoke_share_links(request, pk):
    article = article_for(request, pk)
    workflow.revoke_share_links(article, request.user)
    messages.success(request, _("Preview links revoked. A new link is below."))
    return redirect("desk:review", pk=article.pk)


@require_POST
@desk_user_required
def silence_rule(request, pk):
    """Stop a writing check for this article (``silenced``: "1"), or restart it."""
    article = article_for(request, pk)
    rule, silenced = request.POST.get("rule", ""), request.POST.get("silenced") == "1"
    try:
        workflow.silence_rule(article, request.user, rule, request.POST.get("reason", ""), silenced=silenced)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        name = RULES.get(rule, rule)
        messages.success(request, (_("“%(rule)s” is no longer checked in this article.") if silenced
                                   else _("“%(rule)s” is checked again.")) % {"rule": name})
    return redirect(reverse("desk:review", kwargs={"pk": article.pk}) + "#checks-heading")


@desk_user_required
def history(request, pk):
    article = article_for(request, pk)
    revisions = article.revisions.select_related("category")
    return render(request, "desk/history.html", {
        "article": article,
        "revisions": revisions,
        "can_edit": permissions.can_edit(request.user, article),
    })


@desk_user_required
def compare(request, pk):
    article = article_for(request, pk)
    try:
        old_version, new_version = int(request.GET["from"]), int(request.GET["to"])
    except (KeyError, ValueError):
        raise Http404(_("Choose two versions to compare.")) from None
    old = get_object_or_404(article.revisions, version=old_version)
    new = get_object_or_404(article.revisions, version=new_version)
    return render(request, "desk/compare.html", {
        "article": article, "old": old, "new": new, "diffs": diff_contents(old.content(), new.content()),
    })


@require_POST
@desk_user_required
def restore(request, pk, version):
    article = article_for(request, pk, for_edit=True)
    revision = get_object_or_404(article.revisions, version=version)
    try:
        editing.restore_revision(article, revision, request.user, base_version=int(request.POST.get("version", -1)))
    except editing.EditConflict:
        messages.error(request, _("Someone saved the article meanwhile. Look at the history again."))
        return redirect("desk:history", pk=article.pk)
    except locks.Locked as locked:
        messages.error(request, str(locked))
        return redirect("desk:history", pk=article.pk)
    messages.success(request, _("Version %(version)d restored as a new version.") % {"version": version})
    return redirect("desk:edit", pk=article.pk)


@desk_user_required
def calendar_month(request):
    if not permissions.is_editor(request.user):
        raise PermissionDenied(_("The calendar is for editors."))
    today = timezone.localdate()
    first = today.replace(day=1)
    if "month" in request.GET:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", request.GET["month"], flags=re.ASCII)
        # 1900–2999, so that the months on either side exist too.
        if match is None or not 1900 <= int(match[1]) <= 2999 or not 1 <= int(match[2]) <= 12:
            raise Http404(_("No such month."))
        first = dt.date(int(match[1]), int(match[2]), 1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(after, dt.time.min, tzinfo=tz)
    # What happens on each day: publications (scheduled ones can be dragged), ends of
    # publication, and the due times of assigned articles not out yet.
    month = {"published_at": (Q(published_revision__isnull=False), "publish"),
             "unpublish_at": (Q(published_revision__isnull=False), "end"),
             "due_at": (Q(published_revision__isnull=True), "due")}
    entries = []
    for column, (which, kind) in month.items():
        found = Article.objects.filter(which, **{f"{column}__gte": start, f"{column}__lt": end}).select_related(
            "latest_revision", "owner", "assigned_editor")
        entries += [(getattr(article, column), kind, article) for article in found]
    by_day = {}
    for when, kind, article in sorted(entries, key=lambda entry: (entry[0], entry[2].pk)):
        by_day.setdefault(timezone.localtime(when).date(), []).append((kind, when, article))
    weeks = [
        [(day, by_day.get(day, []), day.month == first.month) for day in week]
        for week in calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return render(request, "desk/calendar.html", {
        "weeks": weeks, "month": first, "previous": previous, "next": after, "today": today,
        "empty": not by_day,
        "now": timezone.now(),
    })
