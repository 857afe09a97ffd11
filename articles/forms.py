from types import SimpleNamespace

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags

from .editing import Content
from .models import Article, Category, Comment


class ArticleForm(forms.Form):
    """The desk's editor: the working copy's content plus the version it started from."""

    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=200,
        allow_unicode=True,
        required=False,
        help_text=_("The end of the article's address. Left empty, it is made from the title."),
    )
    byline = forms.CharField(
        label=_("Byline"), max_length=200, required=False,
        help_text=_("The credit readers see, e.g. ALLFORCES編集部."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("(none)")
    )
    companies = TagField(
        label=_("Companies"), required=False,
        help_text=_("Separated by commas. Aliases such as AWS become the company (Amazon)."),
    )
    topics = TagField(label=_("Topics"), required=False, help_text=_("Separated by commas."))
    excerpt = forms.CharField(
        label=_("Excerpt"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences for lists and search results. Not the title again."),
    )
    body = forms.CharField(
        label=_("Body (Markdown)"), required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

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
            "version": article.version,
        }

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("title")
        if title and not cleaned.get("slug"):
            cleaned["slug"] = slugify(title, allow_unicode=True)[:200]
            if not cleaned["slug"]:
                self.add_error("slug", _("Give the article an address: the title has no letters to make one from."))
        slug = cleaned.get("slug")
        if slug:
            others = Article.objects.filter(slug=slug)
            if self.article is not None:
                others = others.exclude(pk=self.article.pk)
            if others.exists():
                self.add_error("slug", _("Another article already uses this address. Choose another slug."))
        return cleaned

    def content(self):
        data = self.cleaned_data
        return Content(
            title=data["title"],
            slug=data["slug"],
            excerpt=data["excerpt"].strip(),
            body=data["body"].replace("\r\n", "\n"),
            byline=data["byline"].strip(),
            category=data["category"],
            companies=tuple(data["companies"]),
            topics=tuple(data["topics"]),
        )


def _tag_string(names):
    return edit_string_for_tags([SimpleNamespace(name=name) for name in names])


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when requesting changes: say what needs to change."),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish now. Times are in Japan time (Asia/Tokyo)."),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    override_reason = forms.CharField(
        label=_("Reason to approve despite the errors"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail."),
    )

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
