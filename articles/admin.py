from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from articles.forms.fields import ProseField
from articles.media import images
from articles.media.pictures import library_thumbnail
from articles.models import (
    Article,
    AuthorProfile,
    Category,
    CompanyTag,
    HouseStyleTerm,
    Image,
    ProductName,
    PublicNote,
    Redirect,
    TopicTag,
    Transition,
)
from articles.publishing import permissions, workflow

# The admin speaks of this site, not of Django; and taggit's own Tag table, which
# nothing uses (companies and topics have theirs), is not offered.
admin.site.site_header = format_lazy(_("{site} administration"), site=settings.EDITORIAL_SITE_NAME)
admin.site.site_title = format_lazy(_("{site} administration"), site=settings.EDITORIAL_SITE_NAME)
admin.site.index_title = _("Articles, tags and pictures")
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


def _workflow_action(action_name):
    """An admin action that takes ``action_name`` through the workflow, article by article."""

    def run(modeladmin, request, queryset):
        done = 0
        for article in queryset:
            try:
                workflow.apply_transition(article, action_name, request.user)
            except (workflow.WorkflowError, PermissionDenied) as exc:
                modeladmin.message_user(request, f"{article}: {exc}", messages.WARNING)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                ngettext("%(count)d article: done.", "%(count)d articles: done.", done) % {"count": done},
                messages.SUCCESS,
            )

    action = workflow.ACTIONS[action_name]
    run.__name__ = f"workflow_{action_name}"
    return admin.action(description=action.label)(run)


class _CommonTagFilter(admin.SimpleListFilter):
    """The tags on most articles, not every one the desk ever typed (search finds the
    others): a filter column of a few hundred companies pushed the list aside."""

    SHOWN = 12
    field = ""
    through_name = "tagged_articles"

    def lookups(self, request, model_admin):
        tags = self.tag_model.objects.annotate(uses=Count(self.through_name)).filter(uses__gt=0)
        return [(str(tag.pk), tag.name) for tag in tags.order_by("-uses", "name")[:self.SHOWN]]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(**{f"{self.field}__id": self.value()})


class CommonCompanyFilter(_CommonTagFilter):
    title = _("companies")
    parameter_name = "companies__id__exact"
    field = "companies"
    tag_model = CompanyTag


class CommonTopicFilter(_CommonTagFilter):
    title = _("topics")
    parameter_name = "topics__id__exact"
    field = "topics"
    tag_model = TopicTag


def visible_articles(user):
    """What the desk would show ``user``: every article to an editor, their own to a writer."""
    articles = Article.objects.all()
    return articles if permissions.is_editor(user) else articles.filter(owner=user)


class PublicNoteInline(admin.TabularInline):
    """What readers were told of each correction and update: kept as published (a note is
    given with a new version, in the desk, and never rewritten)."""

    model = PublicNote
    fields = readonly_fields = ["kind", "text", "published_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Find, filter and move articles; their content is edited in the desk, where every
    save is a revision and every state change goes through the workflow. Approving is
    not offered here: an approval is of the version the editor read, on the review page.
    """

    # Few columns, so that a title reads as a line, not two characters a line.
    list_display = ["title", "state", "category", "published_at", "desk_link"]
    list_filter = ["status", "category", CommonCompanyFilter, CommonTopicFilter]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "excerpt", "byline", "body"]
    date_hierarchy = "published_at"
    actions = [_workflow_action(name) for name in ("submit", "publish", "unpublish")]
    inlines = [PublicNoteInline]
    fieldsets = [
        (None, {"fields": ["desk_link", "title", "slug", "byline", "owner", "category", "companies_list",
                           "topics_list"]}),
        (None, {"fields": ["excerpt", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at", "last_published_at", "reading_time", "version"]}),
        (
            _("Source"),
            {"classes": ["collapse"],
             "fields": ["language", "translation_key", "jekyll_key", "jekyll_permalink", "jekyll_front_matter",
                        "source_reading_time", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=visible_articles(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("companies"))
    def companies_list(self, obj):
        return ", ".join(obj.companies.names())

    @admin.display(description=_("topics"))
    def topics_list(self, obj):
        return ", ".join(obj.topics.names())

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        return obj.state_label

    @admin.display(description=_("desk"))
    def desk_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("desk:review", kwargs={"pk": obj.pk}), _("Open in the desk"))

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None


class ProseWithoutControlCharacters:
    """Free text typed in the admin loses the control characters nobody types on purpose
    (names refuse them instead: their model fields say so)."""

    formfield_overrides = {models.TextField: {"form_class": ProseField, "widget": forms.Textarea}}


@admin.register(Category)
class CategoryAdmin(ProseWithoutControlCharacters, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AuthorProfile)
class AuthorProfileAdmin(ProseWithoutControlCharacters, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug", "user__username"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["picture"]
    autocomplete_fields = ["user"]


@admin.register(HouseStyleTerm)
class HouseStyleTermAdmin(ProseWithoutControlCharacters, admin.ModelAdmin):
    """The desk's spelling book: the writing checks flag the variants, search finds them."""

    list_display = ["preferred", "variant_summary", "note"]
    search_fields = ["preferred", "variants", "note"]

    @admin.display(description=_("variants"))
    def variant_summary(self, obj):
        return "、".join(obj.variant_list)


@admin.register(ProductName)
class ProductNameAdmin(ProseWithoutControlCharacters, admin.ModelAdmin):
    """Products and terms search finds in every spelling (Trainium, トレイニウム)."""

    list_display = ["name", "alias_summary"]
    search_fields = ["name", "aliases"]

    @admin.display(description=_("aliases"))
    def alias_summary(self, obj):
        return "、".join(obj.alias_list)


@admin.register(CompanyTag)
class CompanyTagAdmin(ProseWithoutControlCharacters, admin.ModelAdmin):
    list_display = ["name", "slug", "alias_summary"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description=_("aliases"))
    def alias_summary(self, obj):
        return "、".join(obj.alias_list)


@admin.register(TopicTag)
class TopicTagAdmin(CompanyTagAdmin):
    pass


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    """The audit trail, read-only."""

    list_display = ["created_at", "article", "action_name", "from_status", "to_status", "user"]
    list_filter = ["action", "to_status"]
    search_fields = ["article__title", "note", "user__username"]

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj):
        return workflow.action_label(obj.action, obj.data)
    date_hierarchy = "created_at"
    list_select_related = ["article", "user"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(article__in=visible_articles(request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "article", "created_at"]
    search_fields = ["old_path", "article__title", "article__slug"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(article__in=visible_articles(request.user).values("pk"))


@admin.register(Image)
class ImageAdmin(ProseWithoutControlCharacters, admin.ModelAdmin):
    """The library's pictures, with where each is used. Uploading happens in the desk,
    where every file is checked and re-encoded."""

    list_display = ["thumbnail", "alt_text", "credit", "dimensions", "state", "uploaded_by_name", "created_at",
                    "use_count"]
    list_filter = ["state"]
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "created_at"
    fields = ["thumbnail", "alt_text", "caption", "credit", "dimensions", "state", "uploaded_by_name", "created_at"]
    readonly_fields = ["thumbnail", "dimensions", "state", "uploaded_by_name", "created_at"]
    change_form_template = "admin/articles/image/change_form.html"

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_uses=Count("uses"))

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return library_thumbnail(obj)

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height} {obj.format.upper()}"

    @admin.display(description=_("used by"), ordering="number_of_uses")
    def use_count(self, obj):
        return obj.number_of_uses

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Where it is used, as far as this person may see (a private draft is counted only).
        uses = Article.objects.filter(image_uses__image_id=object_id)
        visible = uses.filter(pk__in=visible_articles(request.user).values("pk"))
        extra_context = {**(extra_context or {}), "uses": visible, "hidden_uses": uses.count() - visible.count()}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        images.picture_changed(obj)

    def delete_model(self, request, obj):
        images.delete(obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            images.delete(image)
