"""URL converters for Japanese slugs and zero-padded dates, the quick way to the
address of a page named by a slug, and the address of a file a setting names."""

from urllib.parse import quote

from django.templatetags.static import static
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


# The same for an article's address (its day and slug): a list page links twenty.
_DAY_STAND_IN = {"year": 9876, "month": 98, "day": 97}


def dated_address(name, day, slug):
    """``reverse(name, kwargs={"year", "month", "day", "slug"})`` for an article's page:
    the pattern ``<int:year>/<dd:month>/<dd:day>/<uslug:slug>``."""
    key = (get_language(), name)
    pattern = _SLUG_PATTERNS.get(key)
    if pattern is None:
        reversed_ = reverse(name, kwargs={**_DAY_STAND_IN, "slug": _STAND_IN})
        pattern = _SLUG_PATTERNS[key] = reversed_.replace("/9876/98/97/", "/{day}/", 1)
    return pattern.replace("{day}", f"{day.year}/{day.month:02d}/{day.day:02d}", 1).replace(
        _STAND_IN, quote(slug, safe=_SAFE))


def static_or_address(value):
    """The address of what a setting names: an address as it is (``https://…``, ``/…``),
    else a static file's path (``img/logo.png``) under the static files' address."""
    return value if value.startswith(("https://", "http://", "/")) else static(value)
