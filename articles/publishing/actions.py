"""The workflow's actions, one class each, in one table (``ACTIONS``), as Wagtail's are:
what state an action starts from and leads to, who may take it, and what it does to the
article besides its status (``perform``, which returns what the audit trail keeps).
``workflow.apply_transition()`` runs them: adding an action touches this file only.

    draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
      ▲                 │   │                   │                     │
      └────withdraw─────┘   └─request_changes───┘                 unpublish
      ▲                                                               ▼
      └──────────────────────────redraft─────────────────────── unpublished

A scheduled article (published, its time to come) can be published now, rescheduled or
unscheduled; saving changes to a published or approved article reopens it (``revise``,
taken by the system) while readers keep the published revision until a newer one is
published.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.checks.article_text import ArticleText
from articles.checks.editorial import blocking, run_checks
from articles.checks.findings import RULES
from articles.media import pictures
from articles.models import Article, Status, new_preview_key
from articles.publishing import columns, redirects
from articles.publishing.permissions import (
    is_editor,
    is_own_work,
    is_owner,
    is_writer,
    self_approval_allowed,
    urgent_corrections_allowed,
)
from articles.publishing.redirects import UrlChange
from articles.reading import caching


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
class Step:
    """What a person asked for along with the action, and when."""

    user: AbstractBaseUser | None
    now: datetime
    publish_at: datetime | None = None
    override_reason: str = ""
    unpublish_at: datetime | None = None


class Action:
    name = ""
    label = ""
    sources = frozenset()
    # The status it leads to; None: the article keeps its own.
    target = ""
    by = OWNER_OR_EDITOR
    note_required = False
    # Only for an article readers have or will have (a live revision).
    needs_live = False
    # Only while the article waits for its publication time.
    needs_scheduled = False
    # Taken by the system as a consequence of something else; no button offers it.
    internal = False
    # Compares the revision the person read with the working copy (approving, publishing).
    checks_seen = False
    # What the person who took it is told.
    done = _("Done.")
    # Who hears of it in the inbox and by mail ("owner", "editors" or "everyone"; None:
    # nobody), the desk page the mail links to, and the inbox's sentence.
    tells, mail_page = None, "review"
    described = _("“%(title)s” changed.")

    def check_state(self, article):
        scheduled = article.is_scheduled
        if (article.status not in self.sources or (self.needs_live and not article.is_live)
                or (self.needs_scheduled and not scheduled) or self.refuses(article, scheduled)):
            raise TransitionNotAllowed(
                _("“%(action)s” is not possible while the article is %(status)s.")
                % {"action": self.label, "status": article.state_label}
            )

    def refuses(self, article, scheduled):
        """Whether a state the table allows is still not one this action starts from."""
        return False

    def check_permission(self, article, user):
        if not (user and user.is_authenticated and user.is_active):
            raise PermissionDenied(_("Log in first."))
        allowed = {
            OWNER: is_owner(user, article) and (is_writer(user) or is_editor(user)),
            EDITOR: is_editor(user),
            OWNER_OR_EDITOR: is_editor(user) or (is_owner(user, article) and is_writer(user)),
        }[self.by]
        if not allowed:
            raise PermissionDenied(_("You may not %(action)s this article.") % {"action": self.label})

    def perform(self, article, step):
        """Change ``article`` (locked, not yet saved) as the action does besides its
        status; return what the audit trail keeps of it."""
        return {}

    def done_message(self, article):
        return self.done


class Submit(Action):
    name, label = "submit", _("Submit for review")
    sources, target = frozenset({Status.DRAFT}), Status.IN_REVIEW
    done = _("Submitted for review. Editors have been told.")
    tells, described = "editors", _("%(actor)s submitted “%(title)s” for review.")


class Withdraw(Action):
    name, label = "withdraw", _("Withdraw from review")
    sources, target, by = frozenset({Status.IN_REVIEW}), Status.DRAFT, OWNER
    done = _("Withdrawn: the article is a draft again.")


class RequestChanges(Action):
    name, label = "request_changes", _("Request changes")
    sources, target, by = frozenset({Status.IN_REVIEW, Status.APPROVED}), Status.DRAFT, EDITOR
    note_required = True
    done = _("Sent back to the writer with your note.")
    tells, mail_page, described = "owner", "edit", _("%(actor)s asked for changes to “%(title)s”.")


class Approve(Action):
    name, label = "approve", _("Approve")
    sources, target, by = frozenset({Status.IN_REVIEW}), Status.APPROVED, EDITOR
    checks_seen = True
    done = _("Approved.")
    tells, described = "owner", _("%(actor)s approved “%(title)s”.")

    def check_permission(self, article, user):
        super().check_permission(article, user)
        if not self_approval_allowed() and is_own_work(user, article):
            raise PermissionDenied(_("Nobody approves their own article: another editor must approve it."))

    def perform(self, article, step):
        data = approval_checks(article, step.override_reason)
        # What the editor read includes the pictures' words, which the library may
        # change later: readers get these.
        if words := pictures.words_shown_by(article.latest_revision):
            data["pictures"] = words
        return data


class Publish(Action):
    name, label = "publish", _("Publish")
    sources, target, by = frozenset({Status.APPROVED}), Status.PUBLISHED, EDITOR
    checks_seen = True
    done = _("Published.")
    tells, described = "owner", _("%(actor)s published “%(title)s”.")

    def perform(self, article, step):
        return publish(article, step.publish_at or step.now, step.now)

    def done_message(self, article):
        return scheduled_for(article) if article.is_scheduled else self.done


class Unpublish(Action):
    name, label = "unpublish", _("Unpublish")
    sources = frozenset({Status.PUBLISHED, Status.DRAFT, Status.IN_REVIEW, Status.APPROVED})
    target, by, needs_live = Status.UNPUBLISHED, EDITOR, True
    done = _("Unpublished: readers no longer see it.")
    tells, described = "owner", _("%(actor)s unpublished “%(title)s”.")

    def refuses(self, article, scheduled):
        return scheduled  # never public: it is cancelled (unschedule), not taken down

    def perform(self, article, step):
        # Taken down as readers had it, whatever the working copy says: the columns keep
        # the address readers knew (it answers 410), and preview links die.
        redirects.remember_taken_down(article)
        article.published_revision = None
        article.preview_key = new_preview_key()
        if article.unpublish_at is not None:
            article.unpublish_at = None
            caching.schedule_changed()
        return {}


class EndPublication(Unpublish):
    """The end of publication an editor set in advance has come (expiry.py takes it)."""

    name, label, internal = "end_publication", _("End of publication"), True
    done = _("The end of publication came: readers no longer see it.")
    described = _("“%(title)s” left the site at the end of publication set for it.")


class ScheduleUnpublish(Action):
    """Readers stop seeing the article at a time given now: an embargo's end, the last
    day of a notice. Until then nothing changes; then it is taken down as by hand."""

    name, label = "schedule_unpublish", _("Set the end of publication")
    sources = Unpublish.sources
    target, by, needs_live = None, EDITOR, True
    done = _("The end of publication is set.")

    def perform(self, article, step):
        when = step.unpublish_at
        if when is None or when <= step.now:
            raise TransitionNotAllowed(_("Give a time in the future."))
        if article.published_at is not None and when <= article.published_at:
            raise TransitionNotAllowed(
                _("Give a time after the publication (%(when)s).") % {"when": _local(article.published_at)})
        article.unpublish_at = when.replace(microsecond=0)
        caching.schedule_changed()
        return {"unpublish_at": article.unpublish_at.isoformat()}

    def done_message(self, article):
        return _("Readers see it until %(when)s.") % {"when": _local(article.unpublish_at)}


class CancelUnpublish(Action):
    name, label = "cancel_unpublish", _("Keep it published (cancel the end)")
    sources = Unpublish.sources
    target, by, needs_live = None, EDITOR, True
    done = _("The end of publication is cancelled: readers keep seeing the article.")

    def refuses(self, article, scheduled):
        return article.unpublish_at is None

    def perform(self, article, step):
        article.unpublish_at = None
        caching.schedule_changed()
        return {}


class Redraft(Action):
    name, label = "redraft", _("Back to draft")
    sources, target = frozenset({Status.UNPUBLISHED}), Status.DRAFT
    done = _("The article is a draft again.")

    def perform(self, article, step):
        if article.latest_revision is not None:
            # Back in the desk: the columns follow the working copy again.
            columns.apply_revision(article, article.latest_revision)
        return {}


class PublishNow(Action):
    """A scheduled article goes out at once; never public before, its address (and its
    date) simply become the new ones."""

    name, label = "publish_now", _("Publish now")
    sources, target, by, needs_scheduled = frozenset({Status.PUBLISHED}), Status.PUBLISHED, EDITOR, True
    done = _("Published.")

    def perform(self, article, step):
        return self.move(article, step.now, scheduled=False)

    @staticmethod
    def move(article, when, *, scheduled):
        article.published_at = article.last_published_at = when.replace(microsecond=0)
        return {"publish_at": article.published_at.isoformat(), "scheduled": scheduled}


class Reschedule(PublishNow):
    name, label = "reschedule", _("Change the time")

    def perform(self, article, step):
        if step.publish_at is None or step.publish_at <= step.now:
            raise TransitionNotAllowed(_("Give a time in the future."))
        if article.unpublish_at is not None and step.publish_at >= article.unpublish_at:
            raise TransitionNotAllowed(
                _("Give a time before the end of publication (%(when)s).") % {"when": _local(article.unpublish_at)})
        return self.move(article, step.publish_at, scheduled=True)

    def done_message(self, article):
        return scheduled_for(article)


class Unschedule(Action):
    """Approved again, as before it was scheduled: the approval stands."""

    name, label = "unschedule", _("Cancel the scheduled publication")
    sources, target, by, needs_scheduled = frozenset({Status.PUBLISHED}), Status.APPROVED, EDITOR, True
    done = _("The scheduled publication is cancelled: the article is approved, ready to publish.")

    def perform(self, article, step):
        article.published_revision = article.published_at = article.last_published_at = None
        return {}


class PublishCorrection(Action):
    """A correction that cannot wait for a second editor: the working copy of a live
    article goes out at once, with a reason, marked as such. Off unless the desk turns
    it on (EDITORIAL_URGENT_CORRECTIONS)."""

    name, label = "publish_correction", _("Publish as an urgent correction")
    sources = frozenset({Status.DRAFT, Status.IN_REVIEW, Status.APPROVED})
    target, by, note_required, needs_live, checks_seen = Status.PUBLISHED, EDITOR, True, True, True
    done = _("The correction is live. The writer and every editor have been told.")
    # Published without review: the writer and every editor should read it now.
    tells = "everyone"
    described = _("%(actor)s published an urgent correction to “%(title)s” without review.")

    def refuses(self, article, scheduled):
        return scheduled or not urgent_corrections_allowed()

    def perform(self, article, step):
        if article.latest_revision_id == article.published_revision_id:
            raise TransitionNotAllowed(_("Readers already have this version: there is nothing to correct."))
        return {**approval_checks(article, step.override_reason), "urgent": True,
                **publish(article, step.now, step.now, approved=False)}


class Revise(Action):
    """An edit of an approved or published article sends it back to draft."""

    name, label = "revise", _("Reopened by an edit")
    sources, target, internal = frozenset({Status.PUBLISHED, Status.APPROVED}), Status.DRAFT, True


ACTIONS = {action.name: action for action in (
    Submit(), Withdraw(), RequestChanges(), Approve(), Publish(), Unpublish(), Redraft(), PublishNow(),
    Reschedule(), Unschedule(), PublishCorrection(), Revise(), ScheduleUnpublish(), CancelUnpublish(),
    EndPublication(),
)}

STATES_REOPENED_BY_EDITING = Revise.sources


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
    if name == "feature":
        return _("Put on the front page (place %(position)s)") % {"position": (data or {}).get("position", "?")}
    if name == "feature_moved":
        return _("Moved on the front page (place %(position)s)") % {"position": (data or {}).get("position", "?")}
    if name == "unfeature":
        return _("Taken off the front page")
    if name == "take_over":
        return _("Took over the editing from %(name)s") % {"name": (data or {}).get("from", "?")}
    if name == "assign":
        data = data or {}
        due = data.get("due_at")
        return _("Assigned: written by %(writer)s, edited by %(editor)s, due %(when)s") % {
            "writer": data.get("writer", "?"), "editor": data.get("editor") or _("nobody"),
            "when": _local(datetime.fromisoformat(due)) if due else _("whenever")}
    if name == "schedule_unpublish" and data and data.get("unpublish_at"):
        return _("End of publication set for %(when)s") % {"when": _local(datetime.fromisoformat(data["unpublish_at"]))}
    if name in ("silence_rule", "restore_rule"):
        rule = RULES.get((data or {}).get("rule"), (data or {}).get("rule", ""))
        return (_("Check stopped for this article: %(rule)s") if name == "silence_rule"
                else _("Check restarted: %(rule)s")) % {"rule": rule}
    action = ACTIONS.get(name)
    return action.label if action else name


def _local(when):
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def scheduled_for(article):
    return _("Scheduled for %(when)s.") % {"when": _local(article.published_at)}


def approval_checks(article, override_reason):
    """The editorial checks of the working copy: errors stop an approval unless a reason
    is given, which the audit trail keeps with what it overrode."""
    errors = blocking(run_checks(ArticleText.of_revision(article.latest_revision)))
    if not errors:
        return {}
    reason = (override_reason or "").strip()
    if not reason:
        raise ChecksFailed(errors)
    return {"override_reason": reason, "overridden": [finding.code for finding in errors]}


def publish(article, publish_at, now, *, approved=True):
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
        article.picture_words = approval.data.get("pictures", {}) if approved else pictures.words_shown_by(revision)
        article.published_at = publish_at
        article.last_published_at = now
        columns.apply_revision(article, revision)
    return {"publish_at": publish_at.isoformat(), "scheduled": publish_at > now}
