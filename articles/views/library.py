"""The image library in the desk: upload (from the editor or here), find, describe, reuse,
delete. The pixel work and the rules live in articles/media/images.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import throttling
from articles.forms.library import ImageDetailsForm, ImageUploadForm
from articles.media import images, pictures
from articles.models import Article, Image
from articles.publishing import permissions
from articles.views.access import articles_known_to, desk_user_required

PAGE_SIZE = 24


def _may_change(user, image):
    return permissions.is_editor(user) or image.uploaded_by_id == user.pk


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@desk_user_required
def library(request):
    """The grid: search by alt text, caption and credit; only mine; only unused. With
    ``picker=1``, just the grid, for the editor's dialog."""
    query = request.GET.get("q", "").strip()[:100]
    show = request.GET.get("show", "")
    found = Image.objects.annotate(use_count=Count("uses")).order_by("-created_at", "-id")
    if query:
        found = found.filter(Q(alt_text__icontains=query) | Q(caption__icontains=query) | Q(credit__icontains=query))
    if show == "mine":
        found = found.filter(uploaded_by=request.user)
    elif show == "unused":
        found = found.filter(use_count=0)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page, "query": query, "show": show,
        "cards": [(image, pictures.image_data(image)) for image in page],
    }
    if request.GET.get("picker"):
        return render(request, "desk/_image_grid.html", {**context, "picker": True})
    return render(request, "desk/library.html", {**context, "form": ImageUploadForm()})


@require_POST
@desk_user_required
def upload(request):
    """Store a picture: JSON for the editor (``Accept: application/json``), else back to
    the library. A refused file says why and stores nothing."""
    form = ImageUploadForm(request.POST, request.FILES)
    refused_status = 400
    wait = throttling.wait_seconds(request, throttling.UPLOAD)
    if wait:
        form.add_error(None, _("Too many uploads in a short time: try again in %(seconds)d s.") % {"seconds": wait})
    elif form.is_valid():
        data = form.cleaned_data
        try:
            image, created = images.upload(
                data["file"], alt_text=data["alt_text"], caption=data["caption"], credit=data["credit"],
                user=request.user,
            )
        except images.ImageRejected as exc:
            form.add_error("file", pictures.rejection_message(exc))
            refused_status = 503 if exc.code in ("not_stored", "busy") else 400
        else:
            return _uploaded(request, image, created)
    if _wants_json(request):
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        return JsonResponse({"error": " ".join(errors)}, status=429 if wait else refused_status)
    messages.error(request, _("The picture was not added: see below."))
    return render(request, "desk/library.html", {
        "form": form, "page_obj": None, "cards": [], "query": "", "show": "",
    }, status=429 if wait else refused_status)


def _uploaded(request, image, created):
    if _wants_json(request):
        data = pictures.image_data(image)
        return JsonResponse({
            "id": image.pk, "markdown": image.markdown, "alt": image.alt_text, "created": created,
            # A picture being made has no thumbnail yet; the preview shows it once it has.
            "state": image.state, "label": data.get("label", ""),
            "thumbnail": data["thumb_fallback"][0][0] if image.is_ready else None,
            "url": reverse("desk:image", kwargs={"pk": image.pk}),
        }, status=201 if created else 200)
    if created and not image.is_ready:
        messages.success(request, _("The picture is in the library. It is being made ready: this takes a few "
                                    "seconds, up to a minute for a large one."))
    elif created:
        messages.success(request, _("The picture is in the library."))
    else:
        messages.info(request, _("This picture was already in the library: here it is."))
    return redirect("desk:image", pk=image.pk)


@desk_user_required
def image_detail(request, pk):
    image = get_object_or_404(Image, pk=pk)
    may_change = _may_change(request.user, image)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(_("Only the uploader or an editor may change this picture."))
        before = (image.alt_text, image.caption, image.credit, image.focal_point)
        form = ImageDetailsForm(request.POST, instance=image)
        if form.is_valid():
            image = form.save()
            if image.focal_point != before[3] and image.focal_point is not None:
                images.set_focal_point(image, *image.focal_point)
            live = []
            if (image.alt_text, image.caption, image.credit) != before[:3]:
                images.picture_changed(image)
                live = [article.title for article in images.live_articles_using(image)]
            if live:
                messages.warning(request, _(
                    "Saved. Drafts show the new words. Published articles keep the words they were approved with "
                    "until a new version of each is approved: %(titles)s.") % {"titles": _(", ").join(live)})
            else:
                messages.success(request, _("Saved. Articles showing this picture show the new words."))
            return redirect("desk:image", pk=image.pk)
    else:
        form = ImageDetailsForm(instance=image)
    visible = articles_known_to(request.user)
    uses = Article.objects.filter(image_uses__image=image)
    return render(request, "desk/image_detail.html", {
        "image": image, "data": pictures.image_data(image), "form": form, "may_change": may_change,
        # Another writer's private draft is counted, never named.
        "uses": uses.filter(pk__in=visible.values("pk")).order_by("-updated_at"),
        "live_uses": images.live_articles_using(image).filter(pk__in=visible.values("pk")),
        "hidden_uses": uses.exclude(pk__in=visible.values("pk")).count(),
    })


@require_POST
@desk_user_required
def image_delete(request, pk):
    image = get_object_or_404(Image, pk=pk)
    if not _may_change(request.user, image):
        raise PermissionDenied(_("Only the uploader or an editor may delete this picture."))
    try:
        images.delete(image)
    except ProtectedError:
        messages.error(request, _("This picture is still used by an article (as its cover or in its text). "
                                  "Take it out of them first."))
        return redirect("desk:image", pk=pk)
    messages.success(request, _("The picture was deleted."))
    return redirect("desk:library")
