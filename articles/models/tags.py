"""The two tag vocabularies: companies and topics, each with its own tables.

They are separate taggit vocabularies (custom ``TagBase`` and through models with a
real foreign key) so that a company tag and a topic tag never mix, even when the
same word could be both.
"""

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

from articles.converters import slug_address
from articles.rendering.text import TAG_NAME_MAX, lines, tag_slug, validate_no_control_characters


class _Vocabulary(TagBase):
    """What both vocabularies share: names without control characters, and an address
    for every name, even one without letters."""

    name = models.CharField(
        _("name"), unique=True, max_length=TAG_NAME_MAX, validators=[validate_no_control_characters]
    )

    class Meta:
        abstract = True

    def slugify(self, tag, i=None):
        return tag_slug(tag, i)

    @property
    def alias_list(self):
        return lines(self.aliases)

    def names(self):
        """The tag's name followed by its aliases."""
        return [self.name, *self.alias_list]


class CompanyTag(_Vocabulary):
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_(
            "Other names this company goes by, one per line "
            "(for Amazon: AWS, Amazon Web Services, アマゾン)."
        ),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def get_absolute_url(self):
        return slug_address("articles:company", self.slug)


class TopicTag(_Vocabulary):
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_(
            "Other ways of writing this topic, one per line (for セキュリティ: security, "
            "情報セキュリティ). A tag written so becomes this topic, and the checks accept any of them."
        ),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def get_absolute_url(self):
        return slug_address("articles:topic", self.slug)


class TaggedCompany(TaggedItemBase):
    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_companies"
    )
    tag = models.ForeignKey(CompanyTag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = _("company tag")
        verbose_name_plural = _("company tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_company_per_article")
        ]
        # The newest articles of one tag, read from the index alone (related articles).
        indexes = [models.Index(fields=["tag", "-content_object"], name="company_tag_newest")]


class TaggedTopic(TaggedItemBase):
    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_topics"
    )
    tag = models.ForeignKey(TopicTag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = _("topic tag")
        verbose_name_plural = _("topic tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_topic_per_article")
        ]
        # The newest articles of one tag, read from the index alone (related articles).
        indexes = [models.Index(fields=["tag", "-content_object"], name="topic_tag_newest")]


def name_key(name):
    """How tag names are compared: width, case and spacing do not matter (ＡＷＳ = aws)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def company_index():
    """Map every company name and alias (by ``name_key``) to its ``CompanyTag``."""
    index = {}
    for company in CompanyTag.objects.all():
        for name in company.names():
            index.setdefault(name_key(name), company)
    return index


def topics_with_aliases():
    """``{topic name: its names}`` for the topics that have aliases (a few)."""
    return {topic.name: topic.names() for topic in TopicTag.objects.exclude(aliases="")}


def topic_index():
    """Map every topic name and alias (by ``name_key``) to the topic's name."""
    index = {}
    for topic, names in topics_with_aliases().items():
        for name in names:
            index.setdefault(name_key(name), topic)
    return index


def canonical_topics(names, topics_by_name=None):
    """``names`` with each alias replaced by its topic's name, without repeats."""
    if topics_by_name is None:
        topics_by_name = topic_index()
    canonical = {}
    for name in names:
        topic = topics_by_name.get(name_key(name), name)
        canonical.setdefault(name_key(topic), topic)
    return list(canonical.values())


def split_company_names(names, companies_by_name=None):
    """Split tag names into (known companies, other names), both without repeats.

    A name or alias of a known company, however it is written (AWS, ａｗｓ, アマゾン),
    gives the company itself.
    """
    if companies_by_name is None:
        companies_by_name = company_index()
    companies, others, seen = {}, [], set()
    for name in names:
        key = name_key(name)
        company = companies_by_name.get(key)
        if company is not None:
            companies.setdefault(company.pk, company)
        elif key not in seen:
            seen.add(key)
            others.append(name)
    return list(companies.values()), others
