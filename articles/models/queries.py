"""The questions asked of articles, in one place: what readers may see, what is
scheduled, related articles, a tag's newest, what a list of cards needs."""


from django.db import models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models.history import Transition
from articles.models.tags import TaggedCompany, TaggedTopic

RELATED_CANDIDATES = 100


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only definition of "a reader may see this": it has a live revision and is due.

        An article with a live revision keeps it while a newer working copy goes through
        review again, whatever that copy's status; unpublishing removes the live revision.
        """
        # The application's clock, not the database's: one clock for the whole app,
        # and one that tests can move.
        now = timezone.now()
        # An end of publication that has come is taken down by the first request to see
        # it (articles/publishing/expiry.py); until then it is hidden here already.
        return self.filter(published_revision__isnull=False, published_at__lte=now).exclude(unpublish_at__lte=now)

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
            .defer("body", "body_html", "body_text", "search_text", "search_forms")
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
        deferred = ("body", "search_text", "search_forms")
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
