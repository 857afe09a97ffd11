"""Saving the working copy of an article: revisions, optimistic locking, live content.

Every save that changes something stores a ``Revision`` and bumps ``Article.version``.
While an article is live, its columns keep the published revision's content (what
readers see) and saves touch only the working copy; otherwise the columns follow the
working copy. State changes that an edit implies go through the workflow.
"""

from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone

from articles.checks.article_text import summarise
from articles.media import images
from articles.models import Article, Category, Image, Revision, Status, Transition
from articles.models.tags import canonical_topics, company_index, split_company_names, topic_index
from articles.publishing import columns, locks, workflow
from articles.rendering.text import strip_control_characters


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

    def as_revision_fields(self, vocabularies=None):
        vocabularies = vocabularies or Vocabularies()
        companies_by_name = vocabularies.companies
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
            "topics": canonical_topics(topics, vocabularies.topics),
            "cover": self.cover,
        }

    @classmethod
    def of(cls, revision):
        return cls(**{name: getattr(revision, name) for name in Revision.CONTENT_FIELDS})


class Vocabularies:
    """The company and topic names, and the tags, looked up once for many articles (an
    import) instead of once per article."""

    def __init__(self, companies=None, topics=None):
        self._companies, self._topics = companies, topics
        self.tags = {}  # tag model → {casefolded name: tag}

    @property
    def companies(self):
        if self._companies is None:
            self._companies = company_index()
        return self._companies

    @property
    def topics(self):
        if self._topics is None:
            self._topics = topic_index()
        return self._topics


def create_article(content: Content, user, *, vocabularies=None, autosaved=False, **fields) -> Article:
    """A new draft owned by ``user``, with its first revision."""
    # Part of the caller's transaction when there is one: a savepoint would only cost.
    with transaction.atomic(savepoint=False):
        article = Article(owner=user, status=Status.DRAFT, status_changed_at=timezone.now(), **fields)
        _store(article, content.as_revision_fields(vocabularies), user, restored_from=None, vocabularies=vocabularies,
               autosaved=autosaved)
    return article


def save_working_copy(article: Article, content: Content, user, *, base_version: int, restored_from=None,
                      autosaved=False):
    """Store ``content`` as the article's new working copy.

    ``base_version`` is the version the editor started from; if someone has saved the
    article since, ``EditConflict`` is raised and nothing changes. The editor's own
    automatic saves since then are not someone: they are this text, a few seconds
    older. Returns the new revision, or ``None`` when nothing changed.
    """
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if user is not None:
            locks.check(current, user)
        if current.version != base_version and not _only_own_autosaves_since(current, base_version, user):
            raise EditConflict(current)
        fields = content.as_revision_fields()
        if restored_from is None and _unchanged(current, fields):
            return None
        revision = _store(current, fields, user, restored_from=restored_from, autosaved=autosaved)
        if current.status in workflow.STATES_REOPENED_BY_EDITING:
            workflow.reopen_by_edit(current, user)
    article.refresh_from_db()
    return revision


def store_imported_content(article: Article, content: Content, *, vocabularies=None):
    """The importer's save: a new revision when the source changed, no lock, no review.

    The workflow's ``record_import`` then decides what readers see.
    """
    fields = content.as_revision_fields(vocabularies)
    if _unchanged(article, fields):
        return None
    return _store(article, fields, None, restored_from=None, vocabularies=vocabularies)


def restore_revision(article: Article, revision: Revision, user, *, base_version: int):
    """Make an old revision the working copy again, as a new revision."""
    return save_working_copy(article, Content.of(revision), user, base_version=base_version, restored_from=revision)


def _only_own_autosaves_since(article, base_version, user):
    if base_version > article.version or user is None:
        return False
    since = article.revisions.filter(version__gt=base_version)
    return not since.exclude(autosaved=True, author=user).exists()


def _unchanged(article, fields):
    return article.latest_revision is not None and article.latest_revision.content() == fields


def _store(article, fields, user, *, restored_from, vocabularies=None, autosaved=False):
    new = article.pk is None
    article.version += 1
    if article.is_live:
        # Readers keep what they have until this copy is published: only the desk's
        # bookkeeping is written (and their cached pages stay valid).
        article.save(update_fields=["version", "updated_at"])
    else:
        columns.assign(article, fields)
        article.save()
    markup = summarise(fields["body"])
    revision = _continued_autosave(article, fields, user, markup) if autosaved and not new else None
    if revision is None:
        revision = Revision.objects.create(
            article=article, version=article.version, author=user, restored_from=restored_from, autosaved=autosaved,
            markup=markup, **fields
        )
    article.latest_revision = revision
    article.save(update_fields=["latest_revision"])
    if not article.is_live:
        columns.set_tags(article, fields, new=new, vocabularies=vocabularies)
    images.record_uses(article, new=new)
    return revision


def _continued_autosave(article, fields, user, markup):
    """A person's automatic saves in a row keep one revision, updated with each (a save
    every few seconds of a 100,000-character text filled the history and the database):
    the article's latest revision, if it is this person's automatic save that nothing
    since points at (a save of their own, someone else's edit, a restore, a workflow
    step or a publication each start a new one). Returns it updated, or None."""
    latest = article.latest_revision
    if (latest is None or not latest.autosaved or latest.author_id != getattr(user, "pk", None)
            or latest.pk == article.published_revision_id or Transition.objects.filter(revision=latest).exists()):
        return None
    for name, value in fields.items():
        setattr(latest, name, value)
    latest.version, latest.markup, latest.created_at = article.version, markup, timezone.now()
    latest.save()
    return latest
