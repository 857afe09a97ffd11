"""What readers' pages keep about themselves: old addresses (redirects), the page
cache's generation and areas, and the counts of live articles."""


from django.db import models
from django.utils.translation import gettext_lazy as _


class Redirect(models.Model):
    """An old public address of an article: its Jekyll URL, or where it was before its
    slug or date changed. Answers 301 to where the article is now."""

    old_path = models.CharField(_("old path"), max_length=500, unique=True,
                                help_text=_("A path on this site, e.g. /ai/2025/12/25/trainium2.html"))
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        ordering = ["old_path"]

    def __str__(self):
        return self.old_path


class PublicGeneration(models.Model):
    """One row counting the changes readers could see. Stored pages are filed under
    its value (articles/reading/caching.py); the database holds it so that every process, and
    every management command, agrees on it with the change itself."""

    counter = models.PositiveBigIntegerField(default=0)
    # Scheduled articles that came due up to this moment have been announced to the pages
    # that show them (articles/reading/public_changes.py).
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
    (articles/reading/caching.py). In the database, written in the transaction that makes the
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
    pagination, instead of counted over the whole archive (articles/reading/public_data.py)."""

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


class ArticleReads(models.Model):
    """How many times an article was read in one hour: counted from the page's beacon
    (articles/reading/readership.py), with nothing about who read it."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        verbose_name = _("reads in an hour")
        verbose_name_plural = _("reads by the hour")
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="one_count_per_article_hour")]
        indexes = [models.Index(fields=["hour", "article"], name="reads_by_hour")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.count}"


class FrontPageItem(models.Model):
    """An article editors put on the front page, in their order: the first is the lead
    story. It leaves the page at ``until``, if given (the end of an event, a notice)."""

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="front_page_item")
    position = models.PositiveIntegerField(_("position"))
    until = models.DateTimeField(_("on the front page until"), null=True, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("front page article")
        verbose_name_plural = _("front page articles")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.position}: {self.article_id}"
