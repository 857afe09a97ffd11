"""An article's card in a list, the line under its title (who, when, how long, which
section) and its tags, made in Python. Twenty cards through the template engine (three
templates each, a URL reversed for every link) were three quarters of a list page's
time; the markup is the same, escaped by ``format_html``, and the tags' addresses come
from articles/converters.py's ``slug_address`` without resolving a pattern each. The templates use them through
the ``cards`` tags (articles/templatetags/cards.py)."""

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext

from .templatetags.pictures import card_thumbnail


def card(article, position=None, *, snippet=None):
    """The card of ``article``, the ``position``-th of its list. A search result shows
    the words that matched (``snippet``) in place of the excerpt and the tags."""
    cover = article.cover
    thumbnail = format_html('<div class="card-thumbnail">{}</div>', card_thumbnail(cover, position)) if cover else ""
    if snippet is not None:
        after = format_html('<p class="snippet">{}</p>', snippet) if snippet else ""
    else:
        excerpt = format_html('<p class="excerpt">{}</p>', article.excerpt) if article.excerpt else ""
        after = format_html("{}\n  {}", excerpt, tags(article.company_list, article.topic_list))
    return format_html(
        '<article class="card{}">\n  {}\n  <h2><a href="{}">{}</a></h2>\n  {}\n  {}\n</article>\n',
        " with-thumbnail" if cover else "", thumbnail, article.get_absolute_url(), article.title, meta(article),
        after,
    )


def meta(article):
    """Byline (linked to the writer's page when they have one), date, the time of an
    update, reading time and section."""
    profile = article.author_profile
    if profile:
        byline = format_html('<a class="byline" href="{}" rel="author">{}</a>', profile.get_absolute_url(),
                             article.byline or profile.name)
    elif article.byline:
        byline = format_html('<span class="byline">{}</span>', article.byline)
    else:
        byline = ""
    updated = article.updated_at_shown
    if updated:
        updated = format_html('<span class="updated">{} {}</span>', gettext("Updated"), _time(updated))
    minutes = article.reading_time
    reading = ngettext("%(minutes)s min read", "%(minutes)s min read", minutes) % {"minutes": minutes}
    category = article.category
    section = format_html('<a class="category" href="{}">{}</a>', category.get_absolute_url(), category.name) \
        if category else ""
    return format_html(
        '<p class="meta">\n  {}\n  {}\n  {}\n  <span class="reading-time">{}</span>\n  {}\n</p>',
        byline, _time(article.published_at), updated or "", reading, section,
    )


def tags(companies, topics):
    """The article's companies and topics, each linked to its page."""
    if not companies and not topics:
        return ""
    items = format_html_join("", '<li><a class="tag tag-company" href="{}">{}</a></li>',
                             ((tag.get_absolute_url(), tag.name) for tag in companies))
    items += format_html_join("", '<li><a class="tag tag-topic" href="{}">{}</a></li>',
                              ((tag.get_absolute_url(), tag.name) for tag in topics))
    return format_html('<ul class="tags" aria-label="{}">\n  {}\n</ul>', gettext("Tags"), items)


def _time(value):
    local = timezone.localtime(value)
    return format_html('<time datetime="{}">{} {}</time>', format_date(local, "c"), date_format(local, "DATE_FORMAT"),
                       format_date(local, "H:i"))
