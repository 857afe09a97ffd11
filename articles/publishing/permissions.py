"""Who may do what in the desk: the two roles (writers and editors, held as Django
permissions, however granted), owning an article, and being one of its authors (who
may not approve it). The workflow's actions (articles/publishing/actions.py) and the views ask
here; nothing here changes anything."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models

from articles.models import Status

EDITOR_PERMISSION = "articles.review_article"
WRITER_PERMISSION = "articles.add_article"


def is_editor(user):
    return bool(user and user.is_active and user.has_perm(EDITOR_PERMISSION))


def is_writer(user):
    return bool(user and user.is_active and user.has_perm(WRITER_PERMISSION))


def is_owner(user, article):
    return bool(user and user.is_authenticated and article.owner_id == user.pk)


def can_view(user, article):
    """Editors see every article in the desk; writers see their own."""
    return is_editor(user) or is_owner(user, article)


def can_edit(user, article):
    """Editors edit any article that is not unpublished; writers their own drafts."""
    if article.status == Status.UNPUBLISHED:
        return False
    if is_editor(user):
        return True
    return is_owner(user, article) and is_writer(user) and article.status == Status.DRAFT


def people_with(permission):
    """Active users holding ``permission`` ("app.codename"), however they hold it (a
    group, their own, a superuser): one query."""
    app_label, codename = permission.split(".")
    granted = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    return get_user_model().objects.filter(
        models.Q(is_superuser=True) | models.Q(groups__permissions__in=granted)
        | models.Q(user_permissions__in=granted),
        is_active=True,
    ).distinct().order_by("username")


def editors():
    """Active users holding the editors' permission."""
    return list(people_with(EDITOR_PERMISSION))


def approvers(article):
    """The editors who may approve ``article``'s working copy: every editor but its
    authors (unless a one-person desk allows self-approval)."""
    everyone = editors()
    if self_approval_allowed():
        return everyone
    return [user for user in everyone if not is_own_work(user, article)]


def self_approval_allowed():
    return getattr(settings, "EDITORIAL_ALLOW_SELF_APPROVAL", False)


def urgent_corrections_allowed():
    return getattr(settings, "EDITORIAL_URGENT_CORRECTIONS", False)


def is_own_work(user, article):
    """The owner, whoever submitted it last, and whoever wrote any revision since the
    version readers last got (or an editor last approved) are its authors."""
    if is_owner(user, article):
        return True
    last_submit = article.transitions.filter(action="submit").order_by("-created_at", "-id").first()
    if last_submit and last_submit.user_id == user.pk:
        return True
    reviewed = (
        article.transitions.filter(
            models.Q(action__in=["approve", "publish"]) | models.Q(action="import", to_status=Status.PUBLISHED),
            revision__isnull=False,
        )
        .order_by("-created_at", "-id")
        .values_list("revision__version", flat=True)
        .first()
    )
    written = article.revisions.filter(author=user)
    if reviewed is not None:
        written = written.filter(version__gt=reviewed)
    return written.exists()
