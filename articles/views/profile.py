"""A writer keeps their own page for readers (/authors/<slug>/) from the desk."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from articles import throttling
from articles.forms.library import AuthorProfileForm
from articles.media import images, pictures
from articles.models import AuthorProfile, person_name
from articles.views.access import desk_user_required


@desk_user_required
def profile(request):
    current = AuthorProfile.objects.filter(user=request.user).select_related("picture").first()
    if request.method != "POST":
        initial = {} if current else {"name": person_name(request.user), "slug": request.user.username}
        return render(request, "desk/profile.html", {"form": AuthorProfileForm(instance=current, initial=initial),
                                                     "profile": current})
    form = AuthorProfileForm(request.POST, request.FILES, instance=current)
    if form.is_valid():
        upload = form.cleaned_data["picture_file"]
        picture = None
        if upload and throttling.wait_seconds(request, throttling.UPLOAD):
            form.add_error("picture_file", _("Too many uploads in a short time: try again in a minute."))
        elif upload:
            try:
                picture, _created = images.upload(upload, alt_text=form.cleaned_data["name"], user=request.user)
            except images.ImageRejected as exc:
                form.add_error("picture_file", pictures.rejection_message(exc))
    if form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.user = request.user
            if picture is not None:
                saved.picture = picture
            elif form.cleaned_data["remove_picture"]:
                saved.picture = None
            saved.save()
        messages.success(request, _("Your page is saved. Readers see it at %(url)s.")
                         % {"url": request.build_absolute_uri(saved.get_absolute_url())})
        return redirect("desk:profile")
    messages.error(request, _("Not saved: correct the marked fields."))
    return render(request, "desk/profile.html", {"form": form, "profile": current}, status=400)
