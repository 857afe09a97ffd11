"""Japanese writing checks (issue 13): spelling variants, the house style and readability
rules, each with a case it must find and one it must leave alone. Our own sentences."""

import pytest
from django.urls import reverse

from articles.checks.fixes import apply_fix
from articles.models import HouseStyleTerm

from .writing import codes, findings

pytestmark = pytest.mark.django_db


class TestHouseStyle:
    def test_a_variant_is_flagged_with_the_preferred_form_and_a_fix(self):
        [finding] = findings("新しいサーバを導入した。", code="writing.house_style")
        assert "サーバー" in finding.message and finding.level == "warning"
        assert finding.sentence == "新しいサーバを導入した。"
        assert finding.fix == ("サーバ", "サーバー")

    def test_the_preferred_form_is_left_alone(self):
        assert "writing.house_style" not in codes("新しいサーバーを導入した。")

    def test_inflected_forms_get_the_same_ending(self):
        [finding] = findings("この機能で検索が出来ます。", code="writing.house_style")
        assert finding.fix == ("出来", "でき")
        fixes = {f.fix for f in findings("詳しくは窓口にお問合せ下さい。", code="writing.house_style")}
        assert fixes == {("問合せ", "問い合わせ"), ("下さい", "ください")}

    def test_the_table_is_the_admins(self):
        HouseStyleTerm.objects.create(preferred="ログイン", variants="ログオン\nサインイン", note="用語を統一")
        [finding] = findings("管理画面にサインインする。", code="writing.house_style")
        assert finding.fix == ("サインイン", "ログイン") and "用語を統一" in finding.message
        HouseStyleTerm.objects.filter(preferred="サーバー").delete()
        assert "writing.house_style" not in codes("新しいサーバを導入した。")

    def test_counted_once_per_form(self):
        found = findings("サーバを買った。サーバを置いた。", code="writing.house_style")
        assert len(found) == 1 and "2" in found[0].message


class TestVariantsInOneArticle:
    def test_a_word_written_two_ways_is_reported_with_both_forms(self):
        HouseStyleTerm.objects.all().delete()
        [finding] = findings("サーバーを増やした。\n\n古いサーバも使う。\n\nサーバーは十台ある。", code="writing.variants")
        assert "「サーバー」（2）" in finding.message and "「サーバ」（1）" in finding.message
        assert finding.sentence == "古いサーバも使う。"  # where the rarer form is
        assert finding.where == "「サーバ」：「古いサーバも使う。」"

    def test_okurigana_variants_meet(self):
        HouseStyleTerm.objects.all().delete()
        assert "writing.variants" in codes("来月に引越しする。引っ越しの準備をする。")

    def test_one_spelling_throughout_is_fine(self):
        HouseStyleTerm.objects.all().delete()
        assert "writing.variants" not in codes("サーバーを増やした。サーバーは十台ある。")


@pytest.mark.parametrize(("code", "bad", "good"), [
    ("writing.sentence_length", "この文は" + "とても" * 40 + "長い。", "この文は短い。"),
    ("writing.commas", "まず、次に、さらに、そして、最後に終わる。", "まず、次に、最後に終わる。"),
    ("writing.mixed_style", "新製品が出ました。\n\n価格は高いである。", "新製品が出ました。\n\n価格は高いです。"),
    ("writing.doubled_particle", "私は東京は好きだ。", "私は東京が好きだ。"),
    ("writing.doubled_particle", "材料を鍋を使って煮る。", "材料を、鍋を使って煮る。"),
    ("writing.halfwidth_kana", "ﾃｽﾄを実行した。", "テストを実行した。"),
    ("writing.fullwidth_alnum", "ＧＰＵを３台使う。", "GPUを3台使う。"),
    ("writing.mixed_punctuation", "一つ目、二つ目。\n\n三つ目，四つ目．", "一つ目、二つ目。\n\n三つ目、四つ目。"),
    ("writing.exclamation", "ついに発売された！", "ついに発売された。"),
    ("writing.exclamation", "本当に速いのか？", "本当に速いのかを検証した。"),
    ("writing.kanji_run", "国際電気標準会議規格を読む。", "国際電気標準の規格を読む。"),
    ("writing.same_ending", "新製品が出ました。価格も下がりました。評判も良くなりました。",
     "新製品が出ました。価格も下がった。評判は良い。"),
    ("writing.hedging", "市場は伸びるかもしれない。", "市場は伸びると調査会社は予測する。"),
])
def test_readability_rules(code, bad, good):
    assert code in codes(bad), bad
    assert code not in codes(good), good


def test_hedging_is_information_only():
    [finding] = findings("市場は伸びると思われる。", code="writing.hedging")
    assert finding.level == "info"


def test_every_finding_names_its_sentence():
    for finding in findings("ﾃｽﾄを実行した！\n\n新しいサーバを導入した。"):
        assert finding.sentence, finding


def test_thresholds_are_settings(settings):
    sentence = "この文は" + "あ" * 50 + "。"
    assert "writing.sentence_length" not in codes(sentence)
    settings.EDITORIAL_WRITING_RULES = {"sentence_length": 40}
    assert "writing.sentence_length" in codes(sentence)


@pytest.mark.parametrize("body", [
    "```\nﾃｽﾄ！ ＧＰＵ サーバ\n```",  # a code block
    "`ﾃｽﾄ！` は使わない。",  # inline code
    "> ﾃｽﾄ！ ＧＰＵ サーバ",  # a quotation
    "詳しくは https://example.com/ﾃｽﾄ/ＧＰＵ! を見る。",  # an address
])
def test_code_addresses_and_quotations_are_not_prose(body):
    found = codes(body) & {"writing.halfwidth_kana", "writing.fullwidth_alnum", "writing.exclamation",
                           "writing.house_style"}
    assert found == set(), body


class TestFixes:
    def test_a_fix_replaces_whole_words_in_prose_only(self):
        # A link's text is the title of what it links to, as a quotation is (issue 23).
        body = "サーバを置く。サーバーは別。\n\n```\nサーバ\n```\n\n`サーバ` と [サーバ](https://example.com/サーバ) 。"
        fixed, count = apply_fix(body, "サーバ", "サーバー")
        assert count == 1
        assert fixed == ("サーバーを置く。サーバーは別。\n\n```\nサーバ\n```\n\n"
                         "`サーバ` と [サーバ](https://example.com/サーバ) 。")

    def test_full_width_to_half_width(self):
        assert apply_fix("ＧＰＵを使う。", "ＧＰＵ", "GPU") == ("GPUを使う。", 1)

    def test_nothing_to_fix(self):
        assert apply_fix("本文。", "サーバ", "サーバー") == ("本文。", 0)


@pytest.mark.parametrize("body", [
    "毎日する。会議に関す規程もある。",  # する and す share a normalised form, not a reading
    "そう言う。そうとも言える。",  # a verb and its potential form
])
def test_different_words_are_not_variants(body):
    assert "writing.variants" not in codes(body), body


def test_a_latin_word_is_left_to_the_writer():
    assert "writing.house_style" not in codes("Webで公開する。")
    assert "writing.house_style" in codes("ウエブで公開する。")


def test_a_repeated_passage_is_one_finding():
    passage = "まず、次に、さらに、そして、最後に終わる。"
    assert len(findings(f"{passage}\n\n{passage}", code="writing.commas")) == 1


class TestFixesInTheDesk:
    @pytest.fixture
    def draft(self, make_article, writer):
        from articles.models import Status

        return make_article(title="サーバの記事", slug="fixme", excerpt="サーバの話。", owner=writer,
                            status=Status.DRAFT, body="新しいサーバを導入した。\n\n```\nサーバ\n```\n\nＧＰＵも使う。")

    def test_the_review_page_points_at_sentences_and_offers_fixes(self, client, writer, draft):
        from django.urls import reverse

        client.force_login(writer)
        page = client.get(reverse("desk:review", args=[draft.pk])).content.decode()
        assert 'data-sentence="サーバの記事"' in page  # the first place: the title
        assert 'data-sentence="ＧＰＵも使う。"' in page
        assert "「サーバ」を「サーバー」に直す" in page
        assert f'action="{reverse("desk:fix", args=[draft.pk])}"' in page

    def test_a_fix_is_saved_as_a_new_revision(self, client, writer, draft):
        from django.urls import reverse

        from articles.models import Article

        client.force_login(writer)
        response = client.post(reverse("desk:fix", args=[draft.pk]),
                               {"old": "サーバ", "new": "サーバー", "version": draft.version}, follow=True)
        article = Article.objects.get(pk=draft.pk)
        assert article.version == draft.version + 1
        copy = article.latest_revision
        assert copy.title == "サーバーの記事" and copy.excerpt == "サーバーの話。"
        assert copy.body == "新しいサーバーを導入した。\n\n```\nサーバ\n```\n\nＧＰＵも使う。"
        assert "「サーバ」を「サーバー」に直し（3）、第2版として保存しました。" in response.content.decode()

    def test_only_a_fix_the_checks_offer(self, client, writer, draft):
        from django.urls import reverse

        from articles.models import Article

        client.force_login(writer)
        client.post(reverse("desk:fix", args=[draft.pk]), {"old": "新しい", "new": "古い", "version": draft.version})
        assert Article.objects.get(pk=draft.pk).version == draft.version

    def test_a_stale_page_changes_nothing(self, client, writer, editor, draft):
        from django.urls import reverse

        from articles.models import Article
        from articles.publishing.editing import Content, save_working_copy

        save_working_copy(draft, Content(title="サーバの記事", slug="fixme", body="サーバを足した。"), editor,
                          base_version=draft.version)
        client.force_login(writer)
        client.post(reverse("desk:fix", args=[draft.pk]), {"old": "サーバ", "new": "サーバー", "version": 1})
        assert Article.objects.get(pk=draft.pk).latest_revision.body == "サーバを足した。"

    def test_nobody_else_fixes_a_draft(self, client, other_writer, draft):
        from django.urls import reverse

        client.force_login(other_writer)
        response = client.post(reverse("desk:fix", args=[draft.pk]), {"old": "サーバ", "new": "サーバー", "version": 1})
        assert response.status_code == 404

    def test_the_editor_fixes_the_text_being_typed(self, client, writer):
        from django.urls import reverse

        client.force_login(writer)
        fixed = client.post(reverse("desk:fix-text"), {
            "title": "ＧＰＵの話", "excerpt": "", "body": "ＧＰＵを使う。`ＧＰＵ`", "old": "ＧＰＵ", "new": "GPU",
        }).json()
        assert fixed == {"title": "GPUの話", "excerpt": "", "body": "GPUを使う。`ＧＰＵ`"}


def test_sentences_ending_on_nouns_have_no_ending_to_repeat():
    assert "writing.same_ending" not in codes("新製品の発表。新価格の設定。新機能の追加。")
    [finding] = findings("新製品が出たのだ。価格も下がったのだ。評判も広がったのだ。", code="writing.same_ending")
    assert "「たのだ」" in finding.message and finding.sentence == "評判も広がったのだ。"


def test_paragraphs_beyond_the_analysers_limit_are_fed_in_pieces():
    from articles.rendering import japanese

    text = "長い段落です。" * 3000 + "終わりのサーバ" * 3000  # 60 KB and more, a last run without a full stop
    assert len(text.encode()) > 49_149
    words = japanese.words(text)
    assert all(text[word.start:word.end] == word.surface for word in words)
    assert words[-1].end == len(text)


@pytest.mark.parametrize(("limit", "code"), [("sentence_length", "writing.sentence_length"),
                                               ("commas", "writing.commas")])
def test_a_sentence_exactly_at_a_limit_passes_and_one_more_does_not(settings, limit, code):
    """The thresholds say "at most": 100 characters and 3 読点 pass, 101 and 4 do not."""
    at_limit = {
        "sentence_length": "あ" * 99 + "。",
        "commas": "まず、次に、さらに、最後に終わる。",
    }[limit]
    one_more = {
        "sentence_length": "あ" * 100 + "。",
        "commas": "まず、次に、さらに、そして、最後に終わる。",
    }[limit]
    assert len("あ" * 99 + "。") == 100
    assert code not in codes(at_limit)
    assert code in codes(one_more)


def _long_text(paragraphs=900):
    # Each paragraph: a house-style variant, a 読点-heavy sentence, a long one.
    return "\n\n".join(
        f"サーバの設定{n}を、まず、次に、さらに、そして、確認する。" + "長い文" * 25 + f"{n}。"
        for n in range(paragraphs)
    )


def test_a_long_text_gets_a_bounded_list_of_findings(client, writer):
    """Issue 21, item 2: a 99,000-character preview returned 3.7 MB of findings."""
    from articles.checks.findings import SHOWN_PER_RULE

    body = _long_text()
    assert 90_000 < len(body) <= 100_000
    client.force_login(writer)
    response = client.post(reverse("desk:render"), {"title": "長い記事", "body": body})
    assert response.status_code == 200
    assert len(response.content) < 1_500_000
    page = response.json()["checks_html"]
    assert page.count('<li class="finding') <= 10 * (SHOWN_PER_RULE + 1)
    assert "ほかにも同様の指摘が" in page


def test_writing_checks_beyond_their_bound_say_so_and_the_rest_still_run(client, writer, settings):
    settings.EDITORIAL_WRITING_CHECK_SECONDS = 0.01
    client.force_login(writer)
    response = client.post(reverse("desk:render"), {"title": "長い記事", "body": _long_text(300), "companies": "Google"})
    assert response.status_code == 200
    page = response.json()["checks_html"]
    assert "確認していません" in page  # the writing was not checked, and it says so
    assert "Google" in page  # the other checks ran
