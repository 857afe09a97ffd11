"""The forms of an article in the desk: the editor, its live preview, a workflow step,
a comment and a one-click writing fix."""


from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.forms.fields import BodyField, LocalTimeField, ProseField, TagNamesField, WithBody, tag_string
from articles.models import PUBLIC_NOTE_MAX_LENGTH, Article, Category, Comment, Image, PublicNote
from articles.publishing.editing import Content
from articles.rendering.text import (
    suggested_slug,
    validate_safe_slug,
)


class ArticleForm(WithBody, forms.Form):
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
            "companies": tag_string(revision.companies),
            "topics": tag_string(revision.topics),
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


class LivePreviewForm(WithBody, forms.Form):
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


class TransitionForm(forms.Form):
    note = ProseField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when requesting changes: say what needs to change."),
    )
    publish_at = LocalTimeField(
        label=_("Publish at"), required=False,
        help_text=_("Leave empty to publish now. Times are in Japan time (Asia/Tokyo)."),
    )
    unpublish_at = LocalTimeField(
        label=_("Readers see it until"), required=False,
        help_text=_("Then it leaves the site by itself (an embargo's end, a notice's last day). Japan time."),
    )

    override_reason = ProseField(
        label=_("Reason to approve despite the errors"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail."),
    )
    # The revision the review page showed: approving and publishing are of that version.
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # What readers are told of a new version of a live article (articles.models.PublicNote).
    public_note_kind = forms.ChoiceField(
        label=_("Tell readers"), required=False, choices=[("", _("Nothing")), *PublicNote.Kind.choices],
    )
    public_note = ProseField(
        label=_("Note for readers"), required=False, max_length=PUBLIC_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown under the article with today's date, in the feeds and to partners. Kept for good."),
    )

    def __init__(self, *args, action=None, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.action in ("approve", "publish", "publish_correction") and cleaned.get("revision") is None:
            raise forms.ValidationError(
                _("This page does not say which version you read. Reload it, read the article, then try again.")
            )
        kind, text = cleaned.get("public_note_kind"), cleaned.get("public_note", "")
        if kind and not text:
            self.add_error("public_note", _("Write what readers should know of this change."))
        elif text and not kind:
            self.add_error("public_note_kind", _("Say whether the note is a correction or an update."))
        return cleaned

    @property
    def note_for_readers(self):
        """``(kind, text)`` for ``apply_transition(public_note=…)``, or None."""
        kind = self.cleaned_data.get("public_note_kind")
        return (kind, self.cleaned_data["public_note"]) if kind else None

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
