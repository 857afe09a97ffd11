"""The desk's front page screen: editors choose the lead story and the stories beside
it, their order and until when (articles/publishing/front_page.py decides)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from articles.forms.desk import FrontPageForm
from articles.models import Article, FrontPageItem
from articles.publishing import front_page, permissions
from articles.publishing.actions import WorkflowError
from articles.reading import front
from articles.views.access import desk_user_required

DONE = {
    "add": gettext_lazy("On the front page."), "until": gettext_lazy("Its time on the front page is changed."),
    "up": gettext_lazy("Moved up."), "down": gettext_lazy("Moved down."),
    "remove": gettext_lazy("Taken off the front page."),
}


@require_http_methods(["GET", "HEAD", "POST"])
@desk_user_required
def arrange(request):
    if not permissions.is_editor(request.user):
        raise PermissionDenied(_("Only an editor may arrange the front page."))
    form = FrontPageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                _apply(form.cleaned_data, request.user)
            except WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, DONE[form.cleaned_data["action"]])
                return redirect("desk:front-page")
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    items = list(FrontPageItem.objects.select_related("article").order_by("position", "id"))
    shown = set(front.chosen_ids())
    candidates = (Article.objects.published().exclude(front_page_item__isnull=False)
                  .order_by("-published_at", "-id").only("pk", "title", "published_at")[:50])
    return render(request, "desk/front_page.html", {
        "items": items, "shown": shown, "candidates": candidates, "form": form, "places": front.SHOWN,
    }, status=200 if request.method != "POST" or form.is_valid() else 400)


def _apply(data, user):
    article, action = data["article"], data["action"]
    if action in ("add", "until"):
        front_page.feature(article, user, until=data["until"])
    elif action in ("up", "down"):
        front_page.move(article, user, -1 if action == "up" else 1)
    else:
        front_page.unfeature(article, user)
