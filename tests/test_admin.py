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
        "admin:articles_transition_changelist",
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


def test_article_change_page_is_read_only_and_points_to_the_desk(admin_client, article):
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert article.title in page and "NVIDIA" in page
    # Content is edited in the desk, where every save is a revision; state only moves
    # through the workflow.
    for name in ["title", "body", "status", "body_html", "companies"]:
        assert f'name="{name}"' not in page
    assert reverse("desk:review", kwargs={"pk": article.pk}) in page


def test_no_article_is_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:articles_article_add")).status_code == 403


def test_admin_actions_go_through_the_workflow(client, editor, make_article, writer):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    draft = make_article(owner=writer, status=Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    # Publishing a draft is impossible: the workflow refuses and says why.
    response = client.post(url, {"action": "workflow_publish", "_selected_action": [draft.pk]}, follow=True)
    assert "はできません" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    # Approving needs a submission first; then it works and leaves an audit row.
    Article.objects.filter(pk=draft.pk).update(status=Status.IN_REVIEW)
    client.post(url, {"action": "workflow_approve", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert draft.transitions.get(action="approve").user == editor


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


def test_company_aliases_are_editable(admin_client):
    company = CompanyTag.objects.get(name="Amazon")
    page = admin_client.get(reverse("admin:articles_companytag_change", args=[company.pk])).content.decode()
    assert "AWS" in page and "アマゾン" in page
    changelist = admin_client.get(reverse("admin:articles_companytag_changelist")).content.decode()
    assert "AWS" in changelist


def test_category_admin_keeps_japanese_slug(admin_client):
    admin_client.post(reverse("admin:articles_category_add"), {"name": "半導体", "slug": "半導体"})
    assert Category.objects.get().slug == "半導体"
