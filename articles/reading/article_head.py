"""The ``<head>`` of a live article's page, made in Python as the cards are
(articles/reading/cards.py): canonical and language links, Open Graph, Twitter and the JSON-LD
for search engines. Through the template engine these thirty tags were a third of the
page's own work. The markup is what the template printed; every value is escaped
(``html.escape``, which Django's ``escape`` wraps)."""

import json
from html import escape as _e

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.rendering.dates import machine_time

# The characters that could end a <script> element or confuse an HTML parser, escaped
# as JSON allows (the same set Django's json_script uses).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(value):
    """``value`` as a JSON-LD script element, safe whatever its strings contain."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def article_head(article, *, site_name, canonical_url, translations, social_image, structured_data):
    """The tags a live article's page puts in its ``<head>``, after its title."""
    title, excerpt = _e(article.title), _e(article.excerpt)
    # Search engines may show the cover large, and as much of the text as they like.
    lines = ['<meta name="robots" content="max-image-preview:large, max-snippet:-1">']
    if article.excerpt:
        lines.append(f'<meta name="description" content="{excerpt}">')
    url = _e(canonical_url)
    lines.append(f'<link rel="canonical" href="{url}">')
    lines += [f'<link rel="alternate" hreflang="{_e(language)}" href="{_e(href)}">' for language, href in translations]
    lines += [
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{_e(site_name)}">',
        f'<meta property="og:title" content="{title}">',
    ]
    if article.excerpt:
        lines.append(f'<meta property="og:description" content="{excerpt}">')
    lines += [
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:locale" content="{"en_US" if article.language == "en" else "ja_JP"}">',
        f'<meta property="article:published_time" content="{machine_time(article.published_at)}">',
        f'<meta property="article:modified_time" content="{machine_time(article.modified_at)}">',
    ]
    if article.category:
        lines.append(f'<meta property="article:section" content="{_e(article.category.name)}">')
    lines += [f'<meta property="article:tag" content="{_e(tag.name)}">'
              for tag in [*article.company_list, *article.topic_list]]
    if social_image:
        image, alt = _e(social_image["url"]), _e(social_image["alt"])
        lines += [
            f'<meta property="og:image" content="{image}">',
            f'<meta property="og:image:width" content="{_e(str(social_image["width"]))}">',
            f'<meta property="og:image:height" content="{_e(str(social_image["height"]))}">',
            f'<meta property="og:image:alt" content="{alt}">',
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:image" content="{image}">',
            f'<meta name="twitter:image:alt" content="{alt}">',
        ]
    else:
        lines.append('<meta name="twitter:card" content="summary">')
    lines.append(f'<meta name="twitter:title" content="{title}">')
    if article.excerpt:
        lines.append(f'<meta name="twitter:description" content="{excerpt}">')
    lines.append(json_ld(structured_data))
    return mark_safe("\n  ".join(lines))  # every value above is escaped



