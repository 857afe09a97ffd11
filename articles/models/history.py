"""An article's history: every saved version (revisions), every step of the workflow
(the audit trail) and the desk's comments."""


from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.people import _RemembersName
from articles.models.status import Status
from articles.rendering.markdown import RenderError, plain_paragraphs, render_markdown


class Revision(_RemembersName):
    """A snapshot of an article's content, stored on every save that changes it."""

    PERSON_FIELD = "author"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    author_name = models.CharField(_("author's name"), max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    title = models.CharField(_("title"), max_length=200)
    slug = models.CharField(_("slug"), max_length=200)
    excerpt = models.TextField(_("excerpt"), blank=True)
    body = models.TextField(_("body"), blank=True)
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    category = models.ForeignKey(
        "articles.Category", verbose_name=_("category"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    companies = models.JSONField(_("companies"), default=list)
    topics = models.JSONField(_("topics"), default=list)
    cover = models.ForeignKey(
        "articles.Image", verbose_name=_("cover image"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    restored_from = models.ForeignKey(
        "self", verbose_name=_("restored from"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Saved by the editor on its own while the person typed (the history says so).
    autosaved = models.BooleanField(_("saved automatically"), default=False, editable=False)
    # What the markup checks read of the body's Markdown output (articles/checks/editorial.py
    # ``summarise``), kept with the text it describes so that checking stored articles
    # needs no rendering. None for revisions saved before it was kept.
    markup = models.JSONField(null=True, editable=False)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="unique_revision_version"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    CONTENT_FIELDS = ("title", "slug", "excerpt", "body", "byline", "category", "companies", "topics", "cover")

    def content(self):
        """The content fields as a dict, comparable with another revision's."""
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    def body_html(self):
        """The body as readers would get it: the article's stored rendering when the
        text is the same, else rendered now (desk pages only, never a public one). Text
        that cannot be rendered within the bounds shows as plain paragraphs; the checks
        say why."""
        if self.article.body == self.body:
            return self.article.body_html
        try:
            return render_markdown(self.body)
        except RenderError:
            return plain_paragraphs(self.body)


class Transition(_RemembersName):
    """The audit trail: one row for every change of an article's state."""

    PERSON_FIELD = "user"
    # Entries of the audit trail that record a step without changing the status.
    RECORDS_ONLY = ("revoke_share_links", "feature", "feature_moved", "unfeature", "take_over", "assign",
                    "schedule_unpublish", "cancel_unpublish")

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status)
    to_status = models.CharField(_("to"), max_length=20, choices=Status)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    user_name = models.CharField(_("name of the person"), max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article_id}: {self.action} {self.from_status} → {self.to_status}"

    @classmethod
    def record_step(cls, article, action, user, *, note="", data=None, at=None):
        """An entry for a step that leaves ``article``'s status as it is (a take-over, an
        assignment, the front page, a check stopped): of its working copy, by ``user``."""
        return cls.objects.create(
            article=article, action=action, from_status=article.status, to_status=article.status, user=user,
            revision=article.latest_revision, note=note, data=data or {}, created_at=at or timezone.now(),
        )


class Comment(_RemembersName):
    PERSON_FIELD = "author"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    author_name = models.CharField(_("author's name"), max_length=150, blank=True, editable=False)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:50]


PUBLIC_NOTE_MAX_LENGTH = 1000


class PublicNote(models.Model):
    """What readers are told of a change to a live article: a correction (訂正) or an
    update (追記), published with the version it describes and shown under the article,
    in its feeds, the API and its structured data. Kept: the history of notes stays."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="public_notes")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("note for readers"), max_length=PUBLIC_NOTE_MAX_LENGTH)
    published_at = models.DateTimeField(_("published at"))
    transition = models.OneToOneField(Transition, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="public_note", editable=False)

    class Meta:
        verbose_name = _("note for readers")
        verbose_name_plural = _("notes for readers")
        ordering = ["published_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:50]}"
