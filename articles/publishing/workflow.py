"""The editorial workflow's door: ``apply_transition()`` is the one way an article's
status changes. Views, admin actions and management commands all call it; it checks the
state and the person's permission, takes the action (articles/publishing/actions.py: one class per
action, in one table) atomically, records a ``Transition`` and announces it
(``signals.transition_recorded``: the inbox and the pictures' uses listen). Also here:
bulk actions, revoking preview links, stopping a writing check for one article, the
importer's door (``record_import``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import signals
from articles.checks.findings import may_silence
from articles.media import pictures
from articles.models import Article, PublicNote, Status, Transition, new_preview_key
from articles.publishing import columns, redirects
from articles.publishing.actions import (
    ACTIONS,
    STATES_REOPENED_BY_EDITING,
    ChecksFailed,
    NoteRequired,
    StaleReview,
    Step,
    TransitionNotAllowed,
    WorkflowError,
    action_label,
)
from articles.publishing.permissions import is_editor, is_owner

# What callers catch and read along with the door itself.
__all__ = [
    "ACTIONS", "BULK_ACTIONS", "STATES_REOPENED_BY_EDITING", "ChecksFailed", "NoteRequired", "StaleReview",
    "TransitionNotAllowed", "WorkflowError", "action_label", "apply_to_many", "apply_transition",
    "available_actions", "end_publication", "public_action", "record_import", "reopen_by_edit", "reopen_by_import",
    "revoke_share_links", "silence_rule",
]


def available_actions(article, user):
    """The actions ``user`` may take on ``article`` now, in table order (for buttons)."""
    result = []
    for action in ACTIONS.values():
        if action.internal:
            continue
        try:
            action.check_state(article)
            action.check_permission(article, user)
        except (WorkflowError, PermissionDenied):
            continue
        result.append(action)
    return result


def public_action(name):
    """The action a person may ask for by ``name``, or None (unknown, or internal)."""
    action = ACTIONS.get(name)
    return None if action is None or action.internal else action


def apply_transition(
    article, action_name, user, note="", *, publish_at=None, override_reason="", seen_revision=None,
    public_note=None, unpublish_at=None,
):
    """Take ``action_name`` on ``article`` as ``user``; return the recorded ``Transition``.

    Raises ``TransitionNotAllowed`` when the article's state does not allow it (or the
    action is unknown or internal), ``PermissionDenied`` when the user may not,
    ``NoteRequired`` when a note is missing, ``ChecksFailed`` when approving an article
    with error-level findings without an ``override_reason`` (which then goes into the
    audit trail). ``seen_revision`` is the id of the revision the person read: approving
    or publishing anything else raises ``StaleReview``; the desk always sends it.
    Publishing publishes only the revision that was approved. Nothing changes unless it
    succeeds. ``publish_at`` schedules a first publication (default: now).
    ``public_note`` (``(PublicNote.Kind, text)``) tells readers of an update to a live
    article what changed: a correction or an addition, shown with its time.
    ``unpublish_at`` is when readers stop seeing a live article (``schedule_unpublish``).
    """
    action = public_action(action_name)
    if action is None:
        raise TransitionNotAllowed(_("Unknown action “%(action)s”.") % {"action": action_name})
    return _transition(
        article, action, user, note, publish_at=publish_at, override_reason=override_reason,
        seen_revision=seen_revision, public_note=public_note, unpublish_at=unpublish_at,
    )


# What the desk's list offers to do to many articles at once: the everyday moves. A
# time (reschedule) or a reason to override the checks is given on one article's page.
BULK_ACTIONS = ("submit", "withdraw", "approve", "request_changes", "publish", "publish_now", "unpublish", "redraft")


def apply_to_many(articles, action_name, user, note=""):
    """Take ``action_name`` on each of ``articles`` (pairs of an article and the revision
    id the person saw), each on its own: one refusal stops nothing else. Returns
    ``(done, refused)``: the articles changed, and ``(article, reason)`` for the others."""
    if action_name not in BULK_ACTIONS:
        raise TransitionNotAllowed(_("Unknown action “%(action)s”.") % {"action": action_name})
    done, refused = [], []
    for article, seen_revision in articles:
        if seen_revision is None and action_name in ("approve", "publish", "publish_now"):
            refused.append((article, _("the list did not say which version you read: reload it")))
            continue
        try:
            apply_transition(article, action_name, user, note, seen_revision=seen_revision)
        except ChecksFailed:
            refused.append((article, _("the checks found errors: approve it on its own page, with a reason")))
        except PermissionDenied:
            refused.append((article, _("you may not do that to this article")))
        except WorkflowError as exc:
            refused.append((article, str(exc)))
        else:
            done.append(article)
    return done, refused


def revoke_share_links(article, user):
    """Kill every preview link given out for ``article`` (new ones work), in the audit
    trail: who cut a reader's access, and when, is part of the article's story."""
    if not (is_editor(user) or is_owner(user, article)):
        raise PermissionDenied(_("Only the article's writer or an editor may revoke its preview links."))
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        current.preview_key = new_preview_key()
        current.save(update_fields=["preview_key"])
        return Transition.record_step(current, "revoke_share_links", user)


def silence_rule(article, user, rule, reason="", *, silenced=True):
    """Stop (or, not ``silenced``, restart) the writing ``rule`` for ``article``: an
    editor's decision, kept in the audit trail with its reason as an override is."""
    if not is_editor(user):
        raise PermissionDenied(_("Only an editor may stop a check for an article."))
    if not may_silence(rule):
        raise WorkflowError(_("This check cannot be stopped for one article."))
    reason = (reason or "").strip()
    if silenced and not reason:
        raise NoteRequired(_("Say why this check does not apply to this article."))
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        rules = [code for code in current.silenced_rules if code != rule] + ([rule] if silenced else [])
        if rules == current.silenced_rules:
            return None
        current.silenced_rules = rules
        current.save(update_fields=["silenced_rules"])
        article.silenced_rules = rules
        return Transition.record_step(current, "silence_rule" if silenced else "restore_rule", user, note=reason,
                                      data={"rule": rule})


def reopen_by_edit(article, user):
    """An edit of an approved or published article sends it back to draft (``revise``)."""
    return _transition(article, ACTIONS["revise"], user)


def end_publication(article):
    """The end of publication set for ``article`` has come: it is taken down, by the
    system, in the audit trail (articles/publishing/expiry.py)."""
    return _transition(article, ACTIONS["end_publication"], None, system=True)


def reopen_by_import(article):
    """``import_jekyll --force`` replaced the working copy of an approved or published
    article: it goes back to draft, to be reviewed like any edit. The command's
    operator acts here, not an account, so no permission applies."""
    return _transition(article, ACTIONS["revise"], None, note="import_jekyll --force", system=True)


def _transition(article, action, user, note="", *, publish_at=None, override_reason="", seen_revision=None,
                system=False, public_note=None, unpublish_at=None):
    note = (note or "").strip()
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        action.check_state(current)
        if not system:
            action.check_permission(current, user)
        if action.note_required and not note:
            raise NoteRequired(_("Say what needs to change: a note is required."))
        if action.checks_seen and seen_revision is not None:
            _check_seen(current, seen_revision, action)
        now = timezone.now()
        if public_note and not (action.name in PUBLISHING_ACTIONS and current.is_live
                                and current.published_at <= now):
            raise TransitionNotAllowed(_("A note for readers goes with a new version of a live article."))
        data = action.perform(current, Step(user=user, now=now, publish_at=publish_at,
                                            override_reason=override_reason, unpublish_at=unpublish_at))
        from_status = current.status
        if action.target is not None:
            current.status = action.target
            current.status_changed_at = now
        current.save()
        transition = Transition.objects.create(
            article=current, action=action.name, from_status=from_status, to_status=current.status,
            user=user, note=note, revision=current.latest_revision, data=data, created_at=now,
        )
        if public_note:
            kind, text = public_note
            PublicNote.objects.create(article=current, kind=kind, text=text.strip(),
                                      published_at=current.last_published_at, transition=transition)
        signals.transition_recorded.send(sender=type(action), transition=transition, article=current)
    article.refresh_from_db()
    return transition


# The actions that give readers a new version (and so may tell them what changed).
PUBLISHING_ACTIONS = ("publish", "publish_correction")


def _check_seen(article, seen_revision, action):
    if int(seen_revision) != article.latest_revision_id:
        raise StaleReview(
            _("The text changed after you opened this page (it is now version %(version)d). Read the new "
              "version before you %(action)s.")
            % {"version": article.version, "action": action.label}
        )


def record_import(article, *, published, user=None, old_url=None):
    """Put an imported article in the state its source gives, through the audit trail.

    A post that is public in its source (``published``) goes live at its own date,
    with its latest revision; any other stays a draft. The source is the authority
    here, so no review is involved: this is the importer's door to the status field.
    ``old_url`` is where a re-imported article was public before, if it moved.
    """
    with transaction.atomic(savepoint=False):
        from_status = article.status
        now = timezone.now()
        if published and article.published_at is not None and old_url:
            redirects.remember(article, old_url, take_over=True)
        if published and article.published_at is not None:
            article.picture_words = pictures.words_shown_by(article.latest_revision)
            if article.published_revision_id is not None:
                # Live: the columns hold what readers had; they get the new version now.
                # (Otherwise the columns already follow the working copy.)
                columns.apply_revision(article, article.latest_revision)
            article.published_revision = article.latest_revision
            # The source's date is the last time readers got a new version.
            article.last_published_at = article.published_at
            to_status = Status.PUBLISHED
        else:
            article.published_revision = None
            to_status = Status.DRAFT
        article.status = to_status
        article.status_changed_at = now
        article.save()
        return Transition.objects.create(
            article=article, action="import", from_status=from_status, to_status=to_status,
            user=user, revision=article.latest_revision, created_at=now,
        )


def decided_in_the_desk(article, transitions=None):
    """Why an import must leave ``article`` as the desk has it, or None.

    The desk decides once someone has unpublished, submitted or approved the article,
    or saved a version of it, since it was last imported. ``transitions`` are the
    article's, oldest first, when already at hand.
    """
    reason = {
        Status.UNPUBLISHED: "unpublished in the desk",
        Status.IN_REVIEW: "in review in the desk",
        Status.APPROVED: "approved in the desk, waiting to be published",
    }.get(article.status)
    if reason:
        return f"left alone: {reason}"
    if transitions is None:
        transitions = list(article.transitions.select_related("user").order_by("id"))
    imports = [transition for transition in transitions if transition.action == "import"]
    last_import = imports[-1] if imports else None
    if last_import is None or article.latest_revision_id != last_import.revision_id:
        editor = article.latest_revision.author if article.latest_revision else None
        by = f" by {editor.get_username()}" if editor else ""
        return f"edited in the desk: not overwritten (version {article.version}{by})"
    later = next((t for t in reversed(transitions) if t.pk > last_import.pk and t.action != "import"), None)
    if later is not None:
        who = later.user.get_username() if later.user else "someone"
        return f"left alone: changed in the desk ({later.action} by {who}, {later.created_at:%Y-%m-%d})"
    return None
