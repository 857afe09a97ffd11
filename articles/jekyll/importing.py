"""Turn a Jekyll site's posts into articles.

``SiteImport`` reads every post first, so that it can give each an address of its own
(two posts of the same name on different dates, or in two languages, both come in) and
answer ``{% post_url %}`` with where the other post is now. Each post then becomes an
article in a transaction of its own:

1. its Liquid is evaluated (articles/jekyll/liquid.py), its kramdown-only syntax
   rewritten (articles/jekyll/kramdown.py) and the pictures it shows brought into the media
   library (articles/jekyll/assets.py);
2. the article is created, or updated when the file changed and nobody has touched the
   article in the desk since its last import; a file that has not changed writes
   nothing at all;
3. every address Jekyll served the post at answers 301 (articles/publishing/redirects.py).
"""

import datetime as dt
import hashlib
import itertools
import json
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from articles.jekyll.assets import Assets
from articles.jekyll.post_text import PostText, language
from articles.jekyll.posts import JekyllError, JekyllPost, load_front_matter, read_post
from articles.jekyll.site import PERMALINK_STYLES, Site
from articles.media import pictures
from articles.models import Article, Category, Transition
from articles.models.tags import split_company_names
from articles.publishing import workflow
from articles.publishing.editing import Content, Vocabularies, create_article, store_imported_content
from articles.publishing.redirects import remember
from articles.publishing.workflow import decided_in_the_desk, record_import
from articles.reading import caching, public_data
from articles.rendering import markdown
from articles.rendering.markdown import RenderError, render_markdown
from articles.rendering.text import TAG_NAME_MAX, validate_safe_slug

IMPORTED, UPDATED, UNCHANGED, KEPT = "imported", "updated", "unchanged", "kept"
# Part of every fingerprint: a new version of the importer looks at every file again.
IMPORTER_VERSION = "2"
LOOKAHEAD = 6  # posts prepared and rendered ahead of the one being written
SLUG_MAX = 200


@dataclass
class ImportResult:
    article: Article
    outcome: str  # IMPORTED, UPDATED, UNCHANGED or KEPT (left alone: the desk decides)
    notes: list[str] = field(default_factory=list)


def site_yaml(text):
    """YAML of a site's own files (its _config.yml, its _data): bounded as front matter
    is, with room for a data file of a few thousand entries."""
    try:
        return load_front_matter(text, max_chars=4 * 1024 * 1024, max_nodes=1_000_000)
    except JekyllError as exc:
        raise ValueError(str(exc)) from None


def import_post(post: JekyllPost, *, owner=None, dry_run=False, companies_by_name=None, site=None):
    """Import one parsed post on its own (the demo data, a single file)."""
    run = SiteImport(site or Site(root=post.path.parent), owner=owner, dry_run=dry_run,
                     companies_by_name=companies_by_name)
    run.plan([post])
    with markdown.patiently():
        return run.import_post(post)


class SiteImport:
    def __init__(self, site, *, owner=None, dry_run=False, force=False, companies_by_name=None):
        self.site = site
        self.owner = owner
        self.dry_run = dry_run
        self.force = force
        self.vocabularies = Vocabularies(companies=companies_by_name)
        self.slugs = {}
        self.translated = set()
        self.categories = {}  # name → Category, made once per import
        self.existing = {}  # key → Article, for the posts imported before
        self.transitions = {}  # article id → its transitions, oldest first
        self.site_print = ""
        self.ahead = {}  # key → (prepared body or exception, rendering future, notes)
        # What the renderer needs of each library picture, read once per import: the
        # pictures do not change while it runs (new ones are only added).
        self.image_data = {}
        self.assets = Assets(site, owner=owner, dry_run=dry_run)
        self.text = PostText(site, self.assets, self._new_url)
        # The site's own permalink, kept with each post that has none of its own, so that
        # an export (which writes no _config.yml of the site's) keeps its addresses.
        configured = site.configured_permalink
        self.site_permalink = PERMALINK_STYLES.get(configured, configured)

    def read(self, paths):
        """``[(path, post or JekyllError)]`` for each file, in order."""
        read = []
        for path in paths:
            try:
                read.append((path, read_post(path, site=self.site)))
            except JekyllError as exc:
                read.append((path, exc))
        return read

    def plan(self, posts):
        """Give every post its address before any is imported, the same on every run:
        the earliest post keeps its name, a later one of the same name gets its
        language or its date added."""
        keys = [post.key for post in posts]
        ordered = sorted(posts, key=lambda post: (post.date or timezone.now() + dt.timedelta(days=36500), post.key))
        candidates = {post.key: _slug_candidates(post, self.site) for post in ordered}
        wanted = {slug for options in candidates.values() for slug in options}
        legacy = [PurePosixPath(key).stem for key in keys]
        taken = set(
            Article.objects.annotate(slug_lower=Lower("slug")).filter(slug_lower__in={slug.lower() for slug in wanted})
            .exclude(jekyll_key__in=[*keys, *legacy]).values_list("slug_lower", flat=True)
        )
        for post in ordered:
            options = candidates[post.key]
            # Compared in lower case: Big-News and big-news are one address to readers.
            slug = next((option for option in options if option.lower() not in taken), None)
            if slug is None:
                number = 2
                while f"{options[-1]}-{number}".lower() in taken:
                    number += 1
                slug = f"{options[-1]}-{number}"
            taken.add(slug.lower())
            self.slugs[post.key] = slug
        # Only posts that have a translation in the site get a key linking them.
        shared = Counter(_translation_key(post) for post in posts)
        self.translated = {key for key, count in shared.items() if count > 1}
        self.text.environment.post_urls = {
            name: url for post in posts for url in [self._new_url(post)] for name in _post_names(post)
        }
        addresses = json.dumps(sorted(self.text.environment.post_urls.items()), ensure_ascii=False)
        self.site_print = hashlib.sha256(f"{IMPORTER_VERSION}\0{self.site.fingerprint()}\0{addresses}".encode()
                                         ).hexdigest()
        # Every article these posts made before, and its history, in two queries.
        found = Article.objects.filter(jekyll_key__in=[*keys, *legacy]).select_related("latest_revision__author")
        self.existing = {article.jekyll_key: article for article in found}
        self.transitions = {}
        for transition in Transition.objects.filter(article__in=found).select_related("user").order_by("id"):
            self.transitions.setdefault(transition.article_id, []).append(transition)

    def _new_url(self, post):
        day = timezone.localtime(post.date or timezone.now()).date()
        # The address in the default language's form, as Article.canonical_path().
        with translation.override(settings.LANGUAGE_CODE):
            return reverse("articles:detail", kwargs={
                "year": day.year, "month": day.month, "day": day.day, "slug": self.slugs[post.key],
            })

    def import_post(self, post):
        """Create or update the article for ``post``, in one transaction; with
        ``dry_run`` the same work is done and undone. Raises ``JekyllError``."""
        with transaction.atomic(), pictures.remembering(self.image_data):
            result = self._save(post)
            if self.dry_run:
                transaction.set_rollback(True)
        return result

    # -----------------------------------------------------------------------------

    def fingerprint(self, post):
        return hashlib.sha256(
            f"{self.site_print}\0{post.source_hash}\0{self.slugs.get(post.key)}".encode()
        ).hexdigest()

    def _article_for(self, post):
        article = self.existing.get(post.key)
        if article is None:
            # Imports before sites were read keyed a post by its file name alone.
            article = self.existing.get(PurePosixPath(post.key).stem)
        return article

    def _settled(self, post):
        """The result for a post that needs no writing (the desk has its article, or
        nothing it is made of changed), or None."""
        article = self._article_for(post)
        if article is None:
            return None
        reason = decided_in_the_desk(article, self.transitions.get(article.pk))
        if reason and not self.force:
            return ImportResult(article=article, outcome=KEPT, notes=[reason])
        if not reason and article.jekyll_fingerprint == self.fingerprint(post):
            return ImportResult(article=article, outcome=UNCHANGED)
        return None

    def _save(self, post):
        settled = self._settled(post)
        if settled is not None:
            return settled
        fingerprint = self.fingerprint(post)
        result = self._write(post, self._article_for(post), fingerprint)
        if result.outcome == UNCHANGED:
            # The same content from a new fingerprint: remember it, so the next run is quick.
            Article.objects.filter(pk=result.article.pk).update(jekyll_fingerprint=fingerprint)
        return result

    def _write(self, post, article, fingerprint):
        notes = []
        content, resolved = self._content(post, notes)
        published = post.published and post.date is not None and resolved
        translation_key = _translation_key(post)
        fields = {
            "jekyll_key": post.key, "jekyll_permalink": post.permalink or self.site_permalink,
            "source_reading_time": post.reading_time,
            "jekyll_front_matter": self.assets.front_matter(post.extra, post, notes), "language": language(post),
            "translation_key": translation_key if translation_key in self.translated else "",
        }
        if article is not None and self.force and decided_in_the_desk(article, self.transitions.get(article.pk)):
            return self._force(article, content, fields, notes)
        old_url = None
        if article is None:
            article = create_article(content, self.owner, vocabularies=self.vocabularies,
                                     jekyll_fingerprint=fingerprint, **fields)
            outcome = IMPORTED
        else:
            old_url = article.canonical_path() if article.is_live else None
            revision = store_imported_content(article, content, vocabularies=self.vocabularies)
            unchanged = revision is None and article.published_at == post.date and article.is_live == published \
                and all(getattr(article, name) == value for name, value in fields.items()) \
                and (not published or article.last_published_at == _modified(post))
            if unchanged:
                return ImportResult(article=article, outcome=UNCHANGED)
            for name, value in {**fields, "jekyll_fingerprint": fingerprint}.items():
                setattr(article, name, value)
            outcome = UPDATED
        article.published_at = post.date
        if post.published and post.date is None:
            notes.append("no date: imported as a draft")
        record_import(article, published=published, old_url=old_url)
        if published and post.last_modified_at and post.last_modified_at > post.date:
            # The source says when readers last got a new version.
            Article.objects.filter(pk=article.pk).update(last_published_at=post.last_modified_at)
            article.last_published_at = post.last_modified_at
        claimed = remember(article, *self.old_paths(post))
        notes += [f"the old address {path} was another article's ({title!r}): it stays theirs"
                  for path, title in claimed]
        return ImportResult(article=article, outcome=outcome, notes=notes)

    def _force(self, article, content, fields, notes):
        """``--force`` on an article the desk has taken over: the file becomes a new
        working copy, which readers get only once it has been reviewed."""
        revision = store_imported_content(article, content, vocabularies=self.vocabularies)
        if revision is None:
            return ImportResult(article=article, outcome=UNCHANGED, notes=["--force: the file is the working copy"])
        Article.objects.filter(pk=article.pk).update(**{k: v for k, v in fields.items() if k != "jekyll_key"})
        caching.content_changed()  # an update() sends no signal
        article.refresh_from_db()
        if article.status in workflow.STATES_REOPENED_BY_EDITING:
            workflow.reopen_by_import(article)
        notes.append("--force: the file is a new working copy, to be reviewed before readers see it")
        return ImportResult(article=article, outcome=UPDATED, notes=notes)

    def old_paths(self, post):
        """Every address the post had on the Jekyll site."""
        site = self.site
        categories = [*site.folder_categories(PurePosixPath(post.key)), *post.categories]
        pattern = post.permalink or site.permalink
        paths = []
        if post.date is not None or ":" not in pattern:
            dates = [post.date] if post.date is None else list(dict.fromkeys([
                post.date, post.date.astimezone(dt.UTC), timezone.localtime(post.date),
            ]))
            # Jekyll 4 lowercases categories in addresses; Jekyll 3 kept them as written.
            for date in dates:
                for cased in (False, True):
                    paths.append(site.url_for(pattern, date=date or timezone.now(), slug_source=post.slug_source,
                                              categories=categories, cased_categories=cased, key=post.key))
        # An address with no extension ("/posts/:path") Jekyll writes as a file with
        # one, and the servers it ran on answered both.
        paths += [path + ".html" for path in paths if not PurePosixPath(path).suffix and not path.endswith("/")]
        paths += [path if path.startswith("/") else "/" + path for path in post.redirect_from]
        base = site.baseurl
        return list(dict.fromkeys(p for path in paths for p in ([base + path, path] if base else [path])))

    def import_all(self, posts):
        """``(post, result or the exception it raised)`` for each post, in order. While
        one post is written, the bodies of the next are rendered by the helper
        processes, in parallel: rendering is most of an import's work."""
        pending = deque(posts)
        # Nobody waits on an import: on a busy machine its renders wait for their helpers
        # (the same CPU bound as the desk's) instead of failing the post.
        with ThreadPoolExecutor(max_workers=markdown.PARALLEL_RENDERS) as pool, public_data.counted_once(), \
                markdown.patiently():
            while pending:
                for post in itertools.islice(pending, LOOKAHEAD):
                    if post.key not in self.ahead and self._settled(post) is None:
                        self.ahead[post.key] = self._prepare_ahead(post, pool)
                post = pending.popleft()
                try:
                    yield post, self.import_post(post)
                except Exception as exc:  # the caller reports it as that file's error line
                    yield post, exc
                finally:
                    self.ahead.pop(post.key, None)

    def _prepare_ahead(self, post, pool):
        notes = []
        with pictures.remembering(self.image_data):
            try:
                prepared = self.text.prepare(post, notes)
            except Exception as exc:  # raised again when the post's turn comes
                return exc, None, notes
            return prepared, pool.submit(markdown.render_job, markdown.job(prepared[0])), notes

    def _content(self, post, notes):
        """``(content, resolved)``: the post as the desk's content, checked against every
        limit the desk has; ``resolved`` is False when its template code could not be
        evaluated and the text still holds it."""
        ahead = self.ahead.pop(post.key, None)
        if ahead is None:
            body, resolved, cover = self.text.prepare(post, notes)
        else:
            prepared, rendered, early_notes = ahead
            notes.extend(early_notes)
            if isinstance(prepared, Exception):
                raise prepared
            rendered.result()  # the rendering is in the cache now
            body, resolved, cover = prepared
        try:
            body_html = render_markdown(body)
        except RenderError as exc:
            raise JekyllError(f"the body cannot be rendered: {exc}") from None
        excerpt = self.text.excerpt(post, body, body_html, notes)
        # Extra Jekyll categories would be lost on an article with one category;
        # they are kept as topics instead.
        extra_categories = post.categories[1:]
        if extra_categories:
            notes.append(f"extra categories kept as topics: {', '.join(extra_categories)}")
        names = [*post.tags, *extra_categories]
        if len(names) > 2 * settings.EDITORIAL_MAX_TAGS:
            raise JekyllError(f"the post has {len(names)} tags; at most {settings.EDITORIAL_MAX_TAGS} per vocabulary")
        companies, topics = split_company_names(names, self.vocabularies.companies)
        category_name = post.categories[0] if post.categories else (post.folder_categories or [None])[0]
        if category_name and category_name not in self.categories:
            self.categories[category_name] = _category(category_name)
        content = Content(
            title=post.title,
            slug=self.slugs.get(post.key) or post.slug,
            excerpt=excerpt,
            body=body,
            byline=post.author,
            category=self.categories[category_name] if category_name else None,
            companies=tuple(company.name for company in companies),
            topics=tuple(topics),
            cover=cover,
        )
        if content.slug != post.slug:
            notes.append(f"the address {post.slug!r} is taken: imported as {content.slug!r}")
        _check_lengths(content, post)
        try:
            validate_safe_slug(content.slug)
        except ValidationError as exc:
            raise JekyllError(f"the address {content.slug!r} is not safe: {' '.join(exc.messages)}") from None
        return content, resolved


def _slug_candidates(post, site):
    base = (post.slug[:SLUG_MAX]).strip("-") or post.slug
    options = [base]
    code = language(post)
    if code and code != (site.language or settings.LANGUAGE_CODE):
        options.append(f"{base[:SLUG_MAX - len(code) - 1]}-{code.lower()}")
    if post.date is not None:
        day = timezone.localtime(post.date).date()
        options.append(f"{base[:SLUG_MAX - 11]}-{day:%Y%m%d}")
    return options


def _post_names(post):
    """The names ``{% post_url %}`` and ``{% link %}`` may use for ``post``."""
    key = PurePosixPath(post.key)
    below = key.parts[key.parts.index("_posts") + 1:] if "_posts" in key.parts else (key.name,)
    within = PurePosixPath(*below)
    return {str(key), key.name, key.stem, str(within), str(within.with_suffix(""))}


def _translation_key(post):
    """What a post shares with its translations: its path without the language folder."""
    parts = PurePosixPath(post.key).parts
    if post.language and parts and parts[0].lower().replace("_", "-") == post.language.lower():
        parts = parts[1:]
    return str(PurePosixPath(*parts)) if parts else post.key


def _modified(post):
    if post.last_modified_at and post.date and post.last_modified_at > post.date:
        return post.last_modified_at
    return post.date


def _check_lengths(content, post):
    columns = {
        "title": (content.title, Article._meta.get_field("title").max_length),
        "address (slug)": (content.slug, Article._meta.get_field("slug").max_length),
        "author": (content.byline, Article._meta.get_field("byline").max_length),
        "permalink": (post.permalink, Article._meta.get_field("jekyll_permalink").max_length),
        "path below the site": (post.key, Article._meta.get_field("jekyll_key").max_length),
        **{f"tag {name[:20]!r}…": (name, TAG_NAME_MAX) for name in [*content.companies, *content.topics]},
    }
    for what, (value, limit) in columns.items():
        if len(value) > limit:
            raise JekyllError(f"the {what} has {len(value)} characters; at most {limit}")


def _category(name):
    limit = Category._meta.get_field("name").max_length
    if len(name) > limit:
        raise JekyllError(f"the category {name[:20]!r}… has {len(name)} characters; at most {limit}")
    category = Category.objects.filter(name=name).first()
    if category is None:
        slug = slugify(name, allow_unicode=True)
        if not slug:
            raise JekyllError(f"cannot make an address (slug) for the category {name!r}")
        category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name})
    return category
