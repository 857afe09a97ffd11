"""HTTP caching of what readers see, and the server-side copy of their pages.

Every reader gets the same page for one address: public pages read no session and set
no cookie, and their language comes from the address (``/en/…``), not from the
browser. So a page can be kept whole:

- ``public_page`` (a view decorator) marks a response as a reader's page: Cache-Control
  for browsers and for shared caches such as nginx (short ``s-maxage``, then
  revalidation), an ETag, and a 304 when the reader already has it.
- ``PageCacheMiddleware`` (first in MIDDLEWARE) keeps those responses in Django's cache
  (Redis in production) and answers later requests for them before anything else runs.

Keys carry a **generation** that changes whenever anything readers see changes: a
publish, an unpublish, a correction, an import, a renamed tag or category, a picture's
new crop, and the moment a scheduled article comes due. The database counts it, in the
transaction that makes the change, so every process and command agrees on it. Nothing
is deleted one page at a time: a new generation makes every old copy unreachable, and
the cache's own expiry (``EDITORIAL_PAGE_CACHE_SECONDS``) clears them away. ``remember``
keeps the results of costly queries (tag counts, related articles) the same way.
"""

import hashlib
import logging
import re
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models import Subquery
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.connection import ConnectionProxy
from django.utils.http import parse_http_date_safe

logger = logging.getLogger(__name__)
# Apart from the rate limits' counters (settings.CACHES), so that pages never push them out.
cache = ConnectionProxy(caches, "pages")

GENERATION_KEY = "public-pages:generation"
PAGE_KEY = "public-pages:{generation}:{digest}"
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
        set_response_etag(response)
        response.public_page = True
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(request, etag=response["ETag"], last_modified=last_modified,
                                        response=response)

    return wrapped


# --------------------------------------------------------------------------------
# The generation

# Caches each process keeps to itself: they hear of no other process's change.
PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}


def generation():
    """The current generation: a number that changes whenever what readers see changes.

    The database holds it (``PublicGeneration``), written in the same transaction as
    the change; the cache remembers it, with the moment the next scheduled article
    comes due, so that a scheduled article appears on time though nothing was written.
    """
    global _last_known
    state = cache.get(GENERATION_KEY)
    if state is not None:
        counter, next_due = state
        if next_due is None or time.time() < next_due:
            _last_known = counter
            return counter
    try:
        _last_known = _read_generation()
    except DatabaseError:
        if _last_known is None:
            raise
        # The database is down: the pages stored under the last generation this process
        # knew are still the best answer readers can get.
        logger.warning("The database is unreachable; serving stored pages of generation %s", _last_known)
    return _last_known


# The generation this process last read, for the moments the database cannot be asked.
_last_known = None


def _read_generation():
    from .models import Article, PublicGeneration

    upcoming = (
        Article.objects.filter(published_revision__isnull=False, published_at__gt=timezone.now())
        .order_by("published_at").values("published_at")[:1]
    )
    row = PublicGeneration.objects.values_list("counter", Subquery(upcoming)).first()
    if row is None:  # a database emptied since its migration made the row
        PublicGeneration.objects.create(counter=0)
        row = PublicGeneration.objects.values_list("counter", Subquery(upcoming)).first()
    counter, upcoming = row
    # A scheduled article due meanwhile is a change of its own: the same counter then
    # names other pages.
    token = f"{counter}.{int(upcoming.timestamp()) if upcoming else 0}"
    shared = settings.CACHES["pages"]["BACKEND"] not in PER_PROCESS_CACHES
    # A cache of this process's own hears of no other process's change: it asks the
    # database again after EDITORIAL_PAGE_GENERATION_RECHECK seconds.
    cache.set(GENERATION_KEY, (token, upcoming.timestamp() if upcoming else None),
              None if shared else settings.EDITORIAL_PAGE_GENERATION_RECHECK)
    return token


def content_changed(**kwargs):
    """Readers' pages are out of date: count a new generation in the database, and
    forget the cached one now and again when the transaction commits (a page rendered
    meanwhile still saw the old rows).

    Takes any keyword arguments, so that it can be a signal receiver.
    """
    from django.db.models import F

    from .models import PublicGeneration

    if not PublicGeneration.objects.update(counter=F("counter") + 1):
        PublicGeneration.objects.create(counter=1)
    _forget_generation()
    transaction.on_commit(_forget_generation)


def _forget_generation():
    try:
        cache.delete(GENERATION_KEY)
    except Exception:
        # The cache server is gone: it serves no old pages either. Say so, and go on.
        logger.exception("Could not start a new generation of cached pages")


_SAFE_KEY = re.compile(r"[\w:.\-]{1,150}", re.ASCII)


def remember(name, compute):
    """``compute()``, made once per generation and kept in the cache: for queries whose
    cost grows with the archive (tag counts, related articles), which then run once
    after each change instead of on every request. ``name`` must say everything the
    result depends on besides what readers may see."""
    if not _SAFE_KEY.fullmatch(name):  # a slug from the address, say: any text at all
        name = "sha256:" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
    try:
        key = f"public-query:{generation()}:{name}"
        value = cache.get(key)
    except Exception:
        logger.exception("The query cache is unreachable; computing without it")
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, settings.EDITORIAL_QUERY_CACHE_SECONDS)
        except Exception:
            logger.exception("Could not keep a query's result in the cache")
    return value


# --------------------------------------------------------------------------------
# The server-side copy


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
        try:
            key = _page_key(request)
            stored = cache.get(key)
        except Exception:
            logger.exception("The page cache is unreachable; serving without it")
            return self.get_response(request)
        if stored is not None:
            return _from_stored(request, stored)
        response = self.get_response(request)
        if storable and _may_store(response):
            try:
                cache.set(key, _to_stored(response), settings.EDITORIAL_PAGE_CACHE_SECONDS)
            except Exception:
                logger.exception("Could not store a page in the cache")
        return _mark_private(_mark_gone_briefly(response))


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
    return PAGE_KEY.format(generation=generation(), digest=digest)


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
    return response.status_code, list(response.headers.items()), response.content


def _from_stored(request, stored):
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


# --------------------------------------------------------------------------------
# What readers see changes

def _article_saved(sender, instance, update_fields=None, **kwargs):
    from .models import Article, Status

    # Drafts that never went out are nobody's business but the desk's; an unpublished
    # article was public a moment ago.
    if instance.published_revision_id is None and instance.status != Status.UNPUBLISHED:
        return
    if update_fields is not None and set(update_fields) <= Article.DESK_ONLY_COLUMNS:
        return
    # A workflow step (submit, approve, request changes) saves the whole row, and only
    # desk columns differ from what was loaded: readers' pages stay.
    if not instance.public_columns_changed():
        return
    instance.remember_public_columns()
    content_changed()


def _article_deleted(sender, instance, **kwargs):
    if instance.published_revision_id is not None:
        content_changed()


def _image_saved(sender, instance, created=False, **kwargs):
    # A new picture is in no article yet; a changed one may be a cover (new crop, alt text).
    if not created:
        content_changed()


def connect_signals():
    from django.db.models.signals import post_delete, post_save

    from .models import Article, AuthorProfile, Category, HouseStyleTerm, Image, ProductName
    from .tags import CompanyTag, TopicTag

    post_save.connect(_article_saved, sender=Article, dispatch_uid="pages-article-saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="pages-article-deleted")
    post_save.connect(_image_saved, sender=Image, dispatch_uid="pages-image-saved")
    # The house style and the product names decide what search finds: their changes are
    # changes for readers.
    for model in (Category, CompanyTag, TopicTag, Image, AuthorProfile, HouseStyleTerm, ProductName):
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"pages-{model.__name__}-deleted")
    for model in (Category, CompanyTag, TopicTag, AuthorProfile, HouseStyleTerm, ProductName):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"pages-{model.__name__}-saved")
