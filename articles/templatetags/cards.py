"""The line under a title and the tag list, for templates: made in Python by
articles/cards.py (lists take their cards whole from cards.kept())."""

from django import template

from .. import cards

register = template.Library()


@register.simple_tag
def article_meta(article):
    return cards.meta(article)


@register.simple_tag
def article_tags(companies, topics):
    return cards.tags(companies, topics)


@register.simple_tag
def article_related(items):
    return cards.related(items)


@register.simple_tag
def share_links(url, title):
    return cards.share(url, title)
