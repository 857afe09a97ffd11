"""Trusted markup for library images and embedded media.

Built here from checked data (an image's stored renditions, a video id that matched a
strict pattern), never from a writer's HTML: the renderer inserts it after sanitising,
and templates print it for covers and cards. No database and no Django here, so that
the rendering helper process can use it too.
"""

import re
from html import escape

# Body images fill the text column (site.css: --measure, 42rem) or the screen.
BODY_SIZES = "(min-width: 46rem) 42rem, 100vw"
COVER_SIZES = "(min-width: 46rem) 42rem, 100vw"
CARD_SIZES = "8rem"

# ---------------------------------------------------------------------------------
# Images


def _srcset(candidates):
    return ", ".join(f"{escape(url)} {width}w" for url, width in candidates)


def picture(data, *, sizes=BODY_SIZES, loading="lazy", fetchpriority=None, alt=None, thumbnail=False):
    """``<picture>`` with WebP and the fallback format at every width, and the width and
    height that keep the page from jumping while it loads."""
    alt = data["alt"] if alt is None else alt
    if data.get("state", "ready") != "ready":
        # Not made yet (or could not be): the desk says so where the picture will be.
        return f'<span class="image-pending" role="img" aria-label="{escape(alt)}">{escape(data["label"])}</span>'
    lazy = f' loading="{loading}"' if loading else ""
    priority = f' fetchpriority="{fetchpriority}"' if fetchpriority else ""
    if data.get("animated") and not thumbnail:
        return (f'<img src="{escape(data["master"])}" alt="{escape(alt)}" width="{data["width"]}" '
                f'height="{data["height"]}"{lazy}{priority} decoding="async">')
    webp, fallback = (data["thumb_webp"], data["thumb_fallback"]) if thumbnail else (data["webp"], data["fallback"])
    width, height = (data["thumb_width"], data["thumb_height"]) if thumbnail else (data["width"], data["height"])
    default = fallback[min(1, len(fallback) - 1)][0]
    return (
        f'<picture><source type="image/webp" srcset="{_srcset(webp)}" sizes="{escape(sizes)}">'
        f'<img src="{escape(default)}" srcset="{_srcset(fallback)}" sizes="{escape(sizes)}" '
        f'alt="{escape(alt)}" width="{width}" height="{height}"{lazy}{priority} decoding="async"></picture>'
    )


def figure(data, *, sizes=BODY_SIZES, loading="lazy", fetchpriority=None, alt=None, caption=None, css="image"):
    """The image with its caption and credit below it."""
    caption = data["caption"] if caption is None else caption
    parts = []
    if caption:
        parts.append(escape(caption))
    if data.get("credit"):
        parts.append(f'<span class="credit">{escape(data["credit"])}</span>')
    figcaption = f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""
    image = picture(data, sizes=sizes, loading=loading, fetchpriority=fetchpriority, alt=alt)
    return f'<figure class="{css}">{image}{figcaption}</figure>'


# ---------------------------------------------------------------------------------
# Embeds: recognised by URL alone on its own line.

_YOUTUBE = re.compile(
    r"https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^#\s]*&)?v=|shorts/|embed/|live/)|youtu\.be/|"
    r"youtube-nocookie\.com/embed/)(?P<id>[A-Za-z0-9_-]{11})(?:[?&#][^\s]*)?"
)
_VIMEO = re.compile(r"https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(?P<id>[0-9]{4,12})(?:[?#/][^\s]*)?")
_X_POST = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/(?P<user>[A-Za-z0-9_]{1,15})/status/(?P<id>[0-9]{5,25})"
    r"(?:[?#/][^\s]*)?"
)


def embed_for(url):
    """``(kind, fields)`` for a URL we know how to embed, else None."""
    url = url.strip()
    for kind, pattern in (("youtube", _YOUTUBE), ("vimeo", _VIMEO), ("x", _X_POST)):
        match = pattern.fullmatch(url)
        if match:
            return kind, match.groupdict()
    return None


# Pasted from YouTube's or Vimeo's share dialog: recognised, and turned into the same
# safe embed as the URL (the writer's own iframe is never kept).
PASTED_IFRAME_LINE = re.compile(
    r"^[ ]{0,3}<iframe\b[^>\n]*?\bsrc=[\"'](?P<src>https?://(?:www\.)?(?:youtube(?:-nocookie)?\.com/embed/"
    r"[A-Za-z0-9_-]{11}|player\.vimeo\.com/video/[0-9]{4,12})[^\"'\s]*)[\"'][^>\n]*>\s*</iframe>[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)

_VIDEO_FRAME = (
    '<figure class="embed embed-video"><iframe src="{src}" title="{title}" width="560" height="315" '
    'loading="lazy" referrerpolicy="strict-origin-when-cross-origin" '
    'allow="accelerometer; encrypted-media; gyroscope; picture-in-picture; fullscreen" allowfullscreen>'
    '</iframe></figure>'
)
# No sandbox attribute: the players need scripts and their own origin's storage, and a
# sandbox granting both is one HTML calls invalid (it means nothing to a frame of the
# page's own origin). These frames are only ever of the players' origins, which the
# same-origin policy already keeps from the page; CSP frame-src allows only them and the
# Permissions-Policy header gives them only what "allow" names (SECURITY.md).


def embed_html(kind, fields):
    if kind == "youtube":
        return _VIDEO_FRAME.format(
            src=f"https://www.youtube-nocookie.com/embed/{fields['id']}", title="YouTube動画"
        )
    if kind == "vimeo":
        return _VIDEO_FRAME.format(src=f"https://player.vimeo.com/video/{fields['id']}?dnt=1", title="Vimeo動画")
    url = f"https://x.com/{fields['user']}/status/{fields['id']}"
    # A quote and a link: no third-party script runs, and nobody is tracked by reading.
    return (
        f'<blockquote class="embed embed-x"><p>X（旧Twitter）の投稿</p>'
        f'<p><a href="{url}" rel="noopener noreferrer nofollow">@{fields["user"]} の投稿を見る</a></p></blockquote>'
    )


# Where embeds may load from (the Content-Security-Policy's frame-src).
FRAME_SOURCES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
