"""What the read API says of each thing: the fields readers may see, with absolute
addresses. Built from objects the views load in a fixed number of queries."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.media.pictures import image_data, served
from articles.models import Article, AuthorProfile


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    format = serializers.ChoiceField(choices=["webp", "jpeg", "png"])


class SocialSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class PictureSerializer(serializers.Serializer):
    """The schema of ``picture()``'s answer (a library picture, ready to show)."""

    alt = serializers.CharField(help_text="What the picture shows, for those who cannot see it.")
    caption = serializers.CharField()
    credit = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.URLField(help_text="The picture as stored (at most 4096 px).")
    renditions = RenditionSerializer(many=True, help_text="Widths for srcset, WebP and JPEG or PNG.")
    thumbnails = RenditionSerializer(many=True, help_text="16:9 crops for lists, once and twice 400 px.")
    social = SocialSerializer(help_text="The 1200×630 crop for link previews.")


class ErrorSerializer(serializers.Serializer):
    """Every error's answer: what went wrong, in the client's language (Accept-Language)."""

    detail = serializers.CharField()


class _Named(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The page readers see, absolute.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return _absolute(self.context.get("request"), obj.get_absolute_url())


class TagSerializer(_Named):
    article_count = serializers.IntegerField(required=False, help_text="Published articles with this tag.")


class AuthorSerializer(_Named):
    name = serializers.CharField()
    bio = serializers.CharField()
    picture = serializers.SerializerMethodField()

    class Meta:
        model = AuthorProfile

    @extend_schema_field(PictureSerializer(allow_null=True))
    def get_picture(self, obj):
        return picture(self.context.get("request"), obj.picture)


def picture(request, image, words=None):
    """A library picture as the API gives it: its description and every rendition (none
    while it is being made)."""
    if image is None or not image.is_ready:
        return None
    data = image_data(image, words)

    def renditions(pairs, kind):
        return [{"url": _absolute(request, address), "width": width, "format": kind} for address, width in pairs]

    fallback = "png" if any(address.endswith(".png") for address, _width in data["fallback"]) else "jpeg"
    return {
        "alt": data["alt"], "caption": data["caption"], "credit": data["credit"],
        "width": data["width"], "height": data["height"],
        "url": _absolute(request, data["master"]),
        "renditions": renditions(data["webp"], "webp") + renditions(data["fallback"], fallback),
        "thumbnails": renditions(data["thumb_webp"], "webp") + renditions(data["thumb_fallback"], fallback),
        "social": {"url": _absolute(request, data["social"]), "width": data["social_width"],
                   "height": data["social_height"]},
    }


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The article's page, absolute (its Japanese address).")
    cover = serializers.SerializerMethodField()
    companies = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField(help_text="The writer's page, when they have one.")
    language = serializers.SerializerMethodField()
    modified_at = serializers.DateTimeField(help_text="When readers last got a new version.")

    class Meta:
        model = Article
        fields = ["id", "title", "slug", "url", "excerpt", "cover", "companies", "topics", "category", "byline",
                  "author", "language", "published_at", "modified_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return _absolute(self.context.get("request"), obj.canonical_path())

    @extend_schema_field(PictureSerializer(allow_null=True))
    def get_cover(self, obj):
        return picture(self.context.get("request"), obj.cover, obj.shown_words)

    # Tags as plain dicts: a nested serializer per tag per article would cost most of a
    # list's time (DRF copies its fields for each instance). The schema still names them.
    def _named(self, tag):
        url = _absolute(self.context.get("request"), tag.get_absolute_url())
        return {"name": tag.name, "slug": tag.slug, "url": url}

    @extend_schema_field(_Named(many=True))
    def get_companies(self, obj):
        return [self._named(tag) for tag in obj.company_list]

    @extend_schema_field(_Named(many=True))
    def get_topics(self, obj):
        return [self._named(tag) for tag in obj.topic_list]

    @extend_schema_field(_Named(allow_null=True))
    def get_category(self, obj):
        return self._named(obj.category) if obj.category else None

    @extend_schema_field(AuthorSerializer(allow_null=True))
    def get_author(self, obj):
        profile = obj.author_profile
        return AuthorSerializer(profile, context=self.context).data if profile else None

    def get_language(self, obj) -> str:
        from django.conf import settings

        return obj.language or settings.LANGUAGE_CODE


class PublicNoteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["correction", "update"], help_text="訂正 (correction) or 追記 (update).")
    text = serializers.CharField()
    published_at = serializers.DateTimeField()


class ArticleDetailSerializer(ArticleSerializer):
    body_html = serializers.SerializerMethodField(
        help_text="The article's body as readers get it: rendered and sanitised, its pictures' addresses absolute.")

    corrections = PublicNoteSerializer(
        source="public_notes", many=True, read_only=True,
        help_text="What readers were told of each correction and update, oldest first.")

    def get_body_html(self, obj) -> str:
        request = self.context.get("request")
        return served(obj.body_html, host=request.build_absolute_uri("/")[:-1] if request else None)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields[:5], "body_html", *ArticleSerializer.Meta.fields[5:], "corrections"]
