from functools import lru_cache, partial

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_urlconf, reverse
from django.utils.translation import get_language


def site(request):
    logo = settings.EDITORIAL_SITE_LOGO
    if logo and not logo.startswith(("https://", "http://", "/")):
        logo = static(logo)  # a file among the static files
    return {"site_name": settings.EDITORIAL_SITE_NAME, "site_logo": logo,
            "site_urls": _site_urls(get_language(), get_urlconf())}


# The addresses every page's header and head name: the same for every page of a language.
_SITE_PAGES = {"index": "articles:index", "categories": "articles:category-index",
               "companies": "articles:company-index", "topics": "articles:topic-index",
               "search": "articles:search", "feed": "articles:feed", "atom": "articles:feed-atom"}


@lru_cache(maxsize=32)
def _site_urls(language, urlconf):
    # Resolved once per language, not seven times a page (a twentieth of a page made afresh).
    return {name: reverse(view, urlconf=urlconf) for name, view in _SITE_PAGES.items()}


def desk(request):
    """The inbox's unread count for the desk's header, counted only if a page shows it.
    Readers' pages never look at the user: touching the session would make them private."""
    from .caching import DESK_PREFIXES

    if not request.path.startswith(DESK_PREFIXES):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .views.inbox import unread_count

    return {"inbox_unread": partial(unread_count, user)}
