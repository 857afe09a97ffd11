"""How often one person or one address may do something costly or sensitive.

Counts live in Django's cache (django-ratelimit's counters): shared by every process
when ``REDIS_URL`` names a Redis server, per process otherwise (a single development
server). Wrong passwords per account are django-axes' business (settings.py).
"""

import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    group: str
    key: object  # django-ratelimit's key: "user", "ip", or a function of (group, request)
    setting: str  # the setting holding the rate, e.g. "60/m"

    @property
    def rate(self):
        return getattr(settings, self.setting)


# The live preview while typing: one request per pause in typing.
PREVIEW = Limit("desk-preview", "user", "EDITORIAL_PREVIEW_RATE")
# Texts that ran into the rendering bound cost a second each: a few a minute at most.
SLOW_RENDER = Limit("desk-slow-render", "user", "EDITORIAL_SLOW_RENDER_RATE")
# Pictures uploaded per person: each costs about a second of processing.
UPLOAD = Limit("desk-upload", "user", "EDITORIAL_UPLOAD_RATE")
# Login attempts from one address, whatever the account (per account: django-axes).
LOGIN = Limit("login", "ip", "EDITORIAL_LOGIN_RATE")


def _email(group, request):
    # However it is written, one address is one address.
    return request.POST.get("email", "").strip().casefold()


# Password reset mails, per address and per email address asked for.
PASSWORD_RESET_LIMITS = [
    Limit("password-reset-ip", "ip", "EDITORIAL_PASSWORD_RESET_RATE"),
    Limit("password-reset-email", _email, "EDITORIAL_PASSWORD_RESET_RATE"),
]


def wait_seconds(request, limit, *, count=True):
    """Seconds ``request`` must wait before doing what ``limit`` limits, or 0.

    ``count`` counts this request as one more; without it, only looks.
    """
    try:
        usage = get_usage(request, group=limit.group, key=limit.key, rate=limit.rate, increment=count)
    except Exception:
        # The counters' store (Redis) is down: a limit that cannot count lets the work
        # through rather than stop the desk (and says so in the log).
        logger.exception("Rate limit %s not counted: its cache is unreachable", limit.group)
        return 0
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, math.ceil(usage["time_left"]))


def bound_body_form(request, form_class, **kwargs):
    """``form_class`` bound to the POST, validated; its body is not rendered at all for a
    writer whose texts ran into the rendering bound a few times lately, and a text that
    runs into it now counts."""
    form = form_class(request.POST, render_wait=wait_seconds(request, SLOW_RENDER, count=False), **kwargs)
    if not form.is_valid() and form.has_error("body", code="render"):
        wait_seconds(request, SLOW_RENDER)
    return form


def client_ip(request):
    """The address of whoever sent ``request``.

    Behind ``EDITORIAL_TRUSTED_PROXIES`` proxies (nginx: 1), it is the address the
    outermost of them saw, from X-Forwarded-For; anything before it in that header
    came from the client and proves nothing.
    """
    proxies = settings.EDITORIAL_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (an address to count, not to bind)
