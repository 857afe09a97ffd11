"""What a change in the desk means for readers' pages and counts: which areas of the
page cache it touches (articles/reading/caching.py) and which counts of live articles it moves
(articles/reading/public_data.py). The signals that tell of the changes are connected here.

An article's own area (``article:42``) is named by every page that shows it: its page,
the list pages and feeds whose cards show it, the related blocks of other articles. A
correction touches that area only. An article that goes live or stops being live also
touches ``live`` (the home page, the tag menus, search) and the lists it joins or leaves:
its category, companies, topics and author. A newly published article joins other
articles' related blocks when their pages are next made (within
``EDITORIAL_PAGE_CACHE_SECONDS``): it is shown in none of them yet.
"""

from django.db import transaction
from django.utils import timezone

from articles import signals
from articles.media.images import live_articles_using
from articles.models import Article, AuthorProfile, Category, HouseStyleTerm, Image, ProductName, PublicGeneration
from articles.models.tags import CompanyTag, TopicTag
from articles.reading import caching, public_data
from articles.reading.caching import LIVE, areas_changed, article_area, list_area


def _visible(published_revision_id, published_at, now):
    """``ArticleQuerySet.published()``, for one row's values."""
    return published_revision_id is not None and published_at is not None and published_at <= now


def article_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= Article.DESK_ONLY_COLUMNS:
        return
    before = instance._snapshot()
    # A workflow step (submit, approve, request changes) saves the whole row, and only
    # desk columns differ from what was loaded: readers' pages stay.
    if before is not None and not instance.public_columns_changed():
        return
    before = before or {}
    instance.remember_public_columns()
    if before.get("published_revision_id") is None and instance.published_revision_id is None:
        return  # a draft that never went out is nobody's business but the desk's
    if before.get("published_at") != instance.published_at:
        caching.schedule_changed()  # a scheduled time came, moved or went
    now = timezone.now()
    was = _visible(before.get("published_revision_id"), before.get("published_at"), now)
    now_visible = _visible(instance.published_revision_id, instance.published_at, now)
    if not (was or now_visible):
        return  # scheduled, and not due: nothing readers see yet
    areas = {article_area(instance.pk)}
    categories = {before.get("category_id"), instance.category_id} - {None}
    if was != now_visible:
        if now_visible:
            _count_due_first(instance)
        tags = _tag_ids(instance)
        areas |= _lists_of(instance, tags) | {LIVE}
        public_data.count_all(1 if now_visible else -1)
        _recount_tags(tags)
    elif before.get("category_id") == instance.category_id:
        categories = set()
    areas |= {list_area("category", pk) for pk in categories}
    public_data.recount("category", categories)
    areas_changed(areas)


def _count_due_first(article):
    """Articles that came due before ``article`` went live are counted first: after
    this, what came due is what was published ahead of time (``article`` is not). In a
    bulk write, once is enough for every article dated before the look, once it is
    committed: the look's time only moves forward."""
    bulk = public_data.bulk()
    checked = bulk.get(public_data.DUE_CHECKED) if bulk is not None else None
    if checked is not None and article.published_at <= checked:
        return
    looked = came_due(counted=article.pk)
    if bulk is not None and looked is not None:
        transaction.on_commit(lambda: bulk.__setitem__(public_data.DUE_CHECKED, looked))


def _lists_of(article, tags):
    """The lists ``article`` is in now: its author's, its category's and those of its
    ``tags`` (``_tag_ids``)."""
    names = {list_area("author", article.owner_id)} if article.owner_id else set()
    if article.category_id:
        names.add(list_area("category", article.category_id))
    return names | {list_area(kind, pk) for kind, pk in tags}


def _tag_ids(article):
    """``[(kind, tag id)]`` of ``article``'s companies and topics."""
    return [(kind, pk) for kind, through in public_data.TAGGED.items()
            for pk in through.objects.filter(content_object=article).values_list("tag_id", flat=True)]


def _recount_tags(tags):
    for kind in public_data.TAGGED:
        public_data.recount(kind, [pk for tag_kind, pk in tags if tag_kind == kind])


def tags_changed(article, through, tag_ids):
    """``article``'s tags of one vocabulary (``through``, its through model) changed:
    those added and removed (``tag_ids``) gain or lose an article, if it is live."""
    if not tag_ids or not _visible(article.published_revision_id, article.published_at, timezone.now()):
        return
    kind = next(kind for kind, model in public_data.TAGGED.items() if model is through)
    public_data.recount(kind, tag_ids)
    # The lists it joins or leaves, and its own area: its page and every card of it list its tags.
    areas_changed({list_area(kind, pk) for pk in tag_ids} | {article_area(article.pk)})


def article_deleted(sender, instance, **kwargs):
    # Rare (the admin): every count again, every page anew.
    if instance.published_revision_id is not None:
        caching.content_changed()
        transaction.on_commit(public_data.recount_everything)


def came_due(counted=None):
    """Scheduled articles whose time has come since the last look go live: the pages
    and counts that show them are told. Run by whichever request first sees that the
    next scheduled time has passed (the row lock makes it once), and before an article
    going live at once is counted (``counted``: its id), so that an article's time is
    looked at once: a live article's date is never after ``due_checked_at``. Returns the
    time looked up to (None when nothing keeps it)."""
    now = timezone.now()
    with transaction.atomic():
        row = PublicGeneration.objects.select_for_update().first()
        if row is None:
            return
        since = row.due_checked_at
        due = Article.objects.published().filter(published_at__lte=now).exclude(pk=counted)
        if since is not None:
            due = due.filter(published_at__gt=since)
        for article in due.only("pk", "owner_id", "category_id"):
            tags = _tag_ids(article)
            areas_changed(_lists_of(article, tags) | {article_area(article.pk), LIVE})
            public_data.count_all(1)
            _recount_tags(tags)
            public_data.recount("category", [article.category_id])
        PublicGeneration.objects.filter(pk=row.pk).update(due_checked_at=now)
    return now


def image_saved(sender, instance, created=False, **kwargs):
    """A changed picture (new words, a new crop) shows in the pages of the live articles
    that use it, and on its author's page if it is their portrait."""
    if created:
        return  # in no article yet
    if AuthorProfile.objects.filter(picture=instance).exists():
        caching.content_changed()
        return
    areas = {article_area(pk) for pk in live_articles_using(instance).values_list("pk", flat=True)}
    if areas:
        areas_changed(areas)


def portrait_made(sender, image, **kwargs):
    """``signals.picture_changed``: a picture the task worker has just made (stored with an
    update, so no ``post_save``) shows from now on on its author's page if it is their
    portrait."""
    if AuthorProfile.objects.filter(picture=image).exists():
        caching.content_changed()


def renamed(sender, instance=None, created=False, **kwargs):
    """A tag, category, author page, house-style term or product name: shown on many
    pages (a tag's name on every article that carries it) or deciding what search finds.
    A new tag is on no live article yet, but its aliases are spellings search knows."""
    if not created or getattr(instance, "aliases", "") or sender.__name__ in (
            "AuthorProfile", "HouseStyleTerm", "ProductName"):
        caching.content_changed()


def connect_signals():
    from django.db.models.signals import post_delete, post_save

    post_save.connect(article_saved, sender=Article, dispatch_uid="pages-article-saved")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="pages-article-deleted")
    post_save.connect(image_saved, sender=Image, dispatch_uid="pages-image-saved")
    signals.picture_changed.connect(portrait_made, dispatch_uid="pages-portrait-made")
    for model in (Category, CompanyTag, TopicTag, Image, AuthorProfile, HouseStyleTerm, ProductName):
        post_delete.connect(caching.content_changed, sender=model, dispatch_uid=f"pages-{model.__name__}-deleted")
    for model in (Category, CompanyTag, TopicTag, AuthorProfile, HouseStyleTerm, ProductName):
        post_save.connect(renamed, sender=model, dispatch_uid=f"pages-{model.__name__}-saved")
