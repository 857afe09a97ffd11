"""The editor saves the working copy on its own, never into a conflict with the person
typing, and says who else has the article open (issue 12, item 10)."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, EditingPresence, Revision, Status
from articles.publishing.editing import Content, save_working_copy

pytestmark = pytest.mark.django_db


def form(article=None, **changes):
    data = {"title": "自動保存の記事", "slug": "autosaved", "byline": "", "category": "", "companies": "",
            "topics": "", "excerpt": "抜粋", "body": "書いている途中。", "cover": "",
            "version": article.version if article else 0}
    data.update(changes)
    return data


@pytest.fixture
def draft(make_article, writer):
    return make_article(title="自動保存の記事", slug="autosaved", body="最初の本文。", excerpt="抜粋",
                        status=Status.DRAFT, owner=writer)


class TestAutosave:
    def test_the_working_copy_is_saved_and_marked(self, client, writer, draft):
        client.force_login(writer)
        response = client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="打ちかけの本文。"))
        assert response.status_code == 200
        result = response.json()
        draft.refresh_from_db()
        assert result["version"] == draft.version == 2
        assert draft.latest_revision.body == "打ちかけの本文。" and draft.latest_revision.autosaved
        history = client.get(reverse("desk:history", args=[draft.pk])).content.decode()
        assert "自動保存" in history

    def test_the_persons_own_save_never_conflicts_with_their_autosaves(self, client, writer, draft):
        client.force_login(writer)
        seen = draft.version
        client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="一回目。"))
        client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="二回目。", version=seen))
        # The page still says the version it was opened at (an answer was lost, say).
        response = client.post(reverse("desk:edit", args=[draft.pk]), form(draft, body="保存した本文。", version=seen))
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.latest_revision.body == "保存した本文。" and not draft.latest_revision.autosaved

    def test_a_save_after_an_autosave_of_the_same_text_says_saved(self, client, writer, draft):
        client.force_login(writer)
        client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="同じ本文。"))
        page = client.post(reverse("desk:edit", args=[draft.pk]), form(draft, body="同じ本文。", version=2),
                           follow=True).content.decode()
        assert "第2版として保存しました。" in page

    def test_someone_elses_save_stops_autosave_and_stores_nothing(self, client, writer, editor, draft):
        seen = draft.version
        save_working_copy(draft, Content(title="編集者の版", slug="autosaved", body="編集者の本文。", excerpt="抜粋"),
                          editor, base_version=seen)
        client.force_login(writer)
        response = client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="私の本文。", version=seen))
        assert response.status_code == 409
        assert "Editorさん" in response.json()["error"]
        draft.refresh_from_db()
        assert draft.latest_revision.body == "編集者の本文。"
        # And the writer's own save then shows the conflict, with their text kept.
        conflict = client.post(reverse("desk:edit", args=[draft.pk]), form(draft, body="私の本文。", version=seen))
        assert conflict.status_code == 409 and "私の本文。" in conflict.content.decode()

    def test_someone_elses_autosave_is_a_conflict_too(self, client, writer, editor, draft):
        seen = draft.version
        client.force_login(editor)
        client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="編集者の打ちかけ。"))
        client.force_login(writer)
        response = client.post(reverse("desk:edit", args=[draft.pk]), form(draft, body="私の本文。", version=seen))
        assert response.status_code == 409

    def test_nothing_changed_stores_nothing(self, client, writer, draft):
        client.force_login(writer)
        response = client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="最初の本文。"))
        assert response.json()["version"] == 1
        assert Revision.objects.filter(article=draft).count() == 1

    def test_a_new_article_is_created_by_its_first_autosave(self, client, writer):
        client.force_login(writer)
        result = client.post(reverse("desk:autosave-new"), form(title="新しい記事", slug="")).json()
        article = Article.objects.get(title="新しい記事")
        assert article.owner == writer and article.status == Status.DRAFT
        assert result["edit_url"] == reverse("desk:edit", args=[article.pk])
        assert result["autosave_url"] == reverse("desk:autosave", args=[article.pk])
        assert result["draft_key"] == f"article-{article.pk}"
        assert article.latest_revision.autosaved

    def _key_of_a_new_page(self, client):
        page = client.get(reverse("desk:new")).content.decode()
        return re.search(r'name="creation_key" value="([0-9a-f]{32})"', page)[1]

    def test_one_editor_page_makes_one_article_when_save_follows_an_autosave(self, client, writer):
        """Issue 20, item 3: 保存 pressed while the first autosave is in flight."""
        client.force_login(writer)
        key = self._key_of_a_new_page(client)
        client.post(reverse("desk:autosave-new"), form(title="一つだけ", slug="", creation_key=key))
        response = client.post(reverse("desk:new"), form(title="一つだけ", slug="", body="保存した本文。",
                                                         creation_key=key, then=""))
        article = Article.objects.get(title="一つだけ")
        assert response.status_code == 302 and response["Location"] == reverse("desk:edit", args=[article.pk])
        assert article.latest_revision.body == "保存した本文。" and not article.latest_revision.autosaved

    def test_one_editor_page_makes_one_article_when_an_autosave_follows_a_save(self, client, writer):
        """An autosave sent before the save, answered after it, carries older text: it
        neither makes a second article nor overwrites the save."""
        client.force_login(writer)
        key = self._key_of_a_new_page(client)
        client.post(reverse("desk:new"), form(title="一つだけ", slug="", body="保存した本文。", creation_key=key,
                                              then=""))
        response = client.post(reverse("desk:autosave-new"), form(title="一つだけ", slug="", body="古い本文。",
                                                                  creation_key=key))
        assert response.status_code == 409
        assert Article.objects.get(title="一つだけ").latest_revision.body == "保存した本文。"

    def test_a_save_that_loses_the_race_continues_the_article(self, client, writer, monkeypatch):
        """Both requests looked before either made the article: the database decides."""
        from articles.views import access

        client.force_login(writer)
        key = self._key_of_a_new_page(client)
        client.post(reverse("desk:autosave-new"), form(title="一つだけ", slug="", creation_key=key))
        looked = iter([None])  # the save's first look finds nothing; later looks find the article
        original = access.made_by_this_page
        monkeypatch.setattr(access, "made_by_this_page", lambda request: next(looked, None) or original(request))
        from articles.views import desk
        monkeypatch.setattr(desk, "made_by_this_page", access.made_by_this_page)
        client.post(reverse("desk:new"), form(title="一つだけ", slug="one-only", body="保存した本文。",
                                              creation_key=key, then=""))
        article = Article.objects.get(title="一つだけ")
        assert article.latest_revision.body == "保存した本文。"

    def test_another_persons_key_makes_nothing_of_theirs(self, client, writer, other_writer):
        client.force_login(writer)
        key = self._key_of_a_new_page(client)
        client.post(reverse("desk:autosave-new"), form(title="私の記事", slug="", creation_key=key))
        client.force_login(other_writer)
        client.post(reverse("desk:autosave-new"), form(title="他人の記事", slug="theirs", creation_key=key))
        assert Article.objects.get(title="私の記事").latest_revision.title == "私の記事"

    def test_an_autosave_after_submitting_is_answered_not_logged(self, client, writer, draft, caplog):
        """Issue 28, item 2: a refused autosave left a PermissionDenied traceback."""
        draft.status = Status.IN_REVIEW
        draft.save(update_fields=["status"])
        client.force_login(writer)
        with caplog.at_level("WARNING", logger="django.request"):
            response = client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, body="遅れた自動保存。"))
        assert response.status_code == 403 and "レビュー" in response.json()["error"]
        assert not [record for record in caplog.records if record.exc_info]
        assert draft.latest_revision.body == "最初の本文。"

    def test_an_incomplete_form_is_refused_with_the_reason(self, client, writer, draft):
        client.force_login(writer)
        response = client.post(reverse("desk:autosave", args=[draft.pk]), form(draft, title=""))
        assert response.status_code == 400
        assert "タイトル" in response.json()["error"]
        assert Revision.objects.filter(article=draft).count() == 1

    def test_only_those_who_may_edit(self, client, other_writer, draft):
        client.force_login(other_writer)
        assert client.post(reverse("desk:autosave", args=[draft.pk]), form(draft)).status_code == 404
        assert client.get(reverse("desk:autosave", args=[draft.pk])).status_code == 405


class TestAutosavesInARowKeepOneRevision:
    """Issue 22: every autosave stored a whole revision, every few seconds while someone
    typed. A person's autosaves in a row now update one revision, still shown as 自動保存."""

    def autosave(self, client, draft, body, version=None):
        response = client.post(reverse("desk:autosave", args=[draft.pk]),
                               form(draft, body=body, version=draft.version if version is None else version))
        assert response.status_code == 200, response.content
        draft.refresh_from_db()
        return response.json()["version"]

    def test_one_revision_holds_the_latest_text_and_the_versions_still_count(self, client, writer, draft):
        client.force_login(writer)
        seen = draft.version
        versions = [self.autosave(client, draft, f"{n}回目の本文。", version=seen) for n in range(1, 4)]
        assert versions == [2, 3, 4] and draft.version == 4
        revisions = list(draft.revisions.order_by("version"))
        assert [(r.version, r.body, r.autosaved) for r in revisions] == [(1, "最初の本文。", False),
                                                                        (4, "3回目の本文。", True)]
        history = client.get(reverse("desk:history", args=[draft.pk])).content.decode()
        assert history.count('<span class="row-meta">自動保存</span>') == 1

    def test_a_save_of_their_own_ends_the_run(self, client, writer, draft):
        client.force_login(writer)
        self.autosave(client, draft, "打ちかけ。")
        client.post(reverse("desk:edit", args=[draft.pk]), form(draft, body="保存した。", version=draft.version))
        draft.refresh_from_db()
        self.autosave(client, draft, "また打ちかけ。")
        assert [(r.body, r.autosaved) for r in draft.revisions.order_by("version")] == [
            ("最初の本文。", False), ("打ちかけ。", True), ("保存した。", False), ("また打ちかけ。", True)]

    def test_someone_elses_edit_ends_the_run(self, client, writer, editor, draft):
        client.force_login(writer)
        self.autosave(client, draft, "書き手の途中。")
        save_working_copy(draft, Content(title=draft.title, slug=draft.slug, excerpt="抜粋", body="編集者の直し。"),
                          editor, base_version=draft.version)
        draft.refresh_from_db()
        self.autosave(client, draft, "書き手の続き。")
        assert [r.body for r in draft.revisions.order_by("version")] == [
            "最初の本文。", "書き手の途中。", "編集者の直し。", "書き手の続き。"]

    def test_a_workflow_step_keeps_the_revision_it_was_taken_on(self, client, writer, editor, draft):
        from articles.publishing import workflow

        client.force_login(writer)
        self.autosave(client, draft, "提出した本文。")
        workflow.apply_transition(draft, "submit", writer)
        workflow.apply_transition(draft, "request_changes", editor, note="直してください")
        draft.refresh_from_db()
        self.autosave(client, draft, "直している本文。")
        submitted = draft.transitions.get(action="submit").revision
        assert submitted.body == "提出した本文。" and draft.latest_revision.body == "直している本文。"
        assert draft.revisions.count() == 3


class TestPresence:
    def test_each_sees_the_other(self, client, writer, editor, draft):
        client.force_login(writer)
        assert client.post(reverse("desk:presence", args=[draft.pk])).json() == {"others": [], "lock": None}
        client.force_login(editor)
        page = client.get(reverse("desk:edit", args=[draft.pk])).content.decode()
        assert "Writer</span>さんもこの記事を開いています" in page
        client.force_login(writer)
        # The editor's page took the article (the writer's page only read it).
        assert client.post(reverse("desk:presence", args=[draft.pk])).json() == {
            "others": ["Editor"], "lock": {"name": "Editor", "since": mock.ANY, "mine": False}}

    def test_a_page_gone_quiet_or_closed_is_forgotten(self, client, writer, editor, draft):
        client.force_login(editor)
        client.post(reverse("desk:presence", args=[draft.pk]))
        client.force_login(writer)
        assert client.post(reverse("desk:presence", args=[draft.pk])).json()["others"] == ["Editor"]
        EditingPresence.objects.filter(user=editor).update(seen_at=timezone.now() - dt.timedelta(minutes=2))
        assert client.post(reverse("desk:presence", args=[draft.pk])).json()["others"] == []
        client.force_login(editor)
        client.post(reverse("desk:presence", args=[draft.pk]))
        client.post(reverse("desk:presence", args=[draft.pk]), {"leaving": "1"})
        client.force_login(writer)
        assert client.post(reverse("desk:presence", args=[draft.pk])).json()["others"] == []

    def test_nobody_learns_of_an_article_they_may_not_see(self, client, other_writer, draft):
        client.force_login(other_writer)
        assert client.post(reverse("desk:presence", args=[draft.pk])).status_code == 404
