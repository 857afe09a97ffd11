"""Saving the working copy of an article: revisions, optimistic locking, live content.

Every save that changes something stores a ``Revision`` and bumps ``Article.version``.
While an article is live, its columns keep the published revision's content (what
readers see) and saves touch only the working copy; otherwise the columns follow the
working copy. State changes that an edit implies go through the workflow.
"""

from dataclasses import dataclass, fields

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import checks, images, public_changes, search
from .models import Article, Category, Image, Revision, Status, Transition
from .tags import canonical_topics, company_index, split_company_names, topic_index
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
    from . import workflow  # the workflow imports this module for publishing

    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
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
        _assign(article, fields)
        article.save()
    markup = checks.summarise(fields["body"])
    revision = _continued_autosave(article, fields, user, markup) if autosaved and not new else None
    if revision is None:
        revision = Revision.objects.create(
            article=article, version=article.version, author=user, restored_from=restored_from, autosaved=autosaved,
            markup=markup, **fields
        )
    article.latest_revision = revision
    article.save(update_fields=["latest_revision"])
    if not article.is_live:
        _set_tags(article, fields, new=new, vocabularies=vocabularies)
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
    if not article.slug or not Article.objects.filter(slug__iexact=fields["slug"]).exclude(pk=article.pk).exists():
        article.slug = fields["slug"]


def _set_tags(article, fields, *, new=False, vocabularies=None):
    tags = vocabularies.tags if vocabularies else {}
    _set_vocabulary(article, article.companies, fields["companies"], new=new, known=tags)
    _set_vocabulary(article, article.topics, fields["topics"], new=new, known=tags)
    _update_search(article, [*fields["companies"], *fields["topics"]])


def _set_vocabulary(article, manager, names, *, new=False, known=None):
    """``manager.set(names)`` in a few queries (taggit's asks one per tag), and nothing
    written when the article has those tags already. ``known`` remembers tags looked
    up, for the next article."""
    through, tag_model = manager.through, manager.through.tag_model()
    known = (known if known is not None else {}).setdefault(tag_model, {})
    current = {} if new else {
        row.tag.name.casefold(): row
        for row in through.objects.filter(content_object=article).select_related("tag")
    }
    wanted = {name.casefold(): name for name in names}
    if current.keys() == wanted.keys() and all(current[key].tag.name == wanted[key] for key in wanted):
        return
    missing = [name for key, name in wanted.items() if key not in current]
    unknown = [name for name in missing if name.casefold() not in known]
    if unknown:
        lookup = Q()
        for name in unknown:
            lookup |= Q(name__iexact=name)
        known.update((tag.name.casefold(), tag) for tag in tag_model.objects.filter(lookup))
    rows = []
    for name in missing:
        tag = known.get(name.casefold())
        if tag is None:
            tag = known[name.casefold()] = tag_model.objects.create(name=name)
        rows.append(through(content_object=article, tag=tag))
    through.objects.bulk_create(rows)
    gone = [row for key, row in current.items() if key not in wanted]
    if gone:
        through.objects.filter(pk__in=[row.pk for row in gone]).delete()
    if not new:
        public_changes.tags_changed(article, through, [row.tag_id for row in rows + gone])


def _update_search(article, tag_names):
    # The columns changed, so does what search finds them by.
    search_text = search.document(article.title, article.excerpt, article.body_text, tag_names)
    Article.objects.filter(pk=article.pk).update(search_text=search_text)
    article.stored_directly(search_text=search_text)


def refresh_articles_showing(image, **kwargs):
    """``signals.picture_changed``: render again the stored bodies of the articles in the
    desk that show ``image``. A live article's body is what readers were given after
    review: it keeps its words until a new version is approved."""
    for article in Article.objects.filter(image_uses__image=image, published_revision__isnull=True).distinct():
        if image.pk in images.references(article.body):
            refresh_rendering(article)


def refresh_rendering(article):
    """Render the stored body again: an image it shows has new alt text or a new caption."""
    article._rendered_body = None  # the model's memo of what it rendered, reset on purpose
    article.save(update_fields=["body", "body_html", "reading_time"])
    _update_search(article, [*article.companies.names(), *article.topics.names()])
