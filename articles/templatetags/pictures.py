"""Library images in templates: the cover above an article, a card's thumbnail, a
picture in the library's grid (the markup is articles/media/pictures.py's)."""

from django import template

from articles.media import pictures

register = template.Library()

register.filter("cover_figure", pictures.cover_figure)
register.filter("card_thumbnail", pictures.card_thumbnail)
register.filter("library_thumbnail", pictures.library_thumbnail)
