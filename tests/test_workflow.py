"""Every state × action × role, through apply_transition() and through HTTP."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Revision, Status, Transition
from articles.publishing import notifications, workflow
from articles.publishing.editing import Content, create_article, save_working_copy
from tests.conftest import run_queued_tasks

pytestmark = pytest.mark.django_db

STATES = [Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED, Status.UNPUBLISHED]
ACTIONS = ["submit", "withdraw", "request_changes", "approve", "publish", "unpublish", "redraft"]
ROLES = ["owner", "other_writer", "editor", "anonymous"]

# (action, state) → the roles that may take it. Anything else from a state the action
# starts from is a 403; from any other state, a 409.
ALLOWED = {
    ("submit", Status.DRAFT): {"owner", "editor"},
    ("withdraw", Status.IN_REVIEW): {"owner"},
    ("request_changes", Status.IN_REVIEW): {"editor"},
    ("request_changes", Status.APPROVED): {"editor"},
    ("approve", Status.IN_REVIEW): {"editor"},
    ("publish", Status.APPROVED): {"editor"},
    ("unpublish", Status.PUBLISHED): {"editor"},
    ("redraft", Status.UNPUBLISHED): {"owner", "editor"},
}
TARGET = {
    "submit": Status.IN_REVIEW, "withdraw": Status.DRAFT, "request_changes": Status.DRAFT,
    "approve": Status.APPROVED, "publish": Status.PUBLISHED, "unpublish": Status.UNPUBLISHED,
    "redraft": Status.DRAFT,
}
# The path from a new draft to each state, taken by the owner and a setup editor.
PATH = {
    Status.DRAFT: [],
    Status.IN_REVIEW: ["submit"],
    Status.APPROVED: ["submit", "approve"],
    Status.PUBLISHED: ["submit", "approve", "publish"],
    Status.UNPUBLISHED: ["submit", "approve", "publish", "unpublish"],
}


def expected_outcome(action, state, role):
    allowed = ALLOWED.get((action, state))
    if allowed is None:
        return "conflict"
    return "ok" if role in allowed else "forbidden"


@pytest.fixture
def people(writer, other_writer, editor, second_editor):
    return {
        "owner": writer, "other_writer": other_writer, "editor": editor, "anonymous": AnonymousUser(),
        "setup_editor": second_editor,
    }


def article_in(state, people):
    article = create_article(Content(title="行列の記事", slug="matrix", body="本文です。"), people["owner"])
    for step in PATH[state]:
        actor = people["owner"] if step == "submit" else people["setup_editor"]
        workflow.apply_transition(article, step, actor)
    assert article.status == state
    return article


def test_a_new_action_is_one_class_in_the_table(monkeypatch, people, client):
    """Issue 22: actions are objects in one table; adding one touches that place only:
    its state change, its audit, its buttons, who hears of it and what they are told."""
    from articles.models import Notification
    from articles.publishing import actions

    class Embargo(actions.Action):
        name, label = "embargo", "Embargo"
        sources, target, by = frozenset({Status.APPROVED}), Status.APPROVED, actions.EDITOR
        done, tells, described = "Embargoed.", "owner", "%(actor)s embargoed “%(title)s”."

        def perform(self, article, step):
            article.excerpt = "解禁まで非公開"
            return {"until": "2027-01-01"}

    monkeypatch.setitem(actions.ACTIONS, "embargo", Embargo())
    article = article_in(Status.APPROVED, people)
    editor = people["editor"]
    assert "embargo" in [action.name for action in workflow.available_actions(article, editor)]
    with pytest.raises(PermissionDenied):
        workflow.apply_transition(article, "embargo", people["owner"])
    client.force_login(editor)
    page = client.post(reverse("desk:transition", kwargs={"pk": article.pk, "action": "embargo"}),
                       {"revision": article.latest_revision_id}, follow=True)
    assert "Embargoed." in page.content.decode()
    transition = article.transitions.get(action="embargo")
    assert transition.data == {"until": "2027-01-01"} and Article.objects.get(pk=article.pk).excerpt == "解禁まで非公開"
    line = Notification.objects.get(recipient=people["owner"], transition=transition)
    assert notifications.describe(line.transition) == f"{editor.first_name} embargoed “行列の記事”."


def test_the_matrix_covers_every_combination():
    assert len(STATES) * len(ACTIONS) * len(ROLES) == 140


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_apply_transition(people, state, action, role):
    article = article_in(state, people)
    before = Transition.objects.count()
    user = people[role]
    outcome = expected_outcome(action, state, role)
    if outcome == "ok":
        transition = workflow.apply_transition(article, action, user, note="理由のメモ")
        assert article.status == TARGET[action]
        assert (transition.from_status, transition.to_status, transition.action) == (state, TARGET[action], action)
        assert transition.user == user and transition.note == "理由のメモ"
        assert Transition.objects.count() == before + 1
    else:
        error = workflow.TransitionNotAllowed if outcome == "conflict" else PermissionDenied
        with pytest.raises(error):
            workflow.apply_transition(article, action, user, note="理由のメモ")
        article.refresh_from_db()
        assert article.status == state
        assert Transition.objects.count() == before


def http_status(outcome, role):
    if role == "anonymous":
        return 302  # to the login page
    if role == "other_writer":
        return 404  # another writer's article does not exist for them
    return {"ok": 302, "forbidden": 403, "conflict": 409}[outcome]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_transition_over_http(client, people, state, action, role):
    article = article_in(state, people)
    before = Transition.objects.count()
    if role != "anonymous":
        client.force_login(people[role])
    url = reverse("desk:transition", kwargs={"pk": article.pk, "action": action})
    response = client.post(url, {"note": "理由のメモ", "revision": article.latest_revision_id})
    outcome = expected_outcome(action, state, role)
    assert response.status_code == http_status(outcome, role)
    article.refresh_from_db()
    if outcome == "ok" and role not in ("anonymous", "other_writer"):
        assert response["Location"] == reverse("desk:review", kwargs={"pk": article.pk})
        assert article.status == TARGET[action]
        assert Transition.objects.latest("id").user == people[role]
    else:
        assert article.status == state
        assert Transition.objects.count() == before
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_request_changes_needs_a_note(people, client):
    article = article_in(Status.IN_REVIEW, people)
    with pytest.raises(workflow.NoteRequired):
        workflow.apply_transition(article, "request_changes", people["editor"], note="   ")
    client.force_login(people["editor"])
    response = client.post(reverse("desk:transition", kwargs={"pk": article.pk, "action": "request_changes"}))
    assert response.status_code == 400
    assert "何を直すべきか書いてください。メモが必要です。" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_nobody_approves_their_own_article(people, editor):
    own = create_article(Content(title="自分の記事", slug="own"), editor)
    workflow.apply_transition(own, "submit", editor)
    with pytest.raises(PermissionDenied):
        workflow.apply_transition(own, "approve", editor)
    # Nor an article they submitted on someone's behalf.
    theirs = create_article(Content(title="代理提出", slug="proxy"), people["owner"])
    workflow.apply_transition(theirs, "submit", editor)
    with pytest.raises(PermissionDenied):
        workflow.apply_transition(theirs, "approve", editor)
    workflow.apply_transition(own, "approve", people["setup_editor"])
    assert own.status == Status.APPROVED


def test_a_one_person_desk_may_allow_self_approval(settings, editor):
    settings.EDITORIAL_ALLOW_SELF_APPROVAL = True
    own = create_article(Content(title="一人編集部", slug="solo"), editor)
    workflow.apply_transition(own, "submit", editor)
    workflow.apply_transition(own, "approve", editor)
    workflow.apply_transition(own, "publish", editor)
    assert own.is_public


def test_unknown_action_is_refused(people):
    article = article_in(Status.DRAFT, people)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply_transition(article, "delete_everything", people["editor"])


def test_available_actions_match_the_table(people):
    article = article_in(Status.IN_REVIEW, people)
    assert [a.name for a in workflow.available_actions(article, people["editor"])] == [
        "request_changes", "approve",
    ]
    assert [a.name for a in workflow.available_actions(article, people["owner"])] == ["withdraw"]
    assert workflow.available_actions(article, people["other_writer"]) == []


class TestPublishing:
    def test_publish_now_shows_the_article_to_readers(self, people, client):
        article = article_in(Status.APPROVED, people)
        assert not Article.objects.published().filter(pk=article.pk).exists()
        workflow.apply_transition(article, "publish", people["editor"])
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_scheduled_article_appears_when_its_time_comes(self, people, client):
        article = article_in(Status.APPROVED, people)
        when = timezone.now() + dt.timedelta(days=2)
        transition = workflow.apply_transition(article, "publish", people["editor"], publish_at=when)
        assert transition.data["scheduled"] is True
        assert article.is_scheduled and article.status == Status.PUBLISHED
        url = article.get_absolute_url()
        assert client.get(url).status_code == 404
        assert article.title not in client.get("/").content.decode()
        with time_machine.travel(when - dt.timedelta(minutes=1)):
            assert client.get(url).status_code == 404
        with time_machine.travel(when + dt.timedelta(seconds=1)):
            assert client.get(url).status_code == 200
            assert article.title in client.get("/").content.decode()

    def test_a_past_publish_time_is_refused_in_the_form(self, people, client):
        article = article_in(Status.APPROVED, people)
        client.force_login(people["editor"])
        response = client.post(
            reverse("desk:transition", kwargs={"pk": article.pk, "action": "publish"}),
            {"publish_at": "2020-01-01T10:00"},
        )
        assert response.status_code == 400
        article.refresh_from_db()
        assert article.status == Status.APPROVED

    def test_schedule_time_is_read_in_japan_time(self, people, client):
        article = article_in(Status.APPROVED, people)
        client.force_login(people["editor"])
        local = timezone.localtime() + dt.timedelta(days=1)
        client.post(
            reverse("desk:transition", kwargs={"pk": article.pk, "action": "publish"}),
            {"publish_at": local.strftime("%Y-%m-%dT%H:%M")},
        )
        article.refresh_from_db()
        assert timezone.localtime(article.published_at).strftime("%H:%M") == local.strftime("%H:%M")
        assert str(timezone.localtime(article.published_at).tzinfo) == "Asia/Tokyo"

    def test_unpublished_article_answers_410(self, people, client):
        article = article_in(Status.PUBLISHED, people)
        url = article.get_absolute_url()
        workflow.apply_transition(article, "unpublish", people["editor"])
        assert client.get(url).status_code == 410
        assert article.title not in client.get("/").content.decode()
        # Back in the desk as a draft, it is still gone for readers (until published again).
        workflow.apply_transition(article, "redraft", people["owner"])
        assert client.get(url).status_code == 410


class TestNotifications:
    def test_editors_hear_of_a_submission(self, people):
        article = article_in(Status.DRAFT, people)
        mail.outbox.clear()
        with self.commit():
            workflow.apply_transition(article, "submit", people["owner"])
        recipients = sorted(address for message in mail.outbox for address in message.to)
        assert recipients == ["editor2@example.com", "editor@example.com"]
        assert reverse("desk:review", kwargs={"pk": article.pk}) in mail.outbox[0].body
        assert "行列の記事" in mail.outbox[0].subject

    def test_the_writer_hears_of_requested_changes_with_the_note(self, people):
        article = article_in(Status.IN_REVIEW, people)
        mail.outbox.clear()
        with self.commit():
            workflow.apply_transition(article, "request_changes", people["editor"], note="見出しを短く")
        assert [m.to for m in mail.outbox] == [["writer@example.com"]]
        assert "見出しを短く" in mail.outbox[0].body
        assert reverse("desk:edit", kwargs={"pk": article.pk}) in mail.outbox[0].body

    @pytest.mark.parametrize("action", ["approve", "publish"])
    def test_the_writer_hears_of_approval_and_publication(self, people, action):
        article = article_in(Status.IN_REVIEW if action == "approve" else Status.APPROVED, people)
        mail.outbox.clear()
        with self.commit():
            workflow.apply_transition(article, action, people["editor"])
        assert [m.to for m in mail.outbox] == [["writer@example.com"]]

    def test_subjects_and_bodies_are_plain_text(self, people):
        article = create_article(Content(title="AT&T と <新型> の「比較」", slug="att"), people["owner"])
        mail.outbox.clear()
        with self.commit():
            workflow.apply_transition(article, "submit", people["owner"], note="R&D 部門より")
        message = mail.outbox[0]
        assert "AT&T と <新型> の「比較」" in message.subject and "&amp;" not in message.subject
        assert "AT&T と <新型>" in message.body and "&lt;" not in message.body

    def test_a_refused_transition_sends_nothing(self, people):
        article = article_in(Status.DRAFT, people)
        mail.outbox.clear()
        with self.commit(), pytest.raises(workflow.TransitionNotAllowed):
            workflow.apply_transition(article, "publish", people["editor"])
        assert mail.outbox == []

    def test_a_failing_mail_server_neither_fails_nor_slows_the_action(self, people, settings,
                                                                      django_capture_on_commit_callbacks):
        settings.EMAIL_BACKEND = "tests.test_workflow.FailingMail"
        article = article_in(Status.DRAFT, people)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.apply_transition(article, "submit", people["owner"])
        article.refresh_from_db()
        assert article.status == Status.IN_REVIEW
        # Nothing was sent in the request: the message waits in the queue.
        assert FailingMail.attempts == 0
        queued = DBTaskResult.objects.get()
        assert queued.status == TaskResultStatus.READY and queued.task_path.endswith("notifications.deliver")

    def test_a_failed_delivery_is_tried_again_later_and_then_given_up(self, people, settings, committed, caplog):
        settings.EMAIL_BACKEND = "tests.test_workflow.FailingMail"
        article = article_in(Status.DRAFT, people)
        with committed():
            workflow.apply_transition(article, "submit", people["owner"])
        assert FailingMail.attempts == 1
        retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert retry.args_kwargs["args"][1] == 2 and retry.run_after > timezone.now()
        for attempt in range(2, notifications.MAX_ATTEMPTS + 1):
            DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())  # time passes
            run_queued_tasks()
            assert FailingMail.attempts == attempt
        assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
        assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1
        assert "giving up" in caplog.text

    def test_the_mail_goes_out_once_the_server_is_back(self, people, settings, committed):
        settings.EMAIL_BACKEND = "tests.test_workflow.FailingMail"
        article = article_in(Status.DRAFT, people)
        with committed():
            workflow.apply_transition(article, "submit", people["owner"])
        assert mail.outbox == []
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())  # time passes
        run_queued_tasks()
        assert sorted(m.to[0] for m in mail.outbox) == ["editor2@example.com", "editor@example.com"]

    @pytest.fixture(autouse=True)
    def _capture(self, committed):
        self.commit = committed
        FailingMail.attempts = 0


class FailingMail(BaseEmailBackend):
    """A mail server that refuses every message."""

    attempts = 0

    def send_messages(self, messages):
        FailingMail.attempts += 1
        raise ConnectionRefusedError("the mail server is down")


class TestFourEyes:
    """Whoever wrote any of the text under review does not approve it, and an approval
    is of the version the editor read."""

    def test_an_editor_who_rewrote_an_article_under_review_does_not_approve_it(self, people, client):
        article = article_in(Status.IN_REVIEW, people)
        editor, other = people["editor"], people["setup_editor"]
        save_working_copy(article, Content(title="編集者が書き直した", slug="matrix", body="別の本文"), editor,
                          base_version=article.version)
        with pytest.raises(PermissionDenied):
            workflow.apply_transition(article, "approve", editor)
        assert "approve" not in [a.name for a in workflow.available_actions(article, editor)]
        client.force_login(editor)
        response = review_post(client, article, "approve", revision=article.latest_revision_id)
        assert response.status_code == 403
        workflow.apply_transition(article, "approve", other)
        assert article.status == Status.APPROVED

    def test_their_earlier_published_work_does_not_count(self, people):
        article = article_in(Status.IN_REVIEW, people)
        editor, other = people["editor"], people["setup_editor"]
        save_working_copy(article, Content(title="編集者の版", slug="matrix", body="編集者の本文"), editor,
                          base_version=article.version)
        workflow.apply_transition(article, "approve", other)
        workflow.apply_transition(article, "publish", other)
        # A later correction by the writer alone: the editor may approve it.
        save_working_copy(article, Content(title="編集者の版", slug="matrix", body="記者の訂正"), other,
                          base_version=article.version)
        workflow.apply_transition(article, "submit", other)
        with pytest.raises(PermissionDenied):  # the second editor wrote this one
            workflow.apply_transition(article, "approve", other)
        workflow.apply_transition(article, "approve", editor)
        assert article.status == Status.APPROVED

    def test_approval_is_of_the_version_the_editor_read(self, people, client):
        article = article_in(Status.IN_REVIEW, people)
        writer, editor = people["owner"], people["editor"]
        client.force_login(editor)
        page = client.get(reverse("desk:review", kwargs={"pk": article.pk})).content.decode()
        seen = article.latest_revision_id
        assert f'name="revision" value="{seen}"' in page
        # Between the page load and the click, the writer swaps the text.
        workflow.apply_transition(article, "withdraw", writer)
        save_working_copy(article, Content(title="行列の記事", slug="matrix", body="差し替えた本文"), writer,
                          base_version=article.version)
        workflow.apply_transition(article, "submit", writer)
        response = review_post(client, article, "approve", revision=seen)
        assert response.status_code == 409
        assert "読み直して" in response.content.decode()
        article.refresh_from_db()
        assert article.status == Status.IN_REVIEW
        assert review_post(client, article, "approve", revision=article.latest_revision_id).status_code == 302
        article.refresh_from_db()
        assert article.status == Status.APPROVED

    @pytest.mark.parametrize("action", ["approve", "publish"])
    def test_approve_and_publish_need_the_version_read(self, people, client, action):
        article = article_in(Status.IN_REVIEW if action == "approve" else Status.APPROVED, people)
        client.force_login(people["editor"])
        response = client.post(reverse("desk:transition", kwargs={"pk": article.pk, "action": action}))
        assert response.status_code == 400
        article.refresh_from_db()
        assert article.status == (Status.IN_REVIEW if action == "approve" else Status.APPROVED)

    def test_publishing_publishes_only_the_approved_version(self, people):
        article = article_in(Status.APPROVED, people)
        approved = article.latest_revision_id
        # Whatever path changed the working copy after approval, publishing refuses it:
        # here a revision of the same article, at the same address, nobody approved.
        stray = Revision.objects.get(pk=approved)
        stray.pk, stray.version, stray.body = None, stray.version + 1, "承認されていない本文。"
        stray.save()
        Article.objects.filter(pk=article.pk).update(latest_revision=stray, version=stray.version)
        with pytest.raises(workflow.TransitionNotAllowed, match="承認された版ではありません"):
            workflow.apply_transition(article, "publish", people["editor"], seen_revision=stray.pk)
        assert not Article.objects.get(pk=article.pk).is_live
        Article.objects.filter(pk=article.pk).update(latest_revision=approved)
        workflow.apply_transition(article, "publish", people["editor"], seen_revision=approved)
        assert article.is_public

    @pytest.mark.parametrize("action", ["revise", "import"])
    def test_internal_actions_are_not_reachable(self, people, client, action):
        article = article_in(Status.PUBLISHED, people)
        client.force_login(people["editor"])
        response = review_post(client, article, action)
        assert response.status_code == 404
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.apply_transition(article, action, people["editor"])
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED


class TestUnpublishing:
    def test_unpublish_does_not_depend_on_the_working_copy(self, people, client):
        article = article_in(Status.PUBLISHED, people)
        public_url = article.get_absolute_url()
        # The live article's unsaved edits move it to a new address…
        save_working_copy(article, Content(title="行列の記事", slug="new-address", body="改稿"), people["editor"],
                          base_version=article.version)
        # …which another draft then takes.
        create_article(Content(title="別の記事", slug="new-address"), people["other_writer"])
        workflow.apply_transition(article, "unpublish", people["editor"])
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert client.get(public_url).status_code == 410

    def test_share_links_stop_working_once_unpublished(self, people, client):
        from articles.views.preview import share_token

        article = article_in(Status.PUBLISHED, people)
        save_working_copy(article, Content(title="行列の記事", slug="matrix", body="次の版"), people["editor"],
                          base_version=article.version)
        url = reverse("articles:shared-preview", kwargs={"token": share_token(article)})
        assert client.get(url).status_code == 200
        workflow.apply_transition(article, "unpublish", people["editor"])
        assert client.get(url).status_code == 404
        workflow.apply_transition(article, "redraft", people["owner"])
        assert client.get(url).status_code == 404  # a link given out before stays dead


def review_post(client, article, action, **data):
    return client.post(reverse("desk:transition", kwargs={"pk": article.pk, "action": action}), data)


class TestScheduled:
    """A scheduled article can go out now, at another time, or not at all (issue 12)."""

    @pytest.fixture
    def scheduled(self, people):
        article = article_in(Status.APPROVED, people)
        workflow.apply_transition(article, "publish", people["editor"], publish_at=timezone.now() + dt.timedelta(days=2))
        assert article.is_scheduled
        return article

    def test_only_a_scheduled_article_offers_them(self, people, scheduled):
        names = [action.name for action in workflow.available_actions(scheduled, people["editor"])]
        assert {"publish_now", "reschedule", "unschedule"} <= set(names)
        assert "unpublish" not in names  # never public: it is cancelled, not taken down
        assert not {"publish_now", "reschedule", "unschedule"} & {
            a.name for a in workflow.available_actions(scheduled, people["owner"])}
        workflow.apply_transition(scheduled, "publish_now", people["editor"])  # live now: nothing to schedule
        assert not {"publish_now", "reschedule", "unschedule"} & {
            a.name for a in workflow.available_actions(scheduled, people["editor"])}

    def test_publish_now(self, people, scheduled, client):
        transition = workflow.apply_transition(scheduled, "publish_now", people["editor"])
        assert transition.action == "publish_now" and not scheduled.is_scheduled
        assert client.get(scheduled.get_absolute_url()).status_code == 200

    def test_reschedule(self, people, scheduled, client):
        later = timezone.now() + dt.timedelta(days=5)
        workflow.apply_transition(scheduled, "reschedule", people["editor"], publish_at=later)
        assert scheduled.is_scheduled and scheduled.published_at == later.replace(microsecond=0)
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.apply_transition(scheduled, "reschedule", people["editor"],
                                      publish_at=timezone.now() - dt.timedelta(hours=1))

    def test_cancel_leaves_it_approved_and_publishable(self, people, scheduled, client):
        workflow.apply_transition(scheduled, "unschedule", people["editor"])
        assert scheduled.status == Status.APPROVED and not scheduled.is_live and scheduled.published_at is None
        with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
            assert not Article.objects.published().filter(pk=scheduled.pk).exists()
        workflow.apply_transition(scheduled, "publish", people["editor"])
        assert Article.objects.published().filter(pk=scheduled.pk).exists()

    def test_the_review_page_offers_them_to_an_editor(self, people, scheduled, client):
        client.force_login(people["editor"])
        page = client.get(reverse("desk:review", kwargs={"pk": scheduled.pk})).content.decode()
        for name in ("publish_now", "reschedule", "unschedule"):
            assert f"action-{name}" in page
        url = reverse("desk:transition", kwargs={"pk": scheduled.pk, "action": "reschedule"})
        response = client.post(url, {"publish_at": "2099-01-02T09:30"})
        assert response.status_code == 302
        scheduled.refresh_from_db()
        assert timezone.localtime(scheduled.published_at).strftime("%Y-%m-%d %H:%M") == "2099-01-02 09:30"


def test_a_step_of_the_workflow_renders_nothing_it_rendered_before(people, monkeypatch):
    """Issue 21, item 5: submit, approve and publish each ran Markdown on the whole body
    (a freshly loaded article did not know its body was rendered already)."""
    from articles.models import article as article_model

    body = "\n\n".join(f"段落{n}。量子誤り訂正の進み具合を、**各社**の発表から[整理](https://example.com/{n})する。"
                       for n in range(1500))
    article = create_article(Content(title="長い記事", slug="long-one", excerpt="要約", body=body), people["owner"])
    renders = []
    real = article_model.render_markdown
    monkeypatch.setattr(article_model, "render_markdown", lambda *args: renders.append(1) or real(*args))
    for action, who in [("submit", "owner"), ("approve", "editor"), ("publish", "editor")]:
        workflow.apply_transition(Article.objects.get(pk=article.pk), action, people[who],
                                  override_reason="長さを試す記事")
    assert renders == []
    assert Article.objects.get(pk=article.pk).is_public
