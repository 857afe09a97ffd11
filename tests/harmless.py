"""Is rendered HTML harmless? Judged on the tree a browser would build: html5lib
implements the HTML standard's parsing algorithm, foreign content (svg, math) included."""

from urllib.parse import urlsplit

import html5lib

from articles.rendering.sanitising import ALLOWED_TAGS, ID_PREFIX

_HTML = "{http://www.w3.org/1999/xhtml}"
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "xlink:href", "poster", "background"}


def browser_elements(html):
    """(tag, attributes) of every element of the fragment, as a browser parses it."""
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=True)
    for element in fragment.iter():
        if not isinstance(element.tag, str) or element is fragment:
            continue
        tag = element.tag.removeprefix(_HTML)
        attributes = {name.split("}")[-1]: value for name, value in element.attrib.items()}
        yield tag, attributes


def assert_harmless(html):
    """What a browser would build from ``html`` can run no script, load nothing active,
    and cannot take the page's own ids or dress up as its interface."""
    for tag, attrs in browser_elements(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> survived: {html[:300]}"
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), f"{name} survived: {html[:300]}"
            assert name not in {"style", "srcdoc", "formaction", "xlink:href", "srcset", "name"}, html[:300]
            if name in URL_ATTRIBUTES:
                scheme = urlsplit("".join((value or "").split()).lower()).scheme
                assert scheme in {"", "http", "https", "mailto"}, f"{name}={value!r}: {html[:300]}"
            if name == "id":
                assert value.startswith(ID_PREFIX), f"id={value!r}: {html[:300]}"
