from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .rendering import html_to_text, reading_time_minutes, render_markdown
from .tags import CompanyTag, TaggedCompany, TaggedTopic, TopicTag

__all__ = ["Article", "Category", "CompanyTag", "Status", "TaggedCompany", "TaggedTopic", "TopicTag"]


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
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
        return reverse("articles:category", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only definition of "a reader may see this": published and due."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=Now())

    def for_listing(self):
        """What a list of article cards prints, in a fixed number of queries."""
        return self.select_related("category").prefetch_related("companies", "topics")


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
        help_text=_("The file name of the Jekyll post this article was imported from."),
    )
    jekyll_permalink = models.CharField(
        _("Jekyll permalink"), max_length=255, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        indexes = [
            # Serves published() ordered by date: the home page and every listing.
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
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
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        self.reading_time = reading_time_minutes(html_to_text(self.body_html))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "reading_time"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The date in the address is the publication day in the site's time zone. An
        # article not yet dated gets today's, which answers 404 until it is published.
        day = timezone.localtime(self.published_at or timezone.now()).date()
        return reverse(
            "articles:detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
        )

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )
