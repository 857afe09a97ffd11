"""One person types in an article at a time. The first editor page to open an article
takes its lock and keeps it while it says it is open (every few seconds; a page silent
for ``HELD_SECONDS`` has let go). Anyone else who opens the article reads it, and may
take the lock over: the audit trail keeps who took it from whom, and the page that lost
it stops saving (its unsaved text stays in its browser).

A save is refused only while someone else holds a live lock: saving never takes one,
so the optimistic check of versions (articles/publishing/editing.py) still guards every
other path.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import EditLock, Transition, person_name

# As long as a page is remembered as open (articles/views/editor_live.py says it is open
# every 5 s, every 30 s from a hidden tab).
HELD_SECONDS = 60


class Locked(Exception):
    """Someone else is editing the article; the message names them."""

    def __init__(self, holder):
        self.holder = holder
        super().__init__(
            _("%(who)s is editing this article (since %(when)s). Take it over to save your changes; they are kept "
              "in this browser meanwhile.") % {"who": holder.name, "when": holder.since}
        )


@dataclass(frozen=True)
class Holder:
    """Who holds an article's lock, as the desk says it."""

    user_id: int
    name: str
    taken_at: dt.datetime

    @property
    def since(self):
        return timezone.localtime(self.taken_at).strftime("%H:%M")

    def as_json(self):
        return {"name": self.name, "since": self.since}


def _live(now=None):
    return (now or timezone.now()) - dt.timedelta(seconds=HELD_SECONDS)


def holder(article):
    """Who holds ``article``'s lock now, or None."""
    lock = EditLock.objects.filter(article=article, seen_at__gte=_live()).select_related("user").first()
    return Holder(lock.user_id, person_name(lock.user), lock.taken_at) if lock else None


def hold(article, user):
    """``user``'s editor page is open: keep their lock, or take it if nobody holds it.
    Returns who holds it afterwards (``user`` or someone else)."""
    now = timezone.now()
    kept = EditLock.objects.filter(article=article, user=user).update(seen_at=now)
    if not kept:
        # Free when nobody has one, or the one there has gone quiet: it is taken over
        # silently, as the page that held it had already gone.
        taken = EditLock.objects.filter(article=article, seen_at__lt=_live(now)).update(
            user=user, taken_at=now, seen_at=now)
        if not taken:
            try:
                with transaction.atomic():
                    EditLock.objects.create(article=article, user=user, taken_at=now, seen_at=now)
            except IntegrityError:
                pass  # another page took it a moment ago
    return holder(article)


def check(article, user):
    """Refuse a save by ``user`` while someone else holds the lock (``Locked``)."""
    current = holder(article)
    if current is not None and current.user_id != user.pk:
        raise Locked(current)


def take_over(article, user):
    """``user`` holds the lock from now on, whoever held it; kept in the audit trail when
    it was someone else's. Returns the recorded ``Transition``, or None."""
    now = timezone.now()
    with transaction.atomic():
        previous = holder(article)
        EditLock.objects.update_or_create(article=article, defaults={"user": user, "taken_at": now, "seen_at": now})
        if previous is None or previous.user_id == user.pk:
            return None
        return Transition.record_step(article, "take_over", user, data={"from": previous.name}, at=now)


def release(article, user):
    """``user``'s page has gone: the article is free for the next one to open it."""
    EditLock.objects.filter(article=article, user=user).delete()
