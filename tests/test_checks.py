"""The editorial checks, on small hand-made texts and on the publisher's real post."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from articles.checks.article_text import ArticleText
from articles.checks.editorial import run_checks
from articles.checks.findings import ERROR, INFO, WARNING
from articles.checks.repeats import find_repeats
from articles.jekyll.posts import read_post
from articles.models import Status
from articles.publishing import workflow
from articles.publishing.editing import Content, create_article

pytestmark = pytest.mark.django_db

PARAGRAPHS = [
    "新しいチップは学習にかかる時間を大きく縮めると発表された。",
    "価格は従来品とほぼ同じで、既存の設備にもそのまま組み込める。",
    "一方で、対応するソフトウェアはまだ限られているという指摘もある。",
    "導入を検討する企業は、まず小さな検証から始めるのがよさそうだ。",
]


def text(body, **fields):
    fields.setdefault("title", "新チップの実力")
    fields.setdefault("excerpt", "新しいチップの性能と課題をまとめた。")
    return ArticleText(body=body, **fields)


def codes(findings, level=None):
    return [f.code for f in findings if level is None or f.level == level]


class TestDuplicates:
    def test_original_text_has_no_repeats(self):
        blocks, share = find_repeats(PARAGRAPHS)
        assert blocks == [] and share == 0

    def test_exact_repeat_is_found_with_its_first_copy(self):
        blocks, share = find_repeats([*PARAGRAPHS, PARAGRAPHS[1]])
        assert [(b.start, b.end, b.source_start, b.source_end) for b in blocks] == [(5, 5, 2, 2)]
        assert 0.15 < share < 0.3

    def test_repeat_survives_width_case_spacing_and_punctuation(self):
        variant = "新しい　チップは、学習に　かかる時間を大きく縮めると発表された！"
        blocks, _ = find_repeats([*PARAGRAPHS, variant.replace("チップ", "ﾁｯﾌﾟ")])
        assert [(b.start, b.source_start) for b in blocks] == [(5, 1)]

    @pytest.mark.parametrize(
        ("old", "new"),
        [("限られている", "少ない"), ("という指摘もある", "という指摘もある（開発元は否定している）")],
        ids=["a word", "a parenthetical"],
    )
    def test_copy_with_a_word_or_a_parenthetical_changed(self, old, new):
        # A paragraph of ordinary length: three sentences.
        long = "専用の開発環境はまだ限られているという指摘もある。対応の遅れは導入の妨げになりうる。各社は年内に改善版を出す予定だ。"
        blocks, _ = find_repeats([*PARAGRAPHS, long, "まとめに代えて、今後の動きを見守りたい。", long.replace(old, new)])
        assert [(b.start, b.source_start) for b in blocks] == [(7, 5)]

    def test_paragraph_merging_several_earlier_ones(self):
        merged = "".join(PARAGRAPHS[:3])
        blocks, _ = find_repeats([*PARAGRAPHS, merged])
        assert [(b.start, b.end, b.source_start, b.source_end) for b in blocks] == [(5, 5, 1, 3)]

    def test_a_repeated_section_is_one_block_each_time(self):
        blocks, _ = find_repeats([*PARAGRAPHS, *PARAGRAPHS[1:3], *PARAGRAPHS[1:3]])
        assert [(b.start, b.end, b.source_start, b.source_end) for b in blocks] == [(5, 6, 2, 3), (7, 8, 2, 3)]

    def test_short_lines_may_repeat(self):
        blocks, _ = find_repeats(["まとめ", *PARAGRAPHS, "まとめ"])
        assert blocks == []

    def test_different_paragraphs_on_the_same_subject_are_not_repeats(self):
        other = "新しいチップの価格は発表されず、学習時間の短縮幅も明らかにされなかった。"
        assert find_repeats([*PARAGRAPHS, other])[0] == []

    def test_a_large_repeated_share_is_an_error(self):
        findings = run_checks(text("\n\n".join(PARAGRAPHS + PARAGRAPHS)))
        assert "duplicates.share" in codes(findings, ERROR)
        assert "50%" in next(f.message for f in findings if f.code == "duplicates.share")

    def test_a_small_repeat_is_a_warning(self):
        body = "\n\n".join([*PARAGRAPHS, PARAGRAPHS[0]] + [f"独自の段落{n}。" + "内容を詳しく説明する文章。" * 8
                                                          for n in range(6)])
        findings = run_checks(text(body))
        assert "duplicates.share" in codes(findings, WARNING)


class TestTitleAndExcerpt:
    def test_missing_excerpt(self):
        assert "excerpt.missing" in codes(run_checks(text(PARAGRAPHS[0], excerpt="")), WARNING)

    def test_excerpt_equal_to_title_is_an_error(self):
        findings = run_checks(text(PARAGRAPHS[0], excerpt="新チップの実力 "))
        assert "excerpt.is_title" in codes(findings, ERROR)

    def test_excerpt_repeating_the_first_paragraph(self):
        findings = run_checks(text("\n\n".join(PARAGRAPHS), excerpt=PARAGRAPHS[0]))
        assert "excerpt.is_first_paragraph" in codes(findings)

    def test_body_starting_with_the_title(self):
        assert "body.starts_with_title" in codes(run_checks(text("新チップの実力\n\n" + PARAGRAPHS[0])))

    def test_lengths(self):
        findings = run_checks(text(PARAGRAPHS[0], title="長" * 61, excerpt="短" * 121))
        assert {"title.long", "excerpt.long"} <= set(codes(findings))
        assert not {"title.long", "excerpt.long"} & set(codes(run_checks(text(PARAGRAPHS[0]))))


class TestTags:
    def test_company_tag_not_mentioned(self):
        findings = run_checks(text("NVIDIAの新しいGPU。", companies=["NVIDIA", "Intel"]))
        absent = [f.message for f in findings if f.code == "tags.company_absent"]
        assert len(absent) == 1 and "Intel" in absent[0]

    def test_alias_counts_as_a_mention(self):
        findings = run_checks(text("AWSの新サービスとアマゾンの物流。", companies=["Amazon"]))
        assert "tags.company_absent" not in codes(findings)

    def test_a_katakana_name_counts_as_a_mention_and_suggests_the_tag(self):
        findings = run_checks(text("エヌビディアの新しいGPU。", companies=["NVIDIA"]))
        assert "tags.company_absent" not in codes(findings)
        untagged = [f.message for f in run_checks(text("エヌビディアの新しいGPU。")) if f.code == "tags.company_untagged"]
        assert untagged and "NVIDIA" in untagged[0]

    def test_ascii_names_next_to_japanese(self):
        findings = run_checks(text("AmazonのAIチップ。", companies=["Amazon"]))
        assert "tags.company_absent" not in codes(findings)
        # "Machine" is not a mention of a company called "Mac"; "Armor" not of Arm.
        findings = run_checks(text("Machine learning と Armor の話。", companies=["Arm"]))
        assert "tags.company_absent" in codes(findings)
        assert not any("Arm" in f.message for f in findings if f.code == "tags.company_untagged")

    def test_full_width_names_are_mentions(self):
        findings = run_checks(text("ＮＶＩＤＩＡの決算。", companies=["NVIDIA"]))
        assert "tags.company_absent" not in codes(findings)

    def test_topic_appearing_nowhere(self):
        findings = run_checks(text("LLMの学習について。", topics=["LLM", "マルチモーダル"]))
        assert [f.message for f in findings if f.code == "tags.topic_absent"] == [
            "トピックタグ「マルチモーダル」は本文のどこにも出てきません。"
        ]

    def test_known_company_mentioned_but_not_tagged(self):
        findings = run_checks(text("Googleとグーグル、そしてTSMC。", companies=["Google"]))
        untagged = [f.message for f in findings if f.code == "tags.company_untagged"]
        assert untagged == ["本文でTSMCに言及していますが、タグが付いていません。"]
        assert all(f.level == INFO for f in findings if f.code == "tags.company_untagged")


class TestMarkup:
    def test_images_without_alt(self):
        findings = run_checks(text("![](https://example.com/a.png)\n\n![説明](https://example.com/b.png)"))
        assert [f.message for f in findings if f.code == "markup.image_alt"] == [
            "1枚の画像に代替テキストがありません。画像を見られない読者のために内容を書いてください。"
        ]

    def test_links(self):
        findings = run_checks(text("[空](<>) と [危険](javascript:alert(1)) と [ftp](ftp://example.com/f) と "
                                   "[正しい](https://example.com) と [](https://example.com/x)"))
        found = codes(findings)
        assert found.count("markup.link_scheme") == 2 and "markup.link_empty" in found
        assert "markup.link_text" in found
        assert "markup.link_scheme" in codes(findings, ERROR)

    def test_heading_levels(self):
        assert "markup.heading_skip" in codes(run_checks(text("## 概要\n\n#### 詳細")))
        assert "markup.heading_skip" not in codes(run_checks(text("## 概要\n\n### 詳細\n\n## 次")))
        assert "markup.h1" in codes(run_checks(text("# 大見出し")))

    def test_raw_html_that_will_be_removed(self):
        findings = run_checks(text('<iframe src="https://example.com"></iframe>\n\n<p style="color:red">赤</p>'))
        message = next(f.message for f in findings if f.code == "markup.removed")
        assert "<iframe>" in message and "style=" in message
        assert "markup.removed" not in codes(run_checks(text("**太字** と [リンク](https://example.com)")))


class TestReadingTime:
    def test_reading_time_with_and_without_repeats(self):
        body = "\n\n".join([p * 10 for p in PARAGRAPHS] * 2)
        message = next(f.message for f in run_checks(text(body)) if f.code == "reading_time")
        assert message == "読了時間：現在の本文で5分、繰り返しを除くと3分。"

    def test_claimed_reading_time_that_matches_nothing(self):
        findings = run_checks(text(PARAGRAPHS[0], source_reading_time=20))
        assert "reading_time.source" in codes(findings, WARNING)
        assert "reading_time.source" not in codes(run_checks(text(PARAGRAPHS[0], source_reading_time=1)))


class TestSeedPost:
    @pytest.fixture
    def findings(self, seed_post):
        post = read_post(seed_post)
        return run_checks(ArticleText(
            title=post.title, body=post.body, excerpt=post.excerpt, companies=["Google", "NVIDIA", "Amazon", "Apple"],
            topics=["LLM", "マルチモーダル"], source_reading_time=post.reading_time,
        ))

    def test_finds_the_repeated_sections_and_their_share(self, findings):
        share = next(f for f in findings if f.code == "duplicates.share")
        assert share.level == ERROR
        percent = int(share.message.split("%")[0].removeprefix("本文の"))
        assert 70 <= percent <= 80, share.message  # roughly three quarters
        blocks = [f.message for f in findings if f.code == "duplicates.block"]
        assert blocks[0] == "第19段落は第1–18段落の繰り返しです。"  # the merged paragraph
        assert len(blocks) == 8
        assert all(re.fullmatch(r"第\d+–\d+段落は第20–30段落の繰り返しです。", m) for m in blocks[1:]), blocks

    def test_finds_the_excerpt_the_absent_topic_and_the_reading_times(self, findings):
        assert "excerpt.is_title" in codes(findings, ERROR)
        assert [f.message for f in findings if f.code == "tags.topic_absent"] == [
            "トピックタグ「マルチモーダル」は本文のどこにも出てきません。"
        ]
        assert "tags.company_absent" not in codes(findings)
        assert "reading_time.source" in codes(findings)
        reading = next(f.message for f in findings if f.code == "reading_time")
        assert reading == "読了時間：現在の本文で48分、繰り返しを除くと12分。"


class TestApprovalGate:
    @pytest.fixture
    def submitted(self, writer):
        article = create_article(Content(title="同じ題", slug="same", excerpt="同じ題", body="本文の段落です。"), writer)
        workflow.apply_transition(article, "submit", writer)
        return article

    def test_errors_block_approval(self, submitted, editor):
        with pytest.raises(workflow.ChecksFailed) as raised:
            workflow.apply_transition(submitted, "approve", editor)
        assert codes(raised.value.findings) == ["excerpt.is_title"]
        submitted.refresh_from_db()
        assert submitted.status == Status.IN_REVIEW

    def test_a_written_reason_overrides_and_is_kept(self, submitted, editor):
        transition = workflow.apply_transition(submitted, "approve", editor, override_reason="速報のため後で直す")
        assert submitted.status == Status.APPROVED
        assert transition.data == {"override_reason": "速報のため後で直す", "overridden": ["excerpt.is_title"]}

    def test_over_http(self, client, submitted, editor):
        client.force_login(editor)
        review = client.get(reverse("desk:review", kwargs={"pk": submitted.pk})).content.decode()
        assert "抜粋がタイトルの繰り返しです" in review and 'name="override_reason"' in review
        url = reverse("desk:transition", kwargs={"pk": submitted.pk, "action": "approve"})
        seen = submitted.latest_revision_id
        response = client.post(url, {"override_reason": "", "revision": seen})
        assert response.status_code == 400
        assert "それでも承認する理由を書いてください" in response.content.decode()
        response = client.post(url, {"override_reason": "速報のため後で直す", "revision": seen})
        assert response.status_code == 302
        page = client.get(reverse("desk:review", kwargs={"pk": submitted.pk})).content.decode()
        assert "チェックのエラーを承知で承認" in page and "速報のため後で直す" in page

    def test_clean_articles_need_no_override(self, writer, editor):
        article = create_article(Content(title="題", slug="clean", excerpt="要約です。", body="本文の段落です。"), writer)
        workflow.apply_transition(article, "submit", writer)
        workflow.apply_transition(article, "approve", editor)
        assert article.status == Status.APPROVED


class TestReportCommand:
    def test_reports_and_fails_on_errors(self, writer):
        create_article(Content(title="同じ題", slug="bad", excerpt="同じ題", body="本文。"), writer)
        create_article(Content(title="題", slug="good", excerpt="要約です。", body="本文の段落です。"), writer)
        out = StringIO()
        with pytest.raises(CommandError, match="1 of 2 articles have errors"):
            call_command("check_articles", stdout=out)
        report = out.getvalue()
        assert "bad (下書き)" in report and "ERROR   excerpt.is_title" in report
        assert "checked 2 articles: 1 with errors" in report

    def test_filters_and_passes_when_clean(self, writer):
        create_article(Content(title="同じ題", slug="bad", excerpt="同じ題", body="本文。"), writer)
        good = create_article(Content(title="題", slug="good", excerpt="要約です。", body="本文の段落です。"), writer)
        workflow.apply_transition(good, "submit", writer)
        out = StringIO()
        call_command("check_articles", "--status", "in_review", stdout=out)
        assert "checked 1 articles: 0 with errors" in out.getvalue()
        out = StringIO()
        call_command("check_articles", "--slug", "good", "--errors-only", stdout=out)
        assert out.getvalue().strip() == "checked 1 articles: 0 with errors"


@pytest.mark.django_db
def test_what_the_sanitiser_removes_is_named():
    from articles.checks.article_text import ArticleText
    from articles.checks.editorial import run_checks

    findings = run_checks(ArticleText(title="題", body=(
        '<iframe src="https://evil.example/x"></iframe>\n\n<div class="button primary" onclick="x()">偽のボタン</div>')))
    removed = next(f.message for f in findings if f.code == "markup.removed")
    for name in ["<iframe>", "onclick=", 'class="button"', 'class="primary"']:
        assert name in removed
    clean = run_checks(ArticleText(title="題", body="https://www.youtube.com/watch?v=dQw4w9WgXcQ"))
    assert "markup.removed" not in [f.code for f in clean]


class TestTunedOnRealArchives:
    """What the checks got wrong on 6,518 findings over real Jekyll archives."""

    def test_a_picture_link_with_alt_text_has_text(self):
        findings = run_checks(text("[![公式サイトのロゴ](https://example.com/logo.png)](https://example.com/)\n\n"
                                   + "\n\n".join(PARAGRAPHS)))
        assert "markup.link_text" not in codes(findings)
        assert "markup.link_text" in codes(run_checks(text("[![](https://example.com/logo.png)](https://example.com/)")))

    def test_an_excerpt_the_importer_drew_is_not_a_copy(self, tmp_path):
        post = tmp_path / "2024-01-01-a.md"
        post.write_text("---\ntitle: 題\n---\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
        call_command("import_jekyll", str(post), stdout=StringIO())
        from articles.models import Article

        revision = Article.objects.get().latest_revision
        assert revision.excerpt == PARAGRAPHS[0]
        assert "excerpt.is_first_paragraph" not in codes(run_checks(ArticleText.of_revision(revision)))
        # The same excerpt typed by a writer is a copy worth a word.
        assert "excerpt.is_first_paragraph" in codes(run_checks(text("\n\n".join(PARAGRAPHS), excerpt=PARAGRAPHS[0])))

    def test_lists_of_addresses_and_commands_are_not_repeated_passages(self):
        links = "\n".join(f"- https://example.com/docs/guide/chapter-{n}/section" for n in range(8))
        commands = "```\npip install --upgrade editorial-tools-package\n```"
        body = "\n\n".join([*PARAGRAPHS[:2], links, commands, PARAGRAPHS[2], commands, links, PARAGRAPHS[3]])
        assert not [c for c in codes(run_checks(text(body))) if c.startswith("duplicates")]
        # Prose said twice still is.
        assert "duplicates.block" in codes(run_checks(text("\n\n".join([*PARAGRAPHS, PARAGRAPHS[1]]))))

    def test_short_company_names_match_as_written_and_never_in_code_or_addresses(self):
        from articles.models import CompanyTag

        for name in ("Arm", "Meta"):  # seeded by a migration, or made here
            CompanyTag.objects.get_or_create(name=name, defaults={"slug": name.lower()})
        body = ("ロボットの arm を動かす。meta 情報も付ける。詳しくは https://about.meta.com/ja と "
                "`arm64` を参照。\n\n```\nmeta: true\n```")
        findings = run_checks(text(body))
        assert not [f for f in findings if f.code == "tags.company_untagged"]
        findings = run_checks(text("Arm の新しい設計を Meta が採用した。"))
        untagged = [f.message for f in findings if f.code == "tags.company_untagged"]
        assert len(untagged) == 2 and "Arm" in untagged[0] and "Meta" in untagged[1]

    def test_topics_have_aliases(self):
        from articles.models import TopicTag

        TopicTag.objects.create(name="セキュリティ", slug="security", aliases="security\n情報セキュリティ")
        findings = run_checks(text("この記事は security の基本を扱う。", topics=["セキュリティ"]))
        assert "tags.topic_absent" not in codes(findings)
        content = Content(title="題", slug="a", topics=("Security", "LLM"))
        assert content.as_revision_fields()["topics"] == ["セキュリティ", "LLM"]


def test_the_review_page_checks_a_version_once(client, editor, make_article, monkeypatch):
    """Issue 21, item 2: every view of the review page ran every check again (2–3 s on a
    long article)."""
    from articles.checks import editorial
    from articles.models import Status

    article = make_article(title="読まれる記事", body="サーバの設定を確認する。サーバーの話。", status=Status.IN_REVIEW)
    client.force_login(editor)
    runs = []
    real = editorial.run_checks
    monkeypatch.setattr(editorial, "run_checks", lambda text: runs.append(1) or real(text))
    first = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    second = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    assert len(runs) == 1
    assert "サーバー" in first and first.count('class="finding ') == second.count('class="finding ')
