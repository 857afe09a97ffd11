"""The line under a title, the tag list, the related block and the share links, for
templates: made in Python by articles/cards.py (lists take their cards whole from
cards.kept())."""

from django import template

from .. import cards

register = template.Library()

register.simple_tag(cards.meta, name="article_meta")
register.simple_tag(cards.tags, name="article_tags")
register.simple_tag(cards.related, name="article_related")
register.simple_tag(cards.share, name="share_links")
