"""Middleware of our own: the language of a page, and what gets compressed."""

import re

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real

from articles.reading.compression import gzip_with_pieces
from articles.reading.page_cache import DESK_PREFIXES, accepts_gzip


class LanguageMiddleware(LocaleMiddleware):
    """Readers' pages take their language from the address; the desk from the browser.

    A reader's page is Japanese at ``/…`` and English at ``/en/…`` (``i18n_patterns``
    in editorial/urls.py), whatever the browser asks, so one address is one page and
    every cache keeps one copy of it. The desk, the admin and the login pages follow
    the browser's Accept-Language (or the language chosen at /i18n/setlang/), as
    Django's LocaleMiddleware does everywhere.
    """

    def process_request(self, request):
        if request.path_info.startswith(API_PREFIX):
            # The read API's messages follow Accept-Language alone (no cookie): a shared
            # cache keys its answers by that header (deploy/nginx.conf).
            translation.activate(api_language(request.headers.get("Accept-Language", "")))
        elif _is_readers_page(request):
            return super().process_request(request)
        else:
            translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        # Not Django's own: it adds "Vary: Accept-Language" to unprefixed readers' pages
        # too, which would split every shared cache by each browser's header.
        if not _is_readers_page(request):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _is_readers_page(request):
    return not request.path_info.startswith((*DESK_PREFIXES, API_PREFIX))


API_PREFIX = "/api/"


def api_language(accept_language):
    """The site's language that ``accept_language`` (a request's header) prefers most,
    else the default one."""
    for code, _quality in trans_real.parse_accept_lang_header(accept_language):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


_COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript|xhtml\+xml|yaml|vnd\.oai\.openapi))")


class CompressionMiddleware(GZipMiddleware):
    """gzip for text (pages, feeds, sitemaps, JSON), never for pictures or files that
    are compressed already. Django's own mitigation of BREACH applies (random bytes in
    each response), and a reader's page holds no secret to begin with."""

    def process_response(self, request, response):
        if not _COMPRESSIBLE.match(response.get("Content-Type", "")):
            return response
        if not accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            # Django's own reads "gzip;q=0" as a yes.
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        pieces = getattr(response, "kept_pieces", None)
        if pieces and not response.streaming and not response.has_header("Content-Encoding"):
            compressed = gzip_with_pieces(response.content, pieces)
            if compressed is not None:
                return _compressed(response, compressed)
        return super().process_response(request, response)


def _compressed(response, content):
    """What GZipMiddleware does with the compressed ``content`` of ``response``."""
    patch_vary_headers(response, ("Accept-Encoding",))
    response.content = content
    response.headers["Content-Length"] = str(len(content))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag
    response.headers["Content-Encoding"] = "gzip"
    return response
