"""The desk's inbox: what happened to the articles a person writes or reviews."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.models import Notification
from articles.publishing import notifications
from articles.views.access import desk_user_required

PER_PAGE = 30


@desk_user_required
def inbox(request):
    lines = (
        Notification.objects.filter(recipient=request.user)
        .select_related("article__latest_revision", "transition", "comment")
    )
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "desk/inbox.html", {"page_obj": page})


@desk_user_required
def open_notification(request, pk):
    notification = get_object_or_404(Notification.objects.select_related("transition"), pk=pk,
                                     recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notifications.desk_page(notification.kind)
    anchor = "#comments" if notification.comment_id else ""
    return redirect(reverse(f"desk:{target}", kwargs={"pk": notification.article_id}) + anchor)


@require_POST
@desk_user_required
def mark_all_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("desk:inbox")
