"""What a newsroom uses every day besides the workflow (issue 25, item 14): one person
types in an article at a time and another may take it over; an article can leave the
site at a time given in advance (an embargo's end, a notice's last day); a writer, an
editor and a due time are assigned, and the dashboard and calendar show them."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Notification, Status, Transition
from articles.reading import caching

pytestmark = pytest.mark.django_db


def form(article, **changes):
    revision = article.latest_revision
    data = {"title": revision.title, "slug": revision.slug, "byline": "", "category": "", "companies": "",
            "topics": "", "excerpt": revision.excerpt, "body": revision.body, "cover": "", "version": article.version}
    data.update(changes)
    return data


@pytest.fixture
def draft(make_article, writer):
    return make_article(title="ロックの記事", slug="locked", body="最初の本文。", status=Status.DRAFT, owner=writer)


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    other = Client()
    other.force_login(editor)
    return other


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


class TestLock:
    def test_the_second_person_reads_and_is_told_who_is_editing(self, writer_client, editor_client, draft):
        assert writer_client.get(reverse("desk:edit", args=[draft.pk])).status_code == 200
        page = text_of(editor_client.get(reverse("desk:edit", args=[draft.pk])))
        assert "Writerさんがこの記事を編集中です" in page
        assert re.search(r'<fieldset class="editor-lockable" id="editor-lockable" disabled>', page)
        assert "編集を引き継ぐ" in page
        # The writer's own page is editable and shows no lock.
        own = text_of(writer_client.get(reverse("desk:edit", args=[draft.pk])))
        assert 'id="editor-lockable">' in own

    def test_a_save_by_someone_else_is_refused_and_their_text_kept(self, writer_client, editor_client, draft):
        writer_client.get(reverse("desk:edit", args=[draft.pk]))
        response = editor_client.post(reverse("desk:edit", args=[draft.pk]), form(draft, body="編集者の本文。"))
        assert response.status_code == 409
        assert "編集者の本文。" in response.content.decode()
        assert "保存していません" in text_of(response)
        autosave = editor_client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="編集者の打ちかけ。"))
        assert autosave.status_code == 423 and autosave.json()["lock"]["name"] == "Writer"
        draft.refresh_from_db()
        assert draft.latest_revision.body == "最初の本文。"

    def test_taking_over_moves_the_lock_and_is_in_the_history(self, writer_client, editor_client, draft):
        writer_client.get(reverse("desk:edit", args=[draft.pk]))
        response = editor_client.post(reverse("desk:take-over", args=[draft.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("desk:edit", args=[draft.pk])
        assert 'id="editor-lockable">' in text_of(editor_client.get(reverse("desk:edit", args=[draft.pk])))
        saved = editor_client.post(reverse("desk:edit", args=[draft.pk]), form(draft, body="編集者の本文。"))
        assert saved.status_code == 302
        # The writer's page hears it at its next sign of life, and its saves are refused.
        beat = writer_client.post(reverse("desk:presence", args=[draft.pk]), {"editing": "1"}).json()
        assert beat["lock"]["mine"] is False and beat["lock"]["name"] == "Editor"
        refused = writer_client.post(reverse("desk:autosave", args=[draft.pk]),
                                     form(draft, body="記者の打ちかけ。", version=draft.version + 1))
        assert refused.status_code == 423
        taken = Transition.objects.get(article=draft, action="take_over")
        assert taken.user.username == "editor" and taken.data == {"from": "Writer"}
        trail = text_of(editor_client.get(reverse("desk:review", args=[draft.pk])))
        assert "Writerさんから編集を引き継ぎました" in trail

    def test_a_page_that_went_quiet_lets_go(self, writer_client, editor_client, draft):
        writer_client.get(reverse("desk:edit", args=[draft.pk]))
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
            page = text_of(editor_client.get(reverse("desk:edit", args=[draft.pk])))
            assert 'id="editor-lockable">' in page and "<p data-lock-text></p>" in page
            assert Transition.objects.filter(action="take_over").count() == 0

    def test_the_goodbye_frees_the_article(self, writer_client, editor_client, draft):
        writer_client.get(reverse("desk:edit", args=[draft.pk]))
        writer_client.post(reverse("desk:presence", args=[draft.pk]), {"leaving": "1"})
        assert editor_client.post(reverse("desk:presence", args=[draft.pk])).json()["lock"] is None
        assert 'id="editor-lockable">' in text_of(editor_client.get(reverse("desk:edit", args=[draft.pk])))

    def test_a_reading_page_takes_no_lock_but_an_editing_page_does(self, writer_client, editor_client, draft):
        # The writer's page is open for reading only (it says so); the editor's edits.
        assert writer_client.post(reverse("desk:presence", args=[draft.pk])).json()["lock"] is None
        mine = editor_client.post(reverse("desk:presence", args=[draft.pk]), {"editing": "1"}).json()["lock"]
        assert mine["mine"] is True

    def test_someone_who_may_not_edit_cannot_take_over(self, client, other_writer, writer_client, draft):
        writer_client.get(reverse("desk:edit", args=[draft.pk]))
        client.force_login(other_writer)
        assert client.post(reverse("desk:take-over", args=[draft.pk])).status_code in (403, 404)
        assert not Transition.objects.filter(action="take_over").exists()


@pytest.fixture
def live(make_article, writer):
    return make_article(title="期限付きのお知らせ", slug="notice", body="受付は今週まで。", owner=writer)


def set_end(client, article, when):
    return client.post(reverse("desk:transition", args=[article.pk, "schedule_unpublish"]),
                       {"unpublish_at": timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"),
                        "revision": article.latest_revision_id})


class TestEndOfPublication:
    def test_the_article_leaves_the_site_when_its_end_comes(self, client, editor_client, live, writer):
        end = timezone.now() + dt.timedelta(hours=2)
        assert set_end(editor_client, live, end).status_code == 302
        live.refresh_from_db()
        assert live.unpublish_at == end.replace(second=0, microsecond=0) and live.status == Status.PUBLISHED
        assert "掲載終了" in text_of(editor_client.get(reverse("desk:review", args=[live.pk])))
        address = live.get_absolute_url()
        assert client.get(address).status_code == 200
        assert "期限付きのお知らせ" in client.get("/").content.decode()  # the home page is stored now
        with time_machine.travel(end + dt.timedelta(minutes=1)):
            assert client.get(address).status_code == 410
            assert "期限付きのお知らせ" not in client.get("/").content.decode()
            assert "期限付きのお知らせ" not in client.get("/feed/").content.decode()
            assert client.get(f"/api/v1/articles/{live.slug}/").status_code == 404
        live.refresh_from_db()
        assert live.status == Status.UNPUBLISHED and live.unpublish_at is None
        ended = Transition.objects.get(article=live, action="end_publication")
        assert ended.user is None and ended.from_status == Status.PUBLISHED
        # The writer hears of it.
        assert Notification.objects.filter(recipient=writer, transition=ended).exists()

    def test_the_end_must_come_after_now_and_after_the_publication(self, editor_client, live, make_article):
        refused = set_end(editor_client, live, timezone.now() - dt.timedelta(minutes=5))
        assert refused.status_code == 409 and "これから先の日時" in text_of(refused)
        scheduled = make_article(published_at=timezone.now() + dt.timedelta(days=2))
        refused = set_end(editor_client, scheduled, timezone.now() + dt.timedelta(days=1))
        assert refused.status_code == 409 and "より後の日時を指定" in text_of(refused)
        assert not Article.objects.filter(unpublish_at__isnull=False).exists()

    def test_cancelling_the_end_keeps_the_article(self, client, editor_client, live):
        end = timezone.now() + dt.timedelta(hours=1)
        set_end(editor_client, live, end)
        cancel = editor_client.post(reverse("desk:transition", args=[live.pk, "cancel_unpublish"]),
                                    {"revision": live.latest_revision_id})
        assert cancel.status_code == 302
        with time_machine.travel(end + dt.timedelta(minutes=1)):
            assert client.get(live.get_absolute_url()).status_code == 200
        assert [t.action for t in Transition.objects.filter(article=live).order_by("id")][-2:] == [
            "schedule_unpublish", "cancel_unpublish"]

    def test_only_editors_set_an_end(self, writer_client, live):
        assert set_end(writer_client, live, timezone.now() + dt.timedelta(hours=1)).status_code == 403
        live.refresh_from_db()
        assert live.unpublish_at is None

    def test_an_end_coming_unseen_is_taken_care_of_by_the_next_reader(self, client, editor_client, live):
        end = timezone.now() + dt.timedelta(minutes=30)
        set_end(editor_client, live, end)
        caching.generation()  # the generation is read (and cached with the end's time) now
        with time_machine.travel(end + dt.timedelta(hours=5)):
            assert "期限付きのお知らせ" not in client.get("/").content.decode()
        assert Article.objects.get(pk=live.pk).status == Status.UNPUBLISHED


class TestAssignments:
    def assign(self, client, article, writer, editor=None, due=None):
        return client.post(reverse("desk:assign", args=[article.pk]), {
            "writer": writer.pk, "editor": editor.pk if editor else "",
            "due_at": timezone.localtime(due).strftime("%Y-%m-%dT%H:%M") if due else ""})

    def test_an_editor_assigns_and_the_people_see_it_on_their_dashboards(
            self, client, editor_client, draft, writer, other_writer, second_editor, committed):
        due = timezone.now() + dt.timedelta(days=1)
        with committed():
            response = self.assign(editor_client, draft, other_writer, second_editor, due)
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.owner == other_writer and draft.assigned_editor == second_editor
        assert draft.due_at == due.replace(second=0, microsecond=0)
        for person in (other_writer, second_editor):
            client.force_login(person)
            page = text_of(client.get(reverse("desk:dashboard")))
            assert "担当の記事" in page and "ロックの記事" in page and "締切" in page
            assert Notification.objects.filter(recipient=person, transition__action="assign").exists()
        assert {message.to[0] for message in mail.outbox} == {"other@example.com", "editor2@example.com"}
        assert "締切" in mail.outbox[0].body
        trail = text_of(editor_client.get(reverse("desk:review", args=[draft.pk])))
        assert "担当を決めました" in trail

    def test_overdue_work_is_marked_and_the_calendar_shows_due_times(self, client, editor_client, draft, writer):
        due = timezone.now() + dt.timedelta(hours=3)
        self.assign(editor_client, draft, writer, None, due)
        calendar = text_of(editor_client.get(reverse("desk:calendar") + f"?month={timezone.localtime(due):%Y-%m}"))
        assert "締切:" in calendar and "ロックの記事" in calendar
        with time_machine.travel(due + dt.timedelta(hours=1)):
            client.force_login(writer)
            assert "期限切れ" in text_of(client.get(reverse("desk:dashboard")))

    def test_only_editors_assign_and_only_to_people_who_can_do_it(self, writer_client, editor_client, draft,
                                                                   writer, editor, other_writer):
        assert self.assign(writer_client, draft, other_writer).status_code == 403
        refused = self.assign(editor_client, draft, writer, other_writer)  # a writer as the editor
        assert refused.status_code == 400
        draft.refresh_from_db()
        assert draft.owner == writer and draft.assigned_editor is None

    def test_a_live_article_keeps_its_writer(self, editor_client, live, other_writer, writer):
        refused = self.assign(editor_client, live, other_writer)
        assert refused.status_code == 400 and "記者" in text_of(refused)
        live.refresh_from_db()
        assert live.owner == writer
