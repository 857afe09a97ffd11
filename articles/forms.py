import datetime as dt
from html import escape as _e
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.db.models import F
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags

from . import search
from .editing import Content
from .models import CAPTION_MAX_LENGTH, Article, AuthorProfile, Category, Comment, Image, Status, person_name
from .rendering import RenderError, render
from .tags import CompanyTag, TopicTag
from .text import TAG_NAME_MAX, has_control_characters, strip_control_characters, suggested_slug, validate_safe_slug
from .workflow import ACTIONS, BULK_ACTIONS

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


class _WithBody:
    """A form whose body may be refused rendering for a while: ``render_wait`` seconds."""

    def __init__(self, *args, render_wait=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].render_wait = render_wait


class ArticleForm(_WithBody, forms.Form):
    """The desk's editor: the working copy's content plus the version it started from."""

    title = ProseField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=200,
        allow_unicode=True,
        required=False,
        validators=[validate_safe_slug],
        help_text=_("The end of the article's address. Left empty, it is made from the title."),
    )
    byline = ProseField(
        label=_("Byline"), max_length=200, required=False,
        help_text=_("The credit readers see, e.g. ALLFORCES編集部."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("(none)")
    )
    companies = TagNamesField(
        label=_("Companies"), required=False,
        help_text=_("Separated by commas. Aliases such as AWS become the company (Amazon)."),
    )
    topics = TagNamesField(label=_("Topics"), required=False, help_text=_("Separated by commas."))
    excerpt = ProseField(
        label=_("Excerpt"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences for lists and search results. Not the title again."),
    )
    body = BodyField(label=_("Body (Markdown)"), required=False)
    cover = forms.ModelChoiceField(
        label=_("Cover image"), queryset=Image.objects.all(), required=False, widget=forms.HiddenInput,
        help_text=_("Shown above the article, on list cards and when the article is shared."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # A new article's editor page carries a key of its own: however its saves and
    # autosaves race, the page makes one article.
    creation_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, article=None, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, article):
        """The working copy as the form's initial data."""
        revision = article.latest_revision
        return {
            "title": revision.title,
            "slug": revision.slug,
            "byline": revision.byline,
            "category": revision.category_id,
            "companies": _tag_string(revision.companies),
            "topics": _tag_string(revision.topics),
            "excerpt": revision.excerpt,
            "body": revision.body,
            "cover": revision.cover_id,
            "version": article.version,
        }

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("title")
        if title and not cleaned.get("slug") and "slug" not in self.errors:
            cleaned["slug"] = self._free_slug(suggested_slug(title))
            if not cleaned["slug"]:
                self.add_error("slug", _("Give the article an address: the title has no letters to make one from."))
        slug = cleaned.get("slug")
        if slug:
            # GPU-News and gpu-news would be two addresses readers cannot tell apart.
            others = Article.objects.filter(slug__iexact=slug)
            if self.article is not None:
                others = others.exclude(pk=self.article.pk)
            if others.exists():
                self.add_error("slug", _("Another article already uses this address. Choose another slug."))
        return cleaned

    def _free_slug(self, base):
        """``base``, or ``base-2``, ``base-3``… : the first that no other article uses."""
        if not base:
            return base
        taken = {slug.lower() for slug in Article.objects.filter(slug__istartswith=base).exclude(
            pk=getattr(self.article, "pk", None)).values_list("slug", flat=True)}
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def content(self):
        data = self.cleaned_data
        return Content(
            title=data["title"],
            slug=data["slug"],
            excerpt=data["excerpt"].strip(),
            body=data["body"],
            byline=data["byline"].strip(),
            category=data["category"],
            companies=tuple(data["companies"]),
            topics=tuple(data["topics"]),
            cover=data["cover"],
        )


class LivePreviewForm(_WithBody, forms.Form):
    """What the editor sends while the writer types: the same limits as saving."""

    title = ProseField(required=False, max_length=200)
    excerpt = ProseField(required=False)
    body = BodyField(required=False)
    companies = TagNamesField(required=False)
    topics = TagNamesField(required=False)
    cover = forms.ModelChoiceField(queryset=Image.objects.all(), required=False)

    def content(self):
        data = self.cleaned_data
        return Content(
            title=data["title"], slug="", excerpt=data["excerpt"], body=data["body"],
            companies=tuple(data["companies"]), topics=tuple(data["topics"]), cover=data["cover"],
        )


def _tag_string(names):
    return edit_string_for_tags([SimpleNamespace(name=name) for name in names])


class TransitionForm(forms.Form):
    note = ProseField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when requesting changes: say what needs to change."),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish now. Times are in Japan time (Asia/Tokyo)."),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    override_reason = ProseField(
        label=_("Reason to approve despite the errors"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail."),
    )
    # The revision the review page showed: approving and publishing are of that version.
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, action=None, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.action in ("approve", "publish", "publish_correction") and cleaned.get("revision") is None:
            raise forms.ValidationError(
                _("This page does not say which version you read. Reload it, read the article, then try again.")
            )
        return cleaned

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value is not None and value < timezone.now():
            raise forms.ValidationError(_("That time has passed. Leave it empty to publish now."))
        return value


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": _("Comment")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"body": ProseField}


class ImageUploadForm(forms.Form):
    """A picture for the library, with the words that go with it."""

    file = forms.FileField(label=_("Picture"), help_text=_("JPEG, PNG, WebP, GIF or AVIF."))
    alt_text = ProseField(
        label=_("Alt text"), max_length=300,
        help_text=_("What the picture shows, for readers who cannot see it. Required."),
    )
    caption = ProseField(label=_("Caption"), required=False, max_length=CAPTION_MAX_LENGTH,
                         widget=forms.Textarea(attrs={"rows": 2}))
    credit = ProseField(label=_("Credit"), max_length=200, required=False,
                        help_text=_("Who made it or where it comes from, e.g. 写真：ロイター."))

    def clean_file(self):
        return _within_image_size(self.cleaned_data["file"])


class ImageDetailsForm(forms.ModelForm):
    """The words of a library image, and where its crops are centred."""

    class Meta:
        model = Image
        fields = ["alt_text", "caption", "credit", "focal_point_x", "focal_point_y"]
        field_classes = {"alt_text": ProseField, "caption": ProseField, "credit": ProseField}
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 2}),
            "focal_point_x": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.01"}),
            "focal_point_y": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.01"}),
        }

    def clean(self):
        cleaned = super().clean()
        points = [cleaned.get("focal_point_x"), cleaned.get("focal_point_y")]
        if any(point is not None for point in points) and not all(point is not None for point in points):
            raise forms.ValidationError(_("Give both coordinates of the focal point, or neither."))
        if any(point is not None and not 0 <= point <= 1 for point in points):
            raise forms.ValidationError(_("Focal point coordinates run from 0 (left, top) to 1 (right, bottom)."))
        return cleaned


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


class ArticleFilterForm(forms.Form):
    """The desk list's search, filters and order; every field optional."""

    SCHEDULED = "scheduled"
    SORTS = {
        "-updated": (_("Last updated"), ["-updated_at", "-id"]),
        "updated": (_("Least recently updated"), ["updated_at", "id"]),
        "-published": (_("Newest publication"), [F("published_at").desc(nulls_last=True), "-id"]),
        "published": (_("Oldest publication"), [F("published_at").asc(nulls_last=True), "id"]),
        "title": (_("Title"), ["title", "id"]),
    }

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ModelChoiceField(label=_("Author"), required=False, queryset=None, empty_label=_("Anyone"))
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), to_field_name="slug",
        empty_label=_("Any"),
    )
    company = forms.ModelChoiceField(
        label=_("Company"), required=False, queryset=CompanyTag.objects.all(), to_field_name="slug",
        empty_label=_("Any"), widget=LongSelect,
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=TopicTag.objects.all(), to_field_name="slug",
        empty_label=_("Any"), widget=LongSelect,
    )
    since = forms.DateField(label=_("Updated since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Updated until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label=_("Order"), required=False,
                             choices=[(key, label) for key, (label, _order) in SORTS.items()])

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *Status.choices, (self.SCHEDULED, _("Scheduled"))]
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = person_name

    def filter(self, queryset):
        """``queryset`` narrowed and ordered as asked (call after is_valid())."""
        data = self.cleaned_data
        status = data.get("status")
        if status == self.SCHEDULED:
            queryset = queryset.scheduled()
        elif status:
            queryset = queryset.filter(status=status)
        for field, lookup in [("owner", "owner"), ("category", "category"),
                              ("company", "tagged_companies__tag"), ("topic", "tagged_topics__tag")]:
            if data.get(field) is not None:
                queryset = queryset.filter(**{lookup: data[field]})
        tz = timezone.get_current_timezone()
        if data.get("since"):
            queryset = queryset.filter(updated_at__gte=dt.datetime.combine(data["since"], dt.time.min, tzinfo=tz))
        if data.get("until"):
            end = data["until"] + dt.timedelta(days=1)
            queryset = queryset.filter(updated_at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz))
        if data.get("q"):
            queryset = search.matching(queryset, data["q"])
        return queryset.order_by(*self.SORTS[data.get("sort") or "-updated"][1])


class BulkActionForm(forms.Form):
    """One workflow action for the articles ticked in the desk's list."""

    action = forms.ChoiceField(label=_("Action"), choices=[])
    note = ProseField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when requesting changes; goes into each article's audit trail."),
    )
    # "<article id>:<revision id>": the version the list showed, so that approving or
    # publishing never takes a text nobody has seen.
    articles = forms.Field(label=_("Articles"), required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(name, ACTIONS[name].label) for name in BULK_ACTIONS]

    def clean_articles(self):
        pairs = []
        for value in self.cleaned_data["articles"] or []:
            # Both numbers, always: an action without the version read would take a text
            # nobody saw.
            pk, _sep, revision = value.partition(":")
            if not (pk.isascii() and pk.isdigit() and revision.isascii() and revision.isdigit()):
                raise forms.ValidationError(_("The list was not read correctly. Reload it and try again."))
            pairs.append((int(pk), int(revision)))
        if not pairs:
            raise forms.ValidationError(_("Choose the articles first (tick them in the list)."))
        return pairs


class FixForm(forms.Form):
    """A mechanical fix: replace ``old`` by ``new`` in the prose; on the review page, of
    the version the page showed; in the editor, of the text being typed."""

    old = forms.CharField(max_length=100, strip=False)
    new = forms.CharField(max_length=100, strip=False)
    version = forms.IntegerField(required=False)
    title = ProseField(required=False, max_length=200, strip=False)
    excerpt = ProseField(required=False, strip=False)
    body = ProseField(required=False, strip=False, max_length=settings.EDITORIAL_MAX_BODY_CHARS)

    def __init__(self, *args, with_text=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_text:
            for name in ("title", "excerpt", "body"):
                del self.fields[name]
        else:
            del self.fields["version"]

    def clean_version(self):
        if self.cleaned_data["version"] is None:
            raise forms.ValidationError(_("This page does not say which version it showed. Reload it."))
        return self.cleaned_data["version"]


class AuthorProfileForm(forms.ModelForm):
    """A writer's page for readers, as the writer keeps it: name, address, words and a
    picture (uploaded here into the library)."""

    picture_file = forms.FileField(label=_("Picture"), required=False,
                                   help_text=_("A square photo works best. JPEG, PNG, WebP, GIF or AVIF."))
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    class Meta:
        model = AuthorProfile
        fields = ["name", "slug", "bio"]
        field_classes = {"name": ProseField, "bio": ProseField}
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean_picture_file(self):
        return _within_image_size(self.cleaned_data["picture_file"])


def _within_image_size(file):
    if file and file.size > settings.EDITORIAL_IMAGE_MAX_BYTES:
        raise forms.ValidationError(
            _("The file has %(size)s MB; an image may have at most %(max)s MB.")
            % {"size": f"{file.size / 2**20:.1f}", "max": f"{settings.EDITORIAL_IMAGE_MAX_BYTES / 2**20:.0f}"}
        )
    return file
