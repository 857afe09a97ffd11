"""The reader's site as a news site (issue 25): what readers, crawlers and partners read
of it. Metadata is read as a crawler does: the page's JSON-LD parsed, feeds parsed."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.publishing import workflow
from articles.publishing.editing import Content, create_article, save_working_copy

pytestmark = pytest.mark.django_db

# HTML's valid date-time string: at most three decimals of a second.
_HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)")


def publish(article, writer, editor):
    for action, user in (("submit", writer), ("approve", editor), ("publish", editor)):
        workflow.apply_transition(article, action, user)
    article.refresh_from_db()
    return article


def corrected(writer, editor):
    """A live article corrected an hour after it was published."""
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1)):
        article = publish(create_article(Content(title="訂正する記事", slug="corrected", excerpt="要約",
                                                 body="数字は 10 です。"), writer), writer, editor)
    save_working_copy(article, Content(title="訂正する記事", slug="corrected", excerpt="要約",
                                       body="数字は 12 です。"), writer, base_version=article.version)
    return publish(Article.objects.get(pk=article.pk), writer, editor)


def datetimes(html):
    return re.findall(r'<time[^>]*\bdatetime="([^"]*)"', html)


class TestTimes:
    def test_a_corrected_article_gives_valid_times_on_its_page_and_cards(self, client, writer, editor):
        article = corrected(writer, editor)
        assert article.last_published_at > article.published_at
        for url in (article.get_absolute_url(), "/", "/en/"):
            html = client.get(url).content.decode()
            found = datetimes(html)
            assert found, url
            assert all(_HTML_DATETIME.fullmatch(value) for value in found), (url, found)

    def test_desk_pages_give_valid_times(self, client, writer, editor):
        article = corrected(writer, editor)
        client.force_login(editor)
        for url in ("/desk/articles/", f"/desk/articles/{article.pk}/", f"/desk/articles/{article.pk}/history/",
                    "/desk/calendar/", "/desk/inbox/"):
            response = client.get(url)
            assert response.status_code == 200, url
            found = datetimes(response.content.decode())
            assert all(_HTML_DATETIME.fullmatch(value) for value in found), (url, found)


def json_ld(html):
    import json

    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])


def atom(client, url="/feed/atom/"):
    import feedparser

    return feedparser.parse(client.get(url).content)


class TestAuthors:
    def test_an_article_without_a_byline_credits_its_writer_everywhere(self, client, writer, make_article):
        from articles.models import AuthorProfile

        AuthorProfile.objects.create(user=writer, name="記者 花子", slug="hanako")
        article = make_article(title="署名のない記事", owner=writer)
        data = json_ld(client.get(article.get_absolute_url()).content.decode())
        assert data["author"] == {"@type": "Person", "name": "記者 花子", "url": "http://testserver/authors/hanako/"}
        entry = atom(client).entries[0]
        assert entry.author == "記者 花子" and entry.author_detail.href == "http://testserver/authors/hanako/"

    def test_a_team_byline_is_an_organisation_and_no_article_goes_without_an_author(self, client, make_article,
                                                                                   settings):
        settings.EDITORIAL_SITE_NAME = "テックニュース"
        team = make_article(title="チームの記事", byline="テック編集部")
        nobody = make_article(title="誰のでもない記事")
        assert json_ld(client.get(team.get_absolute_url()).content.decode())["author"] == {
            "@type": "Organization", "name": "テック編集部"}
        assert json_ld(client.get(nobody.get_absolute_url()).content.decode())["author"] == {
            "@type": "Organization", "name": "テックニュース", "url": "http://testserver/"}
        feed = atom(client)
        assert not feed.bozo, feed.bozo_exception
        # RFC 4287 §4.1.1: each entry has an author, or the feed has one for them all.
        assert feed.feed.author == "テックニュース"
        assert {entry.title: entry.get("author") for entry in feed.entries}["チームの記事"] == "テック編集部"

    def test_the_publisher_has_its_address_and_a_logo(self, client, make_article):
        data = json_ld(client.get(make_article().get_absolute_url()).content.decode())
        publisher = data["publisher"]
        assert publisher["@type"] == "Organization" and publisher["url"] == "http://testserver/"
        assert publisher["logo"]["@type"] == "ImageObject"
        logo = client.get(publisher["logo"]["url"].removeprefix("http://testserver"))
        assert logo.status_code == 200 and b"".join(logo.streaming_content if logo.streaming else [logo.content])[:8] \
            == b"\x89PNG\r\n\x1a\n"


def head_links(html):
    """``{rel or hreflang: href}`` of the page's canonical and language links."""
    links = {}
    for tag in re.findall(r"<link\b[^>]*>", html.split("</head>")[0]):
        rel = re.search(r'rel="([^"]*)"', tag)[1]
        href = re.search(r'href="([^"]*)"', tag)[1]
        if rel == "canonical":
            links["canonical"] = href
        elif rel == "alternate" and "hreflang=" in tag:
            links[re.search(r'hreflang="([^"]*)"', tag)[1]] = href
    return links


class TestLanguages:
    def test_an_article_in_the_english_interface_marks_its_text_japanese(self, client, make_article):
        article = make_article(title="日本語の記事", body="日本語の本文です。")
        html = client.get("/en" + article.get_absolute_url()).content.decode()
        assert re.search(r'<html lang="en"', html)
        assert re.search(r'<article class="article" lang="ja"', html)
        assert head_links(html)["canonical"] == "http://testserver" + article.canonical_path()

    def test_an_english_article_in_the_japanese_interface_marks_its_text_english(self, client, make_article):
        from articles.models import Article

        article = make_article(title="An English article", body="Written in English.")
        Article.objects.filter(pk=article.pk).update(language="en")
        html = client.get(article.get_absolute_url()).content.decode()
        assert '<html lang="ja"' in html and '<article class="article" lang="en"' in html

    @pytest.mark.parametrize("path", ["/", "/categories/", "/companies/nvidia/", "/topics/llm/", "/authors/hanako/"])
    def test_list_pages_name_their_address_in_each_language(self, client, make_article, writer, path):
        from articles.models import AuthorProfile

        AuthorProfile.objects.create(user=writer, name="記者 花子", slug="hanako")
        make_article(companies=["NVIDIA"], topics=["LLM"], owner=writer)
        for prefix, language in (("", "ja"), ("/en", "en")):
            response = client.get(prefix + path)
            assert response.status_code == 200, prefix + path
            links = head_links(response.content.decode())
            assert links == {"canonical": f"http://testserver{prefix}{path}", "ja": f"http://testserver{path}",
                             "en": f"http://testserver/en{path}", "x-default": f"http://testserver{path}"}, language

    def test_a_later_page_of_a_list_is_its_own_canonical(self, client, make_article, settings):
        for _ in range(25):
            make_article()
        links = head_links(client.get("/?page=2&utm_source=x").content.decode())
        assert links["canonical"] == "http://testserver/?page=2" and links["en"] == "http://testserver/en/?page=2"

    def test_translations_name_each_other_and_the_default(self, client, make_article):
        from articles.models import Article

        ja = make_article(title="日本語版", slug="news-ja")
        en = make_article(title="English edition", slug="news-en")
        Article.objects.filter(pk=ja.pk).update(translation_key="news", language="ja")
        Article.objects.filter(pk=en.pk).update(translation_key="news", language="en")
        links = head_links(client.get(en.canonical_path()).content.decode())
        assert links["ja"] == "http://testserver" + ja.canonical_path()
        assert links["en"] == links["canonical"] == "http://testserver" + en.canonical_path()
        assert links["x-default"] == links["ja"]

    def test_error_pages_and_the_desk_name_no_canonical(self, client, editor):
        assert "canonical" not in head_links(client.get("/no-such-page/").content.decode())
        client.force_login(editor)
        assert head_links(client.get("/desk/").content.decode()) == {}


class TestFeeds:
    def test_an_entry_keeps_its_id_when_the_article_is_renamed_and_in_every_language(self, client, make_article):
        article = make_article(title="名前が変わる記事", slug="old-name")
        before = {entry.title: entry.id for entry in atom(client).entries}["名前が変わる記事"]
        rss_before = {entry.title: entry.id for entry in atom(client, "/feed/").entries}["名前が変わる記事"]
        Article.objects.filter(pk=article.pk).update(slug="new-name")
        from articles.reading import caching

        caching.content_changed()
        feed = atom(client)
        assert feed.entries[0].link.endswith("/new-name/")
        assert feed.entries[0].id == before and not before.startswith("http")
        assert {entry.title: entry.id for entry in atom(client, "/feed/").entries}["名前が変わる記事"] == rss_before
        assert {entry.title: entry.id for entry in atom(client, "/en/feed/atom/").entries}["名前が変わる記事"] == before
        assert {entry.title: entry.id for entry in atom(client, "/en/feed/").entries}["名前が変わる記事"] == rss_before

    def test_atom_gives_the_excerpt_as_summary_and_the_text_as_content(self, client, make_article):
        make_article(title="全文の記事", excerpt="短い要約。", body="## 見出し\n\n本文の段落です。")
        entry = atom(client).entries[0]
        assert entry.summary == "短い要約。"
        assert entry.content[0].type == "text/html" and "本文の段落です。" in entry.content[0].value


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def xml(client, url):
    from xml.etree import ElementTree

    response = client.get(url)
    assert response.status_code == 200, url
    return ElementTree.fromstring(response.content)


class TestSitemaps:
    def test_articles_are_dated_to_the_second_and_authors_are_listed(self, client, make_article, writer):
        from articles.models import AuthorProfile

        AuthorProfile.objects.create(user=writer, name="記者 花子", slug="hanako")
        make_article(owner=writer)
        index = [loc.text for loc in xml(client, "/sitemap.xml").iter(f"{SITEMAP}loc")]
        articles = xml(client, "/sitemap-articles.xml")
        lastmod = articles.find(f"{SITEMAP}url/{SITEMAP}lastmod").text
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", lastmod)
        assert "http://testserver/sitemap-authors.xml" in index
        authors = [loc.text for loc in xml(client, "/sitemap-authors.xml").iter(f"{SITEMAP}loc")]
        assert authors == ["http://testserver/authors/hanako/"]

    def test_a_news_sitemap_lists_the_last_two_days(self, client, make_article, settings):
        settings.EDITORIAL_SITE_NAME = "テックニュース"
        fresh = make_article(title="今日の発表 <速報>")
        make_article(title="先週の記事", published_at=timezone.now() - dt.timedelta(days=7))
        assert "http://testserver/sitemap-news.xml" in [
            loc.text for loc in xml(client, "/sitemap.xml").iter(f"{SITEMAP}loc")]
        urls = xml(client, "/sitemap-news.xml").findall(f"{SITEMAP}url")
        assert len(urls) == 1
        assert urls[0].find(f"{SITEMAP}loc").text == "http://testserver" + fresh.canonical_path()
        news = urls[0].find(f"{NEWS}news")
        assert news.find(f"{NEWS}publication/{NEWS}name").text == "テックニュース"
        assert news.find(f"{NEWS}publication/{NEWS}language").text == "ja"
        assert news.find(f"{NEWS}title").text == "今日の発表 <速報>"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", news.find(f"{NEWS}publication_date").text)

    def test_robots_keep_crawlers_out_of_searches_and_previews_in_every_language(self, client):
        lines = client.get("/robots.txt").content.decode().splitlines()
        for path in ("/search/", "/preview/", "/en/search/", "/en/preview/"):
            assert f"Disallow: {path}" in lines


def meta(html, name):
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    return found[1] if found else None


class TestPictures:
    def test_an_article_without_a_cover_shows_the_sites_picture(self, client, make_article):
        from PIL import Image as Pillow

        html = client.get(make_article().get_absolute_url()).content.decode()
        image = meta(html, "og:image")
        assert image and image.startswith("http://testserver/") and meta(html, "twitter:image") == image
        assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
        assert json_ld(html)["image"] == [image]
        response = client.get(image.removeprefix("http://testserver"))
        picture = Pillow.open(__import__("io").BytesIO(b"".join(response.streaming_content)))
        assert picture.size == (1200, 630)

    def test_a_cover_gives_search_engines_three_shapes_at_1200_pixels(self, client, make_article):
        from io import BytesIO

        from PIL import Image as Pillow

        from articles.media import images
        from tests.images import photo

        cover = images.store(photo(2400, 1600), alt_text="発表会の会場")[0]
        article = make_article()
        Article.objects.filter(pk=article.pk).update(cover=cover)
        from articles.reading import caching

        caching.content_changed()
        html = client.get(article.get_absolute_url()).content.decode()
        shapes = []
        for url in json_ld(html)["image"]:
            with cover.file.storage.open(url.split("/media/", 1)[1]) as file:
                shapes.append(Pillow.open(BytesIO(file.read())).size)
        assert shapes == [(1200, 675), (1200, 900), (1200, 1200)]  # 16:9, 4:3, 1:1
        assert meta(html, "og:image:width") == "1200"

    def test_search_engines_may_show_large_previews(self, client, make_article):
        html = client.get(make_article().get_absolute_url()).content.decode()
        assert "max-image-preview:large" in (meta(html, "robots") or "")


class TestReadApi:
    def test_an_unknown_address_under_the_api_is_a_json_404(self, client):
        response = client.get("/api/v1/nothing-here/")
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json()["detail"] and response["Access-Control-Allow-Origin"] == "*"
        # An address missing its final slash is sent to the right one, as elsewhere.
        assert client.get("/api/v1/articles")["Location"] == "/api/v1/articles/"

    @pytest.mark.parametrize("url", ["/api/v1/articles/999999/", "/api/v1/articles/by-slug/none/",
                                     "/api/v1/authors/nobody/", "/api/v1/articles/?cursor=zzz",
                                     "/api/v1/articles/?published_since=yesterday", "/api/v1/nothing/"])
    def test_errors_speak_the_clients_language_and_one_language(self, client, url):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        japanese = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
        assert english.status_code == japanese.status_code >= 400
        assert english["Content-Language"] == "en" and japanese["Content-Language"] == "ja"
        english_text, japanese_text = (str(list(_messages(r.json()))) for r in (english, japanese))
        assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", english_text), english_text
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", japanese_text) and \
            not re.search(r"[A-Za-z]{4,} [A-Za-z]{2,} [A-Za-z]{2,}", japanese_text), japanese_text

    def test_a_nul_in_a_filter_is_named_as_such(self, client):
        response = client.get("/api/v1/articles/?company=nv%00idia", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "null character" in str(response.json()).lower()

    def test_pictures_in_a_body_have_absolute_addresses(self, client, make_article):
        from articles.media import images
        from tests.images import photo

        picture = images.store(photo(800, 600), alt_text="図")[0]
        article = make_article(body=f"本文。\n\n![図](image:{picture.pk})\n")
        html = client.get(f"/api/v1/articles/{article.pk}/").json()["body_html"]
        sources = re.findall(r'(?:src|srcset)="([^"]+)"', html)
        assert sources and all(part.strip().startswith("http://testserver/media/")
                               for source in sources for part in source.split(","))

    def test_the_schema_says_what_errors_and_pictures_look_like(self, client):
        schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
        operations = [operation for item in schema["paths"].values() for operation in item.values()]
        assert len(operations) >= 8
        for operation in operations:
            codes = set(operation["responses"])
            assert {"200", "429"} <= codes, operation["operationId"]
            if "{" in next(path for path, item in schema["paths"].items() if operation in item.values()):
                assert "404" in codes, operation["operationId"]
        articles = next(item["get"] for path, item in schema["paths"].items() if path.endswith("/articles/"))
        assert "400" in articles["responses"]
        components = schema["components"]["schemas"]
        cover = components["Article"]["properties"]["cover"]
        picture = components[cover["allOf"][0]["$ref"].rsplit("/", 1)[1]] if "allOf" in cover else \
            components[cover["$ref"].rsplit("/", 1)[1]]
        assert {"url", "alt", "width", "height", "renditions", "thumbnails", "social"} <= set(picture["properties"])
        author = components["Author"]["properties"]["picture"]
        assert "$ref" in author or "allOf" in author


def _messages(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _messages(item)
    elif isinstance(value, list):
        for item in value:
            yield from _messages(item)
    else:
        yield str(value)


class TestHeadersAndErrorPages:
    @pytest.mark.parametrize("url", ["/", "/desk/", "/api/v1/articles/"])
    def test_every_answer_says_which_browser_features_the_page_may_use(self, client, editor, url):
        if url == "/desk/":
            client.force_login(editor)
        policy = client.get(url)["Permissions-Policy"]
        features = dict(part.strip().split("=", 1) for part in policy.split(","))
        assert features["camera"] == features["microphone"] == features["geolocation"] == "()"
        # The video players the site embeds may go full screen; nothing else may.
        assert "https://www.youtube-nocookie.com" in features["fullscreen"]
        assert "https://player.vimeo.com" in features["fullscreen"]

    def test_the_schema_is_sent_compressed(self, client):
        for accept in ("application/yaml", "application/json"):
            response = client.get("/api/v1/schema/", HTTP_ACCEPT=accept, HTTP_ACCEPT_ENCODING="gzip")
            assert response["Content-Encoding"] == "gzip", accept

    @pytest.mark.parametrize("path, language", [("/no-such-page/", "ja"), ("/en/no-such-page/", "en")])
    def test_the_not_found_page_offers_a_search_and_the_other_language(self, client, path, language):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 404 and f'<html lang="{language}"' in html
        assert re.search(r'<form[^>]*role="search"', html) and 'name="q"' in html
        other = "/" if language == "en" else "/en/"
        assert re.search(rf'<a class="language-switch" href="{re.escape(other)}"', html)


class TestCorrections:
    def publish_update(self, client, article, writer, editor, body, kind="", note="", action="publish"):
        """The writer corrects the live article; an editor approves and publishes it from
        the review page, telling readers ``note``."""
        save_working_copy(Article.objects.get(pk=article.pk), Content(
            title=article.title, slug=article.slug, excerpt="要約", body=body), writer,
            base_version=Article.objects.get(pk=article.pk).version)
        current = Article.objects.get(pk=article.pk)
        workflow.apply_transition(current, "submit", writer)
        workflow.apply_transition(current, "approve", editor, seen_revision=current.latest_revision_id)
        client.force_login(editor)
        response = client.post(f"/desk/articles/{article.pk}/actions/{action}/", {
            "revision": current.latest_revision_id, "public_note_kind": kind, "public_note": note})
        client.logout()
        return response

    def test_readers_see_every_correction_and_update_under_the_article(self, client, writer, editor):
        article = corrected(writer, editor)
        response = self.publish_update(client, article, writer, editor, "数字は 12 です。売上は 3 億円です。",
                                       "correction", "売上高を 30 億円と誤って記載していました。")
        assert response.status_code == 302, response.content.decode()[:500]
        with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
            self.publish_update(client, article, writer, editor, "数字は 12 です。売上は 3 億円です。続報あり。",
                                "update", "会社の発表を受けて続報を加えました。")
        html = client.get(article.get_absolute_url()).content.decode()
        section = html[html.index('class="public-notes"'):]
        assert section.index("売上高を 30 億円") < section.index("続報を加えました")  # oldest first, both kept
        assert "訂正" in section and "追記" in section
        assert html.index("続報あり") < html.index('class="public-notes"')  # after the text
        assert all(_HTML_DATETIME.fullmatch(value) for value in datetimes(section))
        # Search engines get the correction (not the update) in the article's structured data.
        corrections = json_ld(html)["correction"]
        assert [item["text"] for item in corrections] == ["売上高を 30 億円と誤って記載していました。"]
        assert corrections[0]["@type"] == "CorrectionComment"
        # Feeds carry them in the text, partners in the API.
        assert "売上高を 30 億円" in atom(client).entries[0].content[0].value
        notes = client.get(f"/api/v1/articles/{article.pk}/").json()["corrections"]
        assert [(note["kind"], note["text"][:4]) for note in notes] == [("correction", "売上高を"), ("update", "会社の発")]

    def test_an_update_without_a_note_tells_readers_nothing(self, client, writer, editor):
        article = corrected(writer, editor)
        assert self.publish_update(client, article, writer, editor, "数字は 12 です。少し直した。").status_code == 302
        assert 'class="public-notes"' not in client.get(article.get_absolute_url()).content.decode()

    def test_a_note_needs_its_kind_and_its_words(self, client, writer, editor):
        article = corrected(writer, editor)
        response = self.publish_update(client, article, writer, editor, "数字は 13 です。", "correction", "")
        assert response.status_code == 400 and "読者に伝える" in response.content.decode()
        current = Article.objects.get(pk=article.pk)  # still approved: the editor tries again
        client.force_login(editor)
        response = client.post(f"/desk/articles/{article.pk}/actions/publish/", {
            "revision": current.latest_revision_id, "public_note_kind": "", "public_note": "言葉だけ。"})
        assert response.status_code == 400 and "訂正か追記か" in response.content.decode()
        assert not Article.objects.get(pk=article.pk).public_notes.exists()

    def test_a_first_publication_has_nothing_to_correct(self, writer, editor):
        from articles.publishing.workflow import TransitionNotAllowed

        article = create_article(Content(title="新しい記事", slug="fresh", excerpt="要約", body="本文。"), writer)
        workflow.apply_transition(article, "submit", writer)
        workflow.apply_transition(article, "approve", editor)
        with pytest.raises(TransitionNotAllowed):
            workflow.apply_transition(article, "publish", editor, public_note=("correction", "何か"))
        assert not Article.objects.get(pk=article.pk).is_live


class TestReadership:
    def test_a_read_is_counted_once_per_reader_and_nothing_of_them_is_kept(self, client, make_article):
        from articles.models import ArticleReads

        article = make_article()
        page = client.get(article.get_absolute_url()).content.decode()
        beacon = re.search(r'data-read-url="([^"]+)" data-article="(\d+)"', page)
        assert beacon and beacon[2] == str(article.pk) and "reads.js" in page
        for address in ("192.0.2.1", "192.0.2.1", "192.0.2.2"):  # a reload counts once
            response = client.post(beacon[1], {"article": beacon[2]}, REMOTE_ADDR=address)
            assert response.status_code == 204 and not response.cookies
        rows = list(ArticleReads.objects.values())
        assert [row["count"] for row in rows] == [2]
        assert set(rows[0]) == {"id", "article_id", "hour", "count"}  # no address, no agent, no session

    def test_drafts_and_nonsense_are_not_counted(self, client, make_article):
        from articles.models import ArticleReads

        draft = make_article(status="draft")
        for value in (str(draft.pk), "abc", "9" * 30, ""):
            assert client.post("/reads/", {"article": value}).status_code == 204
        assert client.get("/reads/").status_code == 405
        assert not ArticleReads.objects.exists()

    def test_the_most_read_are_on_the_home_page_and_the_desk(self, client, make_article, editor):
        from articles.models import ArticleReads

        quiet, popular, old_news = (make_article(title="静かな記事"), make_article(title="よく読まれる記事"),
                                    make_article(title="先週の人気記事"))
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        ArticleReads.objects.create(article=quiet, hour=hour, count=3)
        ArticleReads.objects.create(article=popular, hour=hour - dt.timedelta(hours=2), count=40)
        ArticleReads.objects.create(article=old_news, hour=hour - dt.timedelta(days=3), count=90)
        html = client.get("/").content.decode()
        ranking = html[html.index('class="ranking"'):]
        today, week = ranking.split('class="ranking-period"')[1:3]
        assert today.index("よく読まれる記事") < today.index("静かな記事") and "先週の人気記事" not in today
        assert week.index("先週の人気記事") < week.index("よく読まれる記事") < week.index("静かな記事")
        client.force_login(editor)
        desk = client.get("/desk/articles/").content.decode()
        row = desk[desk.index("よく読まれる記事"):].split("</tr>")[0]
        assert re.search(r'data-label="[^"]*">\s*40\s*<', row), row  # read in the last 7 days


class TestFrontPage:
    def with_cover(self, make_article, title, **fields):
        from articles.media import images
        from tests.images import photo

        article = make_article(title=title, **fields)
        cover = images.store(photo(1600, 900, color=(len(title) * 9 % 255, 90, 160)), alt_text=f"{title}の写真")[0]
        Article.objects.filter(pk=article.pk).update(cover=cover)
        return Article.objects.get(pk=article.pk)

    def front(self, client):
        html = client.get("/").content.decode()
        top = html[html.index('class="front-top"'):].split("</section>")[0]
        lead = top[:top.index('class="front-features"')] if 'class="front-features"' in top else top
        return html, lead, top

    def test_without_a_choice_the_newest_pictured_story_leads(self, client, make_article, category):
        self.with_cover(make_article, "写真つきの前の記事", published_at=timezone.now() - dt.timedelta(hours=3),
                        category=category)
        self.with_cover(make_article, "写真つきの新しい記事", published_at=timezone.now() - dt.timedelta(hours=2))
        make_article(title="写真のない最新記事")
        html, lead, top = self.front(client)
        assert "写真つきの新しい記事" in lead and "<img" in lead
        assert "写真つきの前の記事" in top
        latest = html[html.index('class="front-heading"'):]
        assert "写真のない最新記事" in latest and "写真つきの新しい記事" not in latest.split('class="front-sections"')[0]
        sections = html[html.index('class="front-sections"'):]
        assert category.name in sections and "写真つきの前の記事" in sections

    def test_an_editor_chooses_the_lead_and_the_order_and_readers_see_it_at_once(self, client, make_article,
                                                                                editor, writer):
        from articles.models import Transition

        older = self.with_cover(make_article, "選ばれた古い記事", published_at=timezone.now() - dt.timedelta(days=2))
        plain = make_article(title="写真のない選ばれた記事", published_at=timezone.now() - dt.timedelta(days=1))
        self.with_cover(make_article, "最新の写真つき記事")
        client.get("/")  # stored
        client.force_login(editor)
        for article in (plain, older):
            assert client.post("/desk/front-page/", {"action": "add", "article": article.pk}).status_code == 302
        client.logout()
        _html, lead, top = self.front(client)
        assert "写真のない選ばれた記事" in lead and "選ばれた古い記事" in top
        client.force_login(editor)
        client.post("/desk/front-page/", {"action": "up", "article": older.pk})
        client.logout()
        _html, lead, _top = self.front(client)
        assert "選ばれた古い記事" in lead
        trail = list(Transition.objects.filter(article=older).values_list("action", flat=True))
        assert {"feature", "feature_moved"} <= set(trail)
        # A writer may not arrange it.
        client.force_login(writer)
        assert client.post("/desk/front-page/", {"action": "remove", "article": older.pk}).status_code == 403
        assert client.get("/desk/front-page/").status_code == 403

    def test_a_story_leaves_at_its_time(self, client, make_article, editor):
        chosen = make_article(title="期限つきのお知らせ")
        self.with_cover(make_article, "いつもの写真記事", published_at=timezone.now() - dt.timedelta(days=1))
        client.force_login(editor)
        until = timezone.localtime() + dt.timedelta(minutes=30)
        response = client.post("/desk/front-page/", {"action": "add", "article": chosen.pk,
                                                     "until": until.strftime("%Y-%m-%dT%H:%M")})
        assert response.status_code == 302
        client.logout()
        assert "期限つきのお知らせ" in self.front(client)[1]
        with time_machine.travel(until + dt.timedelta(minutes=2)):
            assert "期限つきのお知らせ" not in self.front(client)[1]

    def test_only_live_articles_go_on_it(self, client, make_article, editor):
        draft = make_article(title="下書き", status="draft")
        client.force_login(editor)
        response = client.post("/desk/front-page/", {"action": "add", "article": draft.pk}, follow=True)
        assert "公開中の記事だけ" in response.content.decode()
        from articles.models import FrontPageItem

        assert not FrontPageItem.objects.exists()
