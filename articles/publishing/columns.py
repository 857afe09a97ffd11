"""An article's own columns and tags: what readers get while it is live (the published
revision's content), and what the desk shows otherwise (the working copy's). Editing
(articles/publishing/editing.py) and the workflow's actions (articles/publishing/actions.py) both write them
through here; so does rendering a body again after a picture it shows changed."""

from django.db.models import Q

from articles.media import pictures
from articles.models import Article, Revision
from articles.reading import public_changes, search


def apply_revision(article: Article, revision: Revision):
    """Copy a revision's content into the article's columns and tags (what readers get)."""
    fields = revision.content()
    assign(article, fields)
    article.save()
    set_tags(article, fields)


def assign(article, fields):
    for name in ("title", "excerpt", "body", "byline", "category", "cover"):
        setattr(article, name, fields[name])
    # A working copy may name an address another article took meanwhile; the article
    # keeps its own until that one is free (publishing and saving refuse the clash).
    if not article.slug or not Article.objects.filter(slug__iexact=fields["slug"]).exclude(pk=article.pk).exists():
        article.slug = fields["slug"]


def set_tags(article, fields, *, new=False, vocabularies=None):
    tags = vocabularies.tags if vocabularies else {}
    _set_vocabulary(article, article.companies, fields["companies"], new=new, known=tags)
    _set_vocabulary(article, article.topics, fields["topics"], new=new, known=tags)
    update_search(article, [*fields["companies"], *fields["topics"]])


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


def update_search(article, tag_names):
    # The columns changed, so does what search finds them by.
    parts = (article.title, article.excerpt, article.body_text, tag_names)
    found_by = {"search_text": search.document(*parts), "search_forms": search.forms_document(*parts)}
    Article.objects.filter(pk=article.pk).update(**found_by)
    article.stored_directly(**found_by)


def refresh_articles_showing(image, **kwargs):
    """``signals.picture_changed``: render again the stored bodies of the articles in the
    desk that show ``image``. A live article's body is what readers were given after
    review: it keeps its words until a new version is approved."""
    for article in Article.objects.filter(image_uses__image=image, published_revision__isnull=True).distinct():
        if image.pk in pictures.references(article.body):
            refresh_rendering(article)


def refresh_rendering(article):
    """Render the stored body again: an image it shows has new alt text or a new caption."""
    article._rendered_body = None  # the model's memo of what it rendered, reset on purpose
    article.save(update_fields=["body", "body_html", "reading_time"])
    update_search(article, [*article.companies.names(), *article.topics.names()])
