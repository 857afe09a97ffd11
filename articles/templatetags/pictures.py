"""Library images in templates: the cover above an article, a card's thumbnail. The markup
is articles/figures.py's (escaped there, built from stored data), the same the renderer
puts in bodies."""

from django import template
from django.utils.safestring import mark_safe

from .. import figures
from ..images import image_data

register = template.Library()


@register.filter
def cover_figure(image, words=None):
    """The cover at the top of an article: loaded first, never lazily. ``words``: the
    article's ``shown_words`` (a live article keeps the words it was approved with)."""
    if image is None:
        return ""
    return mark_safe(figures.figure(
        image_data(image, words), sizes=figures.COVER_SIZES, loading=None, fetchpriority="high", css="cover"
    ))


# Cards this high in a list are on the first screen: their pictures load at once.
FIRST_SCREEN_CARDS = 3


@register.filter
def card_thumbnail(image, position=None):
    """A list card's picture (``position``: the card's place in the list, from 1). Its alt
    is empty: the card's title says what the link is, and a screen reader should not read
    the picture's description before it each time. Readers only get a picture that is
    ready (an author's new portrait may still be being made)."""
    if image is None or not image.is_ready:
        return ""
    loading = None if position and int(position) <= FIRST_SCREEN_CARDS else "lazy"
    return mark_safe(figures.picture(
        image_data(image), sizes=figures.CARD_SIZES, thumbnail=True, alt="", loading=loading
    ))


@register.filter
def library_thumbnail(image):
    """A picture in the desk's library grid, described."""
    return mark_safe(figures.picture(image_data(image), sizes="12rem", thumbnail=True))
