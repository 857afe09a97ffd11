"""Feeds, sitemap and robots.txt: valid XML with what readers may see, and nothing else."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Status

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles(make_article, category):
    return [
        make_article(title="新しいチップ", excerpt="チップの要約", body="**本文**です。", byline="ALLFORCES編集部",
                     category=category, companies=["NVIDIA"], topics=["LLM"],
                     published_at=dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC)),
        make_article(title="別の話題", companies=["Apple"]),
        make_article(title="下書き", status=Status.DRAFT, companies=["NVIDIA"]),
        make_article(title="予約", companies=["NVIDIA"], published_at=timezone.now() + dt.timedelta(days=1)),
    ]


def test_rss_feed(client, articles):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["別の話題", "新しいチップ"]
    chip = items[1]
    assert chip.findtext("pubDate") == "Thu, 25 Dec 2025 08:44:49 +0000"
    assert chip.findtext("link") == "http://testserver" + articles[0].get_absolute_url()
    assert "<strong>本文</strong>" in chip.findtext("description")  # full content by default
    assert {c.text for c in chip.findall("category")} == {"AI技術ガイド", "NVIDIA", "LLM"}
    assert channel.findtext("language") == "ja"


def test_atom_feed_with_authors(client, articles):
    root = ET.fromstring(client.get("/feed/atom/").content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    chip = entries[1]
    assert chip.find(f"{ATOM}author/{ATOM}name").text == "ALLFORCES編集部"
    assert chip.findtext(f"{ATOM}published") == "2025-12-25T08:44:49+00:00"
    assert chip.findtext(f"{ATOM}updated") == "2025-12-25T08:44:49+00:00"


def test_excerpt_only_feeds(client, articles, settings):
    settings.EDITORIAL_FEED_FULL_CONTENT = False
    items = ET.fromstring(client.get("/feed/").content).find("channel").findall("item")
    assert items[1].findtext("description") == "チップの要約"


@pytest.mark.parametrize(
    ("url", "titles"),
    [
        ("/companies/nvidia/feed/", ["新しいチップ"]),
        ("/topics/llm/feed/atom/", ["新しいチップ"]),
        ("/categories/%E3%81%82/feed/", []),
    ],
)
def test_feeds_per_company_topic_and_category(client, articles, url, titles, make_article):
    from articles.models import Category

    Category.objects.create(name="空", slug="あ")
    root = ET.fromstring(client.get(url).content)
    found = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] or [
        i.findtext("title") for i in root.iter("item")
    ]
    assert found == titles


def test_feed_of_an_unknown_tag_is_404(client, db):
    assert client.get("/companies/nothing/feed/").status_code == 404


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_pages(client):
    """The sitemaps the index at /sitemap.xml lists, parsed."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    pages = []
    for entry in index.findall(f"{SITEMAP_NS}sitemap"):
        location = entry.findtext(f"{SITEMAP_NS}loc").removeprefix("http://testserver")
        response = client.get(location)
        assert response.status_code == 200, location
        pages.append(ET.fromstring(response.content))
    return pages


def test_sitemap_lists_public_articles_and_pages(client, articles):
    ns = SITEMAP_NS
    urls = [url for page in sitemap_pages(client) for url in page.findall(f"{ns}url")]
    locations = [url.findtext(f"{ns}loc") for url in urls]
    base = "http://testserver"
    assert base + articles[0].get_absolute_url() in locations
    assert base + articles[1].get_absolute_url() in locations
    assert base + articles[2].get_absolute_url() not in locations
    assert base + articles[3].get_absolute_url() not in locations
    assert base + "/companies/nvidia/" in locations and base + "/topics/llm/" in locations
    assert base + "/categories/ai%E6%8A%80%E8%A1%93%E3%82%AC%E3%82%A4%E3%83%89/" in locations
    chip = next(u for u in urls if u.findtext(f"{ns}loc") == base + articles[0].get_absolute_url())
    assert chip.findtext(f"{ns}lastmod") == "2025-12-25T17:44:49+09:00"


def test_the_sitemap_is_an_index_of_pages_within_the_protocols_limit(client, make_article, monkeypatch,
                                                                       django_assert_max_num_queries):
    from articles.reading.sitemaps import ArticleSitemap

    assert ArticleSitemap.limit <= 50_000
    for _ in range(5):
        make_article()
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    pages = [e.findtext(f"{SITEMAP_NS}loc") for e in index.findall(f"{SITEMAP_NS}sitemap")]
    article_pages = [page for page in pages if "sitemap-articles.xml" in page]
    assert len(article_pages) == 3
    seen = []
    for page in article_pages:
        with django_assert_max_num_queries(3) as queries:
            root = ET.fromstring(client.get(page.removeprefix("http://testserver")).content)
        # Only what an address and its date need: never the bodies of 50,000 articles.
        assert not any('"body' in query["sql"] or "search_text" in query["sql"] for query in queries.captured_queries)
        found = [url.findtext(f"{SITEMAP_NS}loc") for url in root.findall(f"{SITEMAP_NS}url")]
        assert len(found) <= 2
        seen += found
    assert len(seen) == len(set(seen)) == 5


def test_each_page_of_the_article_sitemap_is_what_djangos_own_sitemap_makes(client, make_article, monkeypatch):
    """The section reads a page's ids from the index, then its rows, and writes the
    addresses itself (issue 27 item 4): page by page, the same as Django's Sitemap over
    the live articles, Last-Modified included."""
    import datetime as dt

    from django.contrib.sitemaps import Sitemap
    from django.contrib.sites.requests import RequestSite
    from django.test import RequestFactory
    from django.utils import timezone
    from django.utils.http import http_date

    from articles.models import Article
    from articles.reading.sitemaps import ArticleSitemap

    start = timezone.now() - dt.timedelta(days=30)
    for n in range(7):
        make_article(published_at=start + dt.timedelta(days=n, hours=20))  # past midnight in Tokyo
    Article.objects.filter(pk=Article.objects.order_by("pk")[3].pk).update(last_published_at=timezone.now())
    make_article(status="draft")

    class Stock(Sitemap):
        limit, changefreq, priority = 3, "weekly", 0.8

        def items(self):
            return Article.objects.published().order_by("-published_at", "-id")

        def lastmod(self, article):
            return article.modified_at

    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    site = RequestSite(RequestFactory().get("/"))
    for page in (1, 2, 3):
        response = client.get(f"/sitemap-articles.xml?p={page}")
        stock = Stock()
        expected = [(url["location"], url["lastmod"]) for url in stock.get_urls(page=page, site=site, protocol="http")]
        assert [(url["location"], url["lastmod"]) for url in response.context_data["urlset"]] == expected
        assert response["Last-Modified"] == http_date(stock.latest_lastmod.timestamp())
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


@pytest.mark.parametrize("section", ["articles", "companies", "topics", "categories", "home"])
def test_sitemap_sections_say_what_djangos_template_says(client, articles, section):
    """Issue 27 item 4: a section's addresses are written in Python (its template cost
    75 ms for a thousand); the document is the template's, element for element, but
    for the time in ``lastmod`` (issue 25: the template gives the day alone)."""
    from django.template.loader import render_to_string

    response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    ours = ET.fromstring(response.content)
    theirs = ET.fromstring(render_to_string("sitemap.xml", {"urlset": response.context_data["urlset"]}))

    def shape(root):
        return [[(child.tag, (child.text or "").strip()[:10] if child.tag.endswith("lastmod") else
                  (child.text or "").strip(), sorted(child.attrib.items())) for child in url] for url in root]

    assert shape(ours) == shape(theirs) and len(shape(ours)) >= 1
    assert client.get(f"/sitemap-{section}.xml?p=9").status_code == 404


def test_a_sitemap_section_is_not_made_by_the_template_engine(client, articles, monkeypatch):
    """A thousand addresses a page: the engine's cost per address was most of it."""
    from django.template.response import SimpleTemplateResponse

    def engine(self):
        raise AssertionError("a sitemap section went through the template engine")

    monkeypatch.setattr(SimpleTemplateResponse, "rendered_content", property(engine))
    assert b"<loc>" in client.get("/sitemap-articles.xml").content


def test_robots_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /desk/" in text and "Disallow: /preview/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_pages_announce_their_feeds(client, db):
    page = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in page and 'href="/feed/"' in page


# ---------------------------------------------------------------------------------
# One control character anywhere must not make a feed invalid for everyone.

CONTROL = "\x07\x0b\x1b"


def test_control_characters_typed_in_the_desk_are_dropped(client, writer):
    from django.urls import reverse

    client.force_login(writer)
    client.post(reverse("desk:new"), {
        "title": f"見出し{CONTROL}です", "slug": "", "byline": f"編集{CONTROL}部", "category": "", "companies": "",
        "topics": "", "excerpt": f"要約{CONTROL}", "body": f"本文{CONTROL}です。", "version": "0",
    })
    from articles.models import Article

    article = Article.objects.get()
    assert (article.title, article.byline, article.excerpt, article.body) == ("見出しです", "編集部", "要約", "本文です。")


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feeds_stay_valid_xml_whatever_is_stored(client, make_article, category, url):
    from articles.models import Article, Category, TopicTag

    article = make_article(title="正常な記事", byline="記者", category=category, topics=["LLM"])
    # As data stored before the fix, or written around the forms, would be.
    Article.objects.filter(pk=article.pk).update(
        title=f"壊れた{CONTROL}題", byline=f"記{CONTROL}者", excerpt=f"要{CONTROL}約", body_html=f"<p>本{CONTROL}文</p>"
    )
    TopicTag.objects.filter(name="LLM").update(name=f"L{CONTROL}LM")
    Category.objects.filter(pk=category.pk).update(name=f"分{CONTROL}類")
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # raises on invalid XML
    text = ET.tostring(root, encoding="unicode")
    assert "壊れた題" in text and "記者" in text and "LLM" in text and "分類" in text


def test_the_admin_drops_or_refuses_control_characters(admin_client):
    from django.urls import reverse

    from articles.models import Category

    response = admin_client.post(reverse("admin:articles_category_add"),
                                 {"name": f"分{CONTROL}類", "slug": "bunrui", "description": f"説{CONTROL}明"})
    assert response.status_code == 200 and "errornote" in response.content.decode()
    admin_client.post(reverse("admin:articles_category_add"), {"name": "分類", "slug": "bunrui",
                                                               "description": f"説{CONTROL}明"})
    assert Category.objects.get().description == "説明"


@pytest.mark.parametrize("page", ["/companies/nvidia/", "/topics/llm/"])
def test_company_and_topic_pages_offer_their_own_feeds(client, articles, page):
    html = client.get(page).content.decode()
    feed = page + "feed/"
    assert '<link rel="alternate" type="application/rss+xml"' in html and f'href="{feed}"' in html
    assert f'href="{page}feed/atom/"' in html
    assert f'<a href="{feed}">' in html  # and a visible link, for readers
    assert client.get(feed).status_code == 200
