"""The task worker (django-tasks' ``db_worker``) that first takes up again what a worker
before it left half-done: a task still RUNNING after ``EDITORIAL_TASK_LEASE_SECONDS``
lost its worker (killed, or its database restarted), and its notifications would be
lost for ever. Tasks here are idempotent enough to run twice (a mail, at worst, twice)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorker
from django_tasks_db.models import DBTaskResult


def requeue_abandoned():
    """Make tasks whose worker died ready to run again; how many."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.EDITORIAL_TASK_LEASE_SECONDS)
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).update(
        status=TaskResultStatus.READY, started_at=None,
    )


class Command(DbWorker):
    help = "Run queued tasks (mail), first taking up again those a dead worker left running."

    def handle(self, *args, **options):
        taken_up = requeue_abandoned()
        if taken_up:
            self.stderr.write(f"{taken_up} task(s) left running by a worker that stopped: queued again")
        return super().handle(*args, **options)
