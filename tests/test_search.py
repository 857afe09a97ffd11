"""Japanese search: the same queries give the same results on SQLite and PostgreSQL
(CI runs this file on both)."""

import datetime as dt

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from articles.reading.search import search, split_terms
from articles.system_checks import ctype_handles_japanese

pytestmark = pytest.mark.django_db

CORPUS = {
    "chips": ("AIチップの開発競争", "新しいチップの開発が進む。推論の速さが鍵になる。", ["NVIDIA"], ["半導体"]),
    "inference": ("推論コストを下げる", "量子化とバッチ処理で推論の費用を抑える。", [], ["LLM"]),
    "multimodal": ("画像と文章をまとめて扱う", "マルチモーダルなモデルが端末で動き始めた。", ["Apple"], ["マルチモーダル"]),
    "english": ("Open models", "Open-weight models and GPU clusters for large or long runs.", ["Meta"], []),
    "fullwidth": ("ＡＩ規制の行方", "各国のＡＩ規制を比べる。", [], ["政策"]),
    "power": ("データセンターの電力", "電力の確保が課題。チップの省電力化にも期待。", ["SoftBank"], []),
}


@pytest.fixture
def corpus(make_article):
    articles = {}
    for slug, (title, body, companies, topics) in CORPUS.items():
        articles[slug] = make_article(slug=slug, title=title, body=body, companies=companies, topics=topics)
    make_article(slug="hidden", title="下書きのチップ記事", body="チップ 推論 AI", status=Status.DRAFT)
    return articles


def found(query):
    return [article.slug for article in search(Article.objects.published(), query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("推論", ["inference", "chips"]),  # 2 characters: the substring path
        ("AI", ["fullwidth", "chips"]),  # ＡＩ in the text is AI after NFKC
        ("チップ", ["chips", "power"]),  # 3 characters: the trigram path
        ("マルチモーダル", ["multimodal"]),  # 7 characters, and a tag
        ("半導体", ["chips"]),  # only in a tag
        ("開発競争", ["chips"]),
        ("ＡＩ", ["fullwidth", "chips"]),  # full-width Latin in the query
        ("gpu", ["english"]),  # case does not matter
        ("OPEN models", ["english"]),
        ("チップ 電力", ["power"]),  # every term required
        ("チップ　推論", ["chips"]),  # a full-width space separates terms too
        ("nvidia 推論", ["chips"]),  # company tags are searchable
        ("存在しない言葉", []),
    ],
)
def test_queries(corpus, query, expected):
    assert found(query) == expected


def test_unpublished_articles_are_never_found(corpus):
    assert "hidden" not in found("チップ") and "hidden" not in found("AI")


@pytest.mark.parametrize(("query", "expected"), [
    ('"', []), ('チップ"', []), ("NEAR(チップ 推論)", []), ("チップ*", []), ("(推論", []), ("-チップ", []), ("^AI", []),
    # An operator of a search syntax is a word like any other: "and" and "or" are in the English text.
    ("AND", ["english"]), ("OR", ["english"]), ("推論 AND チップ", []),
])
def test_search_syntax_in_a_query_is_just_text(corpus, query, expected):
    assert found(query) == expected  # and no error from the database


def test_terms_are_normalised_and_limited():
    assert split_terms("  ＡＩ　チップ  ai ") == ["ai", "チップ"]
    assert len(split_terms(" ".join(f"t{n}" for n in range(20)))) == 8


def test_results_follow_edits(corpus, writer, editor):
    from articles.publishing import workflow
    from articles.publishing.editing import Content, create_article

    article = create_article(Content(title="新しい記事", slug="fresh", body="量子コンピューターの話"), writer)
    workflow.apply_transition(article, "submit", writer)
    workflow.apply_transition(article, "approve", editor)
    assert "fresh" not in found("量子コンピューター")
    workflow.apply_transition(article, "publish", editor)
    assert found("量子コンピューター") == ["fresh"]
    workflow.apply_transition(article, "unpublish", editor)
    assert found("量子コンピューター") == []


def test_sqlite_uses_the_trigram_index_for_long_terms(corpus):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 path")
    with CaptureQueriesContext(connection) as queries:
        found("チップ 推論")
    assert any("articles_search MATCH" in q["sql"] and '"チップ"' in q["sql"] for q in queries.captured_queries)


def test_postgresql_uses_the_trigram_index(corpus):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's pg_trgm path")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM articles_article WHERE search_text LIKE %s", ["%チップ%"])
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "article_search_trgm" in plan


def test_the_ctype_check():
    assert not ctype_handles_japanese("C") and not ctype_handles_japanese("POSIX")
    assert ctype_handles_japanese("C.UTF-8") and ctype_handles_japanese("ja_JP.utf8")
    # The databases the tests run on are set up right.
    assert [m.id for m in run_checks(databases=["default"]) if m.id == "articles.W001"] == []


class TestSearchPage:
    def test_results_with_snippets_and_the_query_kept(self, client, corpus):
        response = client.get(reverse("articles:search"), {"q": "推論"})
        page = response.content.decode()
        assert response.status_code == 200
        assert 'value="推論"' in page
        assert "2件の記事が見つかりました。" in page
        assert "<mark>推論</mark>" in page
        assert page.index("推論コストを下げる") < page.index("AIチップの開発競争")

    def test_query_is_escaped(self, client, corpus):
        page = client.get(reverse("articles:search"), {"q": "<script>alert(1)</script>"}).content.decode()
        assert "<script>alert(1)</script>" not in page

    def test_empty_query_shows_the_form(self, client, corpus):
        page = client.get(reverse("articles:search")).content.decode()
        assert 'type="search"' in page and "件の記事が見つかりました" not in page

    def test_pagination_keeps_the_query(self, client, make_article):
        for n in range(23):
            make_article(slug=f"many-{n}", title=f"チップの記事 {n}")
        page = client.get(reverse("articles:search"), {"q": "チップ"}).content.decode()
        assert "?q=%E3%83%81%E3%83%83%E3%83%97&amp;page=2" in page
        assert client.get(reverse("articles:search"), {"q": "チップ", "page": 2}).status_code == 200


@pytest.mark.parametrize("query", ["\x00", "推論\x00", "a\x00b c", "あ" * 10_000, "[" * 10_000, "\"" * 10_000])
def test_hostile_queries_find_nothing_and_break_nothing(client, corpus, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)


class TestRanking:
    def test_title_matches_come_first_then_newer_before_older(self, make_article):
        now = timezone.now()
        old_title = make_article(slug="old-title", title="量子化の基礎", body="古い記事。",
                                 published_at=now - dt.timedelta(days=30))
        new_body = make_article(slug="new-body", title="今週の動き", body="量子化の話も少し。",
                                published_at=now - dt.timedelta(hours=1))
        newer_title = make_article(slug="newer-title", title="量子化の実際", body="本文。",
                                   published_at=now - dt.timedelta(days=2))
        older_body = make_article(slug="older-body", title="先月の動き", body="量子化に触れる。",
                                  published_at=now - dt.timedelta(days=40))
        assert found("量子化") == [newer_title.slug, old_title.slug, new_body.slug, older_body.slug]

    def test_every_term_in_the_title_outranks_some(self, make_article):
        now = timezone.now()
        both = make_article(slug="both", title="推論チップの比較", body="本文。", published_at=now - dt.timedelta(days=9))
        one = make_article(slug="one", title="推論の費用", body="チップも。", published_at=now - dt.timedelta(days=1))
        assert found("推論 チップ") == [both.slug, one.slug]

    def test_a_common_word_ranks_only_the_newest_matches(self, make_article, monkeypatch):
        from articles.reading import search as search_module

        monkeypatch.setattr(search_module, "MAX_RESULTS", 3)
        now = timezone.now()
        made = [make_article(slug=f"common-{n}", title=f"記事{n}", body="よくある言葉。",
                             published_at=now - dt.timedelta(hours=n + 1)) for n in range(5)]
        assert found("よくある言葉") == [article.slug for article in made[:3]]


def test_snippets_are_cut_from_stored_text_without_parsing_html(client, corpus, monkeypatch,
                                                                django_assert_max_num_queries):
    from articles.rendering import plain_text

    def parse(*args, **kwargs):
        raise AssertionError("HTML parsed while searching")

    monkeypatch.setattr(plain_text, "html_to_text", parse)
    # Most of them the first time only: the filters' choices, the names of companies,
    # topics and products and the house style's spellings, the results and the cards,
    # kept until the next change, and the counts of changes of what those show
    # (articles/reading/caching.py).
    with django_assert_max_num_queries(17) as queries:
        page = client.get(reverse("articles:search"), {"q": "推論"}).content.decode()
    assert "<mark>推論</mark>" in page
    # The article rows come without their HTML, Markdown or search text; the snippets'
    # text is read on its own.
    rows = [q["sql"].split(" FROM ")[0] for q in queries.captured_queries
            if q["sql"].startswith('SELECT "articles_article"."id"')]
    for column in ("body_html", "body", "search_text"):
        for selected in rows:
            assert f' "articles_article"."{column}",' not in selected, column  # (search_text is in the ranking)
    assert any('"articles_article"."body_text"' in selected for selected in rows)


def test_a_term_in_much_of_the_archive_finds_the_same_articles(corpus, monkeypatch):
    """On SQLite a term the index finds everywhere is looked for newest-first instead:
    the same results, in the same order."""
    from articles.reading import search as search_module

    before = [found(query) for query in ("チップ", "チップ 推論", "マルチモーダル")]
    monkeypatch.setattr(search_module, "COMMON_MATCHES", 1)
    assert [found(query) for query in ("チップ", "チップ 推論", "マルチモーダル")] == before


def test_the_page_says_when_only_the_newest_matches_are_shown(client, make_article, monkeypatch):
    from articles.reading import search as search_module

    monkeypatch.setattr(search_module, "MAX_RESULTS", 3)
    for n in range(4):
        make_article(slug=f"many-{n}", title=f"よくある記事{n}", body="本文。")
    page = client.get(reverse("articles:search"), {"q": "よくある"}).content.decode()
    assert "3件より多く見つかりました" in page and page.count('class="card') == 3


class TestCompanyNamesInAnyScript:
    """A company is found by any of its names: エヌビディア finds NVIDIA (issue 12, item 13)."""

    @pytest.fixture
    def spelled(self, make_article):
        return {
            "latin": make_article(slug="latin", title="新しいGPUの発表", body="NVIDIAが新製品を出した。"),
            "katakana": make_article(slug="katakana", title="決算の話", body="エヌビディアの売上が伸びた。",
                                     published_at=timezone.now() - dt.timedelta(days=1)),
            "other": make_article(slug="other", title="電池の話", body="関係のない記事。"),
        }

    @pytest.mark.parametrize("query", ["エヌビディア", "nvidia", "ＮＶＩＤＩＡ", "Nvidia"])
    def test_every_name_of_a_company_finds_every_spelling(self, spelled, query):
        assert found(query) == ["latin", "katakana"]

    def test_a_name_added_in_the_admin_is_found(self, spelled, make_article):
        from articles.models.tags import CompanyTag
        make_article(slug="fruit", title="端末の話", body="Appleの新しい端末。")
        apple, _ = CompanyTag.objects.get_or_create(name="Apple")
        apple.aliases = "アップル"
        apple.save()
        assert found("アップル") == ["fruit"]

    def test_a_name_in_the_title_ranks_first_whichever_name(self, make_article):
        make_article(slug="newer", title="電池の話", body="NVIDIAの話も少し。")
        make_article(slug="titled", title="エヌビディアの決算", body="本文。",
                     published_at=timezone.now() - dt.timedelta(days=3))
        assert found("nvidia") == ["titled", "newer"]

    @pytest.mark.parametrize("query", ["トレイニウム", "Trainium", "trainium"])
    def test_a_product_is_found_by_any_of_its_names(self, make_article, client, query):
        """Issue 28, item 10: トレイニウム found nothing though Trainium was in the article."""
        make_article(slug="chip", title="自社チップの話", body="AWSのTrainiumが学習に使われる。")
        make_article(slug="kana", title="学習用チップ", body="トレイニウムを採用した。",
                     published_at=timezone.now() - dt.timedelta(days=1))
        assert found(query) == ["chip", "kana"]
        assert "自社チップの話" in client.get(reverse("articles:search"), {"q": query}).content.decode()

    def test_a_topics_aliases_are_searched_too(self, make_article):
        from articles.models.tags import TopicTag

        make_article(slug="sec", title="守りの話", body="情報セキュリティの基本。")
        topic, _ = TopicTag.objects.get_or_create(name="セキュリティ")
        topic.aliases = "security"
        topic.save()
        assert found("security") == ["sec"]

    def test_a_product_added_in_the_admin_is_found_at_once(self, make_article):
        from articles.models import ProductName

        make_article(slug="arm", title="新しいCPU", body="Axionが発表された。")
        assert found("アクシオン") == []
        ProductName.objects.create(name="Axion", aliases="アクシオン")
        assert found("アクシオン") == ["arm"]

    def test_other_terms_still_all_required(self, spelled):
        assert found("エヌビディア 売上") == ["katakana"]

    def test_the_snippet_marks_the_name_as_written(self, client, spelled):
        page = client.get(reverse("articles:search"), {"q": "エヌビディア"}).content.decode()
        assert "<mark>NVIDIA</mark>" in page
        assert "<mark>エヌビディア</mark>" in page


class TestSortAndFilters:
    """The search page orders by relevance or date and narrows by company, topic and
    category (issue 12, item 12)."""

    @pytest.fixture
    def archive(self, make_article, category):
        now = timezone.now()
        return {
            "old-title": make_article(slug="old-title", title="推論チップの話", body="本文。", companies=["NVIDIA"],
                                      category=category, published_at=now - dt.timedelta(days=5)),
            "new-body": make_article(slug="new-body", title="新製品", body="推論が速い。", topics=["LLM"],
                                     published_at=now - dt.timedelta(days=1)),
            "mid-body": make_article(slug="mid-body", title="決算", body="推論の需要。", companies=["NVIDIA"],
                                     topics=["LLM"], published_at=now - dt.timedelta(days=3)),
        }

    def slugs(self, client, **query):
        response = client.get(reverse("articles:search"), {"q": "推論", **query})
        assert response.status_code == 200
        ids = list(response.context["page_obj"].object_list)
        return [Article.objects.in_bulk(ids)[pk].slug for pk in ids]

    def test_relevance_puts_title_matches_first(self, client, archive):
        assert self.slugs(client) == ["old-title", "new-body", "mid-body"]

    def test_newest_first(self, client, archive):
        assert self.slugs(client, sort="newest") == ["new-body", "mid-body", "old-title"]

    def test_filters(self, client, archive, category):
        assert self.slugs(client, company="nvidia") == ["old-title", "mid-body"]
        assert self.slugs(client, topic="llm") == ["new-body", "mid-body"]
        assert self.slugs(client, category=category.slug) == ["old-title"]
        assert self.slugs(client, company="nvidia", topic="llm", sort="newest") == ["mid-body"]

    def test_an_unknown_or_unpublished_filter_finds_nothing(self, client, archive, make_article):
        make_article(slug="secret", title="推論", companies=["秘密の会社"], status=Status.DRAFT)
        assert self.slugs(client, company="no-such-company") == []
        assert "秘密の会社" not in client.get(reverse("articles:search")).content.decode()

    def test_the_choices_and_the_pages_keep_what_was_chosen(self, client, archive, monkeypatch):
        from articles.views.public import SearchView

        monkeypatch.setattr(SearchView, "paginate_by", 1)
        page = client.get(reverse("articles:search"), {"q": "推論", "company": "nvidia", "sort": "newest"})
        html = page.content.decode()
        assert '<option value="nvidia" selected>NVIDIA</option>' in html
        assert '<option value="newest" selected>' in html
        assert "?company=nvidia&amp;q=%E6%8E%A8%E8%AB%96&amp;sort=newest&amp;page=2" in html


class TestEverySpelling:
    """Search finds every spelling: the long vowel mark at the end of a katakana word,
    the house style's variants, company aliases (issue 13, item 4)."""

    @pytest.fixture
    def spelled(self, make_article):
        now = timezone.now()
        return [
            make_article(slug="server-long", title="サーバーの選び方", body="本文。", published_at=now - dt.timedelta(days=4)),
            make_article(slug="server-short", title="運用の話", body="サーバを二台にした。", published_at=now - dt.timedelta(days=3)),
            make_article(slug="buffer-long", title="脆弱性", body="バッファーオーバーフローを防ぐ。",
                         published_at=now - dt.timedelta(days=2)),
            make_article(slug="buffer-short", title="対策", body="バッファオーバーフローの例。",
                         published_at=now - dt.timedelta(days=1)),
            make_article(slug="moving", title="移転", body="事務所の引越しが済んだ。"),
        ]

    @pytest.mark.parametrize("query", ["サーバー", "サーバ", "ｻｰﾊﾞｰ"])
    def test_the_long_vowel_mark(self, spelled, query):
        assert found(query) == ["server-long", "server-short"]  # the title match first

    @pytest.mark.parametrize("query", ["バッファーオーバーフロー", "バッファオーバーフロー"])
    def test_house_style_variants_inside_a_compound(self, spelled, query):
        assert found(query) == ["buffer-short", "buffer-long"]

    @pytest.mark.parametrize("query", ["引越し", "引っ越し"])
    def test_okurigana_variants(self, spelled, query):
        assert found(query) == ["moving"]

    def test_a_new_house_style_entry_is_searched_at_once(self, spelled):
        from articles.models import HouseStyleTerm

        assert found("運用") == ["server-short"]
        HouseStyleTerm.objects.create(preferred="運用", variants="オペレーション")
        assert found("オペレーション") == ["server-short"]

    def test_a_house_variant_inside_a_word_meets_too(self, make_article):
        make_article(slug="serverless", title="サーバーレスの話", body="本文。")
        assert found("サーバーレス") == ["serverless"]
        assert found("サーバレス") == ["serverless"]


def test_a_results_page_works_out_the_spellings_once(client, make_article, settings):
    """Issue 27 item 3: each result's snippet worked out the query's spellings again (two
    cache round trips and the whole table unpickled, per result)."""
    from unittest import mock

    from articles.reading import search as search_module

    settings.EDITORIAL_PAGE_CACHE_SECONDS = 0
    for n in range(12):
        make_article(title=f"推論の記事{n}", body=f"推論チップの話 {n}。")
    with mock.patch.object(search_module, "term_groups", wraps=search_module.term_groups) as worked_out:
        page = client.get("/search/", {"q": "推論"}).content.decode()
    assert page.count("<mark>推論</mark>") >= 12
    assert worked_out.call_count <= 2  # ranking, and the snippets


def test_results_are_ranked_once_until_something_changes(client, make_article, settings):
    """Issue 27 item 3: the next page of the same results, the other language or a
    second reader asking the same ranked everything again."""
    from unittest import mock

    from articles.reading import search as search_module

    settings.EDITORIAL_PAGE_CACHE_SECONDS = 0
    settings.EDITORIAL_PAGE_SIZE = 20
    for n in range(25):
        make_article(title=f"推論の記事{n:02d}", published_at=timezone.now() - dt.timedelta(minutes=n + 1))
    with mock.patch.object(search_module, "ranked_ids", wraps=search_module.ranked_ids) as ranked:
        first = client.get("/search/", {"q": "推論", "sort": "newest"}).content.decode()
        second = client.get("/search/", {"q": "推論 ", "sort": "newest", "page": "2"}).content.decode()
        english = client.get("/en/search/", {"q": "推論", "sort": "newest"}).content.decode()
        assert ranked.call_count == 1
        assert "推論の記事00" in first and "推論の記事20" not in first
        assert "推論の記事24" in second and "推論の記事00" in english
        make_article(title="新しい推論の記事", published_at=timezone.now())
        assert "新しい推論の記事" in client.get("/search/", {"q": "推論", "sort": "newest"}).content.decode()
        assert ranked.call_count == 2


class TestSpellingsSudachiKnows:
    """Issue 23: every spelling Sudachi normalises finds the others, without a table."""

    PAIRS = [
        ("行なう", "手順を行なう前に確認する。", "行う"),
        ("ウィンドウ", "新しいウィンドウを開く。", "ウインドウ"),
        ("ヴァージョン", "最新のヴァージョンを入れる。", "バージョン"),
        ("メイル", "メイルで知らせる。", "メール"),
        ("ウィンドウズ", "ウィンドウズで動く。", "Windows"),
        ("Web", "Web の画面から申し込む。", "ウェブ"),
        ("すべて", "すべての記事を読む。", "全て"),
    ]

    @pytest.mark.parametrize(("written", "body", "query"), PAIRS)
    def test_a_spelling_finds_the_others(self, make_article, written, body, query):
        make_article(slug="written", title="表記の記事", body=body)
        make_article(slug="other", title="関係のない記事", body="別の話題を扱う。")
        assert found(query) == ["written"]
        assert found(written) == ["written"]


class TestWholeWords:
    @pytest.fixture
    def latin(self, make_article):
        make_article(slug="ai", title="生成AIの今", body="AIチップとAI規制を扱う。")
        make_article(slug="trainium", title="Trainium の性能", body="Taiwan の工場で作る。mailto の設定と email の話。")
        make_article(slug="intel", title="Intel の新製品", body="インテルが発表した。")
        make_article(slug="intelligently", title="賢い設計", body="Designed intelligently. AppleScript で自動化する。")
        make_article(slug="apple", title="Apple の発表", body="アップルが新しい端末を出した。")

    def test_a_short_latin_term_matches_whole_words(self, latin):
        assert found("AI") == ["ai"]

    def test_a_company_name_matches_whole_words(self, latin):
        assert found("intel") == ["intel"]
        assert found("apple") == ["apple"]
        assert found("インテル") == ["intel"]

    def test_a_longer_term_still_matches_inside_words(self, latin):
        assert found("intellig") == ["intelligently"]
