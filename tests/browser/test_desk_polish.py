"""What a new user tripped over in a day of writing and editing (issue 28), in a real
browser where the trouble was in the browser."""

import pytest
from playwright.sync_api import expect

from articles.models import Status

from .conftest import close_quietly
from .test_desk_flow import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_findings_of_another_text_never_stand_beside_a_refused_preview(live_server, page, writer, settings):
    """Item 1: a refused preview kept the checks of an earlier, different text."""
    settings.EDITORIAL_MAX_BODY_CHARS = 300
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    page.get_by_label("タイトル").fill("クラウドの新しい推論チップ")
    page.get_by_label("企業").fill("Google")
    page.get_by_label("本文（Markdown）").fill("新しいチップが発表された。")
    checks = page.locator("#live-checks")
    expect(checks).to_contain_text("Google")  # not mentioned in this short text: true
    page.get_by_label("本文（Markdown）").fill("Googleが新しいチップを発表した。" + "性能が上がった。" * 60)
    expect(page.locator("#preview-error")).to_be_visible()
    expect(checks).not_to_contain_text("言及されていません")
    expect(checks).to_contain_text("確認")  # says why there are none
    expect(page.locator("#live-preview")).to_have_class("article-body preview-pane stale")
    expect(page.locator("#body-stats")).not_to_contain_text("分")
    # Back within the limit: fresh findings, no stale mark.
    page.get_by_label("本文（Markdown）").fill("Googleが新しいチップを発表した。")
    expect(page.locator("#preview-error")).to_be_hidden()
    expect(page.locator("#live-preview")).to_have_class("article-body preview-pane")


def test_no_autosave_follows_submitting(live_server, page, writer):
    """Item 2: the pending autosave fired after 保存してレビューに提出 and was refused."""
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    page.get_by_label("タイトル").fill("すぐに提出する記事")
    expect(page.locator("#save-state")).to_contain_text("自動保存しました", timeout=15_000)
    autosaves = []
    page.on("request", lambda request: autosaves.append(request.url) if "/autosave/" in request.url else None)
    # The server is slow to answer the submit: the page is still here when the autosave
    # that typing scheduled comes due.
    page.evaluate("document.getElementById('article-form').addEventListener('submit', (e) => e.preventDefault())")
    page.get_by_label("本文（Markdown）").fill("提出の直前に打った本文。")
    page.get_by_role("button", name="保存してレビューに提出").click()
    page.wait_for_timeout(4500)  # longer than the autosave's idle wait
    assert autosaves == []


def test_two_people_meet_within_seconds(live_server, page, browser, writer, editor, make_article):
    """Item 3: the first person saw the second only at a 20 s heartbeat."""
    article = make_article(title="二人で開く記事", status=Status.DRAFT, owner=writer)
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/edit/")
    other = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}).new_page()
    try:
        log_in(other, live_server, "editor")
        other.goto(f"{live_server.url}/desk/articles/{article.pk}/edit/")
        expect(other.locator("#presence")).to_contain_text("Writerさんもこの記事を開いています")
        expect(page.locator("#presence")).to_contain_text("Editorさんもこの記事を開いています", timeout=8_000)
    finally:
        close_quietly(other.context)


def test_remove_cover_is_offered_only_with_a_cover(live_server, page, writer):
    """Item 6: 「カバーを外す」 showed (and took focus) with no cover."""
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    expect(page.get_by_role("button", name="カバーを外す")).to_be_hidden()
    page.get_by_label("タイトル").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") != "cover-remove"


def test_the_save_bar_never_covers_the_form_on_a_phone(live_server, page, writer):
    """Item 5: at 375 px the editor's sticky save bar covered two lines of the form."""
    page.set_viewport_size({"width": 375, "height": 700})
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    covered = page.evaluate("""() => {
      const found = [];
      for (const field of document.querySelectorAll('#article-form input:not([type=hidden]), #article-form textarea, #article-form select')) {
        field.scrollIntoView({ block: 'end' });
        const box = field.getBoundingClientRect();
        const x = Math.min(box.left + 10, window.innerWidth - 1);
        const y = Math.min(box.bottom - 3, window.innerHeight - 1);
        const top = document.elementFromPoint(x, y);
        if (top && top !== field && !field.contains(top) && top.closest('.editor-actions')) found.push(field.name);
      }
      return found;
    }""")
    assert covered == []


def test_each_library_filter_keeps_its_label(live_server, page, writer):
    """Item 5: at 1280 px the library's 「表示」 label sat alone at the end of the line."""
    log_in(page, live_server, "writer")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + "/desk/images/")
        for control in ("#library-q", "#library-show"):
            label = page.locator(f"label[for='{control[1:]}']").bounding_box()
            box = page.locator(control).bounding_box()
            # Right above its control, starting where it starts.
            assert abs(label["x"] - box["x"]) < 2 and 0 <= box["y"] - (label["y"] + label["height"]) < 12, (width, control)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("path", ["/desk/images/", "/desk/articles/", "/desk/"])
def test_the_footer_lines_up_with_the_content(live_server, page, editor, path):
    """Item 11: 「© editorial」 stood apart from the content."""
    log_in(page, live_server, "editor")
    page.goto(live_server.url + path)
    heading = page.locator("main h1").first.bounding_box()
    footer = page.locator(".site-footer .wrap > *").first.bounding_box()
    assert abs(heading["x"] - footer["x"]) < 2


def test_an_editor_drags_a_scheduled_article_to_another_day(live_server, page, writer, editor, make_article):
    """Issue 25, item 14: the calendar moves a scheduled article by dragging it; it keeps
    its time of day, and the move goes through the workflow (audit trail)."""
    import datetime as dt

    from django.utils import timezone

    from articles.models import Article, Transition
    from articles.publishing import workflow
    from articles.publishing.editing import Content, create_article

    when = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=9, minute=30, second=0, microsecond=0)
    after = when.date() + dt.timedelta(days=1)
    target_day = after if after.month == when.month else when.date() - dt.timedelta(days=1)
    article = create_article(Content(title="予約した特集", slug="planned", excerpt="要約", body="本文。"), writer)
    workflow.apply_transition(article, "submit", writer)
    workflow.apply_transition(article, "approve", editor)
    workflow.apply_transition(article, "publish", editor, publish_at=when)
    from .test_desk_flow import log_in

    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/desk/calendar/?month={when:%Y-%m}")
    item = page.locator(".calendar-item", has_text="予約した特集")
    item.drag_to(page.locator(f'td[data-day="{target_day:%Y-%m-%d}"]'))
    expect(page.locator(f'td[data-day="{target_day:%Y-%m-%d}"] .calendar-item', has_text="予約した特集")).to_be_visible()
    moved = timezone.localtime(Article.objects.get(pk=article.pk).published_at)
    assert moved.date() == target_day and (moved.hour, moved.minute) == (when.hour, when.minute)
    assert Transition.objects.filter(article=article, action="reschedule").exists()
