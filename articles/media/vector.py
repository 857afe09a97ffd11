"""SVG pictures of imported sites (architecture diagrams) made into PNG once, at import:
the library then treats them as any other picture, and no SVG is ever served.

CairoSVG draws them with ``unsafe=False``: no external file or address is read (only
``data:`` URLs), XML entities are refused. The size drawn is worked out here from the
root's ``width``, ``height`` and ``viewBox`` and clamped, so that a declared size of a
million pixels a side cannot ask cairo for the memory; the drawing runs in the picture
helper, bounded in CPU time and memory like the rest of imaging.
"""

import re

from defusedxml import ElementTree

from articles.media.imaging import ImageRejected

MAX_SIDE = 2560  # px: a diagram wider than a page is still read at this size
DEFAULT_SIDE = 1200  # px: the width of an SVG that states no size but a shape
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def is_svg(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:2048].lower())


def _length(value):
    match = _LENGTH.match(value or "")
    return float(match[1]) if match else None


def _size(data):
    """``(width, height)`` in px to draw ``data`` at, or ``ImageRejected``."""
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except Exception:  # a parser's reasons are many; all say the same here
        raise ImageRejected("not_an_image") from None
    if not root.tag.endswith("svg"):
        raise ImageRejected("not_an_image")
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4 and all(_length(part) is not None or part.startswith("-") for part in box):
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            box_width = box_height = 0
        if box_width > 0 and box_height > 0:
            if width is None and height is None:
                width = DEFAULT_SIDE
            if width is not None and height is None:
                height = width * box_height / box_width
            elif height is not None and width is None:
                width = height * box_width / box_height
    if not width or not height or width <= 0 or height <= 0:
        raise ImageRejected("not_an_image")
    scale = min(1.0, MAX_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def to_png(data: bytes, *, max_bytes: int) -> bytes:
    """``data`` (an SVG document) drawn as PNG at its size, at most MAX_SIDE a side."""
    if len(data) > max_bytes:
        raise ImageRejected("too_big", {"size": len(data), "max": max_bytes})
    width, height = _size(data)
    try:
        import cairosvg  # cairo is loaded in the helper that draws, not in every process
    except (ImportError, OSError):  # no libcairo on this machine: SVG stays refused
        raise ImageRejected("format", {"format": "SVG"}) from None

    try:
        return cairosvg.svg2png(bytestring=data, output_width=width, output_height=height, unsafe=False)
    except MemoryError:
        raise
    except Exception:
        raise ImageRejected("not_an_image") from None
