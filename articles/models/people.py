"""The people in the desk as the records name them: who did what (names kept when an
account goes), writers' public pages, who has an article open, and each person's inbox."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.converters import slug_address
from articles.rendering.text import fold_slug, slug_skeleton, validate_no_control_characters


def person_name(user):
    """How the desk names someone: full name, else username."""
    return user.get_full_name() or user.get_username()


class _RemembersName(models.Model):
    """A record that keeps the name of the person it points to, so that deleting the
    account (the foreign key goes null) does not erase who did what."""

    PERSON_FIELD = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        person = getattr(self, self.PERSON_FIELD)
        name_field = f"{self.PERSON_FIELD}_name"
        if person is not None and not getattr(self, name_field):
            setattr(self, name_field, person_name(person)[:150])
        super().save(*args, **kwargs)


class Notification(models.Model):
    """One line in a person's inbox in the desk: something happened to an article they
    write or review (the same events the email tells of, for everyone, email or not)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    article = models.ForeignKey("articles.Article", verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="+")
    # Exactly one of these says what happened.
    transition = models.ForeignKey("articles.Transition", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+")
    comment = models.ForeignKey("articles.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="inbox_newest"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="inbox_unread"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transition__isnull=False, comment__isnull=True)
                | models.Q(transition__isnull=True, comment__isnull=False),
                name="notification_of_one_event",
            )
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.kind} on {self.article_id}"

    @property
    def kind(self):
        return "comment" if self.comment_id else self.transition.action

    @property
    def event(self):
        return self.comment if self.comment_id else self.transition

    @property
    def note(self):
        """What the person wrote: the comment, or the note given with the action."""
        return self.comment.body if self.comment_id else self.transition.note


class EditingPresence(models.Model):
    """Who has an article open in the editor, as of their page's last sign of life: the
    desk warns others before two people collide."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("open editor")
        verbose_name_plural = _("open editors")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_editor")]

    def __str__(self):
        return f"{self.user_id} on {self.article_id}"


class EditLock(models.Model):
    """Who may type in an article now: the person whose editor page took it, as long as
    the page keeps saying it is open. Others read; one of them may take it over
    (articles/publishing/locks.py)."""

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("editing lock")
        verbose_name_plural = _("editing locks")

    def __str__(self):
        return f"{self.user_id} on {self.article_id}"


# Author addresses no writer may take: they would pass for the desk, the site or its staff.
RESERVED_AUTHOR_SLUGS = frozenset({
    "admin", "administrator", "editor", "editors", "desk", "editorial", "staff", "team", "root", "system",
    "official", "support", "news", "api", "feed", "en", "ja", "www", "編集部", "編集長", "公式",
})


class AuthorProfile(models.Model):
    """A writer as readers meet them: a page with their name, picture, words about them
    and their articles. Bylines of their articles link there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="author_profile"
    )
    name = models.CharField(_("name shown to readers"), max_length=100, validators=[validate_no_control_characters])
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True,
                            help_text=_("The page's address: /authors/<slug>/."))
    bio = models.TextField(
        _("about"), blank=True, help_text=_("A few sentences about the writer, shown on their page.")
    )
    picture = models.ForeignKey("articles.Image", verbose_name=_("picture"), on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")

    class Meta:
        verbose_name = _("author profile")
        verbose_name_plural = _("author profiles")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("articles:author", self.slug)

    def clean(self):
        # Stored as readers type it; refused when it would pass for the site or for
        # another writer (ＷＲＩＴＥＲ, Writer and writ3r are not three people).
        self.slug = fold_slug(self.slug or "")
        skeleton = slug_skeleton(self.slug)
        if skeleton in {slug_skeleton(word) for word in RESERVED_AUTHOR_SLUGS}:
            raise ValidationError({"slug": _("“%(slug)s” is kept for the site itself. Choose another address.")
                                   % {"slug": self.slug}})
        others = AuthorProfile.objects.exclude(pk=self.pk).values_list("slug", flat=True)
        taken = next((other for other in others if other != self.slug and slug_skeleton(other) == skeleton), None)
        if taken is not None:
            raise ValidationError({"slug": _("“%(slug)s” looks like another writer's address (“%(taken)s”). Choose "
                                             "one that readers cannot mistake.") % {"slug": self.slug, "taken": taken}})
