from functools import lru_cache, partial

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_urlconf, reverse
from django.utils.translation import get_language

from articles.converters import static_or_address
from articles.publishing import notifications
from articles.reading.page_cache import DESK_PREFIXES


def site(request):
    logo = static_or_address(settings.EDITORIAL_SITE_LOGO) if settings.EDITORIAL_SITE_LOGO else ""
    chrome = (get_language(), get_urlconf(), settings.STATIC_URL, settings.EDITORIAL_SITE_NAME, logo)
    urls = _site_urls(*chrome[:3])
    return {"site_name": settings.EDITORIAL_SITE_NAME, "site_logo": logo, "site_urls": urls,
            "default_language": settings.LANGUAGE_CODE,
            # Made afresh in development, where the template may have just been edited.
            "site_header": _site_header.__wrapped__(*chrome) if settings.DEBUG else _site_header(*chrome)}


# The addresses every page's header and head name: the same for every page of a language.
_SITE_PAGES = {"read": "read", "index": "articles:index", "categories": "articles:category-index",
               "companies": "articles:company-index", "topics": "articles:topic-index",
               "search": "articles:search", "feed": "articles:feed", "atom": "articles:feed-atom"}


# The static files every page names (named by their content in production: fixed for
# the life of a process, as the manifest is).
_SITE_FILES = {"favicon": "img/favicon.svg", "css": "css/site.css", "highlight_css": "css/highlight.css",
               "anchors_js": "js/anchors.js", "reads_js": "js/reads.js"}


@lru_cache(maxsize=32)
def _site_urls(language, urlconf, static_url):
    # Resolved once per language, not ten times a page (a tenth of a page made afresh).
    return {**{name: reverse(view, urlconf=urlconf) for name, view in _SITE_PAGES.items()},
            **{name: static(path) for name, path in _SITE_FILES.items()}}


@lru_cache(maxsize=32)
def _site_header(language, urlconf, static_url, site_name, logo):
    # The same for every reader's page of a language: made once, not per page (a tenth
    # of an article page made afresh).
    return render_to_string("_site_header.html", {"site_urls": _site_urls(language, urlconf, static_url),
                                                  "site_name": site_name, "site_logo": logo})


def desk(request):
    """The inbox's unread count for the desk's header, counted only if a page shows it.
    Readers' pages never look at the user: touching the session would make them private."""
    if not request.path.startswith(DESK_PREFIXES):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": partial(notifications.unread_count, user)}
