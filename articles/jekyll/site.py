"""A Jekyll site as Jekyll sees it: its ``_config.yml``, its ``_posts`` folders, the
front-matter defaults, its data, and the address it gave each post.

Django-free apart from the settings' language list, so that the rules here can be read
side by side with Jekyll's own (``configuration.rb``, ``url_drop.rb``, ``utils.rb``).
"""

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

POST_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".mdown")

# Jekyll's own pattern for a post's file name: one- or two-digit months and days too.
POST_NAME = re.compile(r"^(?P<year>\d{2,4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<name>.+)$")

# Folders Jekyll never reads posts from (it skips those starting with "_" or "." other
# than _posts, and the usual vendored trees).
_SKIPPED = {"_site", "node_modules", "vendor", ".git", ".bundle", ".jekyll-cache", ".sass-cache"}

PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}

_LANGUAGE_FOLDER = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


class SiteError(ValueError):
    """The site cannot be read at all (its _config.yml is broken, for instance)."""


def inside(path, root):
    """``path`` with every link followed, if that is below ``root``; else None. A site is
    somebody else's files: a link in it may point anywhere on this server."""
    try:
        resolved = Path(path).resolve(strict=True)
        resolved.relative_to(Path(root).resolve())
    except (OSError, ValueError, RuntimeError):  # missing, outside, or a loop of links
        return None
    return resolved


@dataclass
class Site:
    root: Path
    config: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    # Files of the site left out, each with why: "_data/pw.yml: a link to a file outside the site".
    skipped: list = field(default_factory=list)

    @classmethod
    def at(cls, root, load_yaml):
        """The site whose root folder is ``root``; ``load_yaml`` parses YAML text safely."""
        root = Path(root)
        config = {}
        for name in ("_config.yml", "_config.yaml"):
            path = root / name
            if path.is_file():
                if inside(path, root) is None:
                    raise SiteError(f"{path}: a link to a file outside the site")
                try:
                    config = load_yaml(path.read_text(encoding="utf-8-sig")) or {}
                except ValueError as exc:
                    raise SiteError(f"{path}: {exc}") from None
                if not isinstance(config, dict):
                    raise SiteError(f"{path}: not a set of 'key: value' lines")
                break
        skipped = []
        return cls(root=root, config=config, data=_read_data(root, load_yaml, skipped), skipped=skipped)

    @classmethod
    def around(cls, path, load_yaml):
        """The site a file or folder belongs to: the nearest folder above it with a
        ``_config.yml``, or else the folder itself (the file's folder)."""
        path = Path(path).resolve()
        start = path if path.is_dir() else path.parent
        for folder in (start, *start.parents):
            if (folder / "_config.yml").is_file() or (folder / "_config.yaml").is_file():
                return cls.at(folder, load_yaml)
        if start.name == "_posts":
            start = start.parent
        return cls(root=start)

    def fingerprint(self):
        """A hash of what, besides a post's own file, its import is made of: the
        configuration, ``_data`` and ``_includes``."""
        digest = hashlib.sha256(json.dumps([self.config, self.data], sort_keys=True, default=str).encode())
        includes = self.includes_folder
        if includes is not None:
            for path in sorted(includes.rglob("*")):
                if path.is_file() and inside(path, self.root) is not None:
                    digest.update(path.relative_to(includes).as_posix().encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    @property
    def includes_folder(self):
        """``_includes``, if the site has one of its own (a link elsewhere is none)."""
        folder = inside(self.root / "_includes", self.root)
        return folder if folder is not None and folder.is_dir() else None

    # -- what the configuration says -------------------------------------------

    @property
    def baseurl(self):
        return "/" + str(self.config.get("baseurl") or "").strip("/") if self.config.get("baseurl") else ""

    @property
    def url(self):
        return str(self.config.get("url") or "").rstrip("/")

    @property
    def permalink(self):
        return self.configured_permalink or "date"

    @property
    def configured_permalink(self):
        """The permalink the site's configuration sets for posts, or "" (Jekyll's default)."""
        collections = self.config.get("collections")
        if isinstance(collections, dict) and isinstance(collections.get("posts"), dict):
            pattern = collections["posts"].get("permalink")
            if pattern:
                return str(pattern)
        return str(self.config.get("permalink") or "")

    @property
    def excerpt_separator(self):
        value = self.config.get("excerpt_separator", "\n\n")
        return str(value) if value is not None else "\n\n"

    @property
    def timezone(self):
        name = self.config.get("timezone")
        if name:
            try:
                return ZoneInfo(str(name))
            except (ZoneInfoNotFoundError, ValueError):
                return None
        return None

    @property
    def hard_wrap(self):
        """kramdown's ``hard_wrap``: a line break in a paragraph is one on the page."""
        options = self.config.get("kramdown")
        return isinstance(options, dict) and options.get("hard_wrap") is True

    @property
    def language(self):
        return str(self.config.get("lang") or self.config.get("language") or "")

    # -- its posts ----------------------------------------------------------

    def post_files(self):
        """Every post below the root, in any ``_posts`` folder, sorted by path."""
        found = []
        for folder in self._posts_folders(self.root):
            found.extend(
                path for path in folder.rglob("*")
                if path.is_file() and path.suffix.lower() in POST_SUFFIXES and not _hidden(path, folder)
            )
        return self.within(sorted(found))

    def within(self, paths):
        """The ``paths`` that are really below the root; the others go to ``skipped``."""
        kept = []
        for path in paths:
            if inside(path, self.root) is None:
                self.skipped.append(f"{self.relative(path)}: a link to a file outside the site, never read")
            else:
                kept.append(path)
        return kept

    def _posts_folders(self, folder):
        for child in sorted(folder.iterdir()):
            if not child.is_dir() or child.is_symlink() or child.name in _SKIPPED:
                continue
            if child.name == "_posts":
                yield child
            elif not child.name.startswith((".", "_")):
                yield from self._posts_folders(child)

    def relative(self, path):
        """``path`` below the root, with forward slashes: what identifies a post."""
        root = self.root.resolve()
        for candidate in (Path(path).absolute(), Path(path).resolve()):
            try:
                return PurePosixPath(candidate.relative_to(root).as_posix())
            except ValueError:
                continue
        return PurePosixPath(Path(path).name)

    def folder_categories(self, relative):
        """Jekyll makes the folders above ``_posts`` the post's first categories."""
        parts = relative.parts[:-1]
        if "_posts" in parts:
            return list(parts[:parts.index("_posts")])
        return []

    def language_folder(self, relative, known_languages):
        """The language a folder such as ``en/_posts`` stands for, if it is one."""
        folders = self.folder_categories(relative)
        if folders and _LANGUAGE_FOLDER.match(folders[0]):
            code = folders[0].lower().replace("_", "-")
            if code in known_languages or code.split("-")[0] in known_languages:
                return code
        return ""

    def defaults_for(self, relative):
        """Front-matter defaults whose scope covers the post, the most specific last."""
        entries = self.config.get("defaults")
        if not isinstance(entries, list):
            return {}
        matching = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
                continue
            scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
            kind = scope.get("type")
            if kind and kind != "posts":
                continue
            scope_path = str(scope.get("path") or "").strip("/")
            if scope_path and not _in_scope(str(relative), scope_path):
                continue
            matching.append((len(scope_path), bool(kind), entry["values"]))
        values = {}
        for *_, entry_values in sorted(matching, key=lambda item: item[:2]):
            values.update(entry_values)
        return values

    # -- where Jekyll served a post -------------------------------------------------

    def url_for(self, pattern, *, date, slug_source, categories, title_slug=None, cased_categories=False, key=""):
        """The address Jekyll gave a post, built from a permalink ``pattern`` as
        ``Jekyll::URL`` does (its placeholders, then ``//`` collapsed). ``key``: the post's
        path below the site, for ``:path``."""
        pattern = PERMALINK_STYLES.get(pattern, pattern)
        local = date.astimezone(self.timezone) if self.timezone and date.tzinfo else date
        iso = local.isocalendar()
        values = {
            "year": f"{local.year}", "month": f"{local.month:02d}", "i_month": f"{local.month}",
            "day": f"{local.day:02d}", "i_day": f"{local.day}", "short_year": f"{local.year % 100:02d}",
            "hour": f"{local.hour:02d}", "minute": f"{local.minute:02d}", "second": f"{local.second:02d}",
            "y_day": f"{local.timetuple().tm_yday:03d}", "week": f"{iso[1]:02d}",
            "short_day": local.strftime("%a"), "long_day": local.strftime("%A"),
            "short_month": local.strftime("%b"), "long_month": local.strftime("%B"),
            "title": title_slug or jekyll_slugify(slug_source, mode="pretty", cased=True),
            "slug": jekyll_slugify(slug_source),
            "name": jekyll_slugify(slug_source),
            "categories": "/".join(dict.fromkeys(str(name) if cased_categories else str(name).lower()
                                                 for name in categories)),
            "output_ext": ".html",
            "path": posts_path(key), "basename": slug_source,
        }
        url = re.sub(r":(\w+)", lambda m: _placeholder(m, values), pattern)
        url = re.sub(r"/{2,}", "/", "/" + url.lstrip("/"))
        return url


def posts_path(key):
    """Jekyll's ``:path`` of a post: its file's path below the site without the
    ``_posts`` folder and the extension (``ja/_posts/2024-05-02-a.md`` →
    ``ja/2024-05-02-a``, as Debian's jekyll 4.3 builds it)."""
    parts = [part for part in PurePosixPath(key).parts if part != "_posts"]
    if not parts:
        return ""
    return "/".join([*parts[:-1], PurePosixPath(parts[-1]).stem])


def _placeholder(match, values):
    name = match[1]
    # ":title:output_ext" reads as two placeholders; the longest known name wins.
    for end in range(len(name), 0, -1):
        if name[:end] in values:
            return values[name[:end]] + name[end:]
    return match[0]


def jekyll_slugify(text, *, mode="default", cased=False):
    """``Jekyll::Utils.slugify``: runs of other characters become one hyphen; letters of
    every script stay (Ruby's [[:alnum:]])."""
    text = unicodedata.normalize("NFC", str(text))
    keep = "._~!$&'()+,;=@" if mode == "pretty" else ""
    slug = "".join(ch if ch.isalnum() or ch in keep else "-" for ch in text)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug if cased else slug.lower()


def _in_scope(relative, scope_path):
    if "*" in scope_path:
        return PurePosixPath(relative).match(scope_path) or PurePosixPath(relative).parent.match(scope_path)
    return relative == scope_path or relative.startswith(scope_path + "/")


def _hidden(path, folder):
    """What Jekyll leaves out: a file or folder named ``_…``, ``.…``, ``#…`` or ``…~``
    (``_posts/_template.md``, an editor's backup)."""
    return any(ignored(part) for part in path.relative_to(folder).parts)


def ignored(name):
    """A name Jekyll reads past (its own folders, ``_posts`` and ``_drafts``, aside)."""
    return (name.startswith((".", "_", "#")) or name.endswith("~")) and name not in ("_posts", "_drafts")


def _read_data(root, load_yaml, skipped):
    """``site.data``: each YAML or JSON file of ``_data`` under its name, folders nested.
    A file that cannot be read is left out, with a line in ``skipped``."""
    data = {}
    folder = root / "_data"
    if not folder.is_dir():
        return data
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".yml", ".yaml", ".json"):
            continue
        relative = path.relative_to(root).as_posix()
        if inside(path, root) is None:
            skipped.append(f"{relative}: a link to a file outside the site, never read")
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
            value = json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text)
        except RecursionError:
            skipped.append(f"{relative}: nested too deeply to read, skipped")
            continue
        except (ValueError, OSError):
            continue  # data a post may not even use; a post that does will say so
        target = data
        for part in path.relative_to(folder).parts[:-1]:
            target = target.setdefault(part, {})
        target[path.stem] = value
    return data


def parse_post_name(stem):
    """(date, name) from a post's file name as Jekyll reads it, or (None, stem)."""
    match = POST_NAME.match(stem)
    if not match:
        return None, stem
    try:
        day = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None, stem
    return day, match["name"]
