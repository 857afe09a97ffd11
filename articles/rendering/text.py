"""Text hygiene: what every piece of text from outside (a form, an import, the admin)
goes through before it is stored, and the rules for names that become addresses."""

import hashlib
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

# Characters XML 1.0 cannot carry (C0 controls but tab and line breaks, lone surrogates,
# U+FFFE/U+FFFF), plus DEL and the C1 controls, which no writer types on purpose. One of
# them in a title was enough to make every feed invalid.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def lines(text):
    """The non-empty lines of a one-per-line field (aliases, variants), trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def strip_control_characters(text):
    """``text`` without the characters that XML cannot carry and nobody types."""
    return _CONTROL.sub("", text) if text else text


def has_control_characters(text):
    return bool(_CONTROL.search(text or ""))


def validate_no_control_characters(value):
    if has_control_characters(value):
        raise ValidationError(
            _("“%(value)s” contains an invisible control character. Type it again without it."),
            code="control_character",
            params={"value": strip_control_characters(value)},
        )


# ---------------------------------------------------------------------------------
# Addresses (slugs)

# Characters that show as nothing or reorder what is shown: an address containing them
# looks like another one. (Zero-width and bidi controls are format characters, Cf;
# these fillers are letters that draw as blank space.)
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# Latin letters may mix with Japanese, never with another alphabet: "аpple" with a
# Cyrillic а is a lookalike of "apple".
_ALPHABETS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "CHEROKEE", "COPTIC")


def _alphabet(character):
    name = unicodedata.name(character, "")
    return next((alphabet for alphabet in _ALPHABETS if name.startswith(alphabet)), None)


def validate_safe_slug(value):
    """Refuse addresses that could pass for another: invisible or reordering
    characters, a width or form that normalises to something else, mixed alphabets."""
    if any(unicodedata.category(c) in ("Cf", "Cc", "Zs") or c in _INVISIBLE_LETTERS for c in value):
        raise ValidationError(
            _("The address contains an invisible character (zero-width, direction or filler). Type it again."),
            code="invisible",
        )
    if unicodedata.normalize("NFKC", value) != value:
        raise ValidationError(
            _("Write the address with ordinary characters: “%(normal)s”, not “%(value)s”."),
            code="not_normalised",
            params={"normal": unicodedata.normalize("NFKC", value), "value": value},
        )
    alphabets = {_alphabet(c) for c in value} - {None}
    if len(alphabets) > 1:
        raise ValidationError(
            _("The address mixes alphabets (%(alphabets)s) that look alike. Use one."),
            code="mixed_scripts",
            params={"alphabets": ", ".join(sorted(a.title() for a in alphabets))},
        )


# Letters of other alphabets, and digits, that readers take for Latin letters: an
# address is compared with others by its skeleton (after UTS #39's idea, for the
# characters a slug can hold).
_LOOKALIKES = str.maketrans({
    **dict(zip("аеорсухіјѕԁһӏкмнвтг", "aeopcyxijsdhlkmhbtr", strict=True)),  # Cyrillic
    **dict(zip("αεοριτυνκχβηζμ", "aeopituvkxbnzu", strict=True)),  # Greek
    "0": "o", "1": "l", "_": "-",
})


def fold_slug(value):
    """An address as readers type it: ordinary width, lower case (ＷＲＩＴＥＲ is writer)."""
    return unicodedata.normalize("NFKC", value).lower()


def slug_skeleton(value):
    """What an address looks like: two addresses with one skeleton pass for each other
    (editor, edit0r and еditor in Cyrillic)."""
    return fold_slug(value).translate(_LOOKALIKES)


TAG_NAME_MAX = 100  # taggit's column


def tag_slug(name, suffix=None):
    """A non-empty, URL-safe address for a tag named ``name``.

    Japanese is kept; a name with no letters or digits at all ("🚀", "!!!") gets a
    stable address made from its hash, so it still has a page.
    """
    base = slugify(name, allow_unicode=True)[: TAG_NAME_MAX - 12].strip("-_")
    if not base:
        base = "tag-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return base if suffix is None else f"{base}-{suffix}"


_LATIN_WORDS = re.compile(r"[a-z0-9]+")
SUGGESTED_SLUG_LATIN = 60  # characters of Latin words at most
SUGGESTED_SLUG_JAPANESE = 16  # characters of a title with (almost) no Latin words


def suggested_slug(title):
    """A short, readable address for an article titled ``title`` (the writer may type
    another). Its Latin words when they say enough ("amazon-ai-trainium2"), else the
    start of the title as written: a whole Japanese title is ~200 characters once
    percent-encoded in an address."""
    words = []
    for word in _LATIN_WORDS.findall(unicodedata.normalize("NFKC", title).casefold()):
        if word not in words and len("-".join([*words, word])) <= SUGGESTED_SLUG_LATIN:
            words.append(word)
    latin = "-".join(words)
    if len(latin) >= 8:
        return latin
    whole = slugify(title, allow_unicode=True).strip("-_")
    if len(whole) <= SUGGESTED_SLUG_JAPANESE:
        return whole
    return _cut_at_a_word(title) or whole[:SUGGESTED_SLUG_JAPANESE].strip("-_")


def _cut_at_a_word(title):
    """The longest start of ``title``'s slug that ends with a whole word (価格, never 価)
    and not with a particle (…クラウド, not …クラウドの)."""
    from articles.rendering.japanese import words  # the dictionary loads on first use, not with this module

    best = ""
    for word in words(title):
        candidate = slugify(title[:word.end], allow_unicode=True).strip("-_")
        if len(candidate) > SUGGESTED_SLUG_JAPANESE:
            break
        if word.pos[0] not in ("助詞", "助動詞", "補助記号", "空白"):
            best = candidate
    return best
