import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .converters import dated_address, slug_address
from .rendering import RenderError, html_to_text, plain_paragraphs, reading_time_minutes, render_markdown
from .tags import CompanyTag, TaggedCompany, TaggedTopic, TopicTag
from .text import fold_slug, lines, slug_skeleton, validate_no_control_characters

__all__ = ["Article", "Category", "CompanyTag", "Status", "TaggedCompany", "TaggedTopic", "TopicTag"]


def new_preview_key():
    return secrets.token_hex(16)


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


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_no_control_characters])
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        help_text=_("Part of the category's address; Japanese is fine (e.g. ai技術ガイド)."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("articles:category", self.slug)


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
    # An ImageRejected code (articles/imaging.py): why the picture could not be made.
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
RELATED_CANDIDATES = 100


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only definition of "a reader may see this": it has a live revision and is due.

        An article with a live revision keeps it while a newer working copy goes through
        review again, whatever that copy's status; unpublishing removes the live revision.
        """
        # The application's clock, not the database's: one clock for the whole app,
        # and one that tests can move.
        return self.filter(published_revision__isnull=False, published_at__lte=timezone.now())

    def scheduled(self, after=None):
        """Articles that will go live by themselves: a live revision whose time is still to
        come (after now, or ``after``: a time or an expression). With ``published()``,
        every article readers see or will see."""
        return self.filter(published_revision__isnull=False,
                           published_at__gt=timezone.now() if after is None else after)

    def related_to(self, article, limit=4):
        """Published articles sharing the most tags with ``article``, newest first among
        equals: one query, whatever the number of tags, and bounded work whatever the
        size of the archive: the candidates are the newest RELATED_CANDIDATES articles
        of each tag (from an index), not every article that shares one."""
        from .tags import TaggedCompany, TaggedTopic

        company_ids = [tag.pk for tag in article.company_list]
        topic_ids = [tag.pk for tag in article.topic_list]
        if not company_ids and not topic_ids:
            return self.none()
        # Each tag's newest candidates, read from its index (company_tag_newest…), as
        # one subquery whose size the database knows (at most RELATED_CANDIDATES a tag).
        parts, params = [], []
        for through, tag_ids in ((TaggedCompany, company_ids), (TaggedTopic, topic_ids)):
            for tag_id in tag_ids:
                parts.append(
                    f"SELECT * FROM (SELECT content_object_id FROM {through._meta.db_table} WHERE tag_id = %s "  # noqa: S608
                    f"ORDER BY content_object_id DESC LIMIT {int(RELATED_CANDIDATES)}) AS c{len(parts)}"
                )
                params.append(tag_id)
        candidates = models.Q(pk__in=RawSQL(" UNION ALL ".join(parts), params))  # noqa: S611 (our tables, ids as parameters)
        shared = models.Count(
            "tagged_companies", filter=models.Q(tagged_companies__tag__in=company_ids), distinct=True
        ) + models.Count("tagged_topics", filter=models.Q(tagged_topics__tag__in=topic_ids), distinct=True)
        return (
            self.published()
            .filter(candidates)
            .select_related("cover")
            .defer("body", "body_html", "body_text", "search_text")
            .exclude(pk=article.pk)
            .annotate(shared_tags=shared)
            .order_by("-shared_tags", "-published_at", "-id")[:limit]
        )

    def with_last_action(self):
        """Each article with ``last_action``: the latest entry of its audit trail (the desk
        marks a draft sent back with changes requested)."""
        latest = (Transition.objects.filter(article=models.OuterRef("pk")).exclude(action__in=Transition.RECORDS_ONLY)
                  .order_by("-created_at", "-id"))
        return self.annotate(last_action=models.Subquery(latest.values("action")[:1]))

    def with_tag(self, field, tag, *, common):
        """Articles carrying ``tag`` (``field``: "companies" or "topics"). For a tag on
        many articles (``common``), the newest are found by walking the date index and
        checking each: the join, which reads every row of the tag and sorts them, is
        the right plan only for a rare one (measured: benchmarks/scale.py)."""
        if not common:
            return self.filter(**{field: tag})
        through = self.model._meta.get_field(field).remote_field.through
        return self.filter(models.Exists(through.objects.filter(content_object=models.OuterRef("pk"), tag=tag)))

    def for_listing(self, *, with_html=False, with_text=False):
        """What a list of article cards prints, in a fixed number of queries, without the
        columns it does not print (the Markdown, the search text and, unless asked for
        by a page that shows them, the HTML and the plain text: most of a row's bytes)."""
        deferred = ("body", "search_text")
        if not with_html:
            deferred += ("body_html",)
        if not with_text:
            deferred += ("body_text",)
        # The tags through their rows, into plain lists (Article.company_list): taggit's
        # own prefetch builds a queryset per article, a third of a list page's time.
        return self.select_related("category", "cover", "owner__author_profile__picture").prefetch_related(
            models.Prefetch("tagged_companies", queryset=TaggedCompany.objects.select_related("tag").order_by("pk"),
                            to_attr="_company_rows"),
            models.Prefetch("tagged_topics", queryset=TaggedTopic.objects.select_related("tag").order_by("pk"),
                            to_attr="_topic_rows"),
        ).defer(*deferred)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


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
        Category,
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
        Image,
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
    # see (articles/search.py), kept in step whenever the content changes.
    search_text = models.TextField(editable=False, default="")
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

    # Columns no reader sees: saving only these keeps readers' pages (articles/caching.py).
    DESK_ONLY_COLUMNS = frozenset({
        "version", "latest_revision", "updated_at", "status", "status_changed_at", "jekyll_fingerprint",
        "jekyll_front_matter", "source_reading_time", "owner", "creation_key", "preview_key",
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
        """When readers last got a new version: an update after the first publication."""
        return max(filter(None, [self.published_at, self.last_published_at]), default=None)

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
        return self.is_live and self.published_at is not None and self.published_at <= timezone.now()

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
    def changes_requested(self):
        """A draft sent back by an editor, not yet touched by a newer step (needs
        ``with_last_action()``)."""
        return self.status == Status.DRAFT and getattr(self, "last_action", None) == "request_changes"

    @property
    def working_copy(self):
        """The latest revision: what writers and editors are working on."""
        return self.latest_revision


class Revision(_RemembersName):
    """A snapshot of an article's content, stored on every save that changes it."""

    PERSON_FIELD = "author"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
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
        Category, verbose_name=_("category"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    companies = models.JSONField(_("companies"), default=list)
    topics = models.JSONField(_("topics"), default=list)
    cover = models.ForeignKey(
        Image, verbose_name=_("cover image"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    restored_from = models.ForeignKey(
        "self", verbose_name=_("restored from"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Saved by the editor on its own while the person typed (the history says so).
    autosaved = models.BooleanField(_("saved automatically"), default=False, editable=False)
    # What the markup checks read of the body's Markdown output (articles/checks.py
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
    RECORDS_ONLY = ("revoke_share_links",)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
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


class Comment(_RemembersName):
    PERSON_FIELD = "author"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
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


class Redirect(models.Model):
    """An old public address of an article: its Jekyll URL, or where it was before its
    slug or date changed. Answers 301 to where the article is now."""

    old_path = models.CharField(_("old path"), max_length=500, unique=True,
                                help_text=_("A path on this site, e.g. /ai/2025/12/25/trainium2.html"))
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        ordering = ["old_path"]

    def __str__(self):
        return self.old_path


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
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="image_uses")

    class Meta:
        verbose_name = _("image use")
        verbose_name_plural = _("image uses")
        constraints = [models.UniqueConstraint(fields=["image", "article"], name="unique_image_use")]

    def __str__(self):
        return f"{self.image_id} in {self.article_id}"


class PublicGeneration(models.Model):
    """One row counting the changes readers could see. Stored pages are filed under
    its value (articles/caching.py); the database holds it so that every process, and
    every management command, agrees on it with the change itself."""

    counter = models.PositiveBigIntegerField(default=0)
    # Scheduled articles that came due up to this moment have been announced to the pages
    # that show them (articles/reader_changes.py).
    due_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("generation of public pages")
        verbose_name_plural = _("generations of public pages")

    def __str__(self):
        return str(self.counter)


class PublicArea(models.Model):
    """A part of what readers see, with its own count of changes: one article
    ("article:42"), the list of one company, topic, category or author ("topic:7"), the
    set of live articles ("live"), or anything at all ("any"). A stored page or result
    names the areas it shows and is used only while none of them has changed
    (articles/caching.py). In the database, written in the transaction that makes the
    change, like ``PublicGeneration``."""

    name = models.CharField(max_length=100, unique=True)
    counter = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("area of public pages")
        verbose_name_plural = _("areas of public pages")

    def __str__(self):
        return f"{self.name}: {self.counter}"


class PublicCount(models.Model):
    """How many live articles one company, topic or category has, and its newest one's
    date ("all": the whole site). Kept up to date by each change, for the tag menus and
    pagination, instead of counted over the whole archive (articles/public_data.py)."""

    kind = models.CharField(max_length=10)  # "company", "topic", "category" or "all"
    key = models.PositiveBigIntegerField()  # the tag's or category's id; 0 for "all"
    articles = models.PositiveIntegerField(default=0)
    latest = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("count of live articles")
        verbose_name_plural = _("counts of live articles")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_public_count")]

    def __str__(self):
        return f"{self.kind} {self.key}: {self.articles}"


class Notification(models.Model):
    """One line in a person's inbox in the desk: something happened to an article they
    write or review (the same events the email tells of, for everyone, email or not)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+")
    # Exactly one of these says what happened.
    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
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

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("open editor")
        verbose_name_plural = _("open editors")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_editor")]

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
    picture = models.ForeignKey(Image, verbose_name=_("picture"), on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

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


class HouseStyleTerm(models.Model):
    """One entry of the desk's spelling book: the form the desk writes, the forms it does
    not, and why. The checks flag the others (with the fix) and search finds them all."""

    preferred = models.CharField(_("preferred form"), max_length=50, unique=True,
                                 validators=[validate_no_control_characters])
    variants = models.TextField(
        _("variants"), blank=True,
        help_text=_("Forms not to use, one per line (for サーバー: サーバ). Other spellings the "
                    "dictionary knows as the same word are flagged too."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Why: shown with the finding."))

    class Meta:
        verbose_name = _("house style term")
        verbose_name_plural = _("house style")
        ordering = ["preferred"]

    def __str__(self):
        return self.preferred

    @property
    def variant_list(self):
        return [line for line in lines(self.variants) if line != self.preferred]


class ProductName(models.Model):
    """A product or a term readers search for in more than one script (Trainium and
    トレイニウム): search finds every spelling, as it does for companies' and topics'
    aliases. Not a tag: articles are not filed under it."""

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_no_control_characters])
    aliases = models.TextField(_("aliases"), help_text=_("Other spellings, one per line (for Trainium: トレイニウム)."))

    class Meta:
        verbose_name = _("product or term")
        verbose_name_plural = _("products and terms")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        return lines(self.aliases)

    def names(self):
        return [self.name, *self.alias_list]
