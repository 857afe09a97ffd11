"""The search form's choices of company, topic and category: one ``<option>`` per public
tag, hundreds on a large site. Through the template engine they were most of a search
page's time; written here they cost a microsecond each."""

from html import escape as _e

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def tag_options(choices, chosen):
    """An ``<option>`` per ``(slug, name)`` of ``choices``, the one of slug ``chosen`` selected."""
    return mark_safe("".join(  # slugs and names escaped
        f'<option value="{_e(slug)}"{" selected" if slug == chosen else ""}>{_e(name)}</option>'
        for slug, name in choices
    ))
