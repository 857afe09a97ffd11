"""When a part fails (issue 21, item 7): Redis down, a mail server that never answers, a
worker killed half-way, the database gone. Readers and writers keep what can be kept."""

import datetime as dt
import socket
import threading
import time
from io import StringIO
from unittest import mock

import pytest
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from articles.reading import caching

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-when-redis-is-down"},
}


class TestRedisDown:
    """Rate limits count in Redis; with Redis down they let the work through, and log it."""

    def test_the_desk_keeps_working(self, client, writer, settings, caplog):
        settings.CACHES = UNREACHABLE_REDIS
        client.force_login(writer)
        preview = client.post(reverse("desk:render"), {"title": "題", "body": "本文です。"})
        assert preview.status_code == 200
        saved = client.post(reverse("desk:new"), {
            "title": "Redisが落ちていても", "slug": "", "excerpt": "", "body": "本文。", "byline": "", "category": "",
            "companies": "", "topics": "", "cover": "", "version": 0})
        assert saved.status_code == 302
        assert "not counted" in caplog.text

    def test_login_and_the_api_keep_working(self, client, writer, settings, make_article):
        settings.CACHES = UNREACHABLE_REDIS
        make_article(title="読める記事")
        assert client.get("/api/v1/articles/").status_code == 200
        response = client.post(reverse("login"), {"username": "writer", "password": "pw"})
        assert response.status_code == 302


def test_a_mail_server_that_never_answers_is_given_up(settings):
    """No EMAIL_TIMEOUT stalled the only worker indefinitely."""
    assert 0 < settings.EMAIL_TIMEOUT <= 60
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_TIMEOUT = 1
    started = time.monotonic()
    try:
        with pytest.raises((TimeoutError, OSError)):
            send_mail("件名", "本文", "desk@example.com", ["writer@example.com"])
        assert time.monotonic() - started < 10
    finally:
        listener.close()


def test_a_task_left_running_by_a_dead_worker_is_run_again(settings, mailoutbox):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from articles.publishing import notifications

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = notifications.deliver.enqueue([["件名", "本文", None, ["writer@example.com"]]])
    row = DBTaskResult.objects.get(pk=result.id)
    # Claimed an hour ago by a worker that was killed before it finished.
    row.status, row.started_at = TaskResultStatus.RUNNING, timezone.now() - dt.timedelta(hours=1)
    row.worker_ids = ["killed"]
    row.save()
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(mailoutbox) == 1


def test_stored_pages_are_served_while_the_database_is_down(client, make_article, settings):
    settings.EDITORIAL_PAGE_GENERATION_RECHECK = 0  # ask the database every time it can
    article = make_article(title="落ちても読める記事")
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200
    caching.cache.delete(caching.GENERATION_KEY)
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor",
                    side_effect=OperationalError("the database is down")):
        again = client.get(article.get_absolute_url())
    assert again.status_code == 200 and again.content == first.content
