"""Write articles as Jekyll posts (``export_jekyll``): YAML front matter that any YAML
parser reads back as it was written, then the body, with Liquid kept from running."""

import datetime as dt
import json
import re
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone

from articles.jekyll.posts import MAPPED_KEYS
from articles.jekyll.site import POST_SUFFIXES, jekyll_slugify

# Where the desk serves an article (articles:detail), as a Jekyll permalink: a site
# built from the export keeps the desk's addresses.
DESK_PERMALINK = "/articles/:year/:month/:day/:title/"
CONFIG_NAME = "_config.yml"
_CONFIG_MARK = "# Written by export_jekyll."


def site_config():
    """The exported site's ``_config.yml``: its name, language, time zone (the days in
    addresses and file names are the desk's) and the desk's permalink. A post imported
    from another site names its own old permalink in its front matter."""
    return "\n".join([
        f"{_CONFIG_MARK} Posts that came from another Jekyll site carry that site's",
        "# permalink in their front matter; the others are served where the desk served them.",
        f"title: {yaml_string(settings.EDITORIAL_SITE_NAME)}",
        f"lang: {yaml_string(settings.LANGUAGE_CODE)}",
        f"timezone: {yaml_string(settings.TIME_ZONE)}",
        "markdown: kramdown",
        f"permalink: {DESK_PERMALINK}",
        "",
    ])


def write_config(root):
    """Write ``_config.yml`` into the export folder ``root``: ``"written"``,
    ``"unchanged"``, or ``"kept"`` when the folder has a configuration of someone
    else's (never overwritten: it may be the publisher's real site)."""
    path = Path(root) / CONFIG_NAME
    content = site_config().encode("utf-8")
    if path.exists():
        current = path.read_bytes()
        if current == content:
            return "unchanged"
        if not current.startswith(_CONFIG_MARK.encode()):
            return "kept"
    path.write_bytes(content)
    return "written"


def post_filename(article):
    """``YYYY-MM-DD-<slug>.md``, dated by the publication day in the site's time zone."""
    day = timezone.localtime(article.published_at or article.created_at).date()
    return f"{day:%Y-%m-%d}-{article.slug}.md"


def post_path(article):
    """Where the article's post goes below the export folder: where it came from, for
    an imported article (``en/_posts/2019-1-7-name.md``), else ``_posts/<date>-<slug>.md``."""
    key = PurePosixPath(article.jekyll_key or "")
    if "_posts" in key.parts and not key.is_absolute() and ".." not in key.parts:
        return key
    if article.jekyll_key and "/" not in article.jekyll_key and ".." not in article.jekyll_key:
        # Imported before sites were read: the key is the file name without suffix.
        name = article.jekyll_key if key.suffix.lower() in POST_SUFFIXES else f"{article.jekyll_key}.md"
        return PurePosixPath("_posts", name)
    return PurePosixPath("_posts", post_filename(article))


# Characters YAML does not allow raw in a double-quoted scalar, or reads as line breaks.
_YAML_UNSAFE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029]"
)


def yaml_string(value):
    """``value`` as a YAML double-quoted scalar that reads back exactly.

    JSON's string syntax is valid YAML; what YAML treats specially is escaped too.
    """
    text = json.dumps(str(value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def yaml_list(values):
    return "[" + ", ".join(yaml_string(value) for value in values) + "]"


def yaml_value(value):
    """Any front-matter value read by ``load_front_matter``, written so that it reads
    back the same (JSON is YAML; strings take ``yaml_string``'s escapes)."""
    if isinstance(value, str):
        return yaml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_string(key)}: {yaml_value(item)}" for key, item in value.items()) + "}"
    return json.dumps(value)


_KEY = re.compile(r"^[A-Za-z_][\w-]*$")
# The body holds Markdown of the desk's own, which the importer takes as it is.
FLAVOR_KEY, FLAVOR = "markdown_flavor", "editorial"
_RAW_END = "{% endraw %}"
_FRONT_MATTER_PICTURE = re.compile(r"image:(\d{1,18})")


def format_post(article, image_paths=None):
    """The article as a Jekyll post, in the publisher's front-matter shape; library
    pictures are referred to by ``image_paths`` (id → site path) when given."""
    image_paths = image_paths or {}
    lines = ["---", "layout: post", f"title: {yaml_string(article.title)}"]
    if article.published_at:
        utc = article.published_at.astimezone(dt.UTC)
        lines.append(f"date: {utc:%Y-%m-%d %H:%M:%S} +0000")
    lines.append(f"categories: {yaml_list([article.category.name] if article.category else [])}")
    # Sorted, so that the file does not depend on the database's row order.
    tags = [sorted(vocabulary.all(), key=lambda tag: tag.name.casefold())
            for vocabulary in (article.companies, article.topics)]
    lines.append(f"tags: {yaml_list(tags[0] + tags[1])}")
    lines.append(f"author: {yaml_string(article.byline)}")
    lines.append(f"excerpt: {yaml_string(article.excerpt)}")
    lines.append(f"reading_time: {article.reading_time}")
    if article.jekyll_permalink:
        lines.append(f"permalink: {yaml_string(article.jekyll_permalink)}")
    elif jekyll_slugify(article.slug, mode="pretty", cased=True) != article.slug:
        # Jekyll's :title would change this slug ("_" becomes "-"): the address is spelled out.
        lines.append(f"permalink: {yaml_string(article.get_absolute_url())}")
    if article.language:
        lines.append(f"lang: {yaml_string(article.language)}")
    if article.cover_id and article.cover_id in image_paths:
        lines.append(f"image: {yaml_string(image_paths[article.cover_id])}")
    if article.last_published_at and article.published_at and article.last_published_at > article.published_at:
        lines.append(f"last_modified_at: {article.last_published_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} +0000")
    if not article.is_live:
        lines.append("published: false")
    for key, value in (article.jekyll_front_matter or {}).items():
        if key not in MAPPED_KEYS and key != FLAVOR_KEY:
            value = _picture_paths(value, image_paths)
            lines.append(f"{key if _KEY.match(key) else yaml_string(key)}: {yaml_value(value)}")
    lines.append(f"{FLAVOR_KEY}: {FLAVOR}")
    lines += ["---", "", ""]
    body = _with_image_paths(article.body, image_paths)
    if ("{{" in body or "{%" in body) and _RAW_END not in body:
        # Jekyll would run it as Liquid; it is text.
        body = "{% raw %}" + body + _RAW_END
    return "\n".join(lines) + body


def front_matter_pictures(value):
    """The ids of the library pictures front-matter ``value`` names (``image:42``)."""
    if isinstance(value, dict):
        return {pk for item in value.values() for pk in front_matter_pictures(item)}
    match = _FRONT_MATTER_PICTURE.fullmatch(value) if isinstance(value, str) else None
    return {int(match[1])} if match else set()


def _picture_paths(value, image_paths):
    if isinstance(value, dict):
        return {key: _picture_paths(item, image_paths) for key, item in value.items()}
    match = _FRONT_MATTER_PICTURE.fullmatch(value) if isinstance(value, str) else None
    return image_paths.get(int(match[1]), value) if match else value


def _with_image_paths(body, image_paths):
    if not image_paths:
        return body
    return re.sub(
        r"(\]\(\s*|\]:\s*)image:(\d{1,18})(?=[\s)]|$)",
        lambda m: m[1] + image_paths.get(int(m[2]), f"image:{m[2]}"),
        body, flags=re.MULTILINE,
    )


def write_post(path, article, image_paths=None):
    """Write the post unless the file already holds exactly that; True if written."""
    content = format_post(article, image_paths).encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == content:
        return False
    path.write_bytes(content)
    return True
