import datetime as dt
import json
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuthorProfile, Category, CompanyTag, Status, TopicTag
from articles.reading import caching

pytestmark = pytest.mark.django_db


def test_home_lists_newest_published_articles_with_their_details(client, make_article, category):
    older = make_article(
        title="古い記事", published_at=timezone.now() - dt.timedelta(days=2), category=category
    )
    newer = make_article(
        title="新しい記事",
        excerpt="新しい記事の抜粋です。",
        byline="ALLFORCES編集部",
        category=category,
        companies=["NVIDIA"],
        topics=["マルチモーダル"],
    )
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("新しい記事") < page.index("古い記事")
    assert "新しい記事の抜粋です。" in page
    assert "ALLFORCES編集部" in page
    assert "AI技術ガイド" in page
    assert "NVIDIA" in page and "マルチモーダル" in page
    assert f'href="{newer.get_absolute_url()}"' in page
    assert f'href="{older.get_absolute_url()}"' in page
    assert "分で読めます" in page


def test_home_shows_dates_in_japanese_in_tokyo_time(client, make_article):
    # 2025-12-25 08:44:49 UTC is 17:44 on the same day in Tokyo.
    make_article(published_at=dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC))
    page = client.get("/").content.decode()
    assert "2025年12月25日 17:44" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"status": Status.APPROVED},
        {"status": Status.UNPUBLISHED, "published_at": timezone.now() - dt.timedelta(days=1)},
        {"status": Status.PUBLISHED, "published_at": timezone.now() + dt.timedelta(hours=1)},
    ],
    ids=["draft", "in review", "approved", "unpublished", "scheduled"],
)
def test_articles_readers_may_not_see_are_nowhere_public(client, make_article, fields):
    hidden = make_article(
        title="見えない記事", companies=["Google"], topics=["秘密"], category=Category.objects.create(
            name="隠し", slug="隠し"
        ), **fields
    )
    make_article(title="見える記事", companies=["Google"])
    # An article taken down on purpose says so (410); one never published is simply absent.
    expected = 410 if fields["status"] == Status.UNPUBLISHED else 404
    assert client.get(hidden.get_absolute_url()).status_code == expected
    for url in ["/", "/companies/google/", f"/categories/{quote('隠し')}/", "/topics/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "見えない記事" not in response.content.decode(), url
    assert "秘密" not in client.get("/topics/").content.decode()
    assert hidden not in Article.objects.published()


def test_article_page_renders_the_stored_html(client, make_article):
    article = make_article(title="記事タイトル", body="## 見出し\n\n本文の**強調**です。")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>記事タイトル</h1>" in page
    assert '<h2 id="md-見出し">見出し</h2>' in page
    assert "<strong>強調</strong>" in page
    assert "<title>記事タイトル | editorial</title>" in page


def test_titles_and_excerpts_are_shown_as_text(client, make_article):
    article = make_article(title="<script>alert('t')</script>見出し", excerpt="<img src=x onerror=alert(1)>")
    for url in ["/", article.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert "<script>alert('t')</script>" not in page
        assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;見出し" in page
        assert "<img src=x" not in page


def test_japanese_slugs_round_trip_through_reverse(client, make_article):
    article = make_article(slug="生成ai-入門", companies=["NVIDIA"], topics=["マルチモーダル"])
    url = article.get_absolute_url()
    assert quote("生成ai-入門") in url  # reverse() percent-encodes
    assert client.get(url).status_code == 200
    topic = TopicTag.objects.get(name="マルチモーダル")
    assert topic.slug == "マルチモーダル"
    topic_url = reverse("articles:topic", kwargs={"slug": topic.slug})
    assert topic_url == f"/topics/{quote('マルチモーダル')}/"
    response = client.get(topic_url)
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_article_url_carries_the_tokyo_publication_date(make_article):
    # 20:00 UTC on the 24th is already the 25th in Tokyo.
    article = make_article(slug="date-check", published_at=dt.datetime(2025, 12, 24, 20, 0, tzinfo=dt.UTC))
    assert article.get_absolute_url() == "/articles/2025/12/25/date-check/"


def test_wrong_date_redirects_to_the_article(client, make_article):
    article = make_article(slug="moved", published_at=dt.datetime(2025, 12, 25, 3, 0, tzinfo=dt.UTC))
    response = client.get("/articles/2025/12/24/moved/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_unknown_article_and_tags_are_404(client, db):
    assert client.get("/articles/2025/12/25/nothing/").status_code == 404
    assert client.get("/companies/nothing/").status_code == 404
    assert client.get(f"/topics/{quote('ない')}/").status_code == 404
    assert client.get("/categories/nothing/").status_code == 404
    assert "ページが見つかりません" in client.get("/companies/nothing/").content.decode()


def test_company_topic_and_category_pages_list_their_articles(client, make_article, category):
    nvidia = make_article(title="NVIDIAの記事", companies=["NVIDIA"], topics=["LLM"], category=category)
    make_article(title="関係ない記事", companies=["Apple"])
    company = CompanyTag.objects.get(name="NVIDIA")
    for url in [company.get_absolute_url(), TopicTag.objects.get(name="LLM").get_absolute_url(),
                category.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert nvidia.title in page, url
        assert "関係ない記事" not in page, url


def test_company_and_topic_indexes_count_published_articles(client, make_article):
    make_article(companies=["NVIDIA"], topics=["LLM"])
    make_article(companies=["NVIDIA"])
    make_article(companies=["Intel"], status=Status.DRAFT)
    page = client.get("/companies/").content.decode()
    assert "NVIDIA" in page and "2件の記事" in page
    assert "Intel" not in page
    assert "LLM" in client.get("/topics/").content.decode()


def test_home_is_paginated(client, make_article, settings):
    for n in range(23):
        make_article(title=f"連番記事{n:02d}", published_at=timezone.now() - dt.timedelta(minutes=n + 1))
    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()
    assert "連番記事00" in first and "連番記事19" in first and "連番記事20" not in first
    assert "連番記事20" in second and "連番記事22" in second
    assert "1 / 2 ページ" in first
    assert client.get("/?page=9").status_code == 404


def _many_articles(make_article, category, count):
    for n in range(count):
        make_article(category=category, companies=["NVIDIA", "Google"], topics=[f"話題{n}", "LLM"])


@pytest.mark.parametrize("count", [1, 15])
def test_public_pages_run_a_fixed_number_of_queries(
    client, make_article, category, django_assert_num_queries, django_assert_max_num_queries, count
):
    _many_articles(make_article, category, count)
    article = Article.objects.first()
    caching.generation()  # known from here on: what is counted is each page's own queries
    caching.area_versions([caching.ANY, caching.LIVE])  # and these, which every page reads
    # count + the page's ids + the changes of the cards' articles (one query for all of
    # them, then kept in the cache) + the cards: articles, companies, topics; then the
    # front page's own (issue 25), each kept in the cache: the stories editors chose and
    # the newest pictured ones + their areas, each section's newest (one query for all
    # sections) + their areas, the most read of 24 hours and of the week
    with django_assert_num_queries(13):
        assert client.get("/").status_code == 200
    # the tags with their counts (which has this one's) + ids + the changes of the list
    # (the cards were made for the home page, and kept)
    with django_assert_num_queries(3):
        assert client.get("/companies/nvidia/").status_code == 200
    # (the changes of the category's list were read for the front page's sections)
    with django_assert_num_queries(2):
        assert client.get(category.get_absolute_url()).status_code == 200
    # article + companies + topics + related articles + the changes of its tags' lists
    # (for the related articles; its own article's were read for the lists) + its notes
    # of corrections and updates for readers
    with django_assert_num_queries(6):
        assert client.get(article.get_absolute_url()).status_code == 200
    # tags with their counts (counted already for the company page's paginator: kept
    # until the next change readers see)
    with django_assert_max_num_queries(1):
        assert client.get("/companies/").status_code == 200


def test_english_readers_get_the_english_interface_at_en(client, make_article):
    make_article()
    page = client.get("/en/").content.decode()
    assert "Latest articles" in page and '<html lang="en">' in page
    page = client.get("/").content.decode()
    assert "最新の記事" in page and '<html lang="ja">' in page


def test_article_page_metadata_for_search_engines_and_social_links(client, make_article, category):
    article = make_article(
        title='AIチップ "速報" <b>', excerpt="要約 & 説明", byline="ALLFORCES編集部", category=category,
        companies=["NVIDIA"], topics=["LLM"], published_at=dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC),
    )
    page = client.get(article.get_absolute_url()).content.decode()
    url = f"http://testserver{article.get_absolute_url()}"
    assert '<title>AIチップ &quot;速報&quot; &lt;b&gt; | editorial</title>' in page
    assert '<meta name="description" content="要約 &amp; 説明">' in page
    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta property="og:title" content="AIチップ &quot;速報&quot; &lt;b&gt;">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page  # the site's picture
    assert '<meta property="article:published_time" content="2025-12-25T17:44:49+09:00">' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert data["@type"] == "NewsArticle" and data["headline"] == 'AIチップ "速報" <b>'
    assert data["datePublished"] == "2025-12-25T17:44:49+09:00"  # the site's time zone, as on the page
    assert data["author"] == {"@type": "Organization", "name": "ALLFORCES編集部"}
    assert data["keywords"] == ["NVIDIA", "LLM"] and data["articleSection"] == "AI技術ガイド"
    assert "<b>" not in re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]


def test_json_ld_cannot_end_its_script_element(client, make_article):
    article = make_article(title="</script><script>alert(1)</script>")
    page = client.get(article.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    assert "<" not in script and json.loads(script)["headline"] == "</script><script>alert(1)</script>"


def test_related_articles_share_the_most_tags(client, make_article, django_assert_num_queries):
    article = make_article(title="本記事", companies=["NVIDIA", "AMD"], topics=["半導体", "推論"])
    most = make_article(title="三つ共通", companies=["NVIDIA", "AMD"], topics=["半導体"])
    one = make_article(title="一つ共通", topics=["推論"], published_at=timezone.now() - dt.timedelta(minutes=5))
    make_article(title="無関係", companies=["Apple"])
    make_article(title="非公開の関連", companies=["NVIDIA"], status=Status.DRAFT)
    page = client.get(article.get_absolute_url()).content.decode()
    related = page[page.index('id="related-heading"'):]
    assert related.index(most.title) < related.index(one.title)
    assert "無関係" not in related and "非公開の関連" not in related and "<h1>" not in related


def _selected_columns(queries):
    return " ".join(query["sql"].split(" FROM ")[0] for query in queries.captured_queries)


@pytest.mark.parametrize("column", ['."body"', '."body_html"', '."search_text"'])
def test_lists_never_load_the_bodies_or_the_search_text(client, make_article, category,
                                                        django_assert_max_num_queries, column):
    article = make_article(category=category, companies=["NVIDIA"], topics=["LLM"])
    make_article(category=category, companies=["NVIDIA"], topics=["LLM"])
    caching.generation()
    caching.area_versions([caching.ANY, caching.LIVE])
    for url in ["/", "/companies/nvidia/", "/topics/llm/", category.get_absolute_url()]:
        with django_assert_max_num_queries(13 if url == "/" else 6) as queries:  # the front page's blocks
            assert client.get(url).status_code == 200
        assert column not in _selected_columns(queries), url
    # The article page loads its own HTML (and no Markdown or search text); its related cards, nothing of theirs.
    with django_assert_max_num_queries(6) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    selects = [query["sql"].split(" FROM ")[0] for query in queries.captured_queries]
    assert sum(column in select for select in selects) <= (1 if column == '."body_html"' else 0)


def test_updated_is_shown_only_for_a_later_version(client, make_article):
    published = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    article = make_article(published_at=published)
    # Published at its scheduled minute, made a few seconds into it: not an update.
    Article.objects.filter(pk=article.pk).update(last_published_at=published + dt.timedelta(seconds=27))
    assert "class=\"updated\"" not in client.get(article.get_absolute_url()).content.decode()
    Article.objects.filter(pk=article.pk).update(last_published_at=published + dt.timedelta(hours=1))
    caching.content_changed()  # update() sends no signal: the stored page is still the old one
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="updated"' in page and "更新" in page


@pytest.mark.parametrize("common", [True, False])
def test_both_plans_for_a_tags_articles_list_the_same(make_article, common):
    """A common tag's newest articles are found newest-first, a rare one's by its rows:
    readers get the same list either way."""
    tagged = [make_article(companies=["NVIDIA"], topics=["LLM"]) for _ in range(3)]
    make_article(companies=["AMD"])
    make_article(companies=["NVIDIA"], status=Status.DRAFT)
    nvidia, llm = CompanyTag.objects.get(name="NVIDIA"), TopicTag.objects.get(name="LLM")
    newest = Article.objects.published().order_by("-published_at", "-id")
    expected = sorted(tagged, key=lambda a: (a.published_at, a.pk), reverse=True)
    assert list(newest.with_tag("companies", nvidia, common=common)) == expected
    assert list(newest.with_tag("topics", llm, common=common)) == expected


def test_related_articles_are_drawn_from_each_tags_newest(make_article, monkeypatch):
    """The work is bounded whatever the archive: only each tag's newest articles are
    candidates (the oldest sharing a tag is not even looked at)."""
    from articles.models import queries

    monkeypatch.setattr(queries, "RELATED_CANDIDATES", 2)
    oldest = make_article(title="古い", companies=["NVIDIA"])
    middle = make_article(title="中間", companies=["NVIDIA"])
    newest = make_article(title="新しい", companies=["NVIDIA"])
    article = make_article(title="本記事", companies=["NVIDIA"])
    related = list(Article.objects.related_to(article))
    assert oldest not in related and set(related) <= {middle, newest}


def test_the_site_has_an_icon(client, db):
    page = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.svg" type="image/svg\+xml">', page)
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.svg"
    assert client.get(response["Location"]).status_code == 200


def test_the_category_index_counts_published_articles(client, make_article, category):
    empty = Category.objects.create(name="空のカテゴリー", slug="empty")
    make_article(category=category)
    make_article(category=category)
    make_article(category=empty, status=Status.DRAFT)
    page = client.get("/categories/").content.decode()
    assert f'href="{category.get_absolute_url()}"' in page and "2件の記事" in page
    assert "空のカテゴリー" not in page
    assert 'href="/categories/"' in client.get("/").content.decode()


def test_share_links_are_plain_links_with_the_articles_address(client, make_article):
    article = make_article(title="共有される記事 & 記号", slug="shared")
    page = client.get(article.get_absolute_url()).content.decode()
    url = quote(f"http://testserver{article.canonical_path()}", safe="")
    title = quote("共有される記事 & 記号", safe="")
    assert f'href="https://x.com/intent/post?text={title}&amp;url={url}"' in page
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={url}"' in page
    assert f'href="https://social-plugins.line.me/lineit/share?url={url}"' in page
    assert f'href="https://b.hatena.ne.jp/add?mode=confirm&amp;url={url}&amp;title={title}"' in page
    # Nothing of theirs is loaded: no script, no frame, no image from them.
    assert not re.search(r'<(script|iframe|img)[^>]+(x\.com|facebook|line\.me|hatena)', page)


def test_previews_offer_no_share_links(client, make_article, writer):
    article = make_article(title="下書き", status=Status.DRAFT, owner=writer)
    client.force_login(writer)
    page = client.get(reverse("desk:preview", args=[article.pk])).content.decode()
    assert "x.com/intent" not in page


@pytest.mark.parametrize(("setting", "src"), [("img/favicon.svg", "/static/img/favicon.svg"),
                                              ("https://cdn.example.jp/logo.png", "https://cdn.example.jp/logo.png")])
def test_the_sites_logo_from_the_settings(client, db, settings, setting, src):
    settings.EDITORIAL_SITE_NAME = "テックニュース"
    settings.EDITORIAL_SITE_LOGO = setting
    page = client.get("/").content.decode()
    assert f'<img class="site-logo" src="{src}" alt="テックニュース"' in page
    assert "<title>" in page and "テックニュース" in page.split("<title>")[1]


class TestAuthorPages:
    @pytest.fixture
    def profile(self, writer):
        from articles.models import AuthorProfile

        return AuthorProfile.objects.create(user=writer, name="山田 花子", slug="hanako", bio="半導体を取材して十年。")

    def test_the_page_shows_the_profile_and_only_published_articles(self, client, profile, make_article, writer,
                                                                   other_writer):
        make_article(title="花子の記事", owner=writer)
        make_article(title="花子の下書き", owner=writer, status=Status.DRAFT)
        make_article(title="他の人の記事", owner=other_writer)
        page = client.get("/authors/hanako/").content.decode()
        assert '<h1 id="author-name">山田 花子</h1>' in page
        assert "半導体を取材して十年。" in page
        assert "花子の記事" in page
        assert "花子の下書き" not in page and "他の人の記事" not in page

    def test_bylines_link_to_the_authors_page(self, client, profile, make_article, writer, other_writer):
        team = make_article(title="チームの記事", owner=writer, byline="ALLFORCES編集部")
        nameless = make_article(title="署名なし", owner=writer)
        other = make_article(title="プロフィールなし", owner=other_writer, byline="外部寄稿")
        assert '<a class="byline" href="/authors/hanako/" rel="author">ALLFORCES編集部</a>' in \
            client.get(team.get_absolute_url()).content.decode()
        assert '<a class="byline" href="/authors/hanako/" rel="author">山田 花子</a>' in \
            client.get(nameless.get_absolute_url()).content.decode()
        assert '<span class="byline">外部寄稿</span>' in client.get(other.get_absolute_url()).content.decode()
        assert 'href="/authors/hanako/"' in client.get("/").content.decode()

    def test_an_unknown_author_is_404(self, client, db):
        assert client.get("/authors/nobody/").status_code == 404

    def test_a_changed_profile_reaches_readers_at_once(self, client, profile, make_article, writer):
        make_article(title="花子の記事", owner=writer)
        assert "山田 花子" in client.get("/authors/hanako/").content.decode()
        profile.bio = "新しい紹介文。"
        profile.save()
        assert "新しい紹介文。" in client.get("/authors/hanako/").content.decode()


class TestAuthorsKeepTheirOwnPage:
    def test_a_writer_makes_and_changes_their_page_from_the_desk(self, client, writer, make_article):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.images import photo

        make_article(title="花子の記事", owner=writer)
        client.force_login(writer)
        form = client.get(reverse("desk:profile")).content.decode()
        assert 'value="Writer"' in form and 'value="writer"' in form  # proposed from the account
        response = client.post(reverse("desk:profile"), {
            "name": "記者 花子", "slug": "hanako", "bio": "半導体を取材。",
            "picture_file": SimpleUploadedFile("me.png", photo(400, 400), content_type="image/png"),
        }, follow=True)
        assert "http://testserver/authors/hanako/" in response.content.decode()
        profile = AuthorProfile.objects.get(user=writer)
        assert profile.picture is not None and profile.picture.alt_text == "記者 花子"
        page = client.get("/authors/hanako/").content.decode()
        assert "半導体を取材。" in page and "花子の記事" in page
        client.post(reverse("desk:profile"), {"name": "記者 花子", "slug": "hanako", "bio": "", "remove_picture": "on"})
        assert AuthorProfile.objects.get(user=writer).picture is None

    @pytest.mark.parametrize(("typed", "words"), [
        ("ＷＲＩＴＥＲ", "既に存在します"),  # full width: writer's, once folded
        ("Writer", "既に存在します"),
        ("wrіter", "似ています"),  # a Cyrillic і
        ("wr1ter", None),  # not a look-alike of writer (i and 1 differ), accepted
        ("writ3r", None),
        ("editor", "サイト"), ("admin", "サイト"), ("desk", "サイト"), ("en", "サイト"), ("ＡＤＭＩＮ", "サイト"),
        ("edit0r", "サイト"), ("еditor", "サイト"),  # a zero; a Cyrillic е
    ])
    def test_an_address_that_passes_for_another_is_refused(self, client, writer, other_writer, typed, words):
        """Issue 20, item 10: a writer published /authors/ＷＲＩＴＥＲ/ under another writer's name."""
        AuthorProfile.objects.create(user=other_writer, name="記者 花子", slug="writer")
        client.force_login(writer)
        response = client.post(reverse("desk:profile"), {"name": "記者 花子", "slug": typed, "bio": "残る文章。"})
        if words is None:
            assert response.status_code == 302
            assert AuthorProfile.objects.get(user=writer).slug == typed.lower()
            return
        assert response.status_code == 400
        page = response.content.decode()
        assert words in page and "残る文章。" in page
        assert not AuthorProfile.objects.filter(user=writer).exists()

    def test_an_address_is_stored_as_readers_type_it(self, client, writer):
        client.force_login(writer)
        client.post(reverse("desk:profile"), {"name": "記者 花子", "slug": "ＨａＮａｋｏ", "bio": ""})
        assert AuthorProfile.objects.get(user=writer).slug == "hanako"
        assert client.get("/authors/hanako/").status_code == 200

    def test_a_taken_address_is_refused_and_nothing_is_lost(self, client, writer, other_writer):
        AuthorProfile.objects.create(user=other_writer, name="他の人", slug="taken")
        client.force_login(writer)
        response = client.post(reverse("desk:profile"), {"name": "記者", "slug": "taken", "bio": "残る文章。"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "残る文章。" in page and "既に存在します" in page
        assert not AuthorProfile.objects.filter(user=writer).exists()


@pytest.mark.parametrize("slug", ["nvidia", "マルチモーダル", "生成ai_2025", "a-b"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_tag_addresses_are_what_reverse_gives(slug, language):
    """Cards link their tags through converters.slug_address, which skips resolving a
    pattern per link: the addresses must be reverse()'s to the letter."""
    from django.urls import reverse
    from django.utils import translation

    from articles.converters import slug_address

    with translation.override(language):
        for name in ("articles:company", "articles:topic", "articles:category", "articles:author"):
            assert slug_address(name, slug) == reverse(name, kwargs={"slug": slug})


def test_cards_escape_what_writers_typed(client, make_article, category):
    """Cards are made in Python (articles/reading/cards.py): every value is escaped there."""
    category.name = '分類<i>"'
    category.save()
    make_article(title="<script>alert(1)</script>", excerpt='"><img src=x onerror=alert(2)>',
                 byline="<b>編集部</b>", category=category, companies=['A"B<C>'], topics=["<u>話題</u>"])
    for url in ("/", "/search/?q=alert"):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>編集部" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = client.get("/").content.decode()
    assert "&lt;b&gt;編集部&lt;/b&gt;" in page and "A&quot;B&lt;C&gt;" in page and "&lt;u&gt;話題&lt;/u&gt;" in page
    assert "分類&lt;i&gt;&quot;" in page and "<i>\"" not in page


@pytest.mark.parametrize("slug", ["nvidia-h200", "マルチモーダル", "a_1"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_article_addresses_are_what_reverse_gives(slug, language):
    import datetime as dt

    from django.urls import reverse
    from django.utils import translation

    from articles.converters import dated_address

    with translation.override(language):
        for day in (dt.date(2026, 1, 5), dt.date(1999, 12, 31), dt.date(2025, 10, 1)):
            assert dated_address("articles:detail", day, slug) == reverse(
                "articles:detail", kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": slug})


def test_each_page_links_to_itself_in_the_other_language(client, make_article):
    article = make_article(title="言語の記事")
    path = article.get_absolute_url()
    assert f'class="language-switch" href="/en{path}" hreflang="en"' in client.get(path).content.decode()
    assert f'class="language-switch" href="{path}" hreflang="ja"' in client.get(f"/en{path}").content.decode()
    search = client.get("/search/?q=%E8%A8%80%E8%AA%9E&sort=newest").content.decode()
    assert 'href="/en/search/?q=%E8%A8%80%E8%AA%9E&amp;sort=newest" hreflang="en"' in search
    home = client.get("/").content.decode()
    assert 'href="/en/" hreflang="en"' in home and '<a href="/companies/">' in home
    assert '<a href="/en/companies/">' in client.get("/en/").content.decode()
