"""Company and topic tags: every tag has an address, and no tag name can break a page."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, CompanyTag, TopicTag
from articles.publishing.editing import Content, create_article

pytestmark = pytest.mark.django_db

URL_SLUG = re.compile(r"^[-\w]+$")


def desk_form(**changes):
    data = {
        "title": "タグの試験", "slug": "", "byline": "", "category": "", "companies": "",
        "topics": "", "excerpt": "要約です。", "body": "本文です。", "version": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", ["🚀", "!!!", "？？", "・", "__", "--"])
def test_a_tag_whose_name_has_no_letters_still_gets_an_address(name):
    topic = TopicTag.objects.create(name=name)
    assert topic.slug and URL_SLUG.match(topic.slug)
    assert reverse("articles:topic", kwargs={"slug": topic.slug})


def test_slugs_stay_unique_among_names_without_letters():
    slugs = {TopicTag.objects.create(name=name).slug for name in ["🚀", "!!!", "🔥", "?!"]}
    assert len(slugs) == 4


def test_a_published_article_with_such_tags_breaks_no_page(client, make_article):
    article = make_article(companies=["!!!"], topics=["🚀", "LLM"])
    topic = TopicTag.objects.get(name="🚀")
    for url in ["/", "/topics/", "/companies/", "/sitemap.xml", "/feed/", article.get_absolute_url(),
                topic.get_absolute_url(), CompanyTag.objects.get(name="!!!").get_absolute_url()]:
        assert client.get(url).status_code == 200, url


def test_the_desk_preview_of_such_tags_works(client, writer):
    client.force_login(writer)
    article = create_article(Content(title="記事", slug="kiji", topics=("🚀",), companies=("!!!",)), writer)
    assert client.get(reverse("desk:preview", kwargs={"pk": article.pk})).status_code == 200


@pytest.mark.parametrize("field", ["companies", "topics"])
def test_a_tag_name_longer_than_the_column_is_a_form_error(client, writer, field):
    client.force_login(writer)
    response = client.post(reverse("desk:new"), desk_form(**{field: "あ" * 101}))
    assert response.status_code == 200
    assert "100" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("field", ["companies", "topics"])
def test_a_tag_name_with_a_control_character_is_a_form_error(client, writer, field):
    client.force_login(writer)
    response = client.post(reverse("desk:new"), desk_form(**{field: "LLM, 推\x07論"}))
    assert response.status_code == 200
    assert "制御文字" in response.content.decode()
    assert not Article.objects.exists()


def test_too_many_tags_is_a_form_error_that_keeps_the_text(client, writer, settings):
    settings.EDITORIAL_MAX_TAGS = 5
    client.force_login(writer)
    response = client.post(reverse("desk:new"), desk_form(topics=", ".join(f"話題{i}" for i in range(6)),
                                                          body="消えてはいけない本文"))
    page = response.content.decode()
    assert response.status_code == 200 and "5" in page and "消えてはいけない本文" in page
    assert not Article.objects.exists()


def test_ten_thousand_tags_are_refused_without_work(client, writer, monkeypatch):
    from taggit.forms import TagField

    parsed = []
    parse = TagField.clean
    monkeypatch.setattr(TagField, "clean", lambda self, value: parsed.append(value) or parse(self, value))
    client.force_login(writer)
    many = ", ".join(f"t{i}" for i in range(10_000))
    response = client.post(reverse("desk:new"), desk_form(topics=many))
    assert response.status_code == 200
    assert not TopicTag.objects.exists()
    response = client.post(reverse("desk:render"), {"title": "x", "body": "y", "topics": many})
    assert response.status_code == 400
    assert "error" in response.json()
    assert many not in parsed  # refused by its commas, before taggit parsed a name


@pytest.mark.parametrize("name", ["あ" * 101, "推\x07論"])
def test_the_admin_refuses_bad_tag_names_with_a_form_error(admin_client, name):
    response = admin_client.post(reverse("admin:articles_topictag_add"), {"name": name, "slug": "ok"})
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not TopicTag.objects.exists()


def test_splitting_many_names_keeps_each_once():
    from articles.models.tags import split_company_names

    names = [f"話題{i}" for i in range(5_000)] + ["話題1", "ＡＷＳ"]
    companies, others = split_company_names(names)
    assert [c.name for c in companies] == ["Amazon"] and len(others) == 5_000
