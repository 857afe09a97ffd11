"""Readers' pages are cacheable by browsers and shared caches, answer 304, are kept
whole on the server, and a publish, an unpublish or a correction reaches readers at once
(the server's copy) or within the shared age (nginx: tests/test_nginx.py)."""

import datetime as dt
import gzip
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.media import images
from articles.models import Category
from articles.models.tags import CompanyTag, TopicTag
from articles.publishing import workflow
from articles.publishing.editing import Content, create_article, save_working_copy
from articles.reading import caching, page_cache
from tests.images import photo

PUBLIC = ["/", "/companies/", "/companies/nvidia/", "/topics/", "/topics/llm/", "/categories/ai/",
          "/search/?q=記事", "/feed/", "/feed/atom/", "/companies/nvidia/feed/", "/sitemap.xml",
          "/sitemap-articles.xml", "/robots.txt", "/en/", "/en/companies/nvidia/"]


@pytest.fixture
def site(make_article):
    category = Category.objects.create(name="AI", slug="ai")
    return make_article(title="公開中の記事", body="本文の記事です。", category=category,
                        companies=["NVIDIA"], topics=["LLM"])


def _publish(article, writer, editor):
    workflow.apply_transition(article, "submit", writer)
    workflow.apply_transition(article, "approve", editor)
    workflow.apply_transition(article, "publish", editor)


def _cache_control(response):
    return {part.strip().split("=")[0]: (part.split("=")[1] if "=" in part else True)
            for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("url", [*PUBLIC, "article"])
def test_readers_pages_are_cacheable_by_anyone_for_a_short_while(client, site, settings, url):
    url = site.get_absolute_url() if url == "article" else url
    response = client.get(url)
    assert response.status_code == 200, url
    control = _cache_control(response)
    assert control["public"] is True
    assert int(control["max-age"]) == settings.EDITORIAL_CACHE_MAX_AGE
    assert int(control["s-maxage"]) == settings.EDITORIAL_CACHE_SHARED_MAX_AGE
    assert int(control["stale-while-revalidate"]) == settings.EDITORIAL_CACHE_STALE_SECONDS
    assert response.has_header("ETag")
    # Nothing that would make a page somebody's own, or split caches by browser.
    assert not response.cookies
    vary = response.get("Vary", "").lower()
    assert "cookie" not in vary and "accept-language" not in vary


@pytest.mark.parametrize("url", [*PUBLIC, "article"])
def test_a_reader_who_has_the_page_gets_304(client, site, url):
    url = site.get_absolute_url() if url == "article" else url
    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and "public" in again["Cache-Control"]
    # And once the page is stored on the server too (the second request made it so).
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_feeds_and_sitemaps_answer_if_modified_since(client, site):
    for url in ["/feed/", "/sitemap-articles.xml"]:
        first = client.get(url)
        assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304, url


def test_a_stored_page_is_answered_without_the_database(client, site, django_assert_num_queries):
    url = site.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200 and second.content == first.content
    # Every header the middleware below added when the page was made comes along.
    for name in ["Content-Security-Policy", "X-Content-Type-Options", "ETag", "Cache-Control", "Content-Language"]:
        assert second[name] == first[name], name


def test_the_stored_copy_is_one_per_encoding(client, site):
    plain = client.get("/")
    packed = client.get("/", headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip" and "accept-encoding" in packed["Vary"].lower()
    assert gzip.decompress(packed.content) == plain.content
    assert not plain.has_header("Content-Encoding")
    assert client.get("/").content == plain.content  # the plain copy, from the store


@pytest.mark.parametrize("url", ["/", "/feed/", "/sitemap.xml", "article"])
def test_text_is_compressed_and_pictures_are_not(client, site, url):
    url = site.get_absolute_url() if url == "article" else url
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip", url


def test_pictures_are_not_compressed_again(client, db):
    picture = images.store(photo(800, 600), alt_text="写真")[0]
    response = client.get(picture.file.url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200 and not response.has_header("Content-Encoding")


def test_desk_pages_are_never_shared(client, editor):
    client.force_login(editor)
    response = client.get("/desk/")
    assert response.status_code == 200
    control = _cache_control(response)
    assert "private" in control and "public" not in control
    assert "cookie" in response["Vary"].lower()


def test_english_is_an_address_of_its_own(client, site):
    english = client.get("/en/")
    assert "Latest articles" in english.content.decode() and english["Content-Language"] == "en"
    # The unprefixed page is Japanese whatever the browser asks: one page per address.
    japanese = client.get("/", headers={"accept-language": "en"})
    assert "Latest articles" not in japanese.content.decode() and japanese["Content-Language"] == "ja"
    assert client.get("/", headers={"accept-language": "en"})["ETag"] == client.get("/")["ETag"]
    # Each page offers the other language, at the same place.
    assert 'href="/en/companies/nvidia/"' in client.get("/companies/nvidia/").content.decode()
    assert 'href="/companies/nvidia/"' in client.get("/en/companies/nvidia/").content.decode()


def test_the_desk_still_follows_the_browser(client, editor):
    client.force_login(editor)
    response = client.get("/desk/", headers={"accept-language": "en"})
    assert "Dashboard" in response.content.decode() or "Desk" in response.content.decode()
    assert response["Content-Language"] == "en" and "accept-language" in response["Vary"].lower()


class TestReadersSeeChangesAtOnce:
    """The server's copy never outlives a change readers should see."""

    def test_a_publish(self, client, site, writer, editor):
        assert "新しい記事" not in client.get("/").content.decode()
        article = create_article(Content(title="新しい記事", slug="new-one", body="本文", companies=("NVIDIA",)), writer)
        assert "新しい記事" not in client.get("/").content.decode()  # a draft changes nothing
        _publish(article, writer, editor)
        for url in ["/", "/companies/nvidia/", "/feed/", "/sitemap-articles.xml", "/search/?q=新しい記事"]:
            assert "new-one" in client.get(url).content.decode(), url

    def test_an_unpublish(self, client, site, editor):
        url = site.get_absolute_url()
        assert client.get(url).status_code == 200 and client.get(url).status_code == 200
        workflow.apply_transition(site, "unpublish", editor)
        assert client.get(url).status_code == 410
        assert site.title not in client.get("/").content.decode()

    def test_a_correction(self, client, writer, editor, second_editor):
        article = create_article(Content(title="訂正前", slug="fix-me", body="誤った数字は 10 です。"), writer)
        _publish(article, writer, editor)
        url = article.get_absolute_url()
        assert "誤った数字" in client.get(url).content.decode()
        save_working_copy(article, Content(title="訂正後", slug="fix-me", body="正しい数字は 12 です。"), writer,
                          base_version=article.version)
        # A working copy under way changes nothing for readers, and keeps their stored pages.
        assert "誤った数字" in client.get(url).content.decode()
        _publish(article, writer, editor)
        page = client.get(url).content.decode()
        assert "正しい数字" in page and "訂正後" in page

    def test_a_renamed_company_and_category(self, client, site):
        client.get("/"), client.get(site.get_absolute_url())
        company = CompanyTag.objects.get(name="NVIDIA")
        company.name = "NVIDIA Corporation"
        company.save()
        assert "NVIDIA Corporation" in client.get(site.get_absolute_url()).content.decode()
        category = Category.objects.get(slug="ai")
        category.name = "人工知能"
        category.save()
        assert "人工知能" in client.get("/").content.decode()

    def test_a_scheduled_article_appears_on_time_though_nothing_is_written(self, client, make_article):
        make_article(title="いまの記事")
        due = timezone.now() + dt.timedelta(minutes=30)
        make_article(title="予約した記事", published_at=due)
        assert "予約した記事" not in client.get("/").content.decode()
        assert "予約した記事" not in client.get("/").content.decode()  # from the store
        with time_machine.travel(due + dt.timedelta(seconds=1)):
            assert "予約した記事" in client.get("/").content.decode()

    def test_a_scheduled_article_is_counted_once_and_only_it(self, client, writer, editor, second_editor):
        """An article published at once after the last scheduled one came due was counted
        again when the next one came due (the published count and the home page's page
        count ran ahead of the archive)."""
        from articles.models import Article
        from articles.reading import public_data

        due = timezone.now() + dt.timedelta(minutes=10)
        scheduled = create_article(Content(title="予約の記事", slug="later", excerpt="要約", body="本文。"), writer)
        workflow.apply_transition(scheduled, "submit", writer)
        workflow.apply_transition(scheduled, "approve", editor)
        workflow.apply_transition(scheduled, "publish", editor, publish_at=due)
        client.get("/")
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
            _publish(create_article(Content(title="すぐの記事", slug="now", excerpt="要約", body="本文。"), writer),
                     writer, second_editor)
        with time_machine.travel(due + dt.timedelta(seconds=1)):
            page = client.get("/").content.decode()
            assert "予約の記事" in page and "すぐの記事" in page
            assert public_data.published_count() == Article.objects.published().count() == 2

    @pytest.mark.django_db(transaction=True)
    def test_a_bulk_write_looks_for_due_articles_once_and_counts_each_article_once(self, client, make_article):
        """An import of a thousand posts looked for scheduled articles that came due
        before each post (a tenth of its time); once is enough for every post dated
        before the look, once that look is committed (hence a test of real commits)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from articles.models import Article
        from articles.reading import public_data

        due = timezone.now() + dt.timedelta(minutes=30)
        make_article(title="予約した記事", published_at=due)
        client.get("/")  # a reader's visit: the site keeps its schedule from here on
        with public_data.counted_once():
            with CaptureQueriesContext(connection) as queries:
                for days in range(1, 6):
                    make_article(published_at=timezone.now() - dt.timedelta(days=days))
            looks = [q for q in queries if q["sql"].startswith("UPDATE") and "due_checked_at" in q["sql"]]
            assert len(looks) == 1
            with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
                make_article(title="取り込み中に書かれた記事", published_at=timezone.now())  # after the look
        with time_machine.travel(due + dt.timedelta(seconds=1)):
            assert "予約した記事" in client.get("/").content.decode()
            assert public_data.published_count() == Article.objects.published().count() == 7

    def test_a_scheduled_article_comes_due_though_the_cached_generation_expired(self, client, make_article, settings):
        """A process's own cache forgets the generation after a while: an article that
        came due meanwhile still reaches the lists and the counts, not only once the
        stored pages expire."""
        from articles.reading import public_data

        settings.EDITORIAL_PAGE_CACHE_SECONDS = 24 * 3600
        make_article(title="いまの記事")
        due = timezone.now() + dt.timedelta(minutes=30)
        make_article(title="予約した記事", published_at=due)
        assert "予約した記事" not in client.get("/").content.decode()
        caching.cache.delete(caching.GENERATION_KEY)  # what a recheck timeout or an eviction does
        with time_machine.travel(due + dt.timedelta(seconds=1)):
            assert "予約した記事" in client.get("/").content.decode()
            assert public_data.published_count() == 2

    def test_a_new_picture_keeps_the_pages_and_a_changed_one_drops_those_that_show_it(self, make_article):
        from articles.models import ImageUse

        shown, other = make_article(title="写真の記事"), make_article(title="写真のない記事")
        before = changes()
        image = images.store(photo(800, 600), alt_text="図")[0]
        assert changes() == before
        ImageUse.objects.create(image=image, article=shown)
        before = changes_of(shown), changes_of(other)
        image.alt_text = "新しい説明"
        image.save()
        assert (changes_of(shown), changes_of(other)) == (before[0] + 1, before[1])

    def test_correcting_a_live_article_changes_the_pages_once(self, client, writer, editor, second_editor):
        """Issue 21, item 4: autosave, submit, request changes, submit, approve and
        publish made six new generations; readers saw one change."""
        from articles.models import PublicGeneration

        article = create_article(Content(title="訂正前", slug="fix-once", excerpt="要約", body="誤りの本文。"), writer)
        _publish(article, writer, editor)
        generation, counted = PublicGeneration.objects.get().counter, changes()["any"]
        client.force_login(editor)  # a live article is corrected by an editor
        autosaved = client.post(reverse("desk:autosave", args=[article.pk]), {
            "title": "訂正後", "slug": "fix-once", "excerpt": "要約", "body": "正しい本文。", "byline": "",
            "category": "", "companies": "", "topics": "", "cover": "", "version": article.version})
        assert autosaved.status_code == 200
        article.refresh_from_db()
        workflow.apply_transition(article, "submit", editor)
        workflow.apply_transition(article, "request_changes", second_editor, note="出典を")
        workflow.apply_transition(article, "submit", editor)
        workflow.apply_transition(article, "approve", second_editor)
        assert changes()["any"] == counted  # nothing readers see, yet
        workflow.apply_transition(article, "publish", second_editor)
        assert changes()["any"] == counted + 1
        assert PublicGeneration.objects.get().counter == generation  # not a change of every page
        assert "正しい本文" in client.get(article.get_absolute_url()).content.decode()

    def test_saving_a_draft_keeps_the_pages(self, site, writer):
        draft = create_article(Content(title="下書き", slug="draft-x", body="本文"), writer)
        before = changes()
        save_working_copy(draft, Content(title="下書き2", slug="draft-x", body="本文2", companies=("新しい会社",)),
                          writer, base_version=draft.version)
        assert changes() == before


def changes():
    """The counts of changes readers could see, as the database has them."""
    from articles.models import PublicArea

    return {"any": PublicArea.objects.filter(name="any").values_list("counter", flat=True).first() or 0}


def changes_of(article):
    from articles.models import PublicArea

    return PublicArea.objects.filter(name=f"article:{article.pk}").values_list("counter", flat=True).first() or 0


def test_no_page_of_a_logged_in_reader_is_stored_for_others(client, site, editor):
    """A reader's page is the same for everyone; if one ever read the session, it would
    say so (Vary: Cookie) and must then be neither shared nor stored."""
    def reads_the_session(request):
        request.session.get("x")
        return HttpResponse("personal")

    request = RequestFactory().get("/")
    middleware = page_cache.PageCacheMiddleware(SessionMiddleware(page_cache.public_page(reads_the_session)))
    response = middleware(request)
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert caching.cache.get(page_cache._page_key(request)) is None


def test_pages_are_served_when_the_cache_is_down(client, site, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caching.cache, "get", unreachable, raising=False)
    assert client.get("/").status_code == 200


def test_a_gone_page_replaces_the_one_shared_caches_kept(client, site, editor):
    """nginx refreshing a page it kept must be able to store what replaced it: a 410 or
    404 is cacheable for the shared age, never by browsers for longer."""
    url = site.get_absolute_url()
    workflow.apply_transition(site, "unpublish", editor)
    for response in (client.get(url), client.get("/companies/no-such-company/")):
        assert response.status_code in (404, 410)
        control = _cache_control(response)
        assert control["public"] is True and control["max-age"] == "0" and "s-maxage" in control
        assert "cookie" not in response.get("Vary", "").lower()


def _stored_pages():
    """The keys of the pages the server keeps now (locmem in tests, Redis in CI)."""
    backend = caching.cache._cache
    if hasattr(backend, "get_client"):  # django's RedisCache
        return [key for key in backend.get_client(None).keys("*") if b"public-pages:" in key and b":generation" not in key]
    return [key for key in backend if "public-pages:" in key and ":generation" not in key]


class TestWhatAStoredPageIsKeyedOn:
    """Issue 20, item 14: every random query string was stored as a page of its own."""

    def test_parameters_no_page_reads_make_no_copy(self, client, site):
        client.get("/")
        for n in range(20):
            response = client.get("/", {f"junk{n}": "x" * 50, "utm_source": n})
            assert response.status_code == 200
        assert len(_stored_pages()) == 1

    def test_a_page_with_junk_in_its_address_never_echoes_it(self, client, site):
        page = client.get("/", {"utm_source": "attackerjunk"}).content.decode()
        assert "attackerjunk" not in page
        assert "attackerjunk" not in client.get("/").content.decode()

    def test_search_parameters_are_normalised(self, client, site):
        first = client.get("/search/", {"q": "記事", "sort": "relevance", "utm": "1"})
        second = client.get("/search/", {"q": "  記事 ", "page": ""})
        assert first.status_code == second.status_code == 200
        assert len(_stored_pages()) == 1
        client.get("/search/", {"q": "記事", "sort": "newest"})
        assert len(_stored_pages()) == 2

    def test_a_value_no_page_can_mean_is_answered_but_never_kept(self, client, site):
        response = client.get("/search/", {"q": "記事", "company": "x" * 500})
        assert response.status_code == 200
        assert not _stored_pages()

    def test_a_tag_filter_of_any_text_is_looked_up_safely(self, client, site, recwarn):
        for value in ["a b", "\x00", "x" * 300, "../../etc", "ＮＶＩＤＩＡ"]:
            assert client.get("/search/", {"q": "記事", "company": value}).status_code == 200
        from django.core.cache import CacheKeyWarning

        assert not [warning for warning in recwarn if issubclass(warning.category, CacheKeyWarning)]

    def test_scheme_and_host_are_part_of_the_key(self, client, site, settings):
        """Pages print absolute addresses: another host's copy would send readers there."""
        settings.ALLOWED_HOSTS = ["news.example.com", "mirror.example.net"]
        url = site.get_absolute_url()
        first = client.get(url, HTTP_HOST="news.example.com").content.decode()
        other = client.get(url, HTTP_HOST="mirror.example.net").content.decode()
        secure = client.get(url, HTTP_HOST="news.example.com", secure=True).content.decode()
        assert 'href="http://news.example.com/' in first
        assert "news.example.com" not in other and 'href="http://mirror.example.net/' in other
        assert 'href="https://news.example.com/' in secure


@pytest.mark.parametrize("header", ["gzip;q=0", "gzip; q=0.0, identity", "br, gzip;q=0", "*;q=0", "identity",
                                    "GZIP;Q=0"])
def test_gzip_refused_by_the_client_is_never_sent(client, site, header):
    """Issue 20, item 15: ``Accept-Encoding: gzip;q=0`` still got gzip."""
    for _attempt in range(2):  # made, then from the store
        response = client.get("/", headers={"accept-encoding": header})
        assert not response.has_header("Content-Encoding"), header
        assert response.content.startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize("header", ["gzip", "gzip;q=0.5", "deflate, gzip;q=1.0", "x-gzip"])
def test_gzip_accepted_by_the_client_is_sent(client, site, header):
    response = client.get("/", headers={"accept-encoding": header})
    assert response["Content-Encoding"] == "gzip", header


@pytest.fixture
def desk(make_article):
    """Two live articles on different topics."""
    chips = make_article(title="推論チップの記事", topics=["推論"], companies=["NVIDIA"])
    quantum = make_article(title="量子コンピューターの記事", topics=["量子"])
    return chips, quantum


class TestAChangeDropsOnlyThePagesThatShowIt:
    """Issue 21, item 4: one publish made every stored page and every kept result
    unreachable. Now a publish, an unpublish or a correction drops the article's page,
    the lists it is in or joins, and the pages whose cards show it; nothing else."""

    @staticmethod
    def from_store(client, url):
        """Whether the page came from its stored copy (the view did not run)."""
        with mock.patch.object(page_cache, "_from_stored", wraps=page_cache._from_stored) as served:
            response = client.get(url)
        assert response.status_code == 200, url
        return served.called

    @staticmethod
    def warm(client, *urls):
        for url in urls:
            client.get(url)
            assert TestAChangeDropsOnlyThePagesThatShowIt.from_store(client, url), url

    def test_a_publish(self, client, desk, make_article):
        chips, quantum = desk
        self.warm(client, "/", topic("推論"), topic("量子"), "/topics/", chips.get_absolute_url(),
                  quantum.get_absolute_url(), "/feed/")
        make_article(title="新しい推論の記事", topics=["推論"])
        for url in ("/", topic("推論"), "/feed/"):
            assert "新しい推論の記事" in client.get(url).content.decode(), url
        assert not self.from_store(client, "/topics/")  # its counts
        # Pages that do not show it stay as they were. (Related blocks take it in when
        # their pages are next made.)
        for url in (topic("量子"), quantum.get_absolute_url(), chips.get_absolute_url()):
            assert self.from_store(client, url), url

    def test_a_correction(self, client, desk, editor, second_editor):
        chips, quantum = desk
        self.warm(client, "/", topic("推論"), topic("量子"), chips.get_absolute_url(), quantum.get_absolute_url())
        save_working_copy(chips, Content(title="推論チップの記事（訂正）", slug=chips.slug, excerpt=chips.excerpt,
                                         body="訂正した本文。", topics=("推論",), companies=("NVIDIA",)),
                          editor, base_version=chips.version)
        workflow.apply_transition(chips, "submit", editor)
        for url in ("/", topic("推論"), chips.get_absolute_url()):
            assert self.from_store(client, url), url  # a working copy is nobody's business yet
        workflow.apply_transition(chips, "approve", second_editor)
        workflow.apply_transition(chips, "publish", second_editor)
        for url in ("/", topic("推論"), chips.get_absolute_url()):
            assert "推論チップの記事（訂正）" in client.get(url).content.decode(), url
        for url in (topic("量子"), quantum.get_absolute_url()):
            assert self.from_store(client, url), url

    def test_an_unpublish_drops_the_related_blocks_that_show_it(self, client, desk, make_article, editor):
        chips, _quantum = desk
        neighbour = make_article(title="推論の別の記事", topics=["推論"])
        assert "推論チップの記事" in client.get(neighbour.get_absolute_url()).content.decode()
        self.warm(client, neighbour.get_absolute_url(), topic("量子"))
        workflow.apply_transition(chips, "unpublish", editor)
        assert "推論チップの記事" not in client.get(neighbour.get_absolute_url()).content.decode()
        assert self.from_store(client, topic("量子"))

    def test_a_scheduled_article_coming_due(self, client, desk, make_article):
        due = timezone.now() + dt.timedelta(seconds=90)  # before anything kept expires
        make_article(title="予約した推論の記事", topics=["推論"], published_at=due)
        self.warm(client, "/", topic("量子"), topic("推論"))
        with time_machine.travel(due + dt.timedelta(seconds=1)):
            assert "予約した推論の記事" in client.get("/").content.decode()
            assert "予約した推論の記事" in client.get(topic("推論")).content.decode()
            assert self.from_store(client, topic("量子"))

    def test_tag_counts_are_moved_not_counted_over_the_archive(self, client, desk, make_article):
        from articles.reading import public_data

        client.get("/topics/")
        make_article(title="新しい推論の記事", topics=["推論"])
        caching.generation()
        with CaptureQueriesContext(connection) as queries:
            counts = {tag.name: tag.article_count for tag in public_data.public_tags(TopicTag)}
        assert counts == {"推論": 2, "量子": 1}
        assert not [q for q in queries.captured_queries if "articles_article" in q["sql"]]



def topic(name):
    return TopicTag.objects.get(name=name).get_absolute_url()


class TestPagesMadeAfreshKeepTheirPieces:
    """Issue 21 item 6 / issue 27 item 2: a list page made afresh (after a publish, or
    with the page cache off) built every card again, most of its cost, and an article
    page loaded its article with five tables. Each card, and each live article as its
    page prints it, is kept until the article, or a name it shows, changes."""

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings):
        settings.EDITORIAL_PAGE_CACHE_SECONDS = 0  # every page is made afresh

    @staticmethod
    def cards_made(client, url):
        """The page's text and the titles of the cards made for it."""
        from articles.reading import cards

        with mock.patch.object(cards, "_parts", wraps=cards._parts) as made:
            page = client.get(url).content.decode()
        return page, sorted(call.args[0].title for call in made.call_args_list)

    def test_a_correction_makes_its_card_again_and_no_other(self, client, desk, editor, second_editor):
        chips, _quantum = desk
        _page, made = self.cards_made(client, "/")
        assert made == ["推論チップの記事", "量子コンピューターの記事"]
        assert self.cards_made(client, "/")[1] == []
        assert self.cards_made(client, topic("量子"))[1] == []  # the same card, on another list
        save_working_copy(chips, Content(title="推論チップの記事（訂正）", slug=chips.slug, excerpt=chips.excerpt,
                                         body="訂正した本文。", topics=("推論", "半導体"), companies=("NVIDIA",)),
                          editor, base_version=chips.version)
        workflow.apply_transition(chips, "submit", editor)
        workflow.apply_transition(chips, "approve", second_editor)
        assert self.cards_made(client, "/")[1] == []  # nothing readers see has changed yet
        workflow.apply_transition(chips, "publish", second_editor)
        page, made = self.cards_made(client, "/")
        assert made == ["推論チップの記事（訂正）"]
        assert "推論チップの記事（訂正）" in page and ">半導体</a>" in page

    def test_a_lists_page_asks_the_database_for_its_articles_once_per_change(
            self, client, desk, make_article, writer, editor):
        _chips, quantum = desk

        def article_queries(url):
            with CaptureQueriesContext(connection) as queries:
                page = client.get(url).content.decode()
            return page, [q["sql"] for q in queries if 'FROM "articles_article"' in q["sql"]]

        for url in ["/", topic("推論"), "/en/"]:
            article_queries(url)
            assert article_queries(url)[1] == [], url
        workflow.apply_transition(quantum, "unpublish", editor)
        page, asked = article_queries("/")
        assert asked and "量子コンピューターの記事" not in page and "推論チップの記事" in page
        make_article(title="新しい推論の記事", topics=["推論"])
        page, asked = article_queries(topic("推論"))
        assert asked and page.index("新しい推論の記事") < page.index("推論チップの記事")
        assert article_queries(topic("推論"))[1] == []

    def test_a_search_page_reads_its_results_texts_once_per_change(self, client, desk, editor, second_editor):
        chips, _quantum = desk

        def texts_read():
            with CaptureQueriesContext(connection) as queries:
                page = client.get("/search/?q=推論").content.decode()
            return page, [q["sql"] for q in queries if '"body_text"' in q["sql"]]

        assert texts_read()[1]
        assert texts_read()[1] == []
        save_working_copy(chips, Content(title=chips.title, slug=chips.slug, excerpt=chips.excerpt,
                                         body="訂正した推論の本文。", topics=("推論",)), editor, base_version=chips.version)
        workflow.apply_transition(chips, "submit", editor)
        workflow.apply_transition(chips, "approve", second_editor)
        workflow.apply_transition(chips, "publish", second_editor)
        page, read = texts_read()
        assert read and "訂正した<mark>推論</mark>の本文。" in page

    def test_an_article_page_makes_its_head_and_lines_once_per_version_and_language(
            self, client, desk, make_article, editor, second_editor):
        from articles.reading import cards
        from articles.views import public

        chips, _quantum = desk
        url = chips.get_absolute_url()

        def made(path):
            with mock.patch.object(public, "article_head", wraps=public.article_head) as heads, \
                    mock.patch.object(cards, "meta", wraps=cards.meta) as lines:
                page = client.get(path).content.decode()
            return page, heads.call_count + lines.call_count

        assert made(url)[1] == 2 and made(url)[1] == 0
        english, parts = made(f"/en{url}")
        assert parts == 2 and "min read" in english  # made again in English
        save_working_copy(chips, Content(title="推論チップの記事（訂正）", slug=chips.slug, excerpt="新しい要約",
                                         body=chips.body, topics=("推論",)), editor, base_version=chips.version)
        workflow.apply_transition(chips, "submit", editor)
        workflow.apply_transition(chips, "approve", second_editor)
        workflow.apply_transition(chips, "publish", second_editor)
        page, parts = made(url)
        assert parts == 2 and 'content="新しい要約"' in page and 'content="推論"' in page
        assert 'content="NVIDIA"' not in page  # its tags, as corrected

    def test_a_translation_going_live_is_linked_from_the_kept_page(self, client, make_article):
        from articles.models import Article

        japanese = make_article(title="日本語の記事")
        Article.objects.filter(pk=japanese.pk).update(translation_key="launch")
        japanese.refresh_from_db()
        url = japanese.get_absolute_url()
        assert 'hreflang="en"' not in client.get(url).content.decode().split("</head>")[0]
        english = make_article(title="The article in English")
        Article.objects.filter(pk=english.pk).update(translation_key="launch", language="en")
        make_article(title="何か別の記事")  # an article going live: the page asks again
        head = client.get(url).content.decode().split("</head>")[0]
        assert f'hreflang="en" href="http://testserver{english.get_absolute_url()}"' in head

    def test_a_renamed_tag_and_author_show_on_every_card(self, client, desk, make_article, writer):
        from articles.models import AuthorProfile

        AuthorProfile.objects.create(user=writer, name="山田 花子", slug="hanako")
        make_article(title="花子の記事", owner=writer, topics=["推論"])
        client.get("/")
        tag = TopicTag.objects.get(name="推論")
        tag.name = "推論処理"
        tag.save()
        AuthorProfile.objects.filter(user=writer).update(name="山田 華子")
        AuthorProfile.objects.get(user=writer).save()
        page = client.get("/").content.decode()
        assert page.count(">推論処理</a>") == 2 and ">推論</a>" not in page
        assert "山田 華子" in page and "山田 花子" not in page

    def test_a_taken_down_article_leaves_the_list_and_its_card_is_not_shown(self, client, desk, editor):
        chips, _quantum = desk
        client.get("/")
        workflow.apply_transition(chips, "unpublish", editor)
        page = client.get("/").content.decode()
        assert "推論チップの記事" not in page and "量子コンピューターの記事" in page

    def test_each_language_has_its_own_cards(self, client, desk):
        assert "分で読めます" in client.get("/").content.decode()
        english = client.get("/en/").content.decode()
        assert "min read" in english and "分で読めます" not in english
        assert 'href="/en/articles/' in english

    def test_an_article_page_made_afresh_reads_no_article_rows(self, client, desk, editor, second_editor):
        chips, _quantum = desk
        client.get(chips.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            assert "推論チップの記事" in client.get(chips.get_absolute_url()).content.decode()
        assert not [query for query in queries if "articles_article" in query["sql"]]
        save_working_copy(chips, Content(title="推論チップの記事（訂正）", slug=chips.slug, excerpt=chips.excerpt,
                                         body="訂正した本文。", topics=("推論",), companies=("NVIDIA",)),
                          editor, base_version=chips.version)
        workflow.apply_transition(chips, "submit", editor)
        workflow.apply_transition(chips, "approve", second_editor)
        assert "訂正した本文" not in client.get(chips.get_absolute_url()).content.decode()
        workflow.apply_transition(chips, "publish", second_editor)
        assert "訂正した本文" in client.get(chips.get_absolute_url()).content.decode()
        workflow.apply_transition(chips, "unpublish", editor)
        assert client.get(chips.get_absolute_url()).status_code == 410

    def test_an_address_with_nothing_yet_shows_its_article_once_due(self, client, make_article):
        due = timezone.now() + dt.timedelta(seconds=90)
        scheduled = make_article(title="予約した記事", published_at=due)
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        with time_machine.travel(due + dt.timedelta(seconds=1)):
            assert "予約した記事" in client.get(scheduled.get_absolute_url()).content.decode()

    def test_without_a_cache_server_the_cards_are_made(self, client, desk):
        with mock.patch.object(caching.cache, "get_many", side_effect=ConnectionError("down")):
            page = client.get("/").content.decode()
        assert "推論チップの記事" in page and "量子コンピューターの記事" in page


def test_articles_written_in_bulk_are_counted_by_the_command(client, make_article):
    """The workflow keeps the counts; a script that writes past it says so afterwards."""
    from django.core.management import call_command

    from articles.models import PublicCount

    make_article(title="推論の記事", topics=["推論"])
    PublicCount.objects.all().delete()  # as if the rows had come in bulk
    assert client.get(topic("推論")).status_code == 404
    call_command("count_live_articles", stdout=StringIO())
    assert client.get(topic("推論")).status_code == 200


def test_each_reader_page_says_whether_it_came_from_the_store(client, site):
    url = site.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_related_block_shows_a_corrected_title(client, make_article, editor, second_editor):
    """A kept list of related articles holds their titles: a correction of one of them
    makes it again."""
    shown = make_article(title="元の題名", topics=["推論"])
    page = make_article(title="推論の別の記事", topics=["推論"])
    assert "元の題名" in client.get(page.get_absolute_url()).content.decode()
    save_working_copy(shown, Content(title="直した題名", slug=shown.slug, excerpt=shown.excerpt, body=shown.body,
                                     topics=("推論",)), editor, base_version=shown.version)
    workflow.apply_transition(shown, "submit", editor)
    workflow.apply_transition(shown, "approve", second_editor)
    workflow.apply_transition(shown, "publish", second_editor)
    related = client.get(page.get_absolute_url()).content.decode().split('id="related-heading"')[1]
    assert "直した題名" in related and "元の題名" not in related


class TestAnArticlesBodyIsCompressedOnce:
    """Issue 21 item 6: an article page made afresh compressed its whole body again (a
    third of the page's cost for a long one); the body is compressed once per version."""

    @pytest.fixture
    def long_article(self, make_article, settings):
        settings.EDITORIAL_PAGE_CACHE_SECONDS = 0
        body = "\n\n".join(f"## 見出し{n}\n\n推論チップの段落 {n} です。" * 3 for n in range(120))
        return make_article(title="長い記事", body=body)

    def test_the_page_is_what_a_plain_request_gets(self, client, long_article):
        url = long_article.get_absolute_url()
        plain = client.get(url).content
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert packed["Content-Encoding"] == "gzip" and int(packed["Content-Length"]) == len(packed.content)
        assert packed["ETag"].startswith('W/"') and "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.content) == plain
        assert len(packed.content) < len(plain) / 4

    def test_only_the_text_around_the_body_is_compressed_per_page(self, client, long_article):
        from articles.reading import compression

        url = long_article.get_absolute_url()
        plain = client.get(url).content
        client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        from django.middleware import gzip as djangos

        with mock.patch.object(compression, "_deflate", wraps=compression._deflate) as fresh, \
                mock.patch.object(djangos, "compress_string", wraps=djangos.compress_string) as whole:
            again = client.get(url, HTTP_ACCEPT_ENCODING="gzip").content
        assert gzip.decompress(again) == plain
        compressed = [text for call in fresh.call_args_list for text in call.args[0]]
        compressed += [call.args[0] for call in whole.call_args_list]
        assert compressed and sum(map(len, compressed)) < len(plain) - len(long_article.body_html)

    def test_the_etag_follows_every_correction_without_hashing_the_body_again(
            self, client, long_article, editor, second_editor):
        import hashlib

        from django.utils import cache as djangos

        hashed, md5 = [], hashlib.md5

        class Counting:  # an MD5 that counts the bytes it is given
            def __init__(self, data=b"", **options):
                self.made = md5(**options)
                self.update(data)

            def update(self, data):
                hashed.append(len(data))
                self.made.update(data)

            def hexdigest(self):
                return self.made.hexdigest()

        url = long_article.get_absolute_url()
        first = client.get(url)["ETag"]
        with mock.patch.object(hashlib, "md5", Counting), mock.patch.object(djangos, "md5", Counting):
            assert client.get(url)["ETag"] == first
        assert sum(hashed) < len(long_article.body_html.encode()) / 4

        def correct(**changes):
            content = {"title": long_article.title, "slug": long_article.slug, "body": long_article.body, **changes}
            save_working_copy(long_article, Content(**content), editor, base_version=long_article.version)
            for action, person in [("submit", editor), ("approve", second_editor), ("publish", second_editor)]:
                workflow.apply_transition(long_article, action, person)
            long_article.refresh_from_db()

        correct(body=long_article.body.replace("段落 7 です", "段落 7 でした", 1))
        second = client.get(url)["ETag"]
        correct(title="長い記事（訂正）")
        third = client.get(url)["ETag"]
        assert len({first, second, third}) == 3

    def test_a_digest_over_pieces_tells_every_content_apart(self):
        from articles.reading.compression import digest_with_pieces, piece

        body = "本文の段落。".encode() * 400
        kept = piece(body)

        def digest(content):
            return digest_with_pieces(content, [kept])

        pages = [b"<a>" + body + b"<b>", b"<a>" + body + b"<c>", b"<x>" + body + b"<b>", b"<a>" + body + b"<b><b>",
                 b"<a>" + body[:6] + body + b"<b>", b"<a><b>" + body]
        assert len({digest(page) for page in pages}) == len(pages)
        assert digest(pages[0]) == digest(b"<a>" + body + b"<b>")
        assert digest(b"<a>" + body[:-6] + b"<b>") is None

    def test_pieces_anywhere_and_a_missing_piece(self):
        import zlib

        from articles.reading.compression import gzip_with_pieces, piece

        first, second = "最初の部分。".encode() * 500, b"<p>second</p>" * 300
        content = b"<html>" + first + b"<hr>" + second + b"</html>"
        packed = gzip_with_pieces(content, [piece(first), piece(second)])
        assert gzip.decompress(packed) == content
        assert zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(packed) == content
        assert gzip.decompress(gzip_with_pieces(first, [piece(first)])) == first
        assert gzip_with_pieces(content, [piece(b"not there")]) is None
        decoy = first[:100] + b"<br>" + first  # its beginning before it, then the piece itself
        assert gzip.decompress(gzip_with_pieces(decoy, [piece(first)])) == decoy
