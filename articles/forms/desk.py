"""The desk's forms besides the editor's: the list's filters and bulk step, an assignment."""

import datetime as dt

from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.forms.fields import LocalTimeField, LongSelect, ProseField
from articles.models import Article, Category, Status, person_name
from articles.models.tags import CompanyTag, TopicTag
from articles.publishing import permissions
from articles.publishing.workflow import ACTIONS, BULK_ACTIONS
from articles.reading import search


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


class FrontPageForm(forms.Form):
    """One change to the front page (articles/views/front_page.py)."""

    action = forms.ChoiceField(choices=[(name, name) for name in ("add", "until", "up", "down", "remove")])
    article = forms.ModelChoiceField(queryset=Article.objects.all(), label=_("Article"),
                                     error_messages={"invalid_choice": _("That article does not exist.")})
    until = LocalTimeField(
        label=_("On the front page until (Japan time)"), required=False,
        help_text=_("Leave empty to keep it there until you take it off."),
    )


class AssignmentForm(forms.Form):
    """Who writes an article, who edits it, and by when (publishing/assignments.py)."""

    writer = forms.ModelChoiceField(label=_("Written by"), queryset=None)
    editor = forms.ModelChoiceField(label=_("Edited by"), queryset=None, required=False, empty_label=_("Nobody yet"))
    due_at = LocalTimeField(
        label=_("Due"), required=False,
        help_text=_("When the text should be ready for review. Japan time."),
    )

    def __init__(self, *args, article=None, **kwargs):
        if article is not None and not args:
            kwargs.setdefault("initial", {"writer": article.owner_id, "editor": article.assigned_editor_id,
                                          "due_at": article.due_at and timezone.localtime(article.due_at)})
        super().__init__(*args, **kwargs)
        self.fields["writer"].queryset = permissions.people_with(permissions.WRITER_PERMISSION)
        self.fields["editor"].queryset = permissions.people_with(permissions.EDITOR_PERMISSION)
        for name in ("writer", "editor"):
            self.fields[name].label_from_instance = person_name
