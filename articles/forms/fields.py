"""The fields every desk form shares: prose without control characters, a body within
the desk's limits that renders, tag names, a long select, a picture within its size;
and Django's own wording of form errors kept in our catalogue."""

from html import escape as _e
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags

from articles.rendering.markdown import RenderError, render
from articles.rendering.text import (
    TAG_NAME_MAX,
    has_control_characters,
    strip_control_characters,
)

# Django's own wording of these form errors, kept in our catalogue: the REST framework's
# (an installed app, so it takes precedence over Django's) words them otherwise.
DJANGO_WORDING = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
]


class TagNamesField(TagField):
    """Comma-separated tag names, each one that fits its column and types no control
    character, and not more of them than ``EDITORIAL_MAX_TAGS``."""

    def clean(self, value):
        limit = settings.EDITORIAL_MAX_TAGS
        # Counted before parsing: ten thousand names are refused without any work.
        if value and value.count(",") >= limit * 2:
            raise forms.ValidationError(self._too_many(limit))
        names = super().clean(value)
        if len(names) > limit:
            raise forms.ValidationError(self._too_many(limit))
        errors = []
        for name in names:
            if len(name) > TAG_NAME_MAX:
                errors.append(forms.ValidationError(
                    _("“%(start)s…” is %(length)d characters long; a tag has at most %(max)d."),
                    params={"start": name[:20], "length": len(name), "max": TAG_NAME_MAX},
                ))
            if has_control_characters(name):
                errors.append(forms.ValidationError(
                    _("“%(name)s” contains an invisible control character. Type it again without it."),
                    params={"name": name[:40]},
                ))
        if errors:
            raise forms.ValidationError(errors)
        return names

    @staticmethod
    def _too_many(limit):
        return ngettext("At most %(max)d tag, please.", "At most %(max)d tags, please.", limit) % {"max": limit}


class LocalTimeField(forms.DateTimeField):
    """A time in the desk's time zone, picked with the browser's date-and-time control."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)


class ProseField(forms.CharField):
    """Text a person typed or pasted: control characters, which nobody types on purpose
    and which XML cannot carry, are dropped."""

    def to_python(self, value):
        return strip_control_characters(super().to_python(value))


class BodyField(ProseField):
    """Markdown within ``EDITORIAL_MAX_BODY_CHARS`` that renders within the bounds.

    ``render()`` remembers its recent results, so the save that follows this check
    does not render the text again.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}))
        super().__init__(**kwargs)
        # Seconds this writer must wait before another text is rendered (articles/throttling.py).
        self.render_wait = 0

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        limit = settings.EDITORIAL_MAX_BODY_CHARS
        if len(value) > limit:
            raise forms.ValidationError(
                _("The body has %(length)s characters; an article may have at most %(max)s. Split it in two, "
                  "or ask an administrator to raise EDITORIAL_MAX_BODY_CHARS."),
                params={"length": f"{len(value):,}", "max": f"{limit:,}"},
            )
        if self.render_wait and value.strip():
            raise forms.ValidationError(
                _("Several of your texts took too long to turn into a page just now. Try again in %(seconds)d s; "
                  "your text is still here."),
                code="throttled", params={"seconds": self.render_wait},
            )
        try:
            render(value)
        except RenderError as exc:
            # Only the text's own excess counts towards the writer's pause (throttling.py).
            raise forms.ValidationError(str(exc), code="render" if exc.code == "text" else "busy") from None


class WithBody:
    """A form whose body may be refused rendering for a while: ``render_wait`` seconds."""

    def __init__(self, *args, render_wait=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].render_wait = render_wait


def tag_string(names):
    return edit_string_for_tags([SimpleNamespace(name=name) for name in names])


class LongSelect(forms.Select):
    """A menu of hundreds of options (every company, every topic), its options written
    here: Django renders each option through a template of its own, and those were most
    of the desk list's time."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{_e(str(key))}"{" selected" if str(key) in chosen else ""}>{_e(str(label))}</option>'
            for key, label in self.choices
        )
        return mark_safe(f'<select name="{_e(name)}"{flatatt(attrs)}>{options}</select>')  # escaped


def within_image_size(file):
    if file and file.size > settings.EDITORIAL_IMAGE_MAX_BYTES:
        raise forms.ValidationError(
            _("The file has %(size)s MB; an image may have at most %(max)s MB.")
            % {"size": f"{file.size / 2**20:.1f}", "max": f"{settings.EDITORIAL_IMAGE_MAX_BYTES / 2**20:.0f}"}
        )
    return file
