from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri

register = template.Library()

@register.simple_tag(takes_context=True)
def other_languages(context):
    """``[(code, name, url)]``: this page in each other language the site speaks. A
    reader's page has one address per language (editorial/urls.py), so the switch is
    a plain link and every page stays cacheable."""
    request = context.get("request")
    if request is None or getattr(request, "resolver_match", None) is None:
        return []
    current = translation.get_language()
    return [
        (code, translation.get_language_info(code)["name_local"], _in_language(request, code))
        for code, _name in settings.LANGUAGES if code != current
    ]


def _in_language(request, code):
    """``translate_url()`` of the request's address, without resolving it a second time."""
    match = request.resolver_match
    if match.url_name:
        key = (code, match.view_name, tuple(match.args), tuple(sorted(match.kwargs.items())),
               get_urlconf(), get_script_prefix())
        try:
            hash(key)
        except TypeError:  # an argument from the URLconf itself (the sitemaps' dict)
            url = _reversed_in.__wrapped__(*key)
        else:
            url = _reversed_in(*key)
        if url is not None:
            query = iri_to_uri(request.META.get("QUERY_STRING", ""))
            return f"{url}?{query}" if query else url
    return translate_url(request.get_full_path(), code)


@lru_cache(maxsize=4096)
def _reversed_in(code, view_name, args, kwargs, urlconf, prefix):
    # The same address every time a page is made (a twentieth of an article page); the
    # prefix is in the key because reverse() reads it.
    with translation.override(code):
        try:
            return reverse(view_name, args=args, kwargs=dict(kwargs), urlconf=urlconf)
        except NoReverseMatch:
            return None
