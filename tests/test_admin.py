import pytest
from django.urls import reverse

from articles.models import Category, CompanyTag, Status, TopicTag
from articles.publishing import workflow
from articles.publishing.editing import Content, create_article

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
    # Submitting works and leaves an audit row.
    client.post(url, {"action": "workflow_submit", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert draft.transitions.get(action="submit").user == editor


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


class TestAStaffWriterSeesWhatTheDeskShows:
    @pytest.fixture
    def staff_writer(self, writer):
        writer.is_staff = True
        writer.save()
        return writer

    @pytest.fixture
    def secret(self, other_writer):
        return create_article(Content(title="他人の極秘下書き", slug="secret", body="未発表の特ダネの本文"), other_writer)

    @pytest.fixture
    def own(self, staff_writer):
        return create_article(Content(title="自分の下書き", slug="mine", body="自分の本文"), staff_writer)

    def test_the_article_list_and_search_show_only_their_own(self, client, staff_writer, secret, own):
        client.force_login(staff_writer)
        listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "自分の下書き" in listing and "他人の極秘下書き" not in listing
        found = client.get(reverse("admin:articles_article_changelist"), {"q": "特ダネ"}).content.decode()
        assert "他人の極秘下書き" not in found

    def test_another_writers_article_does_not_open(self, client, staff_writer, secret):
        client.force_login(staff_writer)
        response = client.get(reverse("admin:articles_article_change", args=[secret.pk]), follow=True)
        assert "未発表の特ダネの本文" not in response.content.decode()
        assert response.status_code in (200, 404)

    def test_the_audit_trail_shows_only_their_own(self, client, staff_writer, secret, own):
        from django.contrib.auth.models import Permission

        workflow.apply_transition(secret, "submit", secret.owner)
        workflow.apply_transition(own, "submit", staff_writer)
        staff_writer.user_permissions.add(Permission.objects.get(codename="view_transition"))
        client.force_login(staff_writer)
        trail = client.get(reverse("admin:articles_transition_changelist")).content.decode()
        assert "自分の下書き" in trail and "他人の極秘下書き" not in trail

    def test_editors_still_see_everything(self, client, editor, secret, own):
        editor.is_staff = True
        editor.save()
        client.force_login(editor)
        listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "自分の下書き" in listing and "他人の極秘下書き" in listing


def test_the_admin_offers_no_approval_without_reading(admin_client, make_article):
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    actions = [choice[0] for choice in response.context["action_form"].fields["action"].choices]
    assert "workflow_approve" not in actions and "workflow_publish" in actions


def test_the_admin_names_the_site_and_offers_no_empty_taggit_block(client, django_user_model, settings):
    admin_user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough-1")
    client.force_login(admin_user)
    page = client.get("/admin/", headers={"accept-language": "ja"}).content.decode()
    assert "Django" not in page.split("<body")[1].split("</header>")[0]
    assert f"{settings.EDITORIAL_SITE_NAME} 管理サイト" in page
    assert "taggit" not in page.lower()


def test_the_house_style_is_kept_in_the_admin(client, django_user_model):
    from articles.models import HouseStyleTerm

    admin_user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin_user)
    page = client.get("/admin/articles/housestyleterm/").content.decode()
    assert "サーバー" in page and "サーバ" in page
    response = client.post("/admin/articles/housestyleterm/add/",
                           {"preferred": "ログイン", "variants": "ログオン\nサインイン", "note": "用語の統一"})
    assert response.status_code == 302
    assert HouseStyleTerm.objects.get(preferred="ログイン").variant_list == ["ログオン", "サインイン"]


def test_the_article_list_leaves_room_for_titles(admin_client, make_article):
    """Issue 28, item 9: titles squeezed beside a filter column listing every company."""
    for n in range(30):
        make_article(title=f"記事{n}", companies=[f"企業{n:02d}"] + (["NVIDIA"] if n % 2 else []))
    page = admin_client.get(reverse("admin:articles_article_changelist"), headers={"accept-language": "ja"})
    html = page.content.decode()
    sidebar = html[html.index('id="changelist-filter"'):]
    assert sidebar.count("companies__id__exact=") <= 12
    assert "NVIDIA" in sidebar  # the most used are offered
    header = html[html.index("<thead>"):html.index("</thead>")]
    assert header.count("<th") <= 6


def test_other_apps_sections_speak_japanese(client, django_user_model):
    """Issue 28, item 9: 「AXES」 and 「TASKS DATABASE BACKEND」 in the Japanese admin."""
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough-1")
    client.force_login(boss)
    page = client.get("/admin/", headers={"accept-language": "ja"}).content.decode()
    assert "Axes" not in page and "Tasks Database Backend" not in page
    assert "ログイン試行" in page and "バックグラウンドタスク" in page
