"""An urgent correction of a live article when no second editor is there: off unless the
desk turns it on; an editor publishes the working copy with a required note, marked in
the audit trail and told to everyone (issue 12, item 6)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.models import Article, Notification, Status
from articles.publishing import workflow
from articles.publishing.editing import Content, save_working_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected(make_article, writer, editor):
    """A live article whose working copy an editor has corrected (a draft again)."""
    article = make_article(title="決算の記事", body="売上は10億円だった。", owner=writer, slug="results")
    save_working_copy(article, Content(title="決算の記事", slug="results", body="売上は100億円だった。",
                                       excerpt=article.excerpt), editor, base_version=article.version)
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def urgent(settings):
    settings.EDITORIAL_URGENT_CORRECTIONS = True


def correct(article, user, note="桁の誤りを訂正。", **kwargs):
    return workflow.apply_transition(article, "publish_correction", user, note,
                                     seen_revision=article.latest_revision_id, **kwargs)


def test_off_by_default(corrected, editor, client):
    assert "publish_correction" not in [a.name for a in workflow.available_actions(corrected, editor)]
    with pytest.raises(workflow.TransitionNotAllowed):
        correct(corrected, editor)
    client.force_login(editor)
    assert "緊急の訂正として公開" not in client.get(reverse("desk:review", args=[corrected.pk])).content.decode()


def test_an_editor_publishes_a_correction_alone(urgent, corrected, editor, client):
    transition = correct(corrected, editor)
    article = Article.objects.get(pk=corrected.pk)
    assert article.status == Status.PUBLISHED
    assert article.published_revision_id == article.latest_revision_id
    assert "100億円" in client.get(article.get_absolute_url()).content.decode()
    assert transition.note == "桁の誤りを訂正。"
    assert transition.data["urgent"] is True
    client.force_login(editor)
    trail = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    assert "緊急の訂正（レビューなしで公開）" in trail
    assert "桁の誤りを訂正。" in trail


def test_the_note_is_required(urgent, corrected, editor):
    with pytest.raises(workflow.NoteRequired):
        correct(corrected, editor, note="  ")
    assert Article.objects.get(pk=corrected.pk).published_revision_id != corrected.latest_revision_id


def test_only_editors(urgent, corrected, writer):
    with pytest.raises(PermissionDenied):
        correct(corrected, writer)


def test_only_for_a_live_article(urgent, make_article, editor, writer):
    draft = make_article(title="未公開", status=Status.DRAFT, owner=writer)
    with pytest.raises(workflow.TransitionNotAllowed):
        correct(draft, editor)


def test_only_what_the_editor_read(urgent, corrected, editor, writer):
    seen = corrected.latest_revision_id
    save_working_copy(corrected, Content(title="決算の記事", slug="results", body="売上は1000億円だった。",
                                         excerpt=corrected.excerpt), writer, base_version=corrected.version)
    with pytest.raises(workflow.StaleReview):
        workflow.apply_transition(corrected, "publish_correction", editor, "訂正。", seen_revision=seen)


def test_nothing_to_correct_is_refused(urgent, make_article, editor):
    live = make_article(title="そのまま")
    with pytest.raises(workflow.TransitionNotAllowed):
        correct(live, editor)


def test_errors_in_the_checks_need_a_reason(urgent, make_article, writer, editor):
    article = make_article(title="壊れた記事", owner=writer, slug="broken")
    save_working_copy(article, Content(title="壊れた記事", slug="broken", body="{% include x.html %}",
                                       excerpt=article.excerpt), editor, base_version=article.version)
    article = Article.objects.get(pk=article.pk)
    with pytest.raises(workflow.ChecksFailed):
        correct(article, editor)
    transition = correct(article, editor, override_reason="読者に誤りが出ているため。")
    assert transition.data["override_reason"] == "読者に誤りが出ているため。"


def test_the_writer_and_every_other_editor_are_told(urgent, corrected, editor, second_editor, writer):
    correct(corrected, editor)
    told = set(Notification.objects.filter(transition__action="publish_correction")
               .values_list("recipient__username", flat=True))
    assert told == {"writer", "editor2"}


def test_through_the_review_page(urgent, corrected, editor, client):
    client.force_login(editor)
    url = reverse("desk:review", args=[corrected.pk])
    page = client.get(url).content.decode()
    assert "緊急の訂正として公開" in page
    action = reverse("desk:transition", args=[corrected.pk, "publish_correction"])
    refused = client.post(action, {"revision": corrected.latest_revision_id, "note": ""})
    assert refused.status_code == 400
    done = client.post(action, {"revision": corrected.latest_revision_id, "note": "桁の誤り。"}, follow=True)
    assert "訂正を公開しました" in done.content.decode()
    assert Article.objects.get(pk=corrected.pk).published_revision_id == corrected.latest_revision_id
