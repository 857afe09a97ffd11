"""The editorial workflow: states, the transition table, who may do what.

``apply_transition()`` is the one door through which an article's status changes.
Views, admin actions and management commands all call it; it checks the state and
the user's permission, applies the change atomically and records a ``Transition``.

    draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
      ▲                 │   │                   │                     │
      └────withdraw─────┘   └─request_changes───┘                 unpublish
      ▲                                                               ▼
      └──────────────────────────redraft─────────────────────── unpublished

Saving changes to a published or approved article reopens it (``revise`` → draft)
while readers keep the published revision until a newer one is published.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import images, redirects
from .models import Article, Status, Transition, new_preview_key
from .redirects import UrlChange

EDITOR_PERMISSION = "articles.review_article"
WRITER_PERMISSION = "articles.add_article"


class WorkflowError(Exception):
    """A transition that cannot happen; the message is for the person who tried."""


class TransitionNotAllowed(WorkflowError):
    """The article is not in a state the action starts from (HTTP 409)."""


class StaleReview(TransitionNotAllowed):
    """The working copy changed after the editor read it (HTTP 409)."""


class NoteRequired(WorkflowError):
    """The action needs a written note (HTTP 400)."""


class ChecksFailed(WorkflowError):
    """Editorial checks found errors; approving needs a written override (HTTP 400)."""

    def __init__(self, findings):
        super().__init__(_("The editorial checks found errors. Fix them, or give a reason to approve anyway."))
        self.findings = findings


# Who may take an action: the article's owner, an editor, or either.
OWNER, EDITOR, OWNER_OR_EDITOR = "owner", "editor", "owner_or_editor"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: str
    by: str
    note_required: bool = False
    needs_live: bool = False
    # Only while the article waits for its publication time.
    needs_scheduled: bool = False
    # Actions the system takes as a consequence of something else; no button offers them.
    internal: bool = False


ACTIONS = {
    action.name: action
    for action in [
        Action("submit", _("Submit for review"), frozenset({Status.DRAFT}), Status.IN_REVIEW, OWNER_OR_EDITOR),
        Action("withdraw", _("Withdraw from review"), frozenset({Status.IN_REVIEW}), Status.DRAFT, OWNER),
        Action(
            "request_changes", _("Request changes"), frozenset({Status.IN_REVIEW, Status.APPROVED}),
            Status.DRAFT, EDITOR, note_required=True,
        ),
        Action("approve", _("Approve"), frozenset({Status.IN_REVIEW}), Status.APPROVED, EDITOR),
        Action("publish", _("Publish"), frozenset({Status.APPROVED}), Status.PUBLISHED, EDITOR),
        Action(
            "unpublish", _("Unpublish"),
            frozenset({Status.PUBLISHED, Status.DRAFT, Status.IN_REVIEW, Status.APPROVED}),
            Status.UNPUBLISHED, EDITOR, needs_live=True,
        ),
        Action("redraft", _("Back to draft"), frozenset({Status.UNPUBLISHED}), Status.DRAFT, OWNER_OR_EDITOR),
        # A scheduled article: out now, at another time, or not at all (approved again).
        Action("publish_now", _("Publish now"), frozenset({Status.PUBLISHED}), Status.PUBLISHED, EDITOR,
               needs_scheduled=True),
        Action("reschedule", _("Change the time"), frozenset({Status.PUBLISHED}), Status.PUBLISHED, EDITOR,
               needs_scheduled=True),
        Action("unschedule", _("Cancel the scheduled publication"), frozenset({Status.PUBLISHED}), Status.APPROVED,
               EDITOR, needs_scheduled=True),
        # A correction that cannot wait for a second editor: the working copy of a live
        # article goes out at once, with a reason, marked as such. Off unless the desk
        # turns it on (EDITORIAL_URGENT_CORRECTIONS).
        Action(
            "publish_correction", _("Publish as an urgent correction"),
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.APPROVED}), Status.PUBLISHED, EDITOR,
            note_required=True, needs_live=True,
        ),
        Action(
            "revise", _("Reopened by an edit"), frozenset({Status.PUBLISHED, Status.APPROVED}), Status.DRAFT,
            OWNER_OR_EDITOR, internal=True,
        ),
    ]
}

STATES_REOPENED_BY_EDITING = ACTIONS["revise"].sources


def action_label(name, data=None):
    """What an action in the audit trail is called, in the reader's language."""
    if name == "publish" and data and data.get("scheduled"):
        return _("Scheduled")
    if name == "publish_correction":
        return _("Urgent correction, published without review")
    if name == "import":
        return _("Imported")
    if name == "revoke_share_links":
        return _("Preview links revoked")
    action = ACTIONS.get(name)
    return action.label if action else name


def is_editor(user):
    return bool(user and user.is_active and user.has_perm(EDITOR_PERMISSION))


def is_writer(user):
    return bool(user and user.is_active and user.has_perm(WRITER_PERMISSION))


def is_owner(user, article):
    return bool(user and user.is_authenticated and article.owner_id == user.pk)


def can_view(user, article):
    """Editors see every article in the desk; writers see their own."""
    return is_editor(user) or is_owner(user, article)


def can_edit(user, article):
    """Editors edit any article that is not unpublished; writers their own drafts."""
    if article.status == Status.UNPUBLISHED:
        return False
    if is_editor(user):
        return True
    return is_owner(user, article) and is_writer(user) and article.status == Status.DRAFT


def editors():
    """Active users holding the editors' permission, however they hold it: one query."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    app_label, codename = EDITOR_PERMISSION.split(".")
    permission = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    return list(
        get_user_model().objects.filter(
            models.Q(is_superuser=True) | models.Q(groups__permissions__in=permission)
            | models.Q(user_permissions__in=permission),
            is_active=True,
        ).distinct().order_by("username")
    )


def approvers(article):
    """The editors who may approve ``article``'s working copy: every editor but its
    authors (unless a one-person desk allows self-approval)."""
    everyone = editors()
    if self_approval_allowed():
        return everyone
    return [user for user in everyone if not _is_own_work(user, article)]


def self_approval_allowed():
    return getattr(settings, "EDITORIAL_ALLOW_SELF_APPROVAL", False)


def urgent_corrections_allowed():
    return getattr(settings, "EDITORIAL_URGENT_CORRECTIONS", False)


def _check_permission(action, article, user):
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Log in first."))
    allowed = {
        OWNER: is_owner(user, article) and (is_writer(user) or is_editor(user)),
        EDITOR: is_editor(user),
        OWNER_OR_EDITOR: is_editor(user) or (is_owner(user, article) and is_writer(user)),
    }[action.by]
    if not allowed:
        raise PermissionDenied(_("You may not %(action)s this article.") % {"action": action.label})
    if action.name == "approve" and not self_approval_allowed() and _is_own_work(user, article):
        raise PermissionDenied(_("Nobody approves their own article: another editor must approve it."))


def _is_own_work(user, article):
    """The owner, whoever submitted it last, and whoever wrote any revision since the
    version readers last got (or an editor last approved) are its authors."""
    if is_owner(user, article):
        return True
    last_submit = article.transitions.filter(action="submit").order_by("-created_at", "-id").first()
    if last_submit and last_submit.user_id == user.pk:
        return True
    reviewed = (
        article.transitions.filter(
            models.Q(action__in=["approve", "publish"]) | models.Q(action="import", to_status=Status.PUBLISHED),
            revision__isnull=False,
        )
        .order_by("-created_at", "-id")
        .values_list("revision__version", flat=True)
        .first()
    )
    written = article.revisions.filter(author=user)
    if reviewed is not None:
        written = written.filter(version__gt=reviewed)
    return written.exists()


def _check_state(action, article):
    scheduled = article.is_scheduled
    refused = (
        article.status not in action.sources
        or (action.needs_live and not article.is_live)
        or (action.needs_scheduled and not scheduled)
        # A scheduled article was never public: it is cancelled (unschedule), not taken down.
        or (action.name == "unpublish" and scheduled)
        or (action.name == "publish_correction" and (scheduled or not urgent_corrections_allowed()))
    )
    if refused:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the article is %(status)s.")
            % {"action": action.label, "status": article.state_label}
        )


def available_actions(article, user):
    """The actions ``user`` may take on ``article`` now, in table order (for buttons)."""
    result = []
    for action in ACTIONS.values():
        if action.internal:
            continue
        try:
            _check_state(action, article)
            _check_permission(action, article, user)
        except (WorkflowError, PermissionDenied):
            continue
        result.append(action)
    return result


def public_action(name):
    """The action a person may ask for by ``name``, or None (unknown, or internal)."""
    action = ACTIONS.get(name)
    return None if action is None or action.internal else action


def apply_transition(
    article, action_name, user, note="", *, publish_at=None, override_reason="", seen_revision=None
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
    """
    action = public_action(action_name)
    if action is None:
        raise TransitionNotAllowed(_("Unknown action “%(action)s”.") % {"action": action_name})
    return _transition(
        article, action, user, note, publish_at=publish_at, override_reason=override_reason,
        seen_revision=seen_revision,
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
        return Transition.objects.create(
            article=current, action="revoke_share_links", from_status=current.status, to_status=current.status,
            user=user, revision=current.latest_revision, created_at=timezone.now(),
        )


def reopen_by_edit(article, user):
    """An edit of an approved or published article sends it back to draft (``revise``)."""
    return _transition(article, ACTIONS["revise"], user)


def reopen_by_import(article):
    """``import_jekyll --force`` replaced the working copy of an approved or published
    article: it goes back to draft, to be reviewed like any edit. The command's
    operator acts here, not an account, so no permission applies."""
    return _transition(article, ACTIONS["revise"], None, note="import_jekyll --force", system=True)


def _transition(article, action, user, note="", *, publish_at=None, override_reason="", seen_revision=None,
                system=False):
    from . import editing, notifications

    note = (note or "").strip()
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        _check_state(action, current)
        if not system:
            _check_permission(action, current, user)
        if action.note_required and not note:
            raise NoteRequired(_("Say what needs to change: a note is required."))
        if action.name in ("approve", "publish", "publish_correction") and seen_revision is not None:
            _check_seen(current, seen_revision, action)

        now = timezone.now()
        data = {}
        if action.name == "approve":
            # What the editor read includes the pictures' words, which the library may
            # change later: readers get these.
            data = _approval_checks(current, override_reason)
            if pictures := images.words_shown_by(current.latest_revision):
                data["pictures"] = pictures
        if action.name == "publish":
            data = _publish(current, publish_at or now, now, editing)
        elif action.name == "publish_correction":
            if current.latest_revision_id == current.published_revision_id:
                raise TransitionNotAllowed(_("Readers already have this version: there is nothing to correct."))
            data = {**_approval_checks(current, override_reason), "urgent": True,
                    **_publish(current, now, now, editing, approved=False)}
        elif action.name in ("publish_now", "reschedule"):
            if action.name == "reschedule" and (publish_at is None or publish_at <= now):
                raise TransitionNotAllowed(_("Give a time in the future."))
            # Never public before: its address (and its date) simply become the new ones.
            current.published_at = (now if action.name == "publish_now" else publish_at).replace(microsecond=0)
            current.last_published_at = current.published_at
            data = {"publish_at": current.published_at.isoformat(), "scheduled": action.name == "reschedule"}
        elif action.name == "unschedule":
            # Approved again, as before it was scheduled: the approval stands.
            current.published_revision = None
            current.published_at = None
            current.last_published_at = None
        elif action.name == "unpublish":
            # Taken down as readers had it, whatever the working copy says: the columns
            # keep the address readers knew (it answers 410), and preview links die.
            redirects.remember_taken_down(current)
            current.published_revision = None
            current.preview_key = new_preview_key()
        elif action.name == "redraft" and current.latest_revision is not None:
            # Back in the desk: the columns follow the working copy again.
            editing.apply_revision(current, current.latest_revision)

        from_status = current.status
        current.status = action.target
        current.status_changed_at = now
        current.save()
        images.record_uses(current)
        transition = Transition.objects.create(
            article=current, action=action.name, from_status=from_status, to_status=action.target,
            user=user, note=note, revision=current.latest_revision, data=data, created_at=now,
        )
        notifications.transition_recorded(transition)
    article.refresh_from_db()
    return transition


def _check_seen(article, seen_revision, action):
    if int(seen_revision) != article.latest_revision_id:
        raise StaleReview(
            _("The text changed after you opened this page (it is now version %(version)d). Read the new "
              "version before you %(action)s.")
            % {"version": article.version, "action": action.label}
        )


def _approval_checks(article, override_reason):
    from .checks import ArticleText, blocking, run_checks

    errors = blocking(run_checks(ArticleText.of_revision(article.latest_revision)))
    if not errors:
        return {}
    reason = (override_reason or "").strip()
    if not reason:
        raise ChecksFailed(errors)
    return {"override_reason": reason, "overridden": [finding.code for finding in errors]}


def _publish(article, publish_at, now, editing, *, approved=True):
    """Make the working copy what readers get; unless ``approved`` is False (an urgent
    correction), only the version an editor approved."""
    revision = article.latest_revision
    if revision is None:
        raise TransitionNotAllowed(_("There is nothing to publish yet."))
    approval = article.transitions.filter(action="approve").order_by("-created_at", "-id").first()
    if approved and (approval is None or approval.revision_id != revision.pk):
        raise TransitionNotAllowed(_("The working copy is not the version that was approved: it needs review again."))
    if article.is_live and article.published_at and article.published_at <= now:
        # An update of a live article goes out at once under its original date;
        # readers see when it was last updated.
        publish_at = article.published_at
    elif publish_at < now:
        publish_at = now
    # Whole seconds: the date survives a round trip through Jekyll's date format.
    publish_at = publish_at.replace(microsecond=0)
    clash = Article.objects.filter(slug__iexact=revision.slug).exclude(pk=article.pk).first()
    if clash is not None:
        raise TransitionNotAllowed(
            _("The address “%(slug)s” is already used by “%(title)s”.") % {"slug": revision.slug, "title": clash.title}
        )
    with UrlChange(article):
        article.published_revision = revision
        article.picture_words = approval.data.get("pictures", {}) if approved else images.words_shown_by(revision)
        article.published_at = publish_at
        article.last_published_at = now
        editing.apply_revision(article, revision)
    return {"publish_at": publish_at.isoformat(), "scheduled": publish_at > now}


def record_import(article, *, published, user=None, old_url=None):
    """Put an imported article in the state its source gives, through the audit trail.

    A post that is public in its source (``published``) goes live at its own date,
    with its latest revision; any other stays a draft. The source is the authority
    here, so no review is involved: this is the importer's door to the status field.
    ``old_url`` is where a re-imported article was public before, if it moved.
    """
    from . import editing

    with transaction.atomic(savepoint=False):
        from_status = article.status
        now = timezone.now()
        if published and article.published_at is not None and old_url:
            redirects.remember(article, old_url)
        if published and article.published_at is not None:
            article.picture_words = images.words_shown_by(article.latest_revision)
            if article.published_revision_id is not None:
                # Live: the columns hold what readers had; they get the new version now.
                # (Otherwise the columns already follow the working copy.)
                editing.apply_revision(article, article.latest_revision)
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
