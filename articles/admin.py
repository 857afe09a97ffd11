from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms import ArticleForm
from .models import Article, Category, CompanyTag, TopicTag


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "status", "category", "byline", "published_at", "reading_time"]
    list_filter = ["status", "category", "companies", "topics"]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "excerpt", "byline", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["owner"]
    readonly_fields = [
        "status",
        "reading_time",
        "source_reading_time",
        "jekyll_key",
        "jekyll_permalink",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "byline", "owner", "category", "companies", "topics"]}),
        (None, {"fields": ["excerpt", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at", "reading_time"]}),
        (
            _("Source"),
            {
                "classes": ["collapse"],
                "fields": [
                    "jekyll_key",
                    "jekyll_permalink",
                    "source_reading_time",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CompanyTag)
class CompanyTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "alias_summary"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description=_("aliases"))
    def alias_summary(self, obj):
        return "、".join(obj.alias_list)


@admin.register(TopicTag)
class TopicTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
