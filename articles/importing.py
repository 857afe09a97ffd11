"""Turn parsed Jekyll posts into articles.

Importing the same file again updates the article it made (found by the file name),
so an import can be rerun after fixing the source.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from .editing import Content, create_article, store_imported_content
from .jekyll import JekyllError, JekyllPost
from .models import Article, Category
from .redirects import jekyll_paths, remember
from .rendering import derive_excerpt, render_markdown
from .tags import company_index, name_key, split_company_names
from .workflow import record_import


@dataclass
class ImportResult:
    article: Article
    created: bool
    notes: list[str] = field(default_factory=list)


def import_post(post: JekyllPost, *, owner=None, dry_run=False, companies_by_name=None):
    """Create or update the article for ``post``, in one transaction.

    With ``dry_run`` everything is checked and nothing is kept. Raises ``JekyllError``
    when the post cannot become an article (its slug belongs to another article…).
    """
    if companies_by_name is None:
        companies_by_name = company_index()
    with transaction.atomic():
        result = _save(post, owner, companies_by_name)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _save(post, owner, companies_by_name):
    notes = []
    article = Article.objects.filter(jekyll_key=post.key).first()
    created = article is None
    clash = Article.objects.filter(slug=post.slug).exclude(pk=getattr(article, "pk", None)).first()
    if clash is not None:
        raise JekyllError(f"the address {post.slug!r} is already used by the article {clash.title!r}")

    excerpt = post.excerpt
    if not excerpt or name_key(excerpt) == name_key(post.title):
        excerpt = derive_excerpt(render_markdown(post.body), post.title)
        notes.append("excerpt missing or equal to the title: drawn from the first paragraph")
    # Extra Jekyll categories would be lost on an article with one category;
    # they are kept as topics instead.
    extra_categories = post.categories[1:]
    if extra_categories:
        notes.append(f"extra categories kept as topics: {', '.join(extra_categories)}")
    companies, topics = split_company_names([*post.tags, *extra_categories], companies_by_name)
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
    old_url = None
    if created:
        article = create_article(content, owner, jekyll_key=post.key)
    else:
        old_url = article.get_absolute_url() if article.is_live else None
        store_imported_content(article, content)
    article.jekyll_permalink = post.permalink
    article.source_reading_time = post.reading_time
    article.published_at = post.date
    if post.published and post.date is None:
        notes.append("no date: imported as a draft")
    record_import(article, published=post.published, old_url=old_url)
    # The addresses the post had on the Jekyll site keep working.
    remember(article, *jekyll_paths(post))
    return ImportResult(article=article, created=created, notes=notes)


def _category(name):
    category = Category.objects.filter(name=name).first()
    if category is None:
        slug = slugify(name, allow_unicode=True)
        if not slug:
            raise JekyllError(f"cannot make an address (slug) for the category {name!r}")
        category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name})
    return category
