"""Turn parsed Jekyll posts into articles.

Importing the same file again updates the article it made (found by the file name),
so an import can be rerun after fixing the source, unless the desk has taken the
article over since: an article unpublished, under review or edited in the desk is left
alone and reported as such. A file that has not changed changes nothing.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .editing import Content, create_article, store_imported_content
from .jekyll import JekyllError, JekyllPost
from .models import Article, Category, Status
from .redirects import jekyll_paths, remember
from .rendering import RenderError, derive_excerpt, render_markdown
from .tags import company_index, name_key, split_company_names
from .text import TAG_NAME_MAX, validate_safe_slug
from .workflow import record_import

IMPORTED, UPDATED, UNCHANGED, KEPT = "imported", "updated", "unchanged", "kept"


@dataclass
class ImportResult:
    article: Article
    outcome: str  # IMPORTED, UPDATED, UNCHANGED or KEPT (left alone: the desk decides)
    notes: list[str] = field(default_factory=list)

    @property
    def created(self):
        return self.outcome == IMPORTED


def import_post(post: JekyllPost, *, owner=None, dry_run=False, companies_by_name=None):
    """Create or update the article for ``post``, in one transaction.

    With ``dry_run`` everything is checked and nothing is kept. Raises ``JekyllError``
    when the post cannot become an article (its slug belongs to another article, a
    field is too long for its column, its body cannot be rendered…).
    """
    if companies_by_name is None:
        companies_by_name = company_index()
    with transaction.atomic():
        result = _save(post, owner, companies_by_name)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _save(post, owner, companies_by_name):
    article = Article.objects.filter(jekyll_key=post.key).first()
    if article is not None:
        reason = decided_in_the_desk(article)
        if reason:
            return ImportResult(article=article, outcome=KEPT, notes=[reason])
    clash = Article.objects.filter(slug=post.slug).exclude(pk=getattr(article, "pk", None)).first()
    if clash is not None:
        raise JekyllError(f"the address {post.slug!r} is already used by the article {clash.title!r}")

    notes = []
    content = _content(post, companies_by_name, notes)
    published = post.published and post.date is not None
    old_url = None
    if article is None:
        article = create_article(content, owner, jekyll_key=post.key)
        outcome = IMPORTED
    else:
        old_url = article.get_absolute_url() if article.is_live else None
        revision = store_imported_content(article, content)
        unchanged = revision is None and (
            article.published_at == post.date and article.is_live == published
            and article.jekyll_permalink == post.permalink and article.source_reading_time == post.reading_time
        )
        if unchanged:
            return ImportResult(article=article, outcome=UNCHANGED)
        outcome = UPDATED
    article.jekyll_permalink = post.permalink
    article.source_reading_time = post.reading_time
    article.published_at = post.date
    if post.published and post.date is None:
        notes.append("no date: imported as a draft")
    record_import(article, published=post.published, old_url=old_url)
    # The addresses the post had on the Jekyll site keep working.
    remember(article, *jekyll_paths(post))
    return ImportResult(article=article, outcome=outcome, notes=notes)


def decided_in_the_desk(article):
    """Why an import must leave ``article`` as the desk has it, or None.

    The desk decides once someone has unpublished, submitted or approved the article,
    or saved a version of it, since it was last imported.
    """
    reason = {
        Status.UNPUBLISHED: "unpublished in the desk",
        Status.IN_REVIEW: "in review in the desk",
        Status.APPROVED: "approved in the desk, waiting to be published",
    }.get(article.status)
    if reason:
        return f"left alone: {reason}"
    last_import = article.transitions.filter(action="import").order_by("-id").first()
    if last_import is None or article.latest_revision_id != last_import.revision_id:
        editor = article.latest_revision.author if article.latest_revision else None
        by = f" by {editor.get_username()}" if editor else ""
        return f"left alone: edited in the desk (version {article.version}{by})"
    later = (
        article.transitions.exclude(action="import").filter(id__gt=last_import.pk)
        .select_related("user").order_by("-id").first()
    )
    if later is not None:
        who = later.user.get_username() if later.user else "someone"
        return f"left alone: changed in the desk ({later.action} by {who}, {later.created_at:%Y-%m-%d})"
    return None


def _content(post, companies_by_name, notes):
    """The post as the desk's content, checked against every limit the desk has."""
    body_limit = settings.EDITORIAL_MAX_BODY_CHARS
    if len(post.body) > body_limit:
        raise JekyllError(f"the body has {len(post.body):,} characters; an article has at most {body_limit:,}")
    try:
        body_html = render_markdown(post.body)
    except RenderError as exc:
        raise JekyllError(f"the body cannot be rendered: {exc}") from None
    excerpt = post.excerpt
    if not excerpt or name_key(excerpt) == name_key(post.title):
        excerpt = derive_excerpt(body_html, post.title)
        notes.append("excerpt missing or equal to the title: drawn from the first paragraph")
    # Extra Jekyll categories would be lost on an article with one category;
    # they are kept as topics instead.
    extra_categories = post.categories[1:]
    if extra_categories:
        notes.append(f"extra categories kept as topics: {', '.join(extra_categories)}")
    names = [*post.tags, *extra_categories]
    if len(names) > 2 * settings.EDITORIAL_MAX_TAGS:
        raise JekyllError(f"the post has {len(names)} tags; at most {settings.EDITORIAL_MAX_TAGS} per vocabulary")
    companies, topics = split_company_names(names, companies_by_name)
    content = Content(
        title=post.title,
        slug=post.slug,
        excerpt=excerpt,
        body=post.body,
        byline=post.author,
        category=_category(post.categories[0]) if post.categories else None,
        companies=tuple(company.name for company in companies),
        topics=tuple(topics),
    )
    _check_lengths(content, post)
    try:
        validate_safe_slug(content.slug)
    except ValidationError as exc:
        raise JekyllError(f"the address {content.slug!r} is not safe: {' '.join(exc.messages)}") from None
    return content


def _check_lengths(content, post):
    columns = {
        "title": (content.title, Article._meta.get_field("title").max_length),
        "address (slug)": (content.slug, Article._meta.get_field("slug").max_length),
        "author": (content.byline, Article._meta.get_field("byline").max_length),
        "permalink": (post.permalink, Article._meta.get_field("jekyll_permalink").max_length),
        "file name": (post.key, Article._meta.get_field("jekyll_key").max_length),
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
