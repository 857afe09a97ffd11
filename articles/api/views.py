"""The read API: published articles and what they are filed under, as JSON.

Only what readers may see: ``Article.objects.published()`` (a scheduled article from
its time), public tags. Responses are marked like readers' pages (ETag, 304,
Cache-Control; articles/reading/page_cache.py), open to any origin for GET (django-cors-headers),
and rate-limited per client (ClientRateThrottle)."""

import django_filters
from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from articles.api import serializers
from articles.models import Article, AuthorProfile, Category
from articles.models.tags import CompanyTag, TopicTag
from articles.reading import public_data, search


class NewestFirst(CursorPagination):
    """Pages that stay as fast at the 5,000th article as at the first: a cursor, not
    an offset, along the lists' own index (newest first)."""

    ordering = ("-published_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        # The position goes into a date comparison: anything but a date is a cursor this
        # API never made (404, as DRF answers other forged cursors), not a server error.
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                moment = parse_datetime(cursor.position)
            except ValueError:  # shaped like a date, but none (month 13)
                moment = None
            if moment is None:
                raise NotFound(self.invalid_cursor_message)
        return cursor


class ArticleFilter(django_filters.FilterSet):
    company = django_filters.CharFilter(method="by_tag", help_text="A company's slug (nvidia).")
    topic = django_filters.CharFilter(method="by_tag", help_text="A topic's slug (llm).")
    category = django_filters.CharFilter(field_name="category__slug", help_text="A category's slug.")
    author = django_filters.CharFilter(field_name="owner__author_profile__slug", help_text="An author's slug.")
    language = django_filters.CharFilter(method="by_language", help_text="ja, en…")
    published_since = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte",
                                                       help_text="ISO 8601, e.g. 2026-11-01T00:00:00+09:00")
    published_until = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    q = django_filters.CharFilter(method="by_words", help_text="Words to find (the site's Japanese search).")

    class Meta:
        model = Article
        fields = []

    def by_tag(self, queryset, name, value):
        # The site's own lookup and plan (a rare tag by its rows, a common one newest-first).
        model, field = (CompanyTag, "companies") if name == "company" else (TopicTag, "topics")
        tag = public_data.public_tag(model, value)
        if tag is None:
            return queryset.none()
        return public_data.filtered(queryset, model, field, tag)

    def by_language(self, queryset, name, value):
        if value == settings.LANGUAGE_CODE:
            return queryset.filter(language__in=["", value])
        return queryset.filter(language=value)

    def by_words(self, queryset, name, value):
        return search.matching(queryset, value[:200])


# Django's Japanese for this message reads "enter some characters"; the project's
# catalogue (locale/ja) says what is wrong. Marked here so that it stays there.
gettext_noop("Null characters are not allowed.")

_ERROR = serializers.ErrorSerializer
TAGS = {200: serializers.TagSerializer(many=True)}
TOO_MANY = OpenApiResponse(_ERROR, description="Too many requests from this client: wait as Retry-After says.")
NOT_FOUND = OpenApiResponse(_ERROR, description="Nothing published at this address.")
BAD_CURSOR = OpenApiResponse(_ERROR, description="A cursor this API never gave.")
BAD_FILTER = OpenApiResponse(description="A filter's value is not one this API reads: each filter's messages.")


class OpenToAll:
    """Every answer says any origin may read it, asked or not: a shared cache (nginx
    ignores Vary) may hand a copy made for one client to a page on another origin.
    django-cors-headers answers the preflight requests. Errors are the API's own
    messages, in the client's language (articles/middleware.py)."""

    not_found = gettext_lazy("Nothing published has this address.")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(self.not_found) from None


def not_found(request, path=""):
    """Any other address under the API: a JSON 404 (an address without its final slash
    is sent to the one with it, as Django does elsewhere)."""
    if not request.path_info.endswith("/"):
        try:
            resolve(request.path_info + "/")
        except Resolver404:
            pass
        else:
            return HttpResponsePermanentRedirect(request.get_full_path().replace(request.path, request.path + "/", 1))
    response = JsonResponse({"detail": _("There is nothing at this address in the API.")}, status=404)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _last_modified(response, moment):
    if moment is not None:
        response["Last-Modified"] = http_date(moment.timestamp())
    return response


@extend_schema_view(get=extend_schema(summary="Published articles, newest first",
                                      description="Excerpts, no bodies: each article's own address gives its body.",
                                      responses={200: serializers.ArticleSerializer(many=True), 400: BAD_FILTER,
                                                 404: BAD_CURSOR,
                                                 429: TOO_MANY}))
class ArticleList(OpenToAll, generics.ListAPIView):
    serializer_class = serializers.ArticleSerializer
    pagination_class = NewestFirst
    filterset_class = ArticleFilter

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def finalize_response(self, request, response, *args, **kwargs):
        return _last_modified(super().finalize_response(request, response, *args, **kwargs),
                              public_data.latest_publication())


class _ArticleDetail(OpenToAll, generics.RetrieveAPIView):
    serializer_class = serializers.ArticleDetailSerializer

    def get_queryset(self):
        return Article.objects.published().for_listing(with_html=True)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        article = getattr(self, "_object", None)
        return _last_modified(response, article.modified_at if article else None)

    def get_object(self):
        self._object = super().get_object()
        return self._object


@extend_schema(summary="One published article, with its body",
               responses={200: serializers.ArticleDetailSerializer, 404: NOT_FOUND, 429: TOO_MANY})
class ArticleDetail(_ArticleDetail):
    pass


@extend_schema(summary="One published article by its slug, with its body",
               responses={200: serializers.ArticleDetailSerializer, 404: NOT_FOUND, 429: TOO_MANY})
class ArticleBySlug(_ArticleDetail):
    lookup_field = "slug"


class _Vocabulary(OpenToAll, generics.ListAPIView):
    """Every tag of one kind with published articles, most used first (not paginated:
    the list is the site's own index, counted once per change)."""

    pagination_class = None
    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks only which model
            return self.model.objects.none()
        return public_data.public_tags(self.model)


@extend_schema(summary="Companies with published articles", responses={**TAGS, 429: TOO_MANY})
class CompanyList(_Vocabulary):
    serializer_class = serializers.TagSerializer
    model = CompanyTag


@extend_schema(summary="Topics with published articles", responses={**TAGS, 429: TOO_MANY})
class TopicList(_Vocabulary):
    serializer_class = serializers.TagSerializer
    model = TopicTag


@extend_schema(summary="Categories with published articles", responses={**TAGS, 429: TOO_MANY})
class CategoryList(_Vocabulary):
    serializer_class = serializers.TagSerializer
    model = Category


@extend_schema(summary="Authors with a page", responses={200: serializers.AuthorSerializer(many=True), 429: TOO_MANY})
class AuthorList(OpenToAll, generics.ListAPIView):
    serializer_class = serializers.AuthorSerializer
    pagination_class = None

    def get_queryset(self):
        return AuthorProfile.objects.select_related("picture").order_by("name")


@extend_schema(summary="One author", responses={200: serializers.AuthorSerializer, 404: NOT_FOUND, 429: TOO_MANY})
class AuthorDetail(OpenToAll, generics.RetrieveAPIView):
    serializer_class = serializers.AuthorSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return AuthorProfile.objects.select_related("picture")


