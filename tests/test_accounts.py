"""Logging in and resetting passwords: guessing is not free, and whoever is stopped is
told why and until when."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.throttling import client_ip

pytestmark = pytest.mark.django_db


def log_in(client, username, password, address="203.0.113.7", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_a_hundred_wrong_passwords_are_not_free(client, writer):
    statuses = [log_in(client, "writer", f"guess{n}").status_code for n in range(100)]
    assert statuses[:4] == [200] * 4  # the form again, "wrong password"
    assert set(statuses[4:]) == {429}  # the fifth wrong one locks
    # Locked: even the right password does not get in from there now.
    assert log_in(client, "writer", "pw").status_code == 429


def test_the_person_locked_out_is_told_what_happened_and_until_when(client, writer):
    for n in range(5):
        log_in(client, "writer", f"guess{n}")
    response = log_in(client, "writer", "pw")
    page = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    until = (timezone.localtime() + dt.timedelta(minutes=15)).strftime("%H:%M")
    assert "パスワードの誤り" in page and "15分" in page and until in page
    assert reverse("password_reset") in page


def test_the_lockout_ends_and_other_addresses_are_not_locked(client, writer):
    for n in range(5):
        log_in(client, "writer", f"guess{n}")
    assert log_in(client, "writer", "pw", address="198.51.100.9").status_code == 302
    client.logout()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert log_in(client, "writer", "pw").status_code == 302


def test_the_admin_login_is_the_same_guarded_page(client, editor):
    editor.is_staff = True
    editor.save()
    for n in range(5):
        log_in(client, "editor", f"guess{n}", url="/admin/login/")
    assert log_in(client, "editor", "pw", url="/admin/login/").status_code == 429
    response = log_in(client, "editor", "pw", address="198.51.100.9", url="/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_one_address_trying_many_accounts_is_slowed(client, settings, writer, frozen_clock):
    settings.EDITORIAL_LOGIN_RATE = "10/15m"
    statuses = [log_in(client, f"user{n}", "x").status_code for n in range(12)]
    assert statuses == [200] * 10 + [429] * 2
    assert "ログインの試行が多すぎます" in log_in(client, "writer", "pw").content.decode()


def test_password_reset_mails_are_limited(client, writer, settings, frozen_clock):
    settings.EDITORIAL_PASSWORD_RESET_RATE = "3/h"
    url = reverse("password_reset")
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    statuses = [client.post(url, {"email": "writer@example.com"}, REMOTE_ADDR="203.0.113.7").status_code
                for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    # From other addresses, the same mailbox is not flooded either.
    other = client.post(url, {"email": "WRITER@example.com"}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 429 and len(mail.outbox) == 3
    assert "1時間" in other.content.decode() or "分後" in other.content.decode()


def test_the_pages_and_mails_call_the_site_by_its_name(client, writer, settings):
    settings.EDITORIAL_SITE_NAME = "テック速報"
    assert "テック速報" in client.get(reverse("login")).content.decode()
    assert "テック速報" in client.get(reverse("password_reset")).content.decode()
    client.post(reverse("password_reset"), {"email": "writer@example.com"})
    assert "テック速報" in mail.outbox[0].subject + mail.outbox[0].body


def test_the_reset_pages_work_in_the_desks_style(client, writer):
    client.post(reverse("password_reset"), {"email": "writer@example.com"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line).strip()
    path = link.split("://", 1)[-1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200 and 'name="new_password1"' in response.content.decode()
    done = client.post(response.redirect_chain[-1][0], {"new_password1": "新しい合言葉-2026", "new_password2": "新しい合言葉-2026"})
    assert done.status_code == 302
    assert log_in(client, "writer", "新しい合言葉-2026").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),  # no proxy trusted: the header proves nothing
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own claim is skipped
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.EDITORIAL_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
