"""An article's card in a list, the line under its title (who, when, how long, which
section) and its tags, made in Python. Twenty cards through the template engine (three
templates each, a URL reversed for every link) were three quarters of a list page's
time. The markup is what those templates printed. Every value from the database is
escaped here (``_e``, the standard library's ``html.escape``, which Django's ``escape``
wraps); what comes in marked safe (a card's picture, a search snippet) is our own
markup. Tag, category and author addresses come from ``converters.slug_address``,
without resolving a pattern each. Templates use these through the ``cards`` tags
(articles/templatetags/cards.py)."""

from html import escape as _e

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from .templatetags.pictures import card_thumbnail


def card(article, position=None, *, snippet=None):
    """The card of ``article``, the ``position``-th of its list. A search result shows
    the words that matched (``snippet``, marked-up by search.snippet) in place of the
    excerpt and the tags."""
    cover = article.cover
    thumbnail = f'<div class="card-thumbnail">{card_thumbnail(cover, position)}</div>' if cover else ""
    if snippet is not None:
        after = f'<p class="snippet">{conditional_escape(snippet)}</p>' if snippet else ""
    else:
        excerpt = f'<p class="excerpt">{_e(article.excerpt)}</p>' if article.excerpt else ""
        after = f"{excerpt}\n  {tags(article.company_list, article.topic_list)}"
    return mark_safe(  # every value above is escaped, or our own markup
        f'<article class="card{" with-thumbnail" if cover else ""}">\n  {thumbnail}\n'
        f'  <h2><a href="{_e(article.get_absolute_url())}">{_e(article.title)}</a></h2>\n'
        f"  {meta(article)}\n  {after}\n</article>\n"
    )


def meta(article):
    """Byline (linked to the writer's page when they have one), date, the time of an
    update, reading time and section."""
    profile = article.author_profile
    if profile:
        byline = (f'<a class="byline" href="{_e(profile.get_absolute_url())}" rel="author">'
                  f"{_e(article.byline or profile.name)}</a>")
    elif article.byline:
        byline = f'<span class="byline">{_e(article.byline)}</span>'
    else:
        byline = ""
    updated = article.updated_at_shown
    updated = f'<span class="updated">{_e(gettext("Updated"))} {_time(updated)}</span>' if updated else ""
    minutes = article.reading_time
    reading = ngettext("%(minutes)s min read", "%(minutes)s min read", minutes) % {"minutes": minutes}
    category = article.category
    section = (f'<a class="category" href="{_e(category.get_absolute_url())}">{_e(category.name)}</a>'
               if category else "")
    return mark_safe(  # escaped above
        f'<p class="meta">\n  {byline}\n  {_time(article.published_at)}\n  {updated}\n'
        f'  <span class="reading-time">{_e(reading)}</span>\n  {section}\n</p>'
    )


def tags(companies, topics):
    """The article's companies and topics, each linked to its page."""
    if not companies and not topics:
        return ""
    items = "".join(f'<li><a class="tag tag-company" href="{_e(tag.get_absolute_url())}">{_e(tag.name)}</a></li>'
                    for tag in companies)
    items += "".join(f'<li><a class="tag tag-topic" href="{_e(tag.get_absolute_url())}">{_e(tag.name)}</a></li>'
                     for tag in topics)
    return mark_safe(f'<ul class="tags" aria-label="{_e(gettext("Tags"))}">\n  {items}\n</ul>')  # escaped


def _time(value):
    # "c" and "H:i" as Django's date filter gives them (DateFormat.c is isoformat()).
    local = timezone.localtime(value)
    return (f'<time datetime="{local.isoformat()}">{_e(date_format(local, "DATE_FORMAT"))} '
            f"{local.hour:02d}:{local.minute:02d}</time>")
