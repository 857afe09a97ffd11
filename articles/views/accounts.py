"""Logging in and resetting a password, with limits on how often either may be tried.

Wrong passwords per account and address are django-axes' to count (settings.py): a
locked-out login gets ``locked_out()``. Attempts per address, whatever the account,
and password-reset mails are limited here (articles/throttling.py).
"""

import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import throttling


def _refused(request, message, seconds):
    minutes = max(1, math.ceil(seconds / 60))
    response = render(request, "registration/throttled.html", {
        "message": message,
        "minutes": minutes,
        "until": timezone.localtime() + timezone.timedelta(seconds=seconds),
    }, status=429)
    response["Retry-After"] = str(int(seconds))
    return response


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes' lockout page: what happened, and until when."""
    from axes.helpers import get_cool_off

    return _refused(
        request,
        _("There were too many wrong passwords for this account from your address, so logging in to it from "
          "here is paused."),
        get_cool_off(request).total_seconds(),
    )


class _SiteName:
    """Django's views name the site by its host; the desk calls it by its name."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "site_name": settings.EDITORIAL_SITE_NAME}


class LoginView(_SiteName, auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        wait = throttling.wait_seconds(request, throttling.LOGIN)
        if wait:
            return _refused(request, _("There were too many login attempts from your address."), wait)
        return super().post(request, *args, **kwargs)


class PasswordResetView(_SiteName, auth_views.PasswordResetView):
    @property
    def extra_email_context(self):
        return {"site_name": settings.EDITORIAL_SITE_NAME}

    def post(self, request, *args, **kwargs):
        # Both counted every time: per address, and per email address asked for.
        wait = max(throttling.wait_seconds(request, limit) for limit in throttling.PASSWORD_RESET_LIMITS)
        if wait:
            return _refused(request, _("Password reset emails were asked for too often."), wait)
        return super().post(request, *args, **kwargs)
