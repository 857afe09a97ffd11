"""The read API (issue 14): published articles as JSON for apps and partners, filtered,
paged by cursor, cacheable, open to any origin, rate-limited and documented. No draft
or future article ever appears."""

import base64
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.media import images
from articles.models import Article, AuthorProfile, Status

from .images import photo

pytestmark = pytest.mark.django_db

API = "/api/v1"


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.fixture
def archive(make_article, category, writer):
    now = timezone.now()
    made = {
        "newest": make_article(slug="newest", title="最新のGPU", companies=["NVIDIA"], topics=["LLM"],
                               category=category, owner=writer, published_at=now - dt.timedelta(hours=1)),
        "middle": make_article(slug="middle", title="推論の費用", body="エヌビディアの推論チップ。", topics=["LLM"],
                               published_at=now - dt.timedelta(days=2)),
        "oldest": make_article(slug="oldest", title="英語の記事", companies=["Apple"],
                               published_at=now - dt.timedelta(days=9)),
        "draft": make_article(slug="draft", title="下書き", companies=["秘密の会社"], status=Status.DRAFT),
    }
    Article.objects.filter(pk=made["oldest"].pk).update(language="en")
    scheduled = make_article(slug="scheduled", title="予約", topics=["未来の話題"],
                             published_at=now + dt.timedelta(days=1))
    made["scheduled"] = scheduled
    return made


class TestWhatAppears:
    def test_published_articles_newest_first(self, client, archive):
        assert slugs(client.get(f"{API}/articles/")) == ["newest", "middle", "oldest"]

    def test_a_scheduled_article_appears_at_its_time(self, client, archive):
        with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
            assert slugs(client.get(f"{API}/articles/"))[0] == "scheduled"

    @pytest.mark.parametrize("slug", ["draft", "scheduled"])
    def test_drafts_and_future_articles_leak_nowhere(self, client, archive, slug):
        article = archive[slug]
        assert client.get(f"{API}/articles/{article.pk}/").status_code == 404
        assert client.get(f"{API}/articles/by-slug/{slug}/").status_code == 404
        everything = "".join(client.get(f"{API}/{path}/").content.decode()
                             for path in ("articles", "companies", "topics", "categories", "authors"))
        assert article.title not in everything
        assert "秘密の会社" not in everything and "未来の話題" not in everything
        assert slug not in slugs(client.get(f"{API}/articles/", {"q": article.title}))

    def test_an_unpublished_article_is_gone(self, client, archive, editor):
        from articles.publishing import workflow

        workflow.apply_transition(archive["middle"], "unpublish", editor)
        assert client.get(f"{API}/articles/{archive['middle'].pk}/").status_code == 404
        assert "middle" not in slugs(client.get(f"{API}/articles/"))


class TestAnArticle:
    def test_every_field(self, client, archive, writer):
        article = archive["newest"]
        cover, _ = images.store(photo(1600, 900), alt_text="新しいGPUの基板", caption="発表された基板", credit="編集部")
        Article.objects.filter(pk=article.pk).update(cover=cover, byline="ALLFORCES編集部")
        AuthorProfile.objects.create(user=writer, name="記者 花子", slug="hanako", bio="半導体担当。")
        data = client.get(f"{API}/articles/{article.pk}/").json()
        assert data["title"] == "最新のGPU" and data["slug"] == "newest"
        assert data["url"] == f"http://testserver{article.canonical_path()}"
        assert data["excerpt"] == article.excerpt and data["body_html"] == article.body_html
        assert data["companies"] == [{"name": "NVIDIA", "slug": "nvidia", "url": "http://testserver/companies/nvidia/"}]
        assert data["topics"][0]["name"] == "LLM"
        assert data["category"]["slug"] == article.category.slug
        assert data["byline"] == "ALLFORCES編集部"
        assert data["author"]["name"] == "記者 花子" and data["author"]["url"] == "http://testserver/authors/hanako/"
        assert data["language"] == "ja"
        assert dt.datetime.fromisoformat(data["published_at"]) == article.published_at
        assert data["modified_at"]
        assert data["cover"]["alt"] == "新しいGPUの基板" and data["cover"]["credit"] == "編集部"
        widths = {r["width"] for r in data["cover"]["renditions"]}
        assert len(widths) >= 2 and all(r["url"].startswith("http://testserver/media/") for r in data["cover"]["renditions"])
        assert {r["format"] for r in data["cover"]["renditions"]} >= {"webp", "jpeg"}

    def test_by_slug_is_the_same(self, client, archive):
        article = archive["middle"]
        assert client.get(f"{API}/articles/by-slug/middle/").json() == client.get(f"{API}/articles/{article.pk}/").json()

    def test_lists_carry_no_bodies(self, client, archive):
        item = client.get(f"{API}/articles/").json()["results"][0]
        assert "body_html" not in item and item["excerpt"]


class TestFilters:
    @pytest.mark.parametrize(("query", "expected"), [
        ({"company": "nvidia"}, ["newest"]),
        ({"topic": "llm"}, ["newest", "middle"]),
        ({"language": "en"}, ["oldest"]),
        ({"language": "ja"}, ["newest", "middle"]),
        ({"q": "エヌビディア"}, ["newest", "middle"]),  # the company's alias, as on the site
        ({"q": "推論"}, ["middle"]),
        ({"company": "no-such-company"}, []),
        ({"company": "秘密の会社"}, []),
    ])
    def test_filters(self, client, archive, query, expected):
        assert slugs(client.get(f"{API}/articles/", query)) == expected

    def test_category_and_author(self, client, archive, writer):
        AuthorProfile.objects.create(user=writer, name="記者 花子", slug="hanako")
        assert slugs(client.get(f"{API}/articles/", {"category": archive["newest"].category.slug})) == ["newest"]
        assert slugs(client.get(f"{API}/articles/", {"author": "hanako"})) == ["newest"]

    def test_published_since_and_until(self, client, archive):
        now = timezone.now()
        since = (now - dt.timedelta(days=3)).isoformat()
        until = (now - dt.timedelta(days=1)).isoformat()
        assert slugs(client.get(f"{API}/articles/", {"published_since": since})) == ["newest", "middle"]
        assert slugs(client.get(f"{API}/articles/", {"published_since": since, "published_until": until})) == ["middle"]

    def test_bad_input_is_a_clear_400(self, client, archive):
        response = client.get(f"{API}/articles/", {"published_since": "昨日"})
        assert response.status_code == 400
        assert "published_since" in response.json()


class TestPagination:
    def test_a_cursor_walks_every_article_once(self, client, make_article):
        now = timezone.now()
        for n in range(7):
            make_article(slug=f"a{n}", published_at=now - dt.timedelta(hours=n + 1))
        seen, url = [], f"{API}/articles/?page_size=3"
        while url:
            data = client.get(url).json()
            seen += [item["slug"] for item in data["results"]]
            url = data["next"]
        assert seen == [f"a{n}" for n in range(7)]
        assert "cursor" in parse_qs(urlsplit(client.get(f"{API}/articles/?page_size=3").json()["next"]).query)

    @pytest.mark.parametrize("forged", ["r=1&p=x", "p=2026-13-45T00:00:00", "p=" + "9" * 40, "o=-1"])
    def test_a_forged_cursor_is_a_clear_404(self, client, make_article, forged):
        """Issue 20, item 8: base64("r=1&p=x") gave an anonymous 500."""
        make_article()
        cursor = base64.b64encode(forged.encode()).decode()
        response = client.get(f"{API}/articles/", {"cursor": cursor})
        assert response.status_code == 404 and response.json()["detail"] == "カーソルが不正です。"

    def test_the_page_size_is_bounded(self, client, make_article):
        for n in range(3):
            make_article(slug=f"b{n}")
        assert len(client.get(f"{API}/articles/", {"page_size": 10_000}).json()["results"]) == 3

    def test_queries_do_not_grow_with_the_page(self, client, make_article, category):
        def count(n):
            for index in range(n):
                article = make_article(companies=["NVIDIA", "Apple"], topics=["LLM"], category=category)
                cover, _ = images.store(photo(64, 48), alt_text=f"写真{index}")
                Article.objects.filter(pk=article.pk).update(cover=cover)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"{API}/articles/", {"page_size": 100}).status_code == 200
            return len(queries)

        assert count(3) == count(30)


class TestHttp:
    def test_cacheable_with_etag_and_304(self, client, archive):
        response = client.get(f"{API}/articles/")
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
        assert response["Content-Type"] == "application/json"
        again = client.get(f"{API}/articles/", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304

    def test_last_modified_and_if_modified_since(self, client, archive):
        response = client.get(f"{API}/articles/{archive['middle'].pk}/")
        assert response["Last-Modified"]
        again = client.get(f"{API}/articles/{archive['middle'].pk}/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert again.status_code == 304
        assert client.get(f"{API}/articles/")["Last-Modified"]

    def test_any_origin_may_read(self, client, archive):
        response = client.get(f"{API}/articles/", HTTP_ORIGIN="https://partner.example")
        assert response["Access-Control-Allow-Origin"] == "*"
        # Asked or not: nginx may hand this copy to a page on another origin.
        for path in ("articles/", f"articles/{archive['newest'].pk}/", "companies/", "authors/", "schema/"):
            assert client.get(f"{API}/{path}")["Access-Control-Allow-Origin"] == "*", path
        preflight = client.options(f"{API}/articles/", HTTP_ORIGIN="https://partner.example",
                                   HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
        assert preflight.status_code == 200 and "GET" in preflight["Access-Control-Allow-Methods"]
        assert "POST" not in preflight["Access-Control-Allow-Methods"]
        # The site's own pages are not opened to other origins.
        assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://partner.example")

    def test_no_session_no_cookie(self, client, archive, writer):
        client.force_login(writer)
        response = client.get(f"{API}/articles/")
        assert not response.cookies and "Cookie" not in response.get("Vary", "")

    def test_read_only(self, client, archive):
        assert client.post(f"{API}/articles/", {}).status_code == 405
        assert client.delete(f"{API}/articles/{archive['newest'].pk}/").status_code == 405

    def test_a_rate_limit_per_client_with_a_clear_429(self, client, archive, settings, frozen_clock):
        settings.EDITORIAL_API_RATE = "3/min"
        for _ in range(3):
            assert client.get(f"{API}/articles/", REMOTE_ADDR="192.0.2.1").status_code == 200
        refused = client.get(f"{API}/articles/", REMOTE_ADDR="192.0.2.1")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert "秒" in refused.json()["detail"] or "second" in refused.json()["detail"]
        assert client.get(f"{API}/articles/", REMOTE_ADDR="192.0.2.2").status_code == 200


class TestVocabularies:
    def test_companies_topics_categories_with_counts(self, client, archive):
        companies = client.get(f"{API}/companies/").json()
        assert {"name": "NVIDIA", "slug": "nvidia", "url": "http://testserver/companies/nvidia/",
                "article_count": 1} in companies
        topics = {t["name"]: t["article_count"] for t in client.get(f"{API}/topics/").json()}
        assert topics == {"LLM": 2}
        assert [c["slug"] for c in client.get(f"{API}/categories/").json()] == [archive["newest"].category.slug]

    def test_authors(self, client, writer, db):
        AuthorProfile.objects.create(user=writer, name="記者 花子", slug="hanako", bio="半導体担当。")
        assert client.get(f"{API}/authors/").json() == [
            {"name": "記者 花子", "slug": "hanako", "url": "http://testserver/authors/hanako/", "bio": "半導体担当。",
             "picture": None}]
        assert client.get(f"{API}/authors/hanako/").json()["name"] == "記者 花子"
        assert client.get(f"{API}/authors/nobody/").status_code == 404


class TestDocumentation:
    def test_an_openapi_schema(self, client, db):
        response = client.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert response.status_code == 200
        schema = response.json()
        assert schema["openapi"].startswith("3.")
        assert {"/api/v1/articles/", "/api/v1/articles/{id}/", "/api/v1/articles/by-slug/{slug}/",
                "/api/v1/companies/", "/api/v1/authors/"} <= set(schema["paths"])
        parameters = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
        assert {"company", "topic", "category", "author", "language", "published_since", "published_until", "q",
                "cursor", "page_size"} <= parameters

    def test_a_documentation_page_without_inline_script(self, client, db):
        response = client.get(f"{API}/docs/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "swagger-ui" in page.lower()
        assert "<script>" not in page.replace(" ", "")  # every script is a file: the CSP holds
        assert "cdn" not in page.lower()  # served from here (drf-spectacular-sidecar)


def test_the_schema_names_no_unpublished_model_field(client, db):
    schema = client.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    article = schema["components"]["schemas"]["ArticleDetail"]["properties"]
    assert not {"status", "search_text", "body", "preview_key", "owner", "latest_revision"} & set(article)

