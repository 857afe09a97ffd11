"""Pillow's work on an uploaded image: accept it or say why not, re-encode it, and make
every rendition the site will ever show, once.

Nothing here touches the database: ``prepare()`` runs in a helper process bounded in
time and memory (articles/rendering/bounded.py), like rendering, so that a hostile file costs a
refusal, not a server worker.

Safe by construction: the file is identified by its content (never its name), its size
in pixels is read from the header and refused before anything is decoded, and every
byte served is one Pillow wrote. Orientation is applied first; EXIF, GPS and XMP are
left behind (the ICC colour profile is kept, so colours stay right).
"""

import hashlib
import io
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name → ours.
ACCEPTED_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
CONTENT_TYPES = {
    "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif", "avif": "image/avif",
}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif", "avif": "avif"}

MASTER_MAX_SIDE = 4096  # what the site keeps of a larger original (12 MP phone photos fit)
WIDTHS = (480, 960, 1440)  # for srcset
THUMB = (400, 225)  # list cards, 16:9 (and twice that for dense screens)
SOCIAL = (1200, 630)  # og:image, twitter:card
# For search engines' rich results (JSON-LD "image"): the shapes Google asks for, 1200 px wide.
SEARCH_SHAPES = {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}
QUALITY = {"jpeg": 82, "webp": 78}


class ImageRejected(ValueError):
    """A file that is not an image we accept. ``code`` says why (``too_big``,
    ``not_an_image``, ``format``, ``too_many_pixels``), ``params`` the figures; the desk
    turns them into a sentence in the uploader's language."""

    def __init__(self, code, params=None):
        super().__init__(code, params or {})
        self.code, self.params = code, params or {}


@dataclass
class Encoded:
    data: bytes
    format: str
    width: int
    height: int


@dataclass
class Prepared:
    content_hash: str  # of the uploaded bytes: the same file uploaded twice is one image
    master: Encoded
    animated: bool
    renditions: dict[str, Encoded] = field(default_factory=dict)


def content_hash(data):
    return hashlib.sha256(data).hexdigest()


@dataclass
class Header:
    """What a file's header says, checked: enough to accept an upload before decoding it."""

    format: str
    width: int
    height: int
    frames: int

    @property
    def animated(self):
        return self.frames > 1


def identify(data: bytes, *, max_bytes: int, max_pixels: int) -> Header:
    """Check ``data`` from its header alone (cheap: nothing is decoded).

    Raises ``ImageRejected`` for anything Pillow cannot identify as JPEG, PNG, WebP, GIF
    or AVIF (SVG, HTML, a PDF renamed .png…), for files over ``max_bytes`` and for
    images over ``max_pixels`` (width × height × frames: a 20000×20000 PNG of a few
    kilobytes is refused from its header, before decoding).
    """
    return _open(data, max_bytes, max_pixels)[1]


def _open(data, max_bytes, max_pixels):
    if len(data) > max_bytes:
        raise ImageRejected("too_big", {"size": len(data), "max": max_bytes})
    # Our check below reads the same header as Pillow's, and gives the figures.
    Image.MAX_IMAGE_PIXELS = None
    try:
        image = Image.open(io.BytesIO(data))
        kind = ACCEPTED_FORMATS.get(image.format)
        if kind is None:
            raise ImageRejected("format", {"format": image.format})
        width, height = image.size
        if width < 1 or height < 1 or width * height > max_pixels:
            raise ImageRejected("too_many_pixels", {"width": width, "height": height, "frames": 1,
                                                    "max": max_pixels})
        frames = getattr(image, "n_frames", 1) if kind in ("gif", "webp", "png") else 1
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, EOFError, Image.DecompressionBombError):
        raise ImageRejected("not_an_image") from None
    if width * height * frames > max_pixels:
        raise ImageRejected("too_many_pixels", {"width": width, "height": height, "frames": frames,
                                                "max": max_pixels})
    return image, Header(kind, width, height, frames)


def prepare(data: bytes, *, max_bytes: int, max_pixels: int, focal_point=None) -> Prepared:
    """Check ``data`` (as ``identify``) and turn it into the stored image and its renditions."""
    image, header = _open(data, max_bytes, max_pixels)
    try:
        return _prepare(image, header.format, header.animated, data, focal_point)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, EOFError):
        # Truncated or corrupt data that only decoding finds out.
        raise ImageRejected("not_an_image") from None


def _prepare(image, kind, animated, data, focal_point):
    icc = image.info.get("icc_profile")
    if animated:
        master = _encode_animation(image, kind)
        image.seek(0)
    oriented = ImageOps.exif_transpose(image)  # before anything else: the pixels as the camera meant them
    first = oriented.convert("RGBA") if _has_alpha(image) else oriented.convert("RGB")
    first.info = {}  # no EXIF, GPS or XMP is carried into anything made from it
    if not animated:
        master_kind = kind if kind in ("jpeg", "png", "webp") else _fallback_kind(first)
        master = _encode(_fit(first, MASTER_MAX_SIDE), master_kind, icc)
    # Renditions come from a copy no larger than the largest of them: quicker, same result.
    source = _fit(first, max(WIDTHS[-1], SOCIAL[0], THUMB[0] * 2))
    fallback = _fallback_kind(first)
    renditions = {}
    for width in WIDTHS:
        if width > first.width and width != WIDTHS[0]:
            break  # never enlarged; the smallest is always made
        resized = _scale_to_width(source, min(width, first.width))
        renditions[f"w{width}.webp"] = _encode(resized, "webp", icc)
        renditions[f"w{width}.{fallback}"] = _encode(resized, fallback, icc)
    for scale in (1, 2):
        size = (THUMB[0] * scale, THUMB[1] * scale)
        cropped = ImageOps.fit(source, size, Image.Resampling.LANCZOS, centering=focal_point or (0.5, 0.5))
        renditions[f"thumb{scale}x.webp"] = _encode(cropped, "webp", icc)
        renditions[f"thumb{scale}x.{fallback}"] = _encode(cropped, fallback, icc)
    social = ImageOps.fit(source.convert("RGB"), SOCIAL, Image.Resampling.LANCZOS,
                          centering=focal_point or (0.5, 0.5))
    renditions["social.jpeg"] = _encode(social, "jpeg", icc)
    for shape, size in SEARCH_SHAPES.items():
        cropped = ImageOps.fit(source.convert("RGB"), size, Image.Resampling.LANCZOS,
                               centering=focal_point or (0.5, 0.5))
        renditions[f"search{shape}.jpeg"] = _encode(cropped, "jpeg", icc)
    return Prepared(content_hash=content_hash(data), master=master, animated=animated, renditions=renditions)


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _fallback_kind(image):
    return "png" if image.mode == "RGBA" else "jpeg"


def _fit(image, side):
    if max(image.size) <= side:
        return image
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return copy


def _scale_to_width(image, width):
    if image.width == width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image, kind, icc):
    buffer = io.BytesIO()
    options = {"icc_profile": icc} if icc else {}
    if kind == "jpeg":
        image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=QUALITY["jpeg"], optimize=True, progressive=True, **options)
    elif kind == "webp":
        image.save(buffer, "WEBP", quality=QUALITY["webp"], method=4, **options)
    else:
        image.save(buffer, "PNG", optimize=True, **options)
    return Encoded(buffer.getvalue(), kind, image.width, image.height)


def _encode_animation(image, kind):
    """Every frame again, drawn by Pillow; nothing of the original file's bytes."""
    frames, durations = [], []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(image.convert("RGBA"))
        durations.append(image.info.get("duration", 100))
    buffer = io.BytesIO()
    out = "gif" if kind == "gif" else "webp"
    frames[0].save(buffer, out.upper(), save_all=True, append_images=frames[1:], duration=durations,
                   loop=image.info.get("loop", 0), disposal=2 if out == "gif" else 0)
    return Encoded(buffer.getvalue(), out, frames[0].width, frames[0].height)
