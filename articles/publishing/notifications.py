"""Tell the people whose work is waiting: editors on a submission, the writer on a
decision, everyone on a thread when someone comments. Each of them finds it in the
desk's inbox (written in the same transaction as the change) and by email.

Mail is written after the change is committed, so a refused transition sends nothing.
The messages are written then, and *sent* by a worker (``manage.py db_worker``, through
django-tasks and its database queue): a slow or failing mail server never slows or
fails the action. A failed delivery is tried again later, MAX_ATTEMPTS times in all.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_tasks import task

from articles.models import Article, Comment, Notification, Transition
from articles.publishing import permissions
from articles.publishing.actions import ACTIONS, Action

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def mark_read(user, article):
    """Opening an article's page in the desk reads what the inbox said about it."""
    Notification.objects.filter(recipient=user, article=article, read_at__isnull=True).update(read_at=timezone.now())


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def desk_page(kind):
    """The desk page an inbox line of ``kind`` (an action's name, or "comment") opens: the
    one its mail links to (a writer asked for changes edits)."""
    action = ACTIONS.get(kind)
    return action.mail_page if action else "review"


def describe(event, article=None):
    """What happened, in one sentence of the active language: the inbox's line and the
    email's first line. ``event`` is a Transition or a Comment (of ``article``)."""
    article = article or event.article
    copy = article.latest_revision
    names = {"actor": getattr(event, f"{event.PERSON_FIELD}_name") or gettext("Someone"),
             "title": copy.title if copy else article.title}
    if isinstance(event, Comment):
        return gettext("%(actor)s commented on “%(title)s”.") % names
    if event.action == "publish" and event.data.get("scheduled"):
        when = dt.datetime.fromisoformat(event.data["publish_at"])
        return gettext("%(actor)s scheduled “%(title)s” for %(when)s.") % {
            **names, "when": date_format(timezone.localtime(when), "DATETIME_FORMAT")}
    if event.action == "assign":
        return _assignment(event, names)
    action = ACTIONS.get(event.action)
    return str(action.described if action else Action.described) % names


def _assignment(event, names):
    due = event.data.get("due_at")
    names = {**names, "writer": event.data.get("writer", ""), "editor": event.data.get("editor") or gettext("nobody")}
    if due:
        when = date_format(timezone.localtime(dt.datetime.fromisoformat(due)), "DATETIME_FORMAT")
        return gettext("%(actor)s assigned “%(title)s”: written by %(writer)s, edited by %(editor)s, due "
                       "%(when)s.") % {**names, "when": when}
    return gettext("%(actor)s assigned “%(title)s”: written by %(writer)s, edited by %(editor)s.") % names


def absolute(path):
    return settings.EDITORIAL_BASE_URL.rstrip("/") + path


def desk_url(article, page):
    return absolute(reverse(f"desk:{page}", kwargs={"pk": article.pk}))


def transition_recorded(transition: Transition, **kwargs):
    """``signals.transition_recorded``, within the transaction of the change: the inbox
    lines (mail follows on commit)."""
    recipients = _transition_audience(transition)
    if recipients:
        transaction.on_commit(lambda: transition_made(transition, recipients))
    _file(recipients, exclude=transition.user, article=transition.article, transition=transition)


def assigned(transition: Transition, recipients):
    """Within the transaction of an assignment: the people newly given the work."""
    transaction.on_commit(lambda: transition_made(transition, recipients))
    _file(recipients, exclude=transition.user, article=transition.article, transition=transition)


def comment_recorded(comment: Comment):
    """Within the transaction that saves the comment: the inbox lines, then the mail."""
    article: Article = comment.article
    thread = set(article.comments.exclude(author=None).values_list("author", flat=True))
    recipients = _users([article.owner_id, *thread])
    transaction.on_commit(lambda: comment_posted(comment, recipients))
    _file(recipients, exclude=comment.author, article=article, comment=comment)


def _transition_audience(transition):
    action = ACTIONS.get(transition.action)
    audience = action.tells if action else None
    if audience is None:
        return []
    owner = _users([transition.article.owner_id])
    if audience == "owner":
        return owner
    editors = permissions.editors()
    return editors if audience == "editors" else [*owner, *(user for user in editors if user not in owner)]


def _file(recipients, *, exclude, **event):
    Notification.objects.bulk_create(
        [Notification(recipient=user, **event) for user in recipients if exclude is None or user.pk != exclude.pk]
    )


def transition_made(transition: Transition, recipients):
    page = desk_page(transition.action)
    article = transition.article
    _send(
        "emails/transition",
        {"transition": transition, "event": transition, "article": article, "url": desk_url(article, page),
         "actor": transition.user, "public_url": absolute(article.canonical_path())},
        recipients,
        exclude=transition.user,
    )


def comment_posted(comment: Comment, recipients):
    article: Article = comment.article
    _send(
        "emails/comment",
        {"comment": comment, "article": article, "url": desk_url(article, "review") + "#comments",
         "actor": comment.author},
        recipients,
        exclude=comment.author,
    )


def _users(ids):
    return list(get_user_model().objects.filter(pk__in=[i for i in ids if i], is_active=True))


def _send(template, context, recipients, *, exclude=None):
    recipients = [user for user in recipients if user.email and (exclude is None or user.pk != exclude.pk)]
    if not recipients:
        return
    context = {"site_name": settings.EDITORIAL_SITE_NAME, **context}
    with translation.override(settings.LANGUAGE_CODE):
        if "event" in context:
            context["summary"] = describe(context["event"])
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    deliver.enqueue([[subject, body, None, [user.email]] for user in recipients])


@task()
def deliver(messages, attempt=1):
    """Send ``[subject, body, from, [to]]`` messages; on failure, try again later (after
    1, 2, 4, 8 minutes), and fail for good, logged, after MAX_ATTEMPTS."""
    try:
        send_mass_mail([tuple(message) for message in messages], fail_silently=False)
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("could not send %d messages after %d attempts; giving up", len(messages), attempt)
            raise
        logger.warning("could not send %d messages (attempt %d); trying again later", len(messages), attempt,
                       exc_info=True)
        later = timezone.now() + dt.timedelta(minutes=2 ** (attempt - 1))
        deliver.using(run_after=later).enqueue(messages, attempt + 1)
