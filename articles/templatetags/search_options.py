"""The search form's choices of company, topic and category: one ``<option>`` per public
tag, hundreds on a large site, kept as one piece of HTML (``cards.tag_options``)."""

from html import escape as _e

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def tag_options(options, chosen):
    """``options`` with the one of slug ``chosen`` selected."""
    if not chosen:
        return mark_safe(options)  # made of escaped slugs and names
    value = f'<option value="{_e(chosen)}">'
    return mark_safe(options.replace(value, f'<option value="{_e(chosen)}" selected>', 1))
