"""The desk's vocabularies besides companies and topics (articles/models/tags.py): sections,
the house style's spellings, and product names search knows in every spelling."""


from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.converters import slug_address
from articles.rendering.text import lines, validate_no_control_characters


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
