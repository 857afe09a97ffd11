"""HTTP caching of what readers see, and the server-side copy of their pages.

Every reader gets the same page for one address: public pages read no session and set
no cookie, and their language comes from the address (``/en/…``), not from the
browser. So a page can be kept whole:

- ``public_page`` (a view decorator) marks a response as a reader's page: Cache-Control
  for browsers and for shared caches such as nginx (short ``s-maxage``, then
  revalidation), an ETag, and a 304 when the reader already has it.
- ``PageCacheMiddleware`` (first in MIDDLEWARE) keeps those responses in Django's cache
  (Redis in production) and answers later requests for them before anything else runs,
  while the areas the page showed are unchanged (articles/reading/caching.py).
"""

import hashlib
import logging
import re
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe, quote_etag

from articles.reading import compression
from articles.reading.caching import ANY_KEY, GENERATION_KEY, MISSING, Kept, cache, shown_areas

logger = logging.getLogger(__name__)

PAGE_KEY = "public-pages:{digest}"
# The desk's side of the site: per person, in the browser's language, never shared.
DESK_PREFIXES = ("/desk/", "/admin/", "/accounts/", "/i18n/")
# Paths the page cache never looks at: the desk, shared previews of unpublished work,
# the health check (static files and pictures are skipped too: they have their own).
PRIVATE_PREFIXES = (*DESK_PREFIXES, "/preview/", "/en/preview/", "/healthz",
                    # The API: every request reaches its rate limit (its answers stay
                    # public for nginx and browsers).
                    "/api/")


def cache_control_header():
    return {
        "public": True,
        "max_age": settings.EDITORIAL_CACHE_MAX_AGE,
        "s_maxage": settings.EDITORIAL_CACHE_SHARED_MAX_AGE,
        "stale_while_revalidate": settings.EDITORIAL_CACHE_STALE_SECONDS,
    }


def public_page(view):
    """Mark what ``view`` answers with 200 as a reader's page: cacheable by anyone for a
    short while, with an ETag, and a 304 for a reader who has this version already."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render") and callable(response.render):
            response.render()
        patch_cache_control(response, **cache_control_header())
        _set_etag(response)
        response.public_page = True
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(request, etag=response["ETag"], last_modified=last_modified,
                                        response=response)

    return wrapped


def _set_etag(response):
    pieces = getattr(response, "kept_pieces", None)
    digest = pieces and compression.digest_with_pieces(response.content, pieces)
    if digest:
        response.headers["ETag"] = quote_etag(digest)
    else:
        set_response_etag(response)




class PageCacheMiddleware:
    """Answer a reader's request from the stored copy of the page, or store the page.

    First in MIDDLEWARE: a stored page went through every other middleware when it
    was made (security headers, CSP, compression), so it is sent as it was, without
    running them again. What the client can decode is part of the key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            response = self.get_response(request)
            return _mark_private(response)
        storable = keep_read_parameters(request)
        key = _page_key(request)
        try:
            kept = Kept(key, cache.get_many([GENERATION_KEY, key, ANY_KEY]))
            stored = kept.current()
            if stored is not MISSING:
                return _said(_from_stored(request, stored), "hit")
            kept.start()
        except Exception:
            logger.exception("The page cache is unreachable; serving without it")
            return self.get_response(request)
        shown = shown_areas.set(set())
        try:
            response = self.get_response(request)
            names = shown_areas.get()
        finally:
            shown_areas.reset(shown)
        if storable and _may_store(response):
            try:
                # A page that changes with time alone (the most read, a front-page story
                # leaving at its time) says how soon: ``response.keep_seconds``.
                seconds = min(settings.EDITORIAL_PAGE_CACHE_SECONDS,
                              getattr(response, "keep_seconds", None) or settings.EDITORIAL_PAGE_CACHE_SECONDS)
                kept.keep(_to_stored(response), names, seconds)
            except Exception:
                logger.exception("Could not store a page in the cache")
        return _said(_mark_private(_mark_gone_briefly(response)), "miss")


def _said(response, outcome):
    """Say whether the page came from the store (as nginx's X-Cache-Status does): for
    whoever watches the hit rate."""
    response["X-Page-Cache"] = outcome
    return response


def _may_use_cache(request):
    return (
        settings.EDITORIAL_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path_info.startswith(PRIVATE_PREFIXES)
        and not request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL))
    )


# What each reader's page reads of its query string; anything else is dropped before the
# view runs, so that "?utm_source=…" or a random parameter is the page itself, not
# another copy of it to store.
_SEARCH_PATH = re.compile(r"^(?:/en)?/search/$")
_SITEMAP_PATH = re.compile(r"^/sitemap[-.]")
_SEARCH_PARAMETERS = ("category", "company", "page", "q", "sort", "topic")
# Longest value of each that a page can mean (a slug, a page number, the words searched).
_VALUE_LIMITS = {"q": 200, "page": 8, "p": 8, "company": 100, "topic": 100, "category": 100, "sort": 10}


def _read_parameters(path):
    if _SEARCH_PATH.match(path):
        return _SEARCH_PARAMETERS
    if _SITEMAP_PATH.match(path):
        return ("p",)
    return ("page",)


def keep_read_parameters(request):
    """Leave in ``request`` only the query parameters its page reads, one value each,
    trimmed, in a fixed order; say whether the page may be stored (no value past what a
    page can mean: such a request is answered, never kept)."""
    kept, storable = [], True
    for name in _read_parameters(request.path_info):
        value = " ".join(request.GET.get(name, "").split())
        if not value or (name == "sort" and value != "newest"):
            continue
        if len(value) > _VALUE_LIMITS[name]:
            storable = False
        kept.append((name, value))
    query = urlencode(kept)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
    return storable


def accepts_gzip(header):
    """Whether an Accept-Encoding header asks for gzip (RFC 9110 §12.5.3): named, with a
    q above 0 (``gzip;q=0`` refuses it). A bare ``*`` gets the plain page, as from
    Django's own middleware: sending less than allowed is always right."""
    weights = {}
    for part in header.split(","):
        coding, *parameters = part.split(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding] = weight
    return any(weights.get(name, 0) > 0 for name in ("gzip", "x-gzip"))


def _page_key(request):
    gzip = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    # Pages print absolute addresses (canonical, og:url, feeds), hence scheme and host.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()} gzip={gzip}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return PAGE_KEY.format(digest=digest)


def _may_store(response):
    # A page that read the session or set a cookie is somebody's own: never shared.
    return (
        getattr(response, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
    )


def _mark_private(response):
    """Anything not marked public is kept out of shared caches; a reader's page that
    read the session or set a cookie loses its public mark."""
    if getattr(response, "public_page", False):
        if _may_store(response):
            return response
        del response.headers["Cache-Control"]
    elif response.has_header("Cache-Control"):
        return response
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _mark_gone_briefly(response):
    """A reader's 404, 410 or redirect may be kept by shared caches for the shared age:
    it must *replace* the page nginx kept, or nginx would go on serving that page
    while it tries, in vain, to refresh it (see deploy/nginx.conf)."""
    if response.status_code in (301, 404, 410) and not response.cookies and not response.has_header("Cache-Control") \
            and "cookie" not in response.get("Vary", "").lower():
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.EDITORIAL_CACHE_SHARED_MAX_AGE)
    return response


def _to_stored(response):
    # The headers as Django keeps them (checked when they were set): put back as they are,
    # as a pickled HttpResponse of Django's own cache middleware is, not checked again.
    return response.status_code, dict(response.headers._store), response.content


_CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def _from_stored(request, stored):
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    if isinstance(headers, dict):
        response.headers._store = dict(headers)
    else:  # a page stored before headers were kept this way
        for name, value in headers:
            response.headers[name] = value
    if not any(name in request.META for name in _CONDITIONS):
        return response  # nothing to compare: most requests
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )
