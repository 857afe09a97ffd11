"""The picture library's forms: an upload, a picture's words and focal point, and a
writer's own page (their portrait is a library picture)."""


from django import forms
from django.utils.translation import gettext_lazy as _

from articles.forms.fields import ProseField, within_image_size
from articles.models import CAPTION_MAX_LENGTH, AuthorProfile, Image


class ImageUploadForm(forms.Form):
    """A picture for the library, with the words that go with it."""

    file = forms.FileField(label=_("Picture"), help_text=_("JPEG, PNG, WebP, GIF or AVIF."))
    alt_text = ProseField(
        label=_("Alt text"), max_length=300,
        help_text=_("What the picture shows, for readers who cannot see it. Required."),
    )
    caption = ProseField(label=_("Caption"), required=False, max_length=CAPTION_MAX_LENGTH,
                         widget=forms.Textarea(attrs={"rows": 2}))
    credit = ProseField(label=_("Credit"), max_length=200, required=False,
                        help_text=_("Who made it or where it comes from, e.g. 写真：ロイター."))

    def clean_file(self):
        return within_image_size(self.cleaned_data["file"])


class ImageDetailsForm(forms.ModelForm):
    """The words of a library image, and where its crops are centred."""

    class Meta:
        model = Image
        fields = ["alt_text", "caption", "credit", "focal_point_x", "focal_point_y"]
        field_classes = {"alt_text": ProseField, "caption": ProseField, "credit": ProseField}
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 2}),
            "focal_point_x": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.01"}),
            "focal_point_y": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.01"}),
        }

    def clean(self):
        cleaned = super().clean()
        points = [cleaned.get("focal_point_x"), cleaned.get("focal_point_y")]
        if any(point is not None for point in points) and not all(point is not None for point in points):
            raise forms.ValidationError(_("Give both coordinates of the focal point, or neither."))
        if any(point is not None and not 0 <= point <= 1 for point in points):
            raise forms.ValidationError(_("Focal point coordinates run from 0 (left, top) to 1 (right, bottom)."))
        return cleaned


class AuthorProfileForm(forms.ModelForm):
    """A writer's page for readers, as the writer keeps it: name, address, words and a
    picture (uploaded here into the library)."""

    picture_file = forms.FileField(label=_("Picture"), required=False,
                                   help_text=_("A square photo works best. JPEG, PNG, WebP, GIF or AVIF."))
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    class Meta:
        model = AuthorProfile
        fields = ["name", "slug", "bio"]
        field_classes = {"name": ProseField, "bio": ProseField}
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean_picture_file(self):
        return within_image_size(self.cleaned_data["picture_file"])
