"""The whole editorial round trip in a real browser, as the desk does it every day."""

import re
import time

import pytest
from playwright.sync_api import expect

from articles.models import Article, EditingPresence, EditLock, Status
from articles.publishing.editing import Content, save_working_copy

from .conftest import close_quietly

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill("pw")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="ダッシュボード")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_role("heading", name="デスクにログイン")).to_be_visible()


def test_write_review_revise_approve_publish(live_server, page, writer, editor):
    # The writer writes, watching the live preview.
    log_in(page, live_server, "writer")
    page.get_by_role("link", name="新しい記事").first.click()
    page.get_by_label("タイトル").fill("国産AIチップの現在地")
    page.get_by_label("企業").fill("NVIDIA, ソフトバンク")
    page.get_by_label("トピック").fill("半導体")
    page.get_by_label("本文（Markdown）").fill("## 背景\n\n国産の**AIチップ**が注目されています。")
    preview = page.locator("#live-preview")
    expect(preview.locator("h2")).to_have_text("背景")
    expect(preview.locator("strong")).to_have_text("AIチップ")
    page.get_by_label("本文（Markdown）").press("End")
    page.get_by_label("本文（Markdown）").type("\n\n- 設計\n- 製造")
    expect(preview.locator("li")).to_have_count(2)
    # The editorial checks follow the text as it is typed.
    checks = page.locator("#live-checks")
    expect(checks).to_contain_text("抜粋がありません")
    expect(checks).to_contain_text("トピックタグ「半導体」は本文のどこにも出てきません。")
    page.get_by_label("本文（Markdown）").type("\n\n半導体の供給も課題です。")
    expect(checks).not_to_contain_text("トピックタグ「半導体」")
    page.get_by_role("button", name="保存してレビューに提出").click()
    expect(page.get_by_text("保存してレビューに提出しました。")).to_be_visible()
    log_out(page)

    # The editor asks for changes, with a note.
    log_in(page, live_server, "editor")
    queue = page.locator("section", has=page.get_by_role("heading", name="レビュー待ち"))
    queue.get_by_role("link", name="国産AIチップの現在地").click()
    expect(page.locator(".reader-preview h2")).to_have_text("背景")
    page.get_by_label("修正してほしい点").fill("製造の段落に具体例を足してください。")
    page.get_by_role("button", name="修正を依頼").click()
    expect(page.get_by_text("メモを添えて記者に差し戻しました。")).to_be_visible()
    log_out(page)

    # The writer sees the note, revises and resubmits.
    log_in(page, live_server, "writer")
    page.get_by_role("link", name="国産AIチップの現在地").click()
    expect(page.locator(".trail")).to_contain_text("製造の段落に具体例を足してください。")
    page.get_by_role("link", name="編集", exact=True).click()
    body = page.get_by_label("本文（Markdown）")
    body.fill(body.input_value() + "\n\n製造は国内の新しい工場が担う計画です。")
    expect(page.locator("#live-preview")).to_contain_text("国内の新しい工場")
    page.get_by_role("button", name="保存してレビューに提出").click()
    expect(page.get_by_text("保存してレビューに提出しました。")).to_be_visible()
    log_out(page)

    # The editor sees what changed since the review, approves and publishes.
    log_in(page, live_server, "editor")
    page.locator("section", has=page.get_by_role("heading", name="レビュー待ち")).get_by_role(
        "link", name="国産AIチップの現在地"
    ).click()
    expect(page.locator("table.diff tr.diff-insert").last).to_contain_text("製造は国内の新しい工場が担う計画です。")
    page.get_by_role("button", name="承認").click()
    expect(page.get_by_text("承認しました。")).to_be_visible()
    page.get_by_role("button", name="公開", exact=True).click()
    expect(page.get_by_text("公開しました。")).to_be_visible()

    # Readers find it on the site.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="国産AIチップの現在地").click()
    expect(page.locator("h1")).to_have_text("国産AIチップの現在地")
    expect(page.locator(".article-body")).to_contain_text("国内の新しい工場")
    expect(page.locator(".tags")).to_contain_text("SoftBank")  # the alias became the company
    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    assert list(article.transitions.order_by("id").values_list("action", flat=True)) == [
        "submit", "request_changes", "submit", "approve", "publish",
    ]


def test_unsaved_text_is_restored_after_a_reload(live_server, page, writer):
    log_in(page, live_server, "writer")
    # The server is out of reach: autosave fails, the browser's copy is what is left.
    page.route("**/autosave/", lambda route: route.abort())
    page.goto(live_server.url + "/desk/articles/new/")
    page.get_by_label("タイトル").fill("書きかけの記事")
    page.get_by_label("本文（Markdown）").fill("まだ保存していない大事な文章。")
    page.wait_for_function(
        "() => (localStorage.getItem('editorial:draft:new') || '').includes('大事な文章')"
    )
    page.reload()  # a crash, an expired session, a closed tab…
    expect(page.get_by_label("本文（Markdown）")).to_have_value("")
    page.get_by_role("button", name="保存されていない下書きを復元").click()
    expect(page.get_by_label("タイトル")).to_have_value("書きかけの記事")
    expect(page.get_by_label("本文（Markdown）")).to_have_value("まだ保存していない大事な文章。")
    expect(page.locator("#live-preview")).to_contain_text("大事な文章")

    # Once the server has the text, the browser's copy is dropped.
    page.get_by_role("button", name="下書きを保存").click()
    expect(page.get_by_text("下書きを保存しました。")).to_be_visible()
    # The page's script drops it once it has run; the message shows as soon as the HTML
    # is parsed, which on a busy machine can be before that.
    page.wait_for_function("() => localStorage.getItem('editorial:draft:new') === null")
    page.reload()
    expect(page.get_by_role("button", name="保存されていない下書きを復元")).to_be_hidden()
    assert Article.objects.get().body == "まだ保存していない大事な文章。"


def test_the_title_suggests_a_short_address_and_the_server_makes_it(live_server, page, writer):
    log_in(page, live_server, "writer")
    page.get_by_role("link", name="新しい記事").first.click()
    page.get_by_label("タイトル").fill("AmazonのAIチップ「Trainium2」は何をもたらすのか")
    slug = page.get_by_label("スラッグ")
    expect(slug).to_have_attribute("placeholder", "amazon-ai-trainium2")
    expect(slug).to_have_value("")
    page.get_by_label("タイトル").fill("生成AIの推論コストはどこまで下がるのか：半導体と手法の両面から整理する")
    expect(slug).to_have_attribute("placeholder", "生成aiの推論コストはどこ")
    page.get_by_label("本文（Markdown）").fill("本文です。")
    page.get_by_role("button", name="下書きを保存").click()
    expect(page.get_by_text("下書きを保存しました。")).to_be_visible()
    assert Article.objects.get().slug == "生成aiの推論コストはどこ"


def test_the_live_preview_styles_headings_as_readers_see_them(live_server, page, writer, make_article):
    """The desk's own rules (the pane's sticky title) must not reach the article inside."""
    article = make_article(body="## 背景\n\n本文です。")
    page.goto(live_server.url + article.get_absolute_url())
    public = page.locator(".article-body h2").evaluate(
        "h => [getComputedStyle(h).fontSize, getComputedStyle(h).position]")
    log_in(page, live_server, "writer")
    page.get_by_role("link", name="新しい記事").first.click()
    page.get_by_label("タイトル").fill("見出しの確認")
    page.get_by_label("本文（Markdown）").fill("## 背景\n\n本文です。")
    heading = page.locator("#live-preview h2")
    expect(heading).to_have_text("背景")
    assert heading.evaluate("h => [getComputedStyle(h).fontSize, getComputedStyle(h).position]") == public


@pytest.mark.parametrize("width", [375, 1280])
def test_the_diff_gives_the_text_the_width(live_server, page, writer, width):
    from articles.publishing.editing import create_article

    article = create_article(Content(title="差分の確認", slug="diff-width", body="最初の本文です。\n\n二段落目。"), writer)
    save_working_copy(article, Content(title="差分の確認", slug="diff-width", body="直した本文です。\n\n二段落目。"),
                      writer, base_version=article.version)
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/compare/?from=1&to=2")
    text = page.locator("table.diff td.text").first
    expect(text).to_be_visible()
    share = text.evaluate("td => td.getBoundingClientRect().width / td.closest('table').getBoundingClientRect().width")
    assert share > 0.6, share


def test_desk_pages_fit_a_phone(live_server, page, settings, editor):
    """No sideways scrolling at 375 px on the demo's own pages (long status badges, code
    blocks, checks), as a newcomer sees them after `make run`."""
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server, "editor")
    paths = ["/desk/", "/desk/calendar/", "/desk/articles/", "/desk/articles/?status=lost", "/desk/inbox/",
             "/desk/profile/"]
    for article in Article.objects.all():
        paths += [f"/desk/articles/{article.pk}/", f"/desk/articles/{article.pk}/edit/"]
    too_wide = {}
    for path in paths:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            too_wide[path] = overflow
    assert too_wide == {}


def test_on_a_phone_the_review_decision_comes_before_the_article(live_server, page, writer, editor):
    from articles.publishing import workflow
    from articles.publishing.editing import create_article

    article = create_article(Content(title="レビューする記事", slug="to-review", body="本文です。\n\n" * 30), writer)
    workflow.apply_transition(article, "submit", writer)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/")
    decide = page.get_by_role("button", name="修正を依頼").bounding_box()
    article_top = page.locator(".reader-preview").bounding_box()
    assert decide["y"] < article_top["y"]


@pytest.mark.parametrize(("width", "agenda"), [(375, True), (1280, False)])
def test_the_calendar_is_an_agenda_on_a_phone(live_server, page, editor, make_article, width, agenda):
    from django.utils import timezone

    make_article(title="今日の記事のとても長いタイトル、一文字ずつ縦に並ばないように", published_at=timezone.now())
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/desk/calendar/")
    item = page.locator(".calendar-item").first
    expect(item).to_be_visible()
    assert item.bounding_box()["width"] > (250 if agenda else 100)
    visible_days = page.locator(".calendar td:visible").count()
    assert (visible_days == 1) if agenda else (visible_days >= 28)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_the_article_list_finds_and_approves_in_bulk(live_server, page, writer, editor, make_article):
    for title in ("審査待ち一", "審査待ち二"):
        make_article(title=title, status=Status.IN_REVIEW, owner=writer)
    make_article(title="公開済みの記事", owner=writer)
    log_in(page, live_server, "editor")
    page.get_by_role("navigation", name="デスク").get_by_role("link", name="記事一覧").click()
    expect(page.get_by_role("heading", name="記事一覧")).to_be_visible()
    page.get_by_label("状態").select_option(label="レビュー中")
    page.get_by_role("button", name="表示").click()
    rows = page.locator(".article-table tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("このページの記事をすべて選択").check()
    page.get_by_label("操作").select_option(label="承認")
    page.get_by_role("button", name="実行").click()
    expect(page.get_by_text("2件の記事に「承認」を実行しました。")).to_be_visible()
    # Back on the same filtered list, which is now empty.
    expect(page.get_by_text("条件に合う記事はありません")).to_be_visible()
    assert set(Article.objects.filter(status=Status.APPROVED).values_list("title", flat=True)) == {"審査待ち一", "審査待ち二"}


def test_the_inbox_tells_the_writer_what_changed(live_server, page, writer, editor, make_article):
    from articles.publishing import workflow

    article = make_article(title="差し戻される記事", status=Status.DRAFT, owner=writer)
    workflow.apply_transition(article, "submit", writer)
    workflow.apply_transition(article, "request_changes", editor, "数字の出典を足してください。")
    log_in(page, live_server, "writer")
    nav = page.get_by_role("navigation", name="デスク")
    expect(nav.get_by_role("link", name="通知 （未読1件）")).to_be_visible()
    expect(page.locator(".changes-requested")).to_have_text("修正依頼あり")
    nav.get_by_role("link", name="通知").click()
    expect(page.get_by_text("数字の出典を足してください。")).to_be_visible()
    page.get_by_role("link", name="Editorさんが「差し戻される記事」の修正を依頼しました。").click()
    expect(page.get_by_label("タイトル")).to_have_value("差し戻される記事")
    expect(nav.get_by_role("link", name="通知", exact=True)).to_be_visible()


def test_the_toolbar_the_shortcuts_and_the_count(live_server, page, writer):
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    body = page.get_by_label("本文（Markdown）")
    body.fill("重要な発表")
    # Select 重要 and make it bold with the shortcut; then a heading from the toolbar.
    body.evaluate("el => el.setSelectionRange(0, 2)")
    body.press("Control+b")
    expect(body).to_have_value("**重要**な発表")
    page.get_by_role("toolbar", name="書式").get_by_role("button", name="見出し").click()
    expect(body).to_have_value("## **重要**な発表")
    body.press("Control+z")
    expect(body).to_have_value("**重要**な発表")
    body.press("End")
    body.press("Enter")
    body.press("Control+Shift+8")
    body.type("項目")
    expect(body).to_have_value("**重要**な発表\n- 項目")
    # The count is of what readers read: no asterisks, hyphens or spaces.
    expect(page.locator("#body-stats")).to_have_text("7文字 · 読了 約1分")
    # The checks sit above the preview, beside the text.
    checks = page.locator("#live-checks").bounding_box()
    preview = page.locator("#live-preview").bounding_box()
    assert checks["y"] < preview["y"]


def test_autosave_keeps_the_text_on_the_server(live_server, page, writer):
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    page.get_by_label("タイトル").fill("自動で保存される記事")
    page.get_by_label("本文（Markdown）").fill("まだ保存ボタンを押していない本文。")
    expect(page.locator("#save-state")).to_contain_text("自動保存しました", timeout=15_000)
    article = Article.objects.get(title="自動で保存される記事")
    # The page became the article's editor; more typing goes to the same article.
    assert page.url.endswith(f"/desk/articles/{article.pk}/edit/")
    page.get_by_label("本文（Markdown）").press("End")
    page.get_by_label("本文（Markdown）").type("続き。")
    expect(page.locator("#save-state")).to_contain_text("自動保存しました", timeout=15_000)
    page.wait_for_function(f"() => document.querySelector('#id_version').value === '{article.version + 1}'")
    # Reopened elsewhere, the text is there, and no restore is offered: the server has it.
    page.reload()
    expect(page.get_by_label("本文（Markdown）")).to_have_value("まだ保存ボタンを押していない本文。続き。")
    expect(page.locator("#restore-banner")).to_be_hidden()
    # Saving by hand after that is no conflict.
    page.get_by_role("button", name="下書きを保存").click()
    expect(page.get_by_text("保存しました")).to_be_visible()
    assert Article.objects.filter(title="自動で保存される記事").count() == 1


def test_two_people_on_one_article_see_each_other(live_server, page, browser, writer, editor, make_article):
    article = make_article(title="二人で開く記事", status=Status.DRAFT, owner=writer)
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/edit/")
    expect(page.locator("#presence")).to_be_hidden()
    other = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}).new_page()
    try:
        log_in(other, live_server, "editor")
        other.goto(f"{live_server.url}/desk/articles/{article.pk}/edit/")
        expect(other.locator("#presence")).to_contain_text("Writerさんもこの記事を開いています")
        # The writer's page hears it at its next sign of life (coming back to the tab, here).
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        expect(page.locator("#presence")).to_contain_text("Editorさんもこの記事を開いています")
        other.close()  # pagehide: the editor's page says goodbye
        # The goodbye is a beacon, sent as the page goes and answered by nobody: the
        # writer's next sign of life hears of it once the server has.
        wait_until(lambda: not EditingPresence.objects.filter(article=article, user=editor).exists())
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        expect(page.locator("#presence")).to_be_hidden()
    finally:
        close_quietly(other.context)


def test_one_person_types_at_a_time_and_another_may_take_over(live_server, page, browser, writer, editor,
                                                               make_article):
    article = make_article(title="引き継ぐ記事", body="最初の本文。", status=Status.DRAFT, owner=writer)
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/edit/")
    body = page.get_by_label("本文（Markdown）")
    other = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}).new_page()
    try:
        log_in(other, live_server, "editor")
        other.goto(f"{live_server.url}/desk/articles/{article.pk}/edit/")
        # The editor reads: nothing to type in, and who is editing said.
        expect(other.locator("#lock")).to_contain_text("Writerさんがこの記事を編集中です")
        expect(other.get_by_label("本文（Markdown）")).to_be_disabled()
        # The writer types something autosave has not sent yet, then the editor takes over.
        body.fill("最初の本文。記者がまだ保存していない続き。")
        other.get_by_role("button", name="編集を引き継ぐ").click()
        expect(other.get_by_label("本文（Markdown）")).to_be_enabled()
        expect(other.locator("#lock")).to_be_hidden()
        # The writer's page hears it at its next sign of life: it stops, and says why.
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        expect(page.locator("#lock")).to_contain_text("Editorさんが")
        expect(body).to_be_disabled()
        # Nothing of the writer's reached the server after the take-over...
        article.refresh_from_db()
        assert "記者がまだ保存していない続き" not in article.latest_revision.body
        # ...and it is not lost: taking the article back offers it again.
        other.close()
        wait_until(lambda: not EditLock.objects.filter(article=article, user=editor).exists())
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        expect(page.get_by_role("button", name="記事を編集する")).to_be_visible()
        page.get_by_role("button", name="記事を編集する").click()
        expect(page.locator("#restore-banner")).to_be_visible()
        page.get_by_role("button", name="保存されていない下書きを復元").click()
        expect(body).to_have_value("最初の本文。記者がまだ保存していない続き。")
    finally:
        close_quietly(other.context)


@pytest.mark.parametrize("width", [375, 1280])
def test_an_empty_month_says_so(live_server, page, editor, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/desk/calendar/?month=2001-01")
    expect(page.get_by_text("この月に公開・予約・締切の記事はありません。")).to_be_visible()


def test_findings_point_at_their_sentences_and_fix_in_one_click(live_server, page, writer):
    log_in(page, live_server, "writer")
    page.goto(live_server.url + "/desk/articles/new/")
    page.get_by_label("タイトル").fill("導入の記録")
    body = page.get_by_label("本文（Markdown）")
    body.fill("前置きの段落です。\n\n" * 30 + "新しいサーバを導入した。\n\n最後の段落です。")
    checks = page.locator("#live-checks")
    expect(checks).to_contain_text("「サーバ」（1 か所）は表記ルールと異なります")
    # All named sentences are highlighted in the preview; the one asked for is scrolled to.
    page.wait_for_function("() => CSS.highlights.get('finding') && CSS.highlights.get('finding').size >= 1")
    checks.locator("li", has_text="サーバ").get_by_role("button", name="本文で表示").click()
    page.wait_for_function("() => CSS.highlights.get('finding-current').size === 1")
    marked = page.evaluate("() => [...CSS.highlights.get('finding-current')][0].toString()")
    assert marked == "新しいサーバを導入した。"
    page.wait_for_function("""() => {
        const pane = document.querySelector('.editor-preview');
        const range = [...CSS.highlights.get('finding-current')][0];
        const box = range.getBoundingClientRect(), frame = pane.getBoundingClientRect();
        return box.top >= frame.top && box.bottom <= frame.bottom;
    }""")
    # The fix, in the text being typed: undoable, and the checks follow.
    checks.get_by_role("button", name="「サーバ」を「サーバー」に直す").click()
    expect(body).to_have_value(re.compile("新しいサーバーを導入した。"))
    expect(checks).not_to_contain_text("は表記ルールと異なります")


def test_the_review_page_fixes_and_saves_a_version(live_server, page, writer, make_article):
    article = make_article(title="記録", status=Status.DRAFT, owner=writer, body="ＧＰＵを三台使う。")
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/")
    page.get_by_role("button", name="本文で表示").click()
    page.wait_for_function("() => [...CSS.highlights.get('finding-current')][0].toString() === 'ＧＰＵを三台使う。'")
    page.get_by_role("button", name="「ＧＰＵ」を「GPU」に直す").click()
    expect(page.get_by_text("「ＧＰＵ」を「GPU」に直し（1）、第2版として保存しました。")).to_be_visible()
    expect(page.locator(".reader-preview")).to_contain_text("GPUを三台使う。")


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the server never heard it"
        time.sleep(0.1)

