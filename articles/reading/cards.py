"""An article's card in a list, the line under its title (who, when, how long, which
section) and its tags, made in Python. Twenty cards through the template engine (three
templates each, a URL reversed for every link) were three quarters of a list page's
time. The markup is what those templates printed. Every value from the database is
escaped here (``_e``, the standard library's ``html.escape``, which Django's ``escape``
wraps); what comes in marked safe (a card's picture, a search snippet) is our own
markup. Tag, category and author addresses come from ``converters.slug_address``,
without resolving a pattern each. Views put what they make in the context (an article's
page keeps its line, tags and share links with its head: views/public.page_parts).

A list page takes its cards from ``kept()``: each card is made once and kept in the
cache until its article changes (or the generation: a renamed tag, category or author),
so a list made afresh after a publish makes one card, not twenty, and reads only the ids
of its articles."""

from html import escape as _e
from urllib.parse import quote

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from articles.media.pictures import FIRST_SCREEN_CARDS, card_thumbnail, image_data
from articles.models import Article
from articles.reading import caching, public_data
from articles.rendering import figures
from articles.rendering.dates import machine_time


def kept(ids, snippets=None):
    """The cards of the live articles ``ids``, in that order (one taken down meanwhile is
    left out). The first cards of a list load their pictures at once, the others lazily:
    two kinds of card. ``snippets`` (``{id: snippet}``): search results, whose cards show
    the words that matched in place of the excerpt and the tags."""
    language = get_language()
    items = [f"{language}:{pk}:{'first' if position < FIRST_SCREEN_CARDS else 'later'}"
             for position, pk in enumerate(ids)]

    def make(missing):
        articles = Article.objects.published().for_listing().in_bulk([int(item.split(":")[1]) for item in missing])
        made = {}
        for item in missing:
            _, pk, place = item.split(":")
            if int(pk) in articles:
                made[item] = _parts(articles[int(pk)], 1 if place == "first" else None)
        return made

    made = caching.remember_each("card-parts", items, make, lambda item: [caching.article_area(item.split(":")[1])])
    found = []
    for pk, item in zip(ids, items, strict=True):
        if item in made:
            top, rest = made[item]
            if snippets is not None:
                rest = _snippet(snippets.get(pk, ""))
            found.append(mark_safe(top + rest + _END))  # parts escaped by _parts and _snippet
    return found


_END = "\n</article>\n"


def _parts(article, position):
    """A card up to its excerpt, and its excerpt and tags: the first is the same for a
    list and for search results."""
    cover = article.cover
    thumbnail = f'<div class="card-thumbnail">{card_thumbnail(cover, position)}</div>' if cover else ""
    excerpt = f'<p class="excerpt">{_e(article.excerpt)}</p>' if article.excerpt else ""
    top = (f'<article class="card{" with-thumbnail" if cover else ""}">\n  {thumbnail}\n'
           f'  <h2><a href="{_e(article.get_absolute_url())}">{_e(article.title)}</a></h2>\n'
           f"  {meta(article)}\n  ")
    return top, f"{excerpt}\n  {tags(article.company_list, article.topic_list)}"


def _snippet(snippet):
    return f'<p class="snippet">{conditional_escape(snippet)}</p>' if snippet else ""


def meta(article):
    """Byline (linked to the writer's page when they have one), date, the time of an
    update, reading time and section."""
    profile = article.author_profile
    if profile:
        byline = (f'<a class="byline" href="{_e(profile.get_absolute_url())}" rel="author">'
                  f"{_e(article.credited_name)}</a>")
    elif article.byline:
        byline = f'<span class="byline">{_e(article.byline)}</span>'
    else:
        byline = ""
    updated = article.updated_at_shown
    # Messages stay outside f-strings, where xgettext (makemessages) cannot see them.
    label = gettext("Updated")
    updated = f'<span class="updated">{_e(label)} {_time(updated)}</span>' if updated else ""
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
    label = gettext("Tags")
    return mark_safe(f'<ul class="tags" aria-label="{_e(label)}">\n  {items}\n</ul>')  # escaped


def related(items):
    """The block of articles related to an article, under it: title, date and picture."""
    if not items:
        return ""
    rows = []
    for item in items:
        cover = item.cover
        thumbnail = f'<div class="card-thumbnail">{card_thumbnail(cover)}</div>' if cover else ""
        local = timezone.localtime(item.published_at)
        marked = ' class="with-thumbnail"' if cover else ""
        rows.append(
            f"<li{marked}>{thumbnail}\n"
            f'      <a href="{_e(item.get_absolute_url())}">{_e(item.title)}</a> '
            f'<time datetime="{machine_time(local)}">{_e(date_format(local, "DATE_FORMAT"))}</time></li>'
        )
    heading = gettext("Related articles")
    return mark_safe(  # escaped above
        '<section class="related" aria-labelledby="related-heading">\n'
        f'  <h2 id="related-heading">{_e(heading)}</h2>\n  <ul>\n    '
        + "\n    ".join(rows) + "\n  </ul>\n</section>"
    )


def lead(pk):
    """The front page's lead story: its cover large, its title, line and excerpt."""
    language = get_language()

    def make():
        article = Article.objects.published().for_listing().filter(pk=pk).first()
        if article is None:
            return ""
        picture = ""
        if article.cover is not None and article.cover.is_ready:
            picture = figures.picture(image_data(article.cover), sizes=figures.COVER_SIZES, alt="",
                                      loading=None, fetchpriority="high")
        excerpt = f'<p class="excerpt">{_e(article.excerpt)}</p>' if article.excerpt else ""
        return (f'<article class="lead-story">\n  <div class="lead-picture">{picture}</div>\n'
                f'  <h2><a href="{_e(article.get_absolute_url())}">{_e(article.title)}</a></h2>\n'
                f"  {meta(article)}\n  {excerpt}\n</article>")

    return mark_safe(caching.remember(f"lead:{language}:{pk}", make, areas=(caching.article_area(pk),)))


def sections(found):
    """The newest titles of each section (``front.sections()``), each list under its
    section's name, linked to its page."""
    blocks = [f'  <section class="front-section">\n    <h3 id="section-{category.pk}">'
              f'<a href="{_e(category.get_absolute_url())}">{_e(category.name)}</a></h3>\n'
              f'    {_titles(articles, "ul", f"section-{category.pk}")}\n  </section>\n'
              for category, articles in found]
    return _titled("front-sections", "sections-heading", gettext("Sections"), blocks)


def ranking(periods):
    """アクセスランキング: for each ``(heading, articles)`` of ``periods``, its articles in
    order (readers see their rank, not the counts)."""
    blocks = [f'  <div class="ranking-period">\n    <h3 id="ranking-{number}">{_e(heading)}</h3>\n'
              f'    {_titles(articles, "ol", f"ranking-{number}")}\n  </div>\n'
              for number, (heading, articles) in enumerate(periods) if articles]
    return _titled("ranking", "ranking-heading", gettext("Most read"), blocks)


def _titles(articles, tag, labelled_by):
    items = "".join(f'      <li><a href="{_e(article.get_absolute_url())}">{_e(article.title)}</a></li>\n'
                    for article in articles)
    return f'<{tag} aria-labelledby="{labelled_by}">\n{items}    </{tag}>'


def _titled(css, heading_id, title, blocks):
    """A block of the front page under its heading, or nothing without ``blocks``."""
    if not blocks:
        return ""
    return mark_safe(  # every part escaped where it was made
        f'<section class="{css}" aria-labelledby="{heading_id}">\n'
        f'  <h2 id="{heading_id}">{_e(title)}</h2>\n{"".join(blocks)}</section>'
    )


def public_notes(notes):
    """The corrections and updates of an article, oldest first, under its text: each
    with what it is (訂正, 追記), its time and what readers should know."""
    if not notes:
        return ""
    items = "".join(
        f'  <li class="public-note-{_e(note.kind)}"><strong>{_e(str(note.get_kind_display()))}</strong> '
        f'<time datetime="{machine_time(note.published_at)}">'
        f'{_e(date_format(timezone.localtime(note.published_at), "DATETIME_FORMAT"))}</time>'
        f"<p>{_e(note.text)}</p></li>\n"
        for note in notes
    )
    heading = gettext("Corrections and updates")
    return mark_safe(  # escaped above
        f'<section class="public-notes" aria-labelledby="public-notes-heading">\n'
        f'  <h2 id="public-notes-heading">{_e(heading)}</h2>\n  <ul>\n{items}  </ul>\n</section>'
    )


def share(url, title):
    """Plain links to each service's own share page: no script, no tracking, nothing
    loaded until a reader clicks."""
    url, title = quote(url, safe=""), quote(title, safe="")
    links = [
        ("share-x", f"https://x.com/intent/post?text={title}&amp;url={url}", gettext("Share on X")),
        ("share-facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}", gettext("Share on Facebook")),
        ("share-line", f"https://social-plugins.line.me/lineit/share?url={url}", gettext("Send with LINE")),
        ("share-hatena", f"https://b.hatena.ne.jp/add?mode=confirm&amp;url={url}&amp;title={title}",
         gettext("Add to Hatena Bookmark")),
    ]
    items = "\n".join(f'    <li><a class="{kind}" href="{href}" target="_blank" rel="noopener noreferrer">'
                      f"{_e(label)}</a></li>" for kind, href, label in links)
    name, label = gettext("Share this article"), gettext("Share")
    return mark_safe(  # quoted and escaped above
        f'<nav class="share" aria-label="{_e(name)}">\n'
        f'  <span class="share-label" aria-hidden="true">{_e(label)}</span>\n'
        f"  <ul>\n{items}\n  </ul>\n</nav>"
    )


def tag_options(model):
    """An ``<option>`` per tag of ``model`` readers can see (``public_data.public_tags``),
    for a form's menu of them: kept as one piece of HTML (hundreds of tags unpickled as
    models were a sixth of a search page, and escaping each name again a tenth)."""

    def options():
        return "".join(f'<option value="{_e(tag.slug)}">{_e(tag.name)}</option>'
                       for tag in public_data.public_tags(model))

    return caching.remember(f"options:{model._meta.label}", options, areas=(caching.LIVE,))


def _time(value):
    local = timezone.localtime(value)
    return (f'<time datetime="{machine_time(local)}">{_e(date_format(local, "DATE_FORMAT"))} '
            f"{local.hour:02d}:{local.minute:02d}</time>")
