"""Saving the working copy of an article: revisions, optimistic locking, live content.

Every save that changes something stores a ``Revision`` and bumps ``Article.version``.
While an article is live, its columns keep the published revision's content (what
readers see) and saves touch only the working copy; otherwise the columns follow the
working copy. State changes that an edit implies go through the workflow.
"""

from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone

from . import images, search
from .models import Article, Category, Image, Revision, Status
from .tags import canonical_topics, company_index, split_company_names
from .text import strip_control_characters


class EditConflict(Exception):
    """Someone saved the article after the editor opened it; nothing was written."""

    def __init__(self, article):
        super().__init__(f"article {article.pk} is at version {article.version}")
        self.article = article


@dataclass
class Content:
    """The editable content of an article, as a form or an import gives it."""

    title: str
    slug: str
    excerpt: str = ""
    body: str = ""
    byline: str = ""
    category: Category | None = None
    companies: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    cover: Image | None = None

    def __post_init__(self):
        # Whatever the source (a form, an import), no control character is stored:
        # one in a title was enough to make every feed invalid XML.
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                setattr(self, field.name, strip_control_characters(value))
            elif isinstance(value, tuple):
                setattr(self, field.name, tuple(filter(None, map(strip_control_characters, value))))

    def as_revision_fields(self):
        companies_by_name = company_index()
        known, new = split_company_names(self.companies, companies_by_name)
        # A topic that names a known company is that company: the two vocabularies
        # never hold the same name, and a Jekyll round trip (one tag list) stays exact.
        named_companies, topics = split_company_names(self.topics, companies_by_name)
        known += [company for company in named_companies if company not in known]
        return {
            "title": self.title,
            "slug": self.slug,
            "excerpt": self.excerpt,
            "body": self.body,
            "byline": self.byline,
            "category": self.category,
            "companies": [company.name for company in known] + new,
            "topics": canonical_topics(topics),
            "cover": self.cover,
        }

    @classmethod
    def of(cls, revision):
        return cls(**{name: getattr(revision, name) for name in Revision.CONTENT_FIELDS})


def create_article(content: Content, user, **fields) -> Article:
    """A new draft owned by ``user``, with its first revision."""
    with transaction.atomic():
        article = Article(owner=user, status=Status.DRAFT, status_changed_at=timezone.now(), **fields)
        _store(article, content.as_revision_fields(), user, restored_from=None)
    return article


def save_working_copy(article: Article, content: Content, user, *, base_version: int, restored_from=None):
    """Store ``content`` as the article's new working copy.

    ``base_version`` is the version the editor started from; if the article has been
    saved since, ``EditConflict`` is raised and nothing changes. Returns the new
    revision, or ``None`` when nothing changed.
    """
    from . import workflow  # the workflow imports this module for publishing

    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.version != base_version:
            raise EditConflict(current)
        fields = content.as_revision_fields()
        if restored_from is None and _unchanged(current, fields):
            return None
        revision = _store(current, fields, user, restored_from=restored_from)
        if current.status in workflow.STATES_REOPENED_BY_EDITING:
            workflow.reopen_by_edit(current, user)
    article.refresh_from_db()
    return revision


def store_imported_content(article: Article, content: Content):
    """The importer's save: a new revision when the source changed, no lock, no review.

    The workflow's ``record_import`` then decides what readers see.
    """
    fields = content.as_revision_fields()
    if _unchanged(article, fields):
        return None
    return _store(article, fields, None, restored_from=None)


def restore_revision(article: Article, revision: Revision, user, *, base_version: int):
    """Make an old revision the working copy again, as a new revision."""
    return save_working_copy(article, Content.of(revision), user, base_version=base_version, restored_from=revision)


def _unchanged(article, fields):
    return article.latest_revision is not None and article.latest_revision.content() == fields


def _store(article, fields, user, *, restored_from):
    article.version += 1
    if not article.is_live:
        _assign(article, fields)
    article.save()
    revision = Revision.objects.create(
        article=article, version=article.version, author=user, restored_from=restored_from, **fields
    )
    article.latest_revision = revision
    article.save(update_fields=["latest_revision"])
    if not article.is_live:
        _set_tags(article, fields)
    images.record_uses(article)
    return revision


def apply_revision(article: Article, revision: Revision):
    """Copy a revision's content into the article's columns and tags (what readers get)."""
    fields = revision.content()
    _assign(article, fields)
    article.save()
    _set_tags(article, fields)


def _assign(article, fields):
    for name in ("title", "excerpt", "body", "byline", "category", "cover"):
        setattr(article, name, fields[name])
    # A working copy may name an address another article took meanwhile; the article
    # keeps its own until that one is free (publishing and saving refuse the clash).
    if not article.slug or not Article.objects.filter(slug=fields["slug"]).exclude(pk=article.pk).exists():
        article.slug = fields["slug"]


def _set_tags(article, fields):
    article.companies.set(fields["companies"])
    article.topics.set(fields["topics"])
    _update_search(article, [*fields["companies"], *fields["topics"]])


def _update_search(article, tag_names):
    # The columns changed, so does what search finds them by.
    article.search_text = search.document(article.title, article.excerpt, article.body_html, tag_names)
    Article.objects.filter(pk=article.pk).update(search_text=article.search_text)


def refresh_rendering(article):
    """Render the stored body again: an image it shows has new alt text or a new caption."""
    article._rendered_body = None  # the model's memo of what it rendered, reset on purpose
    article.save(update_fields=["body", "body_html", "reading_time"])
    _update_search(article, [*article.companies.names(), *article.topics.names()])
