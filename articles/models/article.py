"""The article: its live columns (what readers get), its working copy (the latest
revision), its state in the workflow, and what readers saw of a row for the page cache."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles.converters import dated_address
from articles.models.queries import ArticleQuerySet
from articles.models.status import Status
from articles.models.tags import TaggedCompany, TaggedTopic
from articles.rendering.markdown import render_markdown
from articles.rendering.plain_text import html_to_text, reading_time_minutes


def new_preview_key():
    return secrets.token_hex(16)


class Article(models.Model):
    Status = Status

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_("The last part of the article's address, e.g. trainium2 or 生成ai-入門."),
    )
    excerpt = models.TextField(
        _("excerpt"),
        blank=True,
        help_text=_("One or two sentences shown in lists and search results. Not the title again."),
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, default="")
    byline = models.CharField(
        _("byline"),
        max_length=200,
        blank=True,
        help_text=_("The credit readers see, e.g. ALLFORCES編集部. Not necessarily the account that wrote it."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    category = models.ForeignKey(
        "articles.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    companies = TaggableManager(
        verbose_name=_("companies"),
        through=TaggedCompany,
        related_name="articles",
        blank=True,
        help_text=_("Companies the article is about, separated by commas."),
    )
    topics = TaggableManager(
        verbose_name=_("topics"),
        through=TaggedTopic,
        related_name="articles",
        blank=True,
        help_text=_("Subjects the article covers, separated by commas."),
    )
    cover = models.ForeignKey(
        "articles.Image",
        verbose_name=_("cover image"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Shown above the article, on list cards and when the article is shared."),
    )
    # Only the workflow writes the status; forms and the admin never offer it.
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("A future time schedules the article: readers see it from then on."),
    )
    # The end of an embargo or of a notice's time: readers stop seeing the article then
    # (articles/publishing/expiry.py takes it down, through the audit trail).
    unpublish_at = models.DateTimeField(
        _("end of publication"), null=True, blank=True, editable=False,
        help_text=_("Readers no longer see the article from this time on."),
    )
    # Who is to edit the article and by when (the owner writes it): the dashboard and
    # calendar show them (articles/publishing/assignments.py).
    assigned_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned editor"), on_delete=models.SET_NULL, null=True,
        blank=True, editable=False, related_name="+",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    reading_time = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), default=1, editable=False
    )
    # What an imported file claimed; kept for reference, never shown as the truth.
    source_reading_time = models.PositiveIntegerField(
        _("reading time claimed by the source"), null=True, blank=True, editable=False
    )
    jekyll_key = models.CharField(
        _("Jekyll post"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Where the Jekyll post this article was imported from lives in its site."),
    )
    jekyll_permalink = models.CharField(
        _("Jekyll permalink"), max_length=255, blank=True, editable=False
    )
    # What the last import was made of (the file, the site's configuration, data and
    # includes, the addresses given): the same again needs no work at all.
    jekyll_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Front-matter keys the importer does not map, kept so that an export gives them back.
    jekyll_front_matter = models.JSONField(_("other Jekyll front matter"), default=dict, blank=True, editable=False)
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("The language the article is written in (ja, en…); empty means the site's language."),
    )
    # Articles sharing a key are translations of one another (hreflang links).
    translation_key = models.CharField(_("translation key"), max_length=255, blank=True, db_index=True,
                                       editable=False)
    # What search reads: normalised title, excerpt, body text and tags of what readers
    # see (articles/reading/search.py), kept in step whenever the content changes.
    search_text = models.TextField(editable=False, default="")
    # The same text in Sudachi's normalised forms (articles/reading/search.py).
    search_forms = models.TextField(editable=False, default="")
    # The body as plain text, one paragraph a line: what search results quote.
    body_text = models.TextField(editable=False, default="")
    # Optimistic locking: every save of the working copy bumps it, and a save made
    # against an older number is refused instead of overwriting someone else's work.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    latest_revision = models.ForeignKey(
        "articles.Revision",
        verbose_name=_("working copy"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    # What readers see. The article's own columns hold this revision's content while
    # it is set, and the working copy's content while it is not.
    published_revision = models.ForeignKey(
        "articles.Revision",
        verbose_name=_("live revision"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    last_published_at = models.DateTimeField(_("last published at"), null=True, editable=False)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, editable=False)
    # Part of every shareable preview link; replacing it revokes the links given out.
    preview_key = models.CharField(max_length=32, default=new_preview_key, editable=False)
    # The editor page that made the article (ArticleForm.creation_key): one page, one article.
    creation_key = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    # The words (alt text, caption, credit) of the pictures the live version shows, as the
    # editor who approved it read them: a later edit in the library reaches readers only
    # through a new approved version. {"42": {"alt": …, "caption": …, "credit": …}}
    picture_words = models.JSONField(default=dict, blank=True, editable=False)
    # Writing rules an editor stopped for this article ("writing.hedging"…), each with
    # its reason in the audit trail (workflow.silence_rule).
    silenced_rules = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [
            ("review_article", _("Can review, approve, publish and unpublish any article")),
        ]
        indexes = [
            # A category's newest live articles, read in order from the index (and its
            # count of them, from the index alone).
            models.Index(fields=["category", "-published_at", "-id"], name="article_category_live",
                         condition=models.Q(published_revision__isnull=False)),
            # Serves published() ordered by date: the home page and every listing.
            # Exactly the lists' order (id breaks ties), so that a list reads the index in
            # order and stops at its page: a partial match makes PostgreSQL sort in
            # batches, which for a short list reads the whole index.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(published_revision__isnull=False),
                name="article_live_newest",
            ),
            models.Index(fields=["status", "status_changed_at"], name="article_status_idx"),
            # The next end of publication to come (reading/caching.py asks on every new generation).
            models.Index(fields=["unpublish_at"], name="article_unpublish_due",
                         condition=models.Q(unpublish_at__isnull=False)),
            # The desk's list, last updated first: its first page read from the index,
            # not every article sorted (and each one's last action looked up) per request.
            models.Index(fields=["-updated_at", "-id"], name="article_desk_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[choice.value for choice in Status]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.PUBLISHED) | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(published_revision__isnull=True) | models.Q(published_at__isnull=False),
                name="article_live_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    # The body (and pictures' words) that this instance's body_html was rendered from, as
    # loaded or as last rendered: saving without a change of them (a status change, a new
    # version number) renders nothing.
    _rendered_body = None

    def save(self, *args, **kwargs):
        rendered = self._rendering_source()
        if rendered != self._rendered_body:
            self.body_html = render_markdown(self.body, rendered[1])
            self.body_text = html_to_text(self.body_html)
            self.reading_time = reading_time_minutes(self.body_text)
            self._rendered_body = rendered
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "body_text", "reading_time"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The date in the address is the publication day in the site's time zone. An
        # article not yet dated gets today's, which answers 404 until it is published.
        day = timezone.localtime(self.published_at or timezone.now()).date()
        return dated_address("articles:detail", day, self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if {"body", "picture_words", "published_revision_id"} <= instance.__dict__.keys():
            instance._rendered_body = instance._rendering_source()
        # The row as loaded, kept as it came: what readers saw of it is worked out only
        # if the article is saved (list pages and sitemaps load thousands and save none).
        instance._public_snapshot = (field_names, values)
        return instance

    # Columns no reader sees: saving only these keeps readers' pages (articles/reading/caching.py).
    DESK_ONLY_COLUMNS = frozenset({
        "version", "latest_revision", "updated_at", "status", "status_changed_at", "jekyll_fingerprint",
        "jekyll_front_matter", "source_reading_time", "owner", "creation_key", "preview_key",
        "unpublish_at", "assigned_editor", "due_at",
    })

    @classmethod
    def _desk_only_attnames(cls):
        return {field.attname for field in cls._meta.concrete_fields if field.name in cls.DESK_ONLY_COLUMNS}

    def _public_columns(self, pairs=None):
        desk_only = self._desk_only_attnames()
        pairs = pairs if pairs is not None else ((field.attname, self.__dict__[field.attname])
                                                 for field in self._meta.concrete_fields
                                                 if field.attname in self.__dict__)
        return {name: value for name, value in pairs if name not in desk_only}

    def _snapshot(self):
        snapshot = getattr(self, "_public_snapshot", None)
        if isinstance(snapshot, tuple):  # the row as from_db had it
            snapshot = self._public_snapshot = self._public_columns(zip(*snapshot, strict=True))
        return snapshot

    def remember_public_columns(self):
        """Note what readers see of this row now (as loaded, or as just saved)."""
        self._public_snapshot = self._public_columns()

    def stored_directly(self, **values):
        """Set columns that were just written by an UPDATE of their own (no save, so no
        signal): they are no news for the next save."""
        snapshot = self._snapshot()
        for name, value in values.items():
            setattr(self, name, value)
            if snapshot is not None and name in snapshot:
                snapshot[name] = value

    def public_columns_changed(self):
        """Whether a column readers see differs from when the row was loaded or last
        noted; True for a row not loaded from the database."""
        snapshot = self._snapshot()
        return snapshot is None or snapshot != self._public_columns()

    def _rendering_source(self):
        # The pictures' words matter only to a body that shows a library picture.
        return self.body, (self.shown_words if "image:" in self.body else None)

    @property
    def company_list(self):
        """The article's companies, in the order given: from ``for_listing()``'s prefetch
        when there was one, else one query."""
        rows = getattr(self, "_company_rows", None)
        return [row.tag for row in rows] if rows is not None else list(self.companies.all())

    @property
    def topic_list(self):
        rows = getattr(self, "_topic_rows", None)
        return [row.tag for row in rows] if rows is not None else list(self.topics.all())

    def canonical_path(self):
        """The article's one address for search engines, redirects and mail: the default
        language's, whichever is active (``get_absolute_url`` gives /en/… in English)."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.get_absolute_url()

    @property
    def modified_at(self):
        return self.modified(self.published_at, self.last_published_at)

    @staticmethod
    def modified(published_at, last_published_at):
        """When readers last got a new version: an update after the first publication
        (for an article's row as plain values too: the sitemap reads no models)."""
        return max(filter(None, [published_at, last_published_at]), default=None)

    @property
    def updated_at_shown(self):
        """The time to show readers as 「更新」, or None: only a new version given them
        after the first publication counts, not the seconds between a publication's
        scheduled minute and the moment it was made."""
        if self.last_published_at and self.published_at and \
                self.last_published_at - self.published_at >= dt.timedelta(minutes=1):
            return self.last_published_at
        return None

    @property
    def shown_words(self):
        """The pictures' words readers get with the body: those approved, while live."""
        return self.picture_words if self.published_revision_id else None

    @property
    def cover_alt(self):
        """The cover's alt text as readers get it."""
        if self.cover is None:
            return ""
        return (self.shown_words or {}).get(str(self.cover_id), {}).get("alt", self.cover.alt_text)

    @property
    def is_live(self):
        """Readers see it now, or will when its scheduled time comes."""
        return self.published_revision_id is not None

    @property
    def is_public(self):
        now = timezone.now()
        return (self.is_live and self.published_at is not None and self.published_at <= now
                and (self.unpublish_at is None or self.unpublish_at > now))

    @property
    def is_overdue(self):
        """Assigned with a due time that has passed, and not out yet."""
        return self.due_at is not None and self.due_at < timezone.now() and not self.is_live

    @property
    def is_scheduled(self):
        return self.is_live and self.published_at is not None and self.published_at > timezone.now()

    @property
    def state_label(self):
        """The status as the desk says it: a scheduled article is 予約済み with its time,
        not 公開中 (its status until the time comes)."""
        if self.is_scheduled:
            when = date_format(timezone.localtime(self.published_at), "SHORT_DATETIME_FORMAT")
            return _("scheduled, %(when)s") % {"when": when}
        return self.get_status_display()

    @property
    def author_profile(self):
        """The owner's page for readers, if they have one (needs the owner selected)."""
        owner = self.owner if self.owner_id else None
        return getattr(owner, "author_profile", None) if owner is not None else None

    @property
    def credited_name(self):
        """Whom readers see as the author: the byline, else the writer's public name
        (needs the owner's profile selected); "" when neither is given (the site is)."""
        profile = self.author_profile
        return self.byline or (profile.name if profile else "")

    @property
    def changes_requested(self):
        """A draft sent back by an editor, not yet touched by a newer step (needs
        ``with_last_action()``)."""
        return self.status == Status.DRAFT and getattr(self, "last_action", None) == "request_changes"

    @property
    def working_copy(self):
        """The latest revision: what writers and editors are working on."""
        return self.latest_revision
