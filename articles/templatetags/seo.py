import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The characters that could end a <script> element or confuse an HTML parser, escaped
# as JSON allows (the same set Django's json_script uses).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value):
    """``value`` as a JSON-LD script element, safe whatever its strings contain."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


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
        with translation.override(code):
            try:
                url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                url = None
        if url is not None:
            query = iri_to_uri(request.META.get("QUERY_STRING", ""))
            return f"{url}?{query}" if query else url
    return translate_url(request.get_full_path(), code)
