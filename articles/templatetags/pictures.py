"""Library images in templates: the cover above an article, a card's thumbnail, a
picture in the library's grid (the markup is articles/media/pictures.py's), and a body
with its pictures at the address readers fetch them from."""

from django import template
from django.utils.safestring import mark_safe

from articles.media import pictures

register = template.Library()

register.filter("cover_figure", pictures.cover_figure)
register.filter("card_thumbnail", pictures.card_thumbnail)
register.filter("library_thumbnail", pictures.library_thumbnail)


@register.filter
def served_body(html):
    """A body the renderer made (sanitised HTML), its pictures' addresses resolved."""
    return mark_safe(pictures.served(html))
