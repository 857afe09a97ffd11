"""Revisions, optimistic locking, and live content that edits do not touch."""

import pytest
from django.urls import reverse

from articles.models import Article, Status
from articles.publishing import permissions, workflow
from articles.publishing.editing import Content, EditConflict, create_article, restore_revision, save_working_copy
from articles.rendering.diff import diff_contents, diff_text

pytestmark = pytest.mark.django_db


def content(**changes):
    fields = {"title": "元のタイトル", "slug": "original", "body": "一行目\n二行目", "companies": ("NVIDIA",),
              "topics": ("LLM",)}
    fields.update(changes)
    return Content(**fields)


@pytest.fixture
def draft(writer):
    return create_article(content(), writer)


def publish(article, writer, editor):
    workflow.apply_transition(article, "submit", writer)
    workflow.apply_transition(article, "approve", editor)
    workflow.apply_transition(article, "publish", editor)


def test_every_save_stores_a_revision(draft, writer):
    assert draft.version == 1 and draft.revisions.count() == 1
    revision = save_working_copy(draft, content(title="新しいタイトル"), writer, base_version=1)
    assert revision.version == 2 and revision.author == writer
    assert draft.version == 2 and draft.latest_revision == revision
    assert draft.title == "新しいタイトル"  # not live: the columns follow the working copy
    assert [r.title for r in draft.revisions.all()] == ["新しいタイトル", "元のタイトル"]


def test_a_save_without_changes_stores_nothing(draft, writer):
    assert save_working_copy(draft, content(), writer, base_version=1) is None
    assert draft.version == 1 and draft.revisions.count() == 1


def test_aliases_are_stored_as_the_company(draft, writer):
    save_working_copy(draft, content(companies=("aws", "ＮＶＩＤＩＡ")), writer, base_version=1)
    assert draft.latest_revision.companies == ["Amazon", "NVIDIA"]
    assert sorted(draft.companies.names()) == ["Amazon", "NVIDIA"]


def test_a_stale_save_is_refused_and_changes_nothing(draft, writer, editor):
    save_working_copy(draft, content(body="編集者の修正"), editor, base_version=1)
    with pytest.raises(EditConflict) as raised:
        save_working_copy(draft, content(body="記者の古い版からの修正"), writer, base_version=1)
    assert raised.value.article.version == 2
    draft.refresh_from_db()
    assert draft.body == "編集者の修正" and draft.version == 2


def test_editing_a_published_article_does_not_change_what_readers_see(draft, writer, editor, second_editor, client):
    publish(draft, writer, editor)
    url = draft.get_absolute_url()
    assert "一行目" in client.get(url).content.decode()

    save_working_copy(draft, content(title="改訂版", body="改訂した本文", topics=("推論",)), editor,
                      base_version=draft.version)
    assert draft.status == Status.DRAFT  # the change goes through review again
    assert draft.is_live
    assert draft.transitions.first().action == "revise"
    page = client.get(url).content.decode()
    assert "一行目" in page and "改訂した本文" not in page and "改訂版" not in page
    assert client.get("/topics/%E6%8E%A8%E8%AB%96/").status_code == 404  # the new tag is not public yet

    workflow.apply_transition(draft, "submit", editor)
    workflow.apply_transition(draft, "approve", second_editor)
    published_at = draft.published_at
    workflow.apply_transition(draft, "publish", second_editor)
    page = client.get(url).content.decode()
    assert "改訂した本文" in page and "改訂版" in page
    assert draft.published_at == published_at  # an update keeps the original date and address
    assert draft.last_published_at > published_at


def test_writers_cannot_edit_what_is_in_review(draft, writer):
    workflow.apply_transition(draft, "submit", writer)
    assert not permissions.can_edit(writer, draft)


def test_restore_makes_an_old_revision_the_working_copy_again(draft, writer):
    save_working_copy(draft, content(title="二版目", body="書き換えた"), writer, base_version=1)
    old = draft.revisions.get(version=1)
    restored = restore_revision(draft, old, writer, base_version=2)
    assert restored.version == 3 and restored.restored_from == old
    assert draft.title == "元のタイトル" and draft.body == "一行目\n二行目"
    assert draft.revisions.count() == 3


def test_diff_marks_changed_japanese_characters_not_whole_lines():
    lines = diff_text("AmazonのAIチップは速い。\n同じ行", "AmazonのAIチップはとても速い。\n同じ行")
    old, new = [line for line in lines if line.kind.startswith("replace")]
    assert str(new.html) == "AmazonのAIチップは<ins>とても</ins>速い。"
    assert "<del>" not in str(old.html)
    assert lines[-1].kind == "equal"


def test_diff_escapes_html():
    lines = diff_text("<b>", "<script>")
    assert "<script>" not in "".join(str(line.html) for line in lines)


def test_diff_of_contents_lists_changed_fields_only(draft, writer):
    save_working_copy(draft, content(title="新題", companies=("Google",)), writer, base_version=1)
    old, new = draft.revisions.get(version=1), draft.revisions.get(version=2)
    names = [field.name for field in diff_contents(old.content(), new.content())]
    assert names == ["title", "companies"]


def test_deleting_a_user_keeps_their_articles_and_history(draft, writer, editor, client):
    from articles.models import Comment
    from articles.publishing import workflow

    Comment.objects.create(article=draft, author=writer, body="確認お願いします")
    workflow.apply_transition(draft, "submit", writer)
    writer.delete()
    article = Article.objects.get(pk=draft.pk)
    assert article.owner is None and article.revisions.count() == 1
    # Their name stays wherever their work is recorded.
    client.force_login(editor)
    review = client.get(reverse("desk:review", kwargs={"pk": article.pk})).content.decode()
    history = client.get(reverse("desk:history", kwargs={"pk": article.pk})).content.decode()
    assert review.count("Writer") >= 2  # the audit trail and the comment
    assert "Writer" in history
