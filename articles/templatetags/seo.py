import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils import translation
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
    path = request.get_full_path()
    return [
        (code, translation.get_language_info(code)["name_local"], translate_url(path, code))
        for code, _name in settings.LANGUAGES if code != current
    ]
