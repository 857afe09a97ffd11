from functools import partial

from django.conf import settings
from django.templatetags.static import static


def site(request):
    logo = settings.EDITORIAL_SITE_LOGO
    if logo and not logo.startswith(("https://", "http://", "/")):
        logo = static(logo)  # a file among the static files
    return {"site_name": settings.EDITORIAL_SITE_NAME, "site_logo": logo}


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
