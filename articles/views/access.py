"""Who may open which desk page. Object-level checks live in articles/publishing/workflow.py."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from articles.models import Article
from articles.publishing import editing, permissions


def desk_user_required(view):
    """Logged in, and a writer or an editor."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (permissions.is_writer(request.user) or permissions.is_editor(request.user)):
            raise PermissionDenied(_("Your account has no role in the desk. Ask an editor to add you."))
        return view(request, *args, **kwargs)

    return wrapped


def articles_known_to(user):
    """Articles whose content ``user`` may know of: every one for an editor; for a writer,
    their own and the published ones (another writer's private draft is not among them)."""
    if permissions.is_editor(user):
        return Article.objects.all()
    return Article.objects.filter(Q(owner=user) | Q(pk__in=Article.objects.published().values("pk")))


def article_for(request, pk, *, for_edit=False):
    """The article, if this user may see it in the desk; another writer's is a 404."""
    article = get_object_or_404(
        Article.objects.select_related("owner", "category", "latest_revision__category", "published_revision"),
        pk=pk,
    )
    if not permissions.can_view(request.user, article):
        raise Http404(_("No such article."))
    if for_edit and not permissions.can_edit(request.user, article):
        if article.status == Article.Status.UNPUBLISHED:
            raise PermissionDenied(_("This article is unpublished. Move it back to draft to edit it."))
        raise PermissionDenied(
            _("This article is %(status)s: only an editor can change it now. Withdraw it to edit it yourself.")
            % {"status": article.get_status_display()}
        )
    return article


def made_by_this_page(request):
    """The article an editor page for a new article has made already (its first autosave
    or save), from the page's ``creation_key``; or None."""
    key = request.POST.get("creation_key", "")
    if not key:
        return None
    return Article.objects.filter(creation_key=key, owner=request.user).first()


def create_once(request, form, *, autosaved=False):
    """``(article, created)``: a new article from a valid editor ``form``, made once per
    editor page. When another request of the same page made it meanwhile (a save racing
    the first autosave), that article, not yet saved with this form's content."""
    key = form.cleaned_data.get("creation_key") or None
    try:
        with transaction.atomic():
            return editing.create_article(form.content(), request.user, autosaved=autosaved, creation_key=key), True
    except IntegrityError:
        made = made_by_this_page(request)
    if made is None:  # someone else's page's key: not this page's, so no key
        return editing.create_article(form.content(), request.user, autosaved=autosaved), True
    return made, False
