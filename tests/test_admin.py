import pytest
from django.urls import reverse

from articles.models import Article, Category, CompanyTag, Status, TopicTag

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make_article, category):
    return make_article(category=category, companies=["NVIDIA"], topics=["LLM"], byline="ALLFORCES編集部")


@pytest.mark.parametrize(
    "url",
    [
        "admin:articles_article_changelist",
        "admin:articles_article_add",
        "admin:articles_category_changelist",
        "admin:articles_category_add",
        "admin:articles_companytag_changelist",
        "admin:articles_companytag_add",
        "admin:articles_topictag_changelist",
        "admin:articles_topictag_add",
    ],
)
def test_admin_pages_open_for_a_superuser(admin_client, article, url):
    assert admin_client.get(reverse(url)).status_code == 200


def test_article_change_page_shows_fields_but_not_derived_ones(admin_client, article):
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'name="title"' in page and 'name="body"' in page and 'name="companies"' in page
    assert 'name="body_html"' not in page
    assert 'name="status"' not in page
    assert 'name="reading_time"' not in page


def test_changelist_filters_by_status_category_and_tags(admin_client, article, make_article):
    make_article(title="別の記事", status=Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    for query in ["status__exact=published", f"category__id__exact={article.category.pk}",
                  f"companies__id__exact={CompanyTag.objects.get(name='NVIDIA').pk}",
                  f"topics__id__exact={TopicTag.objects.get(name='LLM').pk}"]:
        page = admin_client.get(f"{url}?{query}").content.decode()
        assert article.title in page, query
        assert "別の記事" not in page, query
    assert "別の記事" in admin_client.get(f"{url}?q=別の").content.decode()


def test_admin_saves_an_article_and_renders_it(admin_client, category):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "管理画面の記事",
            "slug": "管理画面の記事",
            "byline": "編集部",
            "category": category.pk,
            "companies": "NVIDIA, aws",
            "topics": "推論",
            "excerpt": "抜粋",
            "body": "## 見出し\n\n<script>alert(1)</script>本文",
            "published_at_0": "",
            "published_at_1": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="管理画面の記事")
    assert article.status == Status.DRAFT
    assert "<script>" not in article.body_html and '<h2 id="見出し">' in article.body_html
    assert sorted(article.topics.names()) == ["推論"]
    # An alias typed in the admin tags the company itself, not a new one.
    assert sorted(article.companies.names()) == ["Amazon", "NVIDIA"]
    assert not CompanyTag.objects.filter(name__iexact="aws").exists()


def test_company_aliases_are_editable(admin_client):
    company = CompanyTag.objects.get(name="Amazon")
    page = admin_client.get(reverse("admin:articles_companytag_change", args=[company.pk])).content.decode()
    assert "AWS" in page and "アマゾン" in page
    changelist = admin_client.get(reverse("admin:articles_companytag_changelist")).content.decode()
    assert "AWS" in changelist


def test_category_admin_keeps_japanese_slug(admin_client):
    admin_client.post(reverse("admin:articles_category_add"), {"name": "半導体", "slug": "半導体"})
    assert Category.objects.get().slug == "半導体"
