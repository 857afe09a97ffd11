import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from articles.checks import findings as _findings
from articles.models import person_name
from articles.publishing import notifications
from articles.publishing.actions import action_label as _action_label
from articles.rendering.dates import machine_time

register = template.Library()


register.filter("machine_time", machine_time)


@register.filter
def person(user, fallback=""):
    """How the desk names someone: full name, else username; ``fallback`` for nobody."""
    if user is None:
        return fallback or _("system")
    return person_name(user)


@register.filter
def grouped(findings):
    """The checks' findings by rule, the most important first (``findings.grouped``)."""
    return _findings.grouped(findings)


@register.filter
def ago(moment):
    """「3分前」, and 「たった今」 within the first minute (never 「0分前」)."""
    if moment is None:
        return ""
    if timezone.now() - moment < dt.timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment)}


@register.filter
def action_label(transition):
    """A transition's action as the desk names it (「変更を依頼」, not request_changes)."""
    return _action_label(transition.action, transition.data)


@register.filter
def summary(notification):
    """An inbox line's sentence, in the reader's language."""
    return notifications.describe(notification.event, notification.article)
