"""The only door from Markdown to HTML: ``render()``, bounded in a helper process.

``render()`` runs when content is saved or previewed, never on a page view: the public
pages print the stored result. Anything a reader's browser could execute is removed
here, whatever the writer (or an imported file) put in the source.

A few shapes of text make Python-Markdown work for minutes (long runs of unclosed
brackets, among others), so the work happens in a helper process with a time and
memory bound (articles/rendering/bounded.py); text that exceeds it is refused with a clear
error instead of holding a server worker. The usual shapes are made fast here, so
that only text nobody writes on purpose meets the bound.
"""

import contextlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import markdown
from django.conf import settings
from django.utils.translation import gettext as _

from articles.rendering import bounded, extensions, sanitising


class RenderError(Exception):
    """Markdown that cannot become HTML within the bounds; the message is for the writer.
    ``code`` is "text" when the text is to blame, "busy" when the server was."""

    def __init__(self, message, code="text"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Rendering:
    html: str  # sanitised: what readers get
    raw_html: str  # Python-Markdown's own output, for the checks to inspect; never shown
    flattened: bool = False  # nested too deeply to format: shown as plain paragraphs

def plain_paragraphs(source):
    """``source`` as escaped paragraphs, with no markup at all."""
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", source))
    return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs if paragraph)


def render_here(source: str, images_json: str = "{}") -> Rendering:
    """The rendering itself, in this process and unbounded: the helper process runs it.

    ``images_json`` is ``{id: image data}`` (articles/media/images.py) for the library images
    the source refers to. Text nested deeper than the parsers' recursion allows comes
    out as plain escaped paragraphs (``flattened``), so its size stays that of the text.
    """
    try:
        figures_extension = extensions.Figures(json.loads(images_json))
        # A new converter each time (a millisecond): one that failed half-way keeps state.
        raw_html = markdown.Markdown(
            extensions=[*extensions.EXTENSIONS, figures_extension], extension_configs=extensions.CONFIG,
            output_format="html",
        ).convert(source)
        html = figures_extension.insert(sanitising.clean(raw_html))
    except RecursionError:
        html = plain_paragraphs(source)
        return Rendering(html=html, raw_html=html, flattened=True)
    return Rendering(html=html, raw_html=raw_html)


# What a helper renders before it takes work: every extension and lexer it would
# otherwise import during a writer's first render (0.5–2 s that counted as the text's).
_WARM_UP = (
    "# 見出し\n\n本文と[リンク](https://example.com)、**強調**、`code`。[^1]\n\n"
    "| 列 | 列 |\n|--|--|\n| a | b |\n\n- 項目\n  - 入れ子\n\n```python\nprint(1)\n```\n\n"
    "<svg><script>x</script></svg>\n\n[^1]: 注。\n"
)


def warm_up():
    render_here(_WARM_UP, json.dumps({}))


_runner = bounded.BoundedRunner(preload=[__name__], warm_up=warm_up)
PARALLEL_RENDERS = _runner.size

_TOO_SLOW, _TOO_BIG = "slow", "memory"


# Seconds of waiting a render may take when nobody waits for it (an import), instead of
# a request's backstop: None for a request's.
_patience = None


@contextlib.contextmanager
def patiently():
    """Within this block (an import, a command: no reader or writer waits on it), a
    render on a busy machine waits as long as its helper works, within a patient
    backstop (``bounded.patient_backstop``); its CPU bound is the same."""
    global _patience
    before, _patience = _patience, bounded.patient_backstop(settings.EDITORIAL_RENDER_TIMEOUT)
    try:
        yield
    finally:
        _patience = before


@lru_cache(maxsize=32)
def _outcome(source, cpu_seconds, images_json):
    # Remembered, the text's own failures included: the form, the model's save and the
    # checks of one request all ask for the same text, and Markdown runs once. What the
    # machine caused (Busy, a helper killed from outside) is raised, so never remembered.
    try:
        return _runner.run(render_here, source, images_json, cpu_seconds=cpu_seconds, wall_seconds=_patience)
    except bounded.Timeout:
        return _TOO_SLOW
    except MemoryError:
        return _TOO_BIG


# Where the data of the library pictures a text shows comes from: ``(source, words) ->
# {id: data}``, given by the picture library when the app is ready (articles/apps.py),
# so that the renderer knows no database. Until then a text shows no library picture.
_picture_data = None


def use_picture_data(source):
    global _picture_data
    _picture_data = source


def job(source, words=None):
    """What rendering ``source`` needs from the database, read here: ``render_job``
    may then run in another thread, ahead of the ``render`` that will want it.
    ``words``: the pictures' words to show instead of the library's (``image_data``)."""
    pictures = _picture_data(source, words) if _picture_data else {}
    return source, json.dumps(pictures, sort_keys=True, ensure_ascii=False)


def render_job(prepared):
    """Render what ``job`` prepared into the cache ``render`` reads (the outcome is not
    returned)."""
    source, images_json = prepared
    if source and source.strip():
        _outcome(source, settings.EDITORIAL_RENDER_TIMEOUT, images_json)


def render(source: str, words=None) -> Rendering:
    """Render Markdown ``source`` to sanitised HTML that is safe to print with ``|safe``.

    Python-Markdown (extra, toc, sane_lists) makes the HTML; bleach then keeps only
    the allow-listed tags, attributes and URL schemes, external links get
    ``rel="noopener noreferrer nofollow"``, ids get the prefix ``md-`` and classes are
    confined to Markdown's own. Raw HTML in the source is allowed only as far as the
    allow-list goes. Raises ``RenderError`` when the text takes longer than
    ``EDITORIAL_RENDER_TIMEOUT`` seconds or too much memory. ``words`` as for ``job``.
    """
    if not source or not source.strip():
        return Rendering(html="", raw_html="")
    # The database is read in this process only (the helper has none).
    source, images_json = job(source, words)
    try:
        outcome = _outcome(source, settings.EDITORIAL_RENDER_TIMEOUT, images_json)
    except bounded.Busy:
        raise RenderError(
            _("The server is too busy to turn this text into a page right now. Nothing you wrote was lost: "
              "try again in a moment."), code="busy",
        ) from None
    except bounded.HelperDied:
        raise RenderError(
            _("The text could not be turned into a page: the process doing it stopped unexpectedly. Nothing "
              "you wrote was lost: try again in a moment."), code="busy",
        ) from None
    if outcome == _TOO_SLOW:
        raise RenderError(
            _("This text takes too long to turn into a page (over %(seconds)s s of processing time). Long runs "
              "of unclosed brackets such as “[” or “<”, or lists and quotes nested very deeply, cause this: "
              "simplify that part. Nothing you wrote was lost.") % {"seconds": settings.EDITORIAL_RENDER_TIMEOUT}
        )
    if outcome == _TOO_BIG:
        raise RenderError(
            _("This text needs too much memory to turn into a page. Simplify its structure (very deep "
              "nesting, thousands of links). Nothing you wrote was lost.")
        )
    return outcome


def render_markdown(source: str, words=None) -> str:
    """The HTML readers get for ``source`` (see ``render()``)."""
    return render(source, words).html
