from django import template
from django.utils.translation import gettext as _

from ..models import person_name

register = template.Library()


@register.filter
def person(user, fallback=""):
    """How the desk names someone: full name, else username; ``fallback`` for nobody."""
    if user is None:
        return fallback or _("system")
    return person_name(user)
