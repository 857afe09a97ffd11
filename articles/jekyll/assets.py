"""The pictures a Jekyll post shows, brought into the media library.

A reference to a file of the site (``/assets/a.png``, ``assets/a.png``, ``../a.png``,
``/blog/assets/a.png`` under a ``baseurl``, or the site's own ``url``) becomes a library
image (``![alt](image:42)``), stored once however many posts show it; the front
matter's ``image:`` becomes the cover. A file that is missing is reported with its post
and its reference left as it was; a picture on another host stays where it is and is
reported too, since it disappears whenever that host removes it.
"""

import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.translation import override

from articles.media import images, imaging, pictures, vector
from articles.models import Image
from articles.rendering.fences import TEXT, fence_kinds

# A picture, and the kramdown span attributes it may carry ({: .img-responsive}): they
# were for the old <img>, and a library picture would show them as text.
_MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]\n]*)\]\(\s*(?P<src><[^>\n]+>|[^)\s]+)(?P<title>\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
    r"(?P<attributes>\{:[^}\n]*\})?"
)
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SOURCE = re.compile(r"""\bsrc\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
# A line that opens a block of raw HTML (CommonMark's kind 6), which lasts to a blank line.
_HTML_BLOCK = re.compile(
    r"^ {0,3}</?(?:address|article|aside|blockquote|center|details|div|dl|figure|figcaption|footer|header|"
    r"main|nav|ol|p|section|table|tbody|td|th|thead|tr|ul|li)\b", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\b(src|alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_REFERENCE = re.compile(r"^(?P<lead> {0,3}\[(?P<label>[^\]]+)\]:\s*)(?P<src><[^>]+>|\S+)(?P<rest>.*)$")
_IMAGE_FOLDERS = ("img", "images", "image", "assets/img", "assets/images", "assets", "static/img", "static/images",
                  "uploads")
_IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff")


class Assets:
    def __init__(self, site, *, owner=None, dry_run=False):
        self.site = site
        self.owner = owner
        self.dry_run = dry_run
        self.stored = {}  # file → image id (or None when it could not be stored)

    def rewrite_body(self, body, post, notes):
        """``body`` with every picture of the site pointing at the media library. Inside
        a block of raw HTML (where Markdown is not read) a picture stays an ``<img>``,
        its source the library's (``src="image:42"``, resolved by the renderer)."""
        out, in_html = [], False
        for line, kind, _match in fence_kinds(body.split("\n")):
            if kind != TEXT:
                out.append(line)
                continue
            if not line.strip():
                in_html = False
            elif _HTML_BLOCK.match(line) and "markdown=" not in line:
                in_html = True
            out.append(self._rewrite_line(line, post, notes, in_html=in_html))
        return "\n".join(out)

    def cover(self, post, notes):
        """The library image the front matter's ``image:`` names, or None."""
        if not post.image:
            return None
        found = self._library_image(post.image, post, notes, alt=post.title, what="cover image")
        if found is None or (self.dry_run and not isinstance(found, Image)):
            return None
        return found

    def front_matter(self, extra, post, notes):
        """The front matter's other keys (``extra``), with each value naming a picture of
        the site (``ogp_image: /assets/og.png``) as a library picture (``image:42``),
        which the export names by its exported path again."""
        def picture(value):
            if isinstance(value, dict):
                return {key: picture(item) for key, item in value.items()}
            if isinstance(value, str) and urlsplit(value.strip()).path.lower().endswith(_IMAGE_SUFFIXES) \
                    and not urlsplit(value.strip()).scheme:
                image = self._library_image(value, post, notes, alt=post.title, what="picture")
                if isinstance(image, Image):
                    return f"image:{image.pk}"
            return value
        return {key: picture(value) for key, value in extra.items()}

    # -----------------------------------------------------------------------------

    def _rewrite_line(self, line, post, notes, *, in_html=False):
        def markdown_image(match):
            src = match["src"].strip("<>")
            image = self._library_image(src, post, notes, alt=match["alt"])
            if not isinstance(image, Image):
                return match[0]
            return f"![{match['alt']}](image:{image.pk}{match['title'] or ''})"

        def html_image(match):
            attributes = {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTRIBUTE.finditer(match[0])}
            if "src" not in attributes:
                return match[0]
            alt = attributes.get("alt", "").replace("[", "［").replace("]", "］")
            image = self._library_image(attributes["src"], post, notes, alt=alt)
            if not isinstance(image, Image):
                return match[0]
            if in_html:
                return _SOURCE.sub(lambda _source: f'src="image:{image.pk}"', match[0], count=1)
            title = attributes.get("title", "").replace('"', "”")
            return f"![{alt}](image:{image.pk}" + (f' "{title}"' if title else "") + ")"

        line = _MARKDOWN_IMAGE.sub(markdown_image, line)
        if "<img" in line.lower():
            line = _HTML_IMAGE.sub(html_image, line)
        reference = _REFERENCE.match(line)
        if reference and reference["src"].strip("<>").lower().endswith(_IMAGE_SUFFIXES):
            image = self._library_image(reference["src"].strip("<>"), post, notes, alt="")
            if isinstance(image, Image):
                line = f"{reference['lead']}image:{image.pk}{reference['rest']}"
        return line

    def _library_image(self, src, post, notes, *, alt, what="image"):
        """The Image for ``src``, True when a dry run would store one, or None."""
        path = self._file(src, post, notes, what)
        if path is None:
            return None
        if path in self.stored:
            return self.stored[path]
        try:
            data = path.read_bytes()
        except OSError as exc:
            notes.append(f"{what} {src} cannot be read ({exc.strerror})")
            self.stored[path] = None
            return None
        if vector.is_svg(data):
            # A diagram: drawn as PNG once, here (no SVG is served).
            try:
                data = images.svg_as_png(data)
            except imaging.ImageRejected as exc:
                with override("en"):
                    notes.append(f"{what} {src} not added to the library: {pictures.rejection_message(exc)}")
                self.stored[path] = None
                return None
        existing = images.find(data)
        if existing is not None or self.dry_run:
            self.stored[path] = existing or True
            if existing is None:
                notes.append(f"{what} {src} would be added to the library")
            return self.stored[path]
        try:
            image, _ = images.store(data, alt_text=alt.strip() or post.title, user=self.owner)
        except imaging.ImageRejected as exc:
            with override("en"):
                notes.append(f"{what} {src} not added to the library: {pictures.rejection_message(exc)}")
            image = None
        self.stored[path] = image
        return image

    def _file(self, src, post, notes, what):
        """The site's file ``src`` refers to, or None (reported when it matters)."""
        src = src.strip()
        if not src or src.startswith(("data:", "image:", "#")):
            return None
        site_url = self.site.url
        if site_url and src.startswith(site_url + "/"):
            src = src[len(site_url):]
        parts = urlsplit(src)
        if parts.scheme or src.startswith("//"):
            if parts.scheme in ("http", "https") or src.startswith("//"):
                notes.append(f"{what} on another host, left there: {src}")
            return None
        path = unquote(parts.path)
        base = self.site.baseurl
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base):]
        root = self.site.root.resolve()
        candidates = [root / path.lstrip("/")] if path.startswith("/") else [post.path.parent / path, root / path]
        # Themes name pictures relative to their image folder (thumbnail: news/x.png for
        # img/news/x.png; :pic.jpg in some): try the usual folders too.
        relative = path.lstrip("/:")
        candidates += [root / folder / relative for folder in _IMAGE_FOLDERS]
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
                resolved.relative_to(root)  # never a file outside the site
            except (OSError, ValueError):
                continue
            if resolved.is_file():
                if resolved.stat().st_size > settings.EDITORIAL_IMAGE_MAX_BYTES * 2:
                    notes.append(f"{what} {src} is too big to import")
                    return None
                return resolved
        notes.append(f"missing {what}: {src} (no such file in the site)")
        return None

