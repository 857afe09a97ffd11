"""What showing a library picture takes: the data the renderer and the templates read
(plain data, no model; a live article's words win over the library's), the markup of a
cover and of a card's or the library's thumbnail (articles/rendering/figures.py's, the
same the renderer puts in bodies), and what the desk says of a picture that is not
ready. A body refers to a picture as ``![代替テキスト](image:42)`` (``Image.markdown``).
"""

import contextlib
import contextvars
import re

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.media.imaging import SEARCH_SHAPES, ImageRejected
from articles.models import Image
from articles.rendering import figures

# ![alt](image:42) and ![alt](image:42 "caption"): the id is all a body stores.
# ...and <img src="image:42"> in raw HTML, where Markdown is not read (an imported post's
# picture inside a <div>): the renderer gives it the picture's address.
REFERENCE = re.compile(r"\]\(\s*image:(\d{1,18})(?=[\s)])|\bsrc\s*=\s*[\"']image:(\d{1,18})[\"']")


def references(source):
    """The ids of library images that Markdown ``source`` refers to, in order, once each."""
    return list(dict.fromkeys(int(markdown or html) for markdown, html in REFERENCE.findall(source or "")))




def rejection_message(exc):
    """Why an upload was refused, in the uploader's language."""
    params = exc.params
    if exc.code == "too_big":
        return _("The file has %(size)s MB; an image may have at most %(max)s MB.") % {
            "size": f"{params['size'] / 2**20:.1f}", "max": f"{params['max'] / 2**20:.0f}"}
    if exc.code == "too_many_pixels":
        return _("The image is %(width)d×%(height)d pixels (%(frames)d frames); at most %(max)s million pixels "
                 "are accepted. Make it smaller first.") % {**params, "max": f"{params['max'] / 1e6:.0f}"}
    if exc.code == "busy":
        return _("The server is too busy to process the picture right now. Nothing was kept: try again in a "
                 "moment.")
    if exc.code == "not_stored":
        return _("The server could not store the picture (its storage may be full). Nothing was kept: try again "
                 "later, and tell an administrator if it happens again.")
    if exc.code == "too_costly":
        return _("The image took too long or too much memory to process. Save it again as an ordinary JPEG or PNG.")
    return _("This file is not an image the site accepts. Upload a JPEG, PNG, WebP, GIF or AVIF picture "
             "(SVG and other formats are refused).")


def state_label(image):
    """What the desk says of a picture that is not ready."""
    if image.state == Image.State.PROCESSING:
        return _("Processing the picture…")
    # The worker's own reasons; the ones with figures are the request's, never stored.
    code = image.failure if image.failure in ("busy", "not_stored", "too_costly") else "not_an_image"
    return _("This picture could not be made: %(reason)s") % {"reason": rejection_message(ImageRejected(code))}





# Where a stored body names a picture: the file's name under this, whatever the storage
# and the address readers fetch it from (``served`` puts that in).
STORED_MEDIA_URL = "/media/"


def url(name, base=None):
    """The address of the stored file ``name``: under MEDIA_URL (what readers fetch), or
    under ``base``. Never the storage's own address: a bucket stays private."""
    return (base or settings.MEDIA_URL) + name


WORDS = ("alt", "caption", "credit")


def words_of(ids):
    """``{"42": {"alt", "caption", "credit"}}``: the words library images ``ids`` have now."""
    return {
        str(pk): {"alt": alt, "caption": caption, "credit": credit}
        for pk, alt, caption, credit in Image.objects.filter(pk__in=ids).values_list(
            "pk", "alt_text", "caption", "credit")
    }


def shown(body, cover_id):
    """The ids of the library pictures a text shows: those its body refers to, and its cover."""
    return references(body) + ([cover_id] if cover_id else [])


def words_shown_by(revision):
    """The words of every picture ``revision`` shows (in its text and as its cover): what an
    editor who approves it reads, and what readers then keep (``Article.picture_words``)."""
    ids = shown(revision.body, revision.cover_id)
    return words_of(ids) if ids else {}


def image_data(image, words=None, *, base=None):
    """What the renderer and the templates need to show ``image`` (plain data, no model).
    ``words``: an article's ``picture_words``, whose words for this image win over the
    library's (a live article keeps those it was approved with). A picture that is not
    ready has no files yet: its data says so (``state``, and ``label`` for the desk).
    ``base``: the files' addresses start with it (default: MEDIA_URL)."""
    if not image.is_ready:
        return _with_words({
            "id": image.pk, "alt": image.alt_text, "caption": image.caption, "credit": image.credit,
            "state": image.state, "label": state_label(image),
        }, words)
    renditions = image.renditions

    def candidates(prefix, kind):
        found = [(r["width"], url(r["name"], base)) for key, r in renditions.items()
                 if key.startswith(prefix) and key.endswith("." + kind)]
        return [[address, width] for width, address in sorted(found)]

    fallback = "png" if any(key.endswith(".png") for key in renditions) else "jpeg"
    largest = max((r for key, r in renditions.items() if key.startswith("w") and key.endswith(".webp")),
                  key=lambda r: r["width"])
    thumb = renditions["thumb1x.webp"]
    data = {
        "id": image.pk,
        "state": image.state,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "animated": image.animated,
        "master": url(image.file.name, base),
        "width": image.width if image.animated else largest["width"],
        "height": image.height if image.animated else largest["height"],
        "webp": candidates("w", "webp"),
        "fallback": candidates("w", fallback),
        "thumb_webp": candidates("thumb", "webp"),
        "thumb_fallback": candidates("thumb", fallback),
        "thumb_width": thumb["width"],
        "thumb_height": thumb["height"],
        "social": url(renditions["social.jpeg"]["name"], base),
        "social_width": renditions["social.jpeg"]["width"],
        "social_height": renditions["social.jpeg"]["height"],
        "social_size": renditions["social.jpeg"]["size"],
        # (A picture stored before these were made has none: the social crop serves.)
        "search": [url(renditions[key]["name"], base) for key in (f"search{shape}.jpeg" for shape in SEARCH_SHAPES)
                   if key in renditions],
    }
    return _with_words(data, words)


def _with_words(data, words):
    """``data`` of one image with the words ``words`` (``picture_words``) has for it."""
    if not words or str(data["id"]) not in words:
        return data
    return {**data, **{key: value for key, value in words[str(data["id"])].items() if key in WORDS}}


_remembered = contextvars.ContextVar("remembered_image_data", default=None)


@contextlib.contextmanager
def remembering(memo=None):
    """Within this block, the data of an image is read once: one piece of work (an
    import) renders the same bodies several times, and their images do not change
    meanwhile. ``memo`` carries what was read from one block to the next."""
    token = _remembered.set({} if memo is None else memo)
    try:
        yield
    finally:
        _remembered.reset(token)


def data_for(source, words=None):
    """``{id: image_data}`` for every library image ``source`` refers to (one query);
    ``words`` as for ``image_data``. What the renderer reads: the addresses are the
    stored form (``STORED_MEDIA_URL``), resolved when the body is served."""
    ids = references(source)
    if not ids:
        return {}
    memo = _remembered.get()
    key = tuple(sorted(ids))
    if memo is not None and key in memo:
        data = memo[key]
    else:
        data = {image.pk: image_data(image, base=STORED_MEDIA_URL) for image in Image.objects.filter(pk__in=ids)}
        if memo is not None:
            memo[key] = data
    return {pk: _with_words(item, words) for pk, item in data.items()} if words else data


# ---------------------------------------------------------------------------------
# Markup (the template filters of articles/templatetags/pictures.py, and the cards')


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


def library_thumbnail(image):
    """A picture in the desk's library grid, described."""
    return mark_safe(figures.picture(image_data(image), sizes="12rem", thumbnail=True))


# A stored address of an uploaded picture, in src, srcset or href.
_STORED_MEDIA = re.compile(r"""(?<=["',\s])/media/""")


def served(html, host=None):
    """A stored body (or any HTML the renderer made) as readers get it: its pictures'
    addresses under MEDIA_URL. ``host`` (``https://news.example.com``, no final slash)
    makes an address on the site's own host absolute: feeds and the API are read away
    from the site."""
    base = settings.MEDIA_URL
    if host and base.startswith("/"):
        base = host + base
    if base == STORED_MEDIA_URL:
        return html
    return _STORED_MEDIA.sub(lambda _match: base, html)
