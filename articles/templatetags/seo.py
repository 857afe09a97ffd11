from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html, format_html_join

register = template.Library()

@register.simple_tag(takes_context=True)
def other_languages(context):
    """``[(code, name, url)]``: this page in each other language the site speaks. A
    reader's page has one address per language (editorial/urls.py), so the switch is
    a plain link and every page stays cacheable."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    return [
        (code, translation.get_language_info(code)["name_local"], _in_language(request, code))
        for code, _name in settings.LANGUAGES if code != current
    ]


# Readers' pages that are no page of their own for search engines: a search (not
# indexed), a shared preview (private), an article (its head says more:
# articles/reading/article_head.py).
_NOT_LISTED = {"articles:search", "articles:shared-preview", "articles:detail"}


@register.simple_tag(takes_context=True)
def language_links(context):
    """A reader's list page's canonical address and its address in each language the
    site speaks, with ``x-default`` the default language's: the same list with another
    interface. A later page (``?page=3``) is its own; other parameters are not."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "articles" or match.view_name in _NOT_LISTED:
        return ""
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    urls = {code: request.build_absolute_uri(_in_language(request, code, query=False) + query)
            for code, _name in settings.LANGUAGES}
    links = [("canonical", "", urls[translation.get_language()])]
    links += [("alternate", code, url) for code, url in urls.items()]
    links.append(("alternate", "x-default", urls[settings.LANGUAGE_CODE]))
    return format_html_join(
        "\n  ", "{}", ((format_html('<link rel="{}" hreflang="{}" href="{}">', rel, code, url) if code
                       else format_html('<link rel="{}" href="{}">', rel, url),) for rel, code, url in links))


def _in_language(request, code, query=True):
    """``translate_url()`` of the request's address, without resolving it a second time;
    the language's home page for an address that is nothing (a 404)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return _reversed_in(code, "articles:index", (), (), get_urlconf(), get_script_prefix())
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
            params = iri_to_uri(request.META.get("QUERY_STRING", "")) if query else ""
            return f"{url}?{params}" if params else url
    return translate_url(request.get_full_path() if query else request.path, code)


@lru_cache(maxsize=4096)
def _reversed_in(code, view_name, args, kwargs, urlconf, prefix):
    # The same address every time a page is made (a twentieth of an article page); the
    # prefix is in the key because reverse() reads it.
    with translation.override(code):
        try:
            return reverse(view_name, args=args, kwargs=dict(kwargs), urlconf=urlconf)
        except NoReverseMatch:
            return None
