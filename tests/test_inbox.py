"""The desk's inbox: what happened to my articles, an unread count in the header, and
a marker on the dashboard for a draft sent back (issue 12, item 11)."""

import pytest
from django.urls import reverse

from articles.models import Article, Comment, Notification, Status
from articles.publishing import workflow

pytestmark = pytest.mark.django_db

INBOX = reverse("desk:inbox")


def unread_badge(client):
    page = client.get(reverse("desk:dashboard")).content.decode()
    marker = 'class="unread-count"><span aria-hidden="true">'
    if marker not in page:
        return 0
    return int(page.split(marker, 1)[1].split("<", 1)[0])


@pytest.fixture
def submitted(make_article, writer):
    article = make_article(title="受信箱のための記事", status=Status.DRAFT, owner=writer)
    workflow.apply_transition(article, "submit", writer)
    return Article.objects.get(pk=article.pk)


def test_a_submission_reaches_every_editors_inbox(client, editor, second_editor, submitted, writer):
    for person in (editor, second_editor):
        client.force_login(person)
        assert unread_badge(client) == 1
        page = client.get(INBOX).content.decode()
        assert "Writerさんが「受信箱のための記事」をレビューに提出しました。" in page
    # The writer did it: nothing for them.
    client.force_login(writer)
    assert unread_badge(client) == 0


def test_changes_requested_with_the_note_and_a_marker_on_the_dashboard(client, editor, writer, submitted):
    workflow.apply_transition(submitted, "request_changes", editor, "見出しをもっと具体的に。")
    client.force_login(writer)
    assert unread_badge(client) == 1
    page = client.get(INBOX).content.decode()
    assert "Editorさんが「受信箱のための記事」の修正を依頼しました。" in page
    assert "見出しをもっと具体的に。" in page
    dashboard = client.get(reverse("desk:dashboard")).content.decode()
    assert "修正依頼あり" in dashboard
    # Submitting again clears the marker.
    workflow.apply_transition(Article.objects.get(pk=submitted.pk), "submit", writer)
    assert "修正依頼あり" not in client.get(reverse("desk:dashboard")).content.decode()


def test_opening_a_notification_reads_it_and_goes_where_the_work_is(client, editor, writer, submitted):
    workflow.apply_transition(submitted, "request_changes", editor, "直してください。")
    client.force_login(writer)
    notification = Notification.objects.get(recipient=writer)
    response = client.get(reverse("desk:notification", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == reverse("desk:edit", args=[submitted.pk])
    assert unread_badge(client) == 0


def test_opening_the_article_reads_what_was_said_about_it(client, editor, submitted):
    client.force_login(editor)
    assert unread_badge(client) == 1
    client.get(reverse("desk:review", args=[submitted.pk]))
    assert unread_badge(client) == 0


def test_approval_publication_and_comments_reach_the_writer(client, editor, second_editor, writer, submitted,
                                                             committed):
    client.force_login(second_editor)
    client.post(reverse("desk:comment", args=[submitted.pk]), {"body": "導入が長いかも。"})
    workflow.apply_transition(submitted, "approve", editor, seen_revision=submitted.latest_revision_id)
    workflow.apply_transition(Article.objects.get(pk=submitted.pk), "publish", editor)
    client.force_login(writer)
    page = client.get(INBOX).content.decode()
    assert "Editor2さんが「受信箱のための記事」にコメントしました。" in page
    assert "導入が長いかも。" in page
    assert "Editorさんが「受信箱のための記事」を承認しました。" in page
    assert "Editorさんが「受信箱のための記事」を公開しました。" in page
    assert unread_badge(client) == 3
    # Newest first.
    assert page.index("公開しました") < page.index("承認しました") < page.index("コメントしました")


def test_a_comment_opens_the_thread(client, editor, writer, submitted):
    client.force_login(editor)
    client.post(reverse("desk:comment", args=[submitted.pk]), {"body": "一点だけ。"})
    notification = Notification.objects.get(recipient=writer, comment__isnull=False)
    client.force_login(writer)
    response = client.get(reverse("desk:notification", args=[notification.pk]))
    assert response.url == reverse("desk:review", args=[submitted.pk]) + "#comments"


def test_someone_without_an_email_address_still_hears(client, editor, writer, submitted):
    writer.email = ""
    writer.save()
    workflow.apply_transition(submitted, "request_changes", editor, "直して。")
    assert Notification.objects.filter(recipient=writer).count() == 1


def test_a_refused_action_leaves_no_trace(editor, writer, submitted):
    with pytest.raises(workflow.NoteRequired):
        workflow.apply_transition(submitted, "request_changes", editor, "")
    assert not Notification.objects.filter(recipient=writer).exists()


def test_mark_all_as_read(client, editor, make_article, writer):
    for n in range(3):
        article = make_article(title=f"記事{n}", status=Status.DRAFT, owner=writer)
        workflow.apply_transition(article, "submit", writer)
    client.force_login(editor)
    assert unread_badge(client) == 3
    client.post(reverse("desk:inbox-read"))
    assert unread_badge(client) == 0
    assert "新着" not in client.get(INBOX).content.decode()


def test_nobody_opens_anothers_notification(client, editor, other_writer, submitted):
    notification = Notification.objects.get(recipient=editor)
    client.force_login(other_writer)
    assert client.get(reverse("desk:notification", args=[notification.pk])).status_code == 404
    assert "受信箱のための記事" not in client.get(INBOX).content.decode()


def test_an_empty_inbox_explains_itself(client, writer):
    client.force_login(writer)
    assert "まだ何もありません" in client.get(INBOX).content.decode()


def test_the_inbox_costs_a_fixed_number_of_queries(client, editor, make_article, writer,
                                                   django_assert_max_num_queries):
    for n in range(20):
        article = make_article(title=f"記事{n}", status=Status.DRAFT, owner=writer)
        workflow.apply_transition(article, "submit", writer)
        Comment.objects.create(article=article, author=writer, body="コメント")
    client.force_login(editor)
    with django_assert_max_num_queries(8):
        client.get(INBOX)
