"""The picture library: pictures (being made, ready or failed), the uploaded originals
the task worker makes them from, and where each picture is used."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.people import _RemembersName
from articles.rendering.text import validate_no_control_characters


def image_upload_name(instance, filename):
    # A random name: nothing of the uploader's file name (or its language) reaches a URL.
    token = secrets.token_hex(12)
    return f"images/{token[:2]}/{token}{filename[filename.rfind('.'):]}"


# A caption is a sentence or two under a picture, not an article of its own.
CAPTION_MAX_LENGTH = 500


class Image(_RemembersName):
    """A picture in the library: the re-encoded upload (``file``) and its renditions, made
    once (``renditions``: name → {"name", "width", "height", "format"}).

    An upload from the desk is ``PROCESSING`` until the task worker has made them (the
    request only checks the file's header and keeps the bytes in ``UploadedOriginal``):
    then ``READY``, or ``FAILED`` with the reason in ``failure``. Readers only ever get
    ready pictures; the checks hold back an article that shows one that is not."""

    PERSON_FIELD = "uploaded_by"

    class State(models.TextChoices):
        PROCESSING = "processing", _("processing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    file = models.FileField(_("file"), upload_to=image_upload_name, max_length=200, editable=False, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READY,
                             editable=False, db_index=True)
    # An ImageRejected code (articles/media/imaging.py): why the picture could not be made.
    failure = models.CharField(_("why it failed"), max_length=30, blank=True, editable=False)
    format = models.CharField(_("format"), max_length=10, editable=False)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    animated = models.BooleanField(_("animated"), default=False, editable=False)
    file_size = models.PositiveIntegerField(_("file size"), editable=False)
    # Of the bytes uploaded: the same file uploaded twice is one image.
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Of the stored file: the library's own copy coming back (an export imported again,
    # a picture saved from the site) is the same image too.
    file_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    renditions = models.JSONField(default=dict, editable=False)
    alt_text = models.CharField(
        _("alt text"), max_length=300, validators=[validate_no_control_characters],
        help_text=_("What the picture shows, for readers who cannot see it (read aloud by screen readers)."),
    )
    caption = models.TextField(_("caption"), blank=True, max_length=CAPTION_MAX_LENGTH,
                               help_text=_("Shown under the picture."))
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, validators=[validate_no_control_characters],
        help_text=_("Who made it or where it comes from, e.g. 写真：ロイター."),
    )
    focal_point_x = models.FloatField(_("focal point (across)"), null=True, blank=True)
    focal_point_y = models.FloatField(_("focal point (down)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True,
        related_name="+", editable=False,
    )
    uploaded_by_name = models.CharField(max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.alt_text

    @property
    def is_ready(self):
        return self.state == self.State.READY

    @property
    def markdown(self):
        """How a body refers to this image (``![alt](image:42)``)."""
        alt = self.alt_text.replace("[", "［").replace("]", "］")
        return f"![{alt}](image:{self.pk})"

    @property
    def focal_point(self):
        if self.focal_point_x is None or self.focal_point_y is None:
            return None
        return (self.focal_point_x, self.focal_point_y)


# How many of each tag's newest articles are candidates for "related articles".


class UploadedOriginal(models.Model):
    """The bytes of an upload waiting for the task worker: in the database, so that any
    worker on any machine can take it up and it never sits where the web server serves
    files. Deleted once the picture is made (or has failed)."""

    image = models.OneToOneField(Image, on_delete=models.CASCADE, related_name="original")
    data = models.BinaryField()
    # Times the worker found the machine too busy to make it; it tries again later.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("uploaded original")
        verbose_name_plural = _("uploaded originals")

    def __str__(self):
        return f"original of {self.image_id}"


class ImageUse(models.Model):
    """An image the working copy or the live version of an article shows (cover or
    body). While one exists, the image cannot be deleted."""

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="uses")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="image_uses")

    class Meta:
        verbose_name = _("image use")
        verbose_name_plural = _("image uses")
        constraints = [models.UniqueConstraint(fields=["image", "article"], name="unique_image_use")]

    def __str__(self):
        return f"{self.image_id} in {self.article_id}"
