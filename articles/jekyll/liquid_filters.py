"""Jekyll's own Liquid filters (``relative_url``, ``date_to_string``, ``jsonify``…) as
python-liquid filters, for articles/jekyll/liquid.py's environment."""

import datetime as dt
import json
import re
from html import escape
from urllib.parse import quote

from liquid.filter import string_filter, with_context

from articles.jekyll.site import jekyll_slugify


@string_filter
@with_context
def relative_url(value, *, context):
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.IGNORECASE):
        return value
    return context.env.baseurl + "/" + value.lstrip("/")


@string_filter
@with_context
def absolute_url(value, *, context):
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.IGNORECASE):
        return value
    return context.env.site_url + relative_url(value, context=context)


def _as_datetime(value):
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min)
    return dt.datetime.fromisoformat(str(value).strip().replace(" +", "+").replace(" -", "-"))


def date_to_xmlschema(value):
    return _as_datetime(value).isoformat()


def date_to_string(value, kind=None, style=None):
    date = _as_datetime(value)
    return f"{date.day:02d} {date:%b} {date.year}" if style != "US" else f"{date:%b} {date.day:02d}, {date.year}"


def date_to_long_string(value, kind=None, style=None):
    date = _as_datetime(value)
    return f"{date.day:02d} {date:%B} {date.year}" if style != "US" else f"{date:%B} {date.day:02d}, {date.year}"


@string_filter
def xml_escape(value):
    return escape(value, quote=True)


@string_filter
def uri_escape(value):
    return quote(value, safe="!#$&'()*+,/:;=?@[]~")


@string_filter
def cgi_escape(value):
    return quote(value, safe="")


@string_filter
def slugify_filter(value, mode="default"):
    return jekyll_slugify(value, mode=mode or "default")


def jsonify(value):
    return json.dumps(value, ensure_ascii=False, default=str)


@string_filter
def number_of_words(value):
    return len(value.split())


@string_filter
def normalize_whitespace(value):
    return " ".join(value.split())


def array_to_sentence_string(value, connector="and"):
    items = [str(item) for item in (value or [])]
    if len(items) <= 2:
        return f" {connector} ".join(items)
    return ", ".join(items[:-1]) + f", {connector} " + items[-1]


def _unchanged(value, *args):
    return value


JEKYLL_FILTERS = {
    "relative_url": relative_url, "absolute_url": absolute_url,
    "date_to_xmlschema": date_to_xmlschema, "date_to_rfc822": date_to_xmlschema,
    "date_to_string": date_to_string, "date_to_long_string": date_to_long_string,
    "xml_escape": xml_escape, "uri_escape": uri_escape, "cgi_escape": cgi_escape,
    "slugify": slugify_filter, "jsonify": jsonify, "number_of_words": number_of_words,
    "normalize_whitespace": normalize_whitespace, "array_to_sentence_string": array_to_sentence_string,
    # The article is Markdown already, and typographic quotes are the renderer's to make.
    "markdownify": _unchanged, "smartify": _unchanged,
}
