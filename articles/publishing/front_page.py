"""The front page editors arrange: which live articles lead it, in what order, until
when. Every change is an editor's, goes into the article's audit trail, and reaches
readers at once (the page cache's ``front`` area)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, FrontPageItem, Transition
from articles.publishing.actions import WorkflowError
from articles.publishing.permissions import is_editor
from articles.reading import caching


def feature(article, user, until=None):
    """Put the live ``article`` on the front page, after those there (or change until
    when it stays)."""
    _check(user)
    if until is not None and until <= timezone.now():
        raise WorkflowError(_("The time it leaves the front page has already passed."))
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if not current.is_live or current.is_scheduled:
            raise WorkflowError(_("Only a published article can go on the front page."))
        item = FrontPageItem.objects.filter(article=current).first()
        if item is None:
            last = FrontPageItem.objects.aggregate(last=Max("position"))["last"] or 0
            item = FrontPageItem.objects.create(article=current, position=last + 1, until=until)
        else:
            item.until = until
            item.save(update_fields=["until"])
        _record(current, user, "feature", {"position": item.position, "until": until.isoformat() if until else None})
    caching.areas_changed({caching.FRONT})
    return item


def move(article, user, steps):
    """Move ``article`` ``steps`` places earlier (negative) or later on the front page."""
    _check(user)
    with transaction.atomic():
        items = list(FrontPageItem.objects.select_for_update().order_by("position", "id"))
        index = next((i for i, item in enumerate(items) if item.article_id == article.pk), None)
        if index is None:
            raise WorkflowError(_("This article is not on the front page."))
        target = max(0, min(len(items) - 1, index + steps))
        items.insert(target, items.pop(index))
        for position, item in enumerate(items, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        _record(article, user, "feature_moved", {"position": target + 1})
    caching.areas_changed({caching.FRONT})


def unfeature(article, user):
    """Take ``article`` off the front page."""
    _check(user)
    with transaction.atomic():
        deleted, _rows = FrontPageItem.objects.filter(article=article).delete()
        if deleted:
            _record(article, user, "unfeature", {})
    caching.areas_changed({caching.FRONT})


def _check(user):
    if not is_editor(user):
        raise PermissionDenied(_("Only an editor may arrange the front page."))


def _record(article, user, action, data):
    Transition.record_step(article, action, user, data=data)
