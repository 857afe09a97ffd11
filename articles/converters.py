"""URL converters for Japanese slugs and zero-padded dates, and the quick way to the
address of a page named by a slug."""

from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import get_language


class UnicodeSlugConverter:
    """Like ``<slug:>`` but letting Japanese through (``<slug:>`` is ASCII only).

    Django decodes the percent-encoded path before matching, so ``\\w`` sees the
    real characters.
    """

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


# The address of each page named by a slug alone, per language, with a stand-in for the
# slug: a list page links forty tags, and resolving a pattern for each was a tenth of it.
_SLUG_PATTERNS = {}
_STAND_IN = "0slug0stand0in0"
# What Django's reverse() leaves unquoted in a path (django.urls.resolvers).
_SAFE = "!$&'()*+,;=/~:@"


def slug_address(name, slug):
    """``reverse(name, kwargs={"slug": slug})``, for a URL pattern whose only argument is
    a ``uslug`` (which ``to_url`` leaves as it is), percent-encoded as reverse() does."""
    key = (get_language(), name)
    pattern = _SLUG_PATTERNS.get(key)
    if pattern is None:
        pattern = _SLUG_PATTERNS[key] = reverse(name, kwargs={"slug": _STAND_IN})
    return pattern.replace(_STAND_IN, quote(slug, safe=_SAFE))
