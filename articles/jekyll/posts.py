"""Read Jekyll posts: YAML front matter between ``---`` lines, then the Markdown body
(writing them is articles/jekyll/export.py's).

This module knows the file format only; ``articles.jekyll.importing`` decides what a post
becomes in the database.
"""

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.utils.text import slugify

from articles.jekyll.site import POST_SUFFIXES, ignored, parse_post_name
from articles.rendering.text import strip_control_characters

# Bounds on what one file may make the parser do. A 365-byte YAML file whose aliases
# refer to each other expands to gigabytes; it is refused before it is built.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_FRONT_MATTER_NODES = 10_000
MAX_FRONT_MATTER_DEPTH = 50  # lists within lists: real front matter has two or three

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


class JekyllError(ValueError):
    """A post that cannot be imported; the message says why, for a person to fix it."""


# libyaml's parser when PyYAML was built with it (Debian's and the wheels are): many
# times faster on a site of thousands of posts, the same documents.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_SafeLoader):
    """The safe loader without implicit timestamps.

    PyYAML turns some dates into datetimes and leaves Jekyll's own format
    (``2025-12-25 08:44:49 +0000``) a string; reading every date as text lets one
    parser handle them all and report an impossible date clearly.
    """


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


# Front-matter keys the importer maps to the article; any other is kept as it was
# (``JekyllPost.extra``) and written back by the export.
MAPPED_KEYS = frozenset({
    "title", "date", "slug", "categories", "category", "tags", "tag", "author", "excerpt",
    "description", "meta_description", "published", "permalink", "reading_time", "image",
    "redirect_from", "lang", "language", "last_modified_at", "layout", "markdown_flavor",
})


@dataclass
class JekyllPost:
    path: Path
    title: str
    slug: str
    date: dt.datetime | None
    body: str
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: str = ""
    excerpt: str = ""
    excerpt_separator: str = ""  # the post's own, from its front matter or the defaults
    description: str = ""
    published: bool = True
    permalink: str = ""
    reading_time: int | None = None
    # Where the post lives below the site's root ("en/_posts/2019-01-07-name.md"):
    # what identifies it across imports.
    key: str = ""
    slug_source: str = ""  # the name Jekyll's :title and :slug are made of
    folder_categories: list[str] = field(default_factory=list)
    image: str = ""
    redirect_from: list[str] = field(default_factory=list)
    language: str = ""
    last_modified_at: dt.datetime | None = None
    extra: dict = field(default_factory=dict)
    ours: bool = False  # exported by this app: the body is the desk's Markdown already
    source_hash: str = ""  # of the file's text

    def __post_init__(self):
        self.key = self.key or self.path.name
        self.slug_source = self.slug_source or self.slug


def find_posts(paths):
    """Every post file named by ``paths`` (files, or folders searched recursively, without
    what Jekyll leaves out: ``_template.md``, ``.draft.md``, ``post.md~``), sorted."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in POST_SUFFIXES
                and not any(ignored(part) for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return sorted(set(found))


def read_post(path, site=None):
    """Parse the Jekyll post at ``path``; raise ``JekyllError`` with the reason if it is bad."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise JekyllError(f"the file has {size:,} bytes; a post has at most {MAX_FILE_BYTES:,}")
        # utf-8-sig: a byte order mark would otherwise hide the opening "---".
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JekyllError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise JekyllError(f"cannot read the file ({exc.strerror})") from None
    return parse_post(text, path, site=site)


def parse_post(text, path, site=None):
    """The post in ``text``; ``site`` (articles.jekyll.site.Site) gives its key below
    the site's root, the front-matter defaults and the categories of its folders."""
    path = Path(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            raise JekyllError("the front matter is not closed by a line '---'")
        raise JekyllError("no front matter (the file must start with a line '---')")
    own = load_front_matter(match.group(1) or "") or {}
    if not isinstance(own, dict):
        raise JekyllError("the front matter is not a set of 'key: value' lines")
    relative = site.relative(path) if site else None
    data = {**(site.defaults_for(relative) if site else {}), **own}

    title = _block(data.get("title"))
    if not title:
        raise JekyllError("the front matter has no title")

    day, name = parse_post_name(path.stem)
    slug_source = _text(data.get("slug")) or name
    slug = slugify(slug_source, allow_unicode=True)
    if not slug:
        raise JekyllError(f"cannot make an address (slug) from {slug_source!r}")
    if data.get("date"):
        date = parse_date(data["date"])
    elif day:
        # Jekyll dates a post by its file name at midnight in the site's time zone.
        zone = (site.timezone if site else None) or ZoneInfo(settings.TIME_ZONE)
        date = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    else:
        date = None
    folder_categories = site.folder_categories(relative) if site else []
    language_folder = site.language_folder(relative, _language_codes()) if site else ""
    return JekyllPost(
        path=path,
        title=title,
        slug=slug,
        date=date,
        # One blank line after the front matter is layout, not part of the body.
        body=text[match.end():].removeprefix("\n"),
        categories=_words(data.get("categories", data.get("category"))),
        tags=_words(data.get("tags", data.get("tag"))),
        author=_author(data.get("author")),
        excerpt=_block(data.get("excerpt")),
        excerpt_separator=str(data.get("excerpt_separator") or ""),
        description=_block(data.get("description") or data.get("meta_description")),
        published=data.get("published", True) is not False,
        permalink=_text(data.get("permalink")),
        reading_time=_positive_int(data.get("reading_time")),
        key=str(relative) if relative else path.name,
        slug_source=slug_source,
        folder_categories=[f for f in folder_categories if f != language_folder],
        image=_image(data),
        redirect_from=_words(data.get("redirect_from")),
        language=_text(data.get("lang") or data.get("language")) or language_folder or (site.language if site else ""),
        last_modified_at=_optional_date(data.get("last_modified_at")),
        extra=_as_json({key: value for key, value in own.items() if key not in MAPPED_KEYS}),
        ours=own.get("markdown_flavor") == "editorial",
        source_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


def _as_json(data):
    """``data`` as JSON can hold it (YAML's sets become lists, binary becomes text), so
    that the article keeps it whatever YAML allowed."""
    def plain(value):
        if isinstance(value, (set, frozenset)):
            return sorted(value, key=str)
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return str(value)

    def clean(value):
        # No control characters (PostgreSQL's JSON refuses NUL; feeds and pages any).
        if isinstance(value, str):
            return strip_control_characters(value)
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return {strip_control_characters(key): clean(item) for key, item in value.items()}
        return value

    return clean(json.loads(json.dumps(data, default=plain, ensure_ascii=False)))


def _language_codes():
    return {code for code, _ in settings.LANGUAGES}


def _image(data):
    """The post's picture, as themes name it: ``image: x.png``, ``image: {path: …}``,
    ``header: {image: …}``, ``cover``, ``thumbnail``."""
    candidates = [data.get("image"), data.get("cover"), data.get("cover_image"), data.get("thumbnail")]
    header = data.get("header")
    if isinstance(header, dict):
        candidates += [header.get("og_image"), header.get("image"), header.get("overlay_image"), header.get("teaser")]
    for value in candidates:
        if isinstance(value, dict):
            value = value.get("path") or value.get("url") or value.get("src") or value.get("feature")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _optional_date(value):
    if not value:
        return None
    try:
        return parse_date(value)
    except JekyllError:
        return None


def load_front_matter(text, *, max_chars=MAX_FRONT_MATTER_CHARS, max_nodes=MAX_FRONT_MATTER_NODES):
    """The YAML ``text`` as Python data, within the size and expansion bounds."""
    if len(text) > max_chars:
        raise JekyllError(f"the front matter has {len(text):,} characters; at most {max_chars:,}")
    loader = _FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, max_nodes)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise JekyllError(f"invalid YAML front matter: {_one_line(exc)}") from None
    except RecursionError:
        raise JekyllError("the front matter is nested too deeply") from None
    finally:
        loader.dispose()


def _children(node):
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def _check_expansion(root, max_nodes=MAX_FRONT_MATTER_NODES):
    """Refuse a node graph whose aliases would expand beyond MAX_FRONT_MATTER_NODES
    values, or refer to themselves. Counted on the graph, never by expanding it."""
    sizes, path = {}, set()
    pending = [(root, False, 1)]
    while pending:
        node, finished, depth = pending.pop()
        if depth > MAX_FRONT_MATTER_DEPTH:
            raise JekyllError("the front matter is nested too deeply")
        key = id(node)
        if finished:
            path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > max_nodes:
                raise JekyllError(
                    f"the front matter expands to more than {max_nodes:,} values (aliases within aliases)"
                )
        elif key not in sizes:
            if key in path:
                raise JekyllError("the front matter refers to itself (a recursive alias)")
            path.add(key)
            pending.append((node, True, depth))
            pending.extend((child, False, depth + 1) for child in _children(node) if id(child) not in sizes)


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %H:%M:%S.%f %z",
)


def parse_date(value):
    """A Jekyll date as an aware datetime; naive times are in the site's time zone."""
    text = str(value).strip()
    parsed = None
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise JekyllError(f"impossible date {text!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    if not 1000 <= parsed.year <= 9000:  # and every time zone's day is a real date
        raise JekyllError(f"impossible date {text!r}")
    return parsed


# ---------------------------------------------------------------------------------
# Writing posts


def _text(value):
    if value is None:
        return ""
    return " ".join(str(value).split())


def _block(value):
    """Text that may run over several lines: only the ends are trimmed."""
    return "" if value is None else str(value).strip()


def _words(value):
    """A YAML list, or Jekyll's space-separated string, as a list of distinct names."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split()
    names = []
    for item in items:
        name = _text(item)
        if name and name not in names:
            names.append(name)
    return names


def _author(value):
    if isinstance(value, list):
        return "、".join(_text(item) for item in value if _text(item))
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("display_name"))
    return _block(value)


def _positive_int(value, limit=100_000):
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):  # 1e400 is infinity
        return None
    return number if 0 < number <= limit else None


def _one_line(exc):
    return " ".join(str(exc).split())
