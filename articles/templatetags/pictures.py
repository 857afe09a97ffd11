"""Library images in templates: the cover above an article, a card's thumbnail. The markup
is articles/figures.py's (escaped there, built from stored data), the same the renderer
puts in bodies."""

from django import template
from django.utils.safestring import mark_safe

from .. import figures
from ..images import image_data

register = template.Library()


@register.filter
def cover_figure(image):
    """The cover at the top of an article: loaded first, never lazily."""
    if image is None:
        return ""
    return mark_safe(figures.figure(
        image_data(image), sizes=figures.COVER_SIZES, loading=None, fetchpriority="high", css="cover"
    ))


@register.filter
def card_thumbnail(image):
    """A list card's picture. Its alt is empty: the card's title says what the link is,
    and a screen reader should not read the picture's description before it each time."""
    if image is None:
        return ""
    return mark_safe(figures.picture(
        image_data(image), sizes=figures.CARD_SIZES, thumbnail=True, alt=""
    ))


@register.filter
def library_thumbnail(image):
    """A picture in the desk's library grid, described."""
    return mark_safe(figures.picture(image_data(image), sizes="12rem", thumbnail=True))
