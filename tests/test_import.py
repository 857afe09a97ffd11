import datetime as dt

import pytest

from articles.models import Article, Category, CompanyTag, Status, TopicTag
from articles.publishing import workflow
from articles.publishing.editing import Content, save_working_copy

from .importing import run_import

pytestmark = pytest.mark.django_db

POST = """---
layout: post
title: "新型チップの狙い"
date: 2025-12-25 08:44:49 +0000
categories: ["AI技術ガイド"]
tags: ["NVIDIA", "aws", "LLM"]
author: "ALLFORCES編集部"
excerpt: "チップの狙いを解説します。"
permalink: /ai/chip-aim/
reading_time: 20
---

本文の段落です。
"""


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


def test_import_maps_every_front_matter_field(tmp_path):
    out, err, failure = run_import(write(tmp_path, "2025-12-25-chip-aim.md", POST))
    assert failure is None, err
    article = Article.objects.get()
    assert article.title == "新型チップの狙い"
    assert article.slug == "chip-aim"
    assert article.published_at == dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC)
    assert article.status == Status.PUBLISHED and article in Article.objects.published()
    assert article.category.name == "AI技術ガイド"
    assert article.byline == "ALLFORCES編集部"
    assert article.excerpt == "チップの狙いを解説します。"
    assert article.jekyll_permalink == "/ai/chip-aim/"
    assert article.source_reading_time == 20
    assert article.reading_time == 1
    assert article.body == "本文の段落です。\n"
    assert article.body_html == "<p>本文の段落です。</p>"
    assert "imported 1, updated 0, unchanged 0, left alone 0, failed 0" in out


def test_tags_split_into_companies_and_topics_with_aliases(tmp_path):
    run_import(write(tmp_path, "2025-12-25-chip-aim.md", POST))
    article = Article.objects.get()
    # "aws" is an alias of Amazon, matched without regard to case.
    assert sorted(article.companies.names()) == ["Amazon", "NVIDIA"]
    assert list(article.topics.names()) == ["LLM"]
    assert not TopicTag.objects.filter(name__iexact="aws").exists()


def test_reimport_updates_instead_of_duplicating(tmp_path):
    path = write(tmp_path, "2025-12-25-chip-aim.md", POST)
    run_import(path)
    write(tmp_path, "2025-12-25-chip-aim.md", POST.replace("新型チップの狙い", "新型チップの本当の狙い"))
    out, _, failure = run_import(path)
    assert failure is None
    assert "imported 0, updated 1, unchanged 0, left alone 0, failed 0" in out
    assert Article.objects.get().title == "新型チップの本当の狙い"
    assert Article.objects.get().companies.count() == 2


def test_dry_run_writes_nothing(tmp_path):
    out, _, failure = run_import(write(tmp_path, "2025-12-25-chip-aim.md", POST), dry_run=True)
    assert failure is None
    assert "would import" in out and "dry run: imported 1" in out
    assert not Article.objects.exists()
    assert not Category.objects.exists()
    assert not TopicTag.objects.exists()


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ("date: 2025-12-25 08:44:49 +0000", dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC)),
        ("date: 2025-12-25 17:44:49 +0900", dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC)),
        ("date: 2025-12-25T08:44:49Z", dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC)),
        ("date: '2025-12-25T17:44:49+09:00'", dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC)),
        # Naive times and bare dates are in the site's time zone (Asia/Tokyo).
        ("date: 2025-12-25 17:44:49", dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC)),
        ("date: 2025-12-25", dt.datetime(2025, 12, 24, 15, 0, tzinfo=dt.UTC)),
        ("", dt.datetime(2025, 12, 24, 15, 0, tzinfo=dt.UTC)),  # the file name's date
    ],
)
def test_dates_in_every_jekyll_shape(tmp_path, front_matter, expected):
    text = f"---\ntitle: 日付\n{front_matter}\n---\n本文\n"
    _, err, failure = run_import(write(tmp_path, "2025-12-25-date.md", text))
    assert failure is None, err
    assert Article.objects.get().published_at == expected


@pytest.mark.parametrize(
    ("value", "companies", "topics"),
    [
        ('["NVIDIA", "LLM"]', ["NVIDIA"], ["LLM"]),
        ("NVIDIA LLM マルチモーダル", ["NVIDIA"], ["LLM", "マルチモーダル"]),
        ("\n  - Google\n  - 推論", ["Google"], ["推論"]),
        ("アマゾン", ["Amazon"], []),
        ("ＮＶＩＤＩＡ", ["NVIDIA"], []),
    ],
)
def test_tags_as_list_or_space_separated_string(tmp_path, value, companies, topics):
    run_import(write(tmp_path, "2025-12-25-tags.md", f"---\ntitle: タグ\ntags: {value}\n---\n本文\n"))
    article = Article.objects.get()
    assert sorted(article.companies.names()) == companies
    assert sorted(article.topics.names()) == sorted(topics)


def test_space_separated_categories_keep_extra_ones_as_topics(tmp_path):
    out, _, _ = run_import(write(tmp_path, "2025-12-25-cat.md", "---\ntitle: 分類\ncategories: AI 半導体\n---\n本文\n"))
    article = Article.objects.get()
    assert article.category.name == "AI"
    assert list(article.topics.names()) == ["半導体"]
    assert "extra categories kept as topics" in out


def test_unpublished_post_is_not_public(tmp_path):
    run_import(write(tmp_path, "2025-12-25-secret.md", "---\ntitle: 非公開\npublished: false\n---\n本文\n"))
    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert not Article.objects.published().exists()


def test_byte_order_mark_and_crlf_are_fine(tmp_path):
    text = "\ufeff" + POST.replace("\n", "\r\n")
    _, err, failure = run_import(write(tmp_path, "2025-12-25-bom.md", text))
    assert failure is None, err
    article = Article.objects.get()
    assert article.title == "新型チップの狙い"
    assert "\r" not in article.body


@pytest.mark.parametrize("excerpt_line", ['excerpt: "新型チップの狙い"', ""], ids=["equal to title", "missing"])
def test_excerpt_equal_to_title_or_missing_is_drawn_from_the_first_real_paragraph(tmp_path, excerpt_line):
    text = f"---\ntitle: 新型チップの狙い\n{excerpt_line}\n---\n新型チップの狙い\n\n最初の本当の段落。\n"
    out, _, _ = run_import(write(tmp_path, "2025-12-25-ex.md", text))
    assert Article.objects.get().excerpt == "最初の本当の段落。"
    # Jekyll draws a missing excerpt from the body too: only a useless one is worth a note.
    assert ("excerpt equal to the title" in out) == bool(excerpt_line)


BAD_FILES = {
    "no front matter": ("本文だけ\n", "no front matter"),
    "unclosed front matter": ("---\ntitle: x\n本文\n", "not closed"),
    "invalid yaml": ("---\ntitle: [unclosed\n---\n本文\n", "invalid YAML"),
    "not a mapping": ("---\n- a\n- b\n---\n本文\n", "not a set of 'key: value' lines"),
    "missing title": ("---\ndate: 2025-12-25\n---\n本文\n", "no title"),
    "impossible date": ("---\ntitle: x\ndate: 2025-02-30 10:00:00 +0000\n---\n本文\n", "impossible date"),
    "nonsense date": ("---\ntitle: x\ndate: yesterday\n---\n本文\n", "impossible date"),
    "python object tag": ("---\ntitle: !!python/object/apply:os.system ['echo hacked']\n---\n", "invalid YAML"),
}


@pytest.mark.parametrize(("text", "reason"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_gets_a_one_line_error_and_does_not_stop_the_others(tmp_path, text, reason):
    bad = write(tmp_path, "2025-12-24-bad.md", text)
    good = write(tmp_path, "2025-12-25-chip-aim.md", POST)
    out, err, failure = run_import(bad, good)
    error_lines = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert len(error_lines) == 1
    assert str(bad) in error_lines[0] and reason in error_lines[0]
    assert "imported 1, updated 0, unchanged 0, left alone 0, failed 1" in out
    assert failure is not None  # the command exits non-zero
    assert list(Article.objects.values_list("slug", flat=True)) == ["chip-aim"]


def test_non_utf8_file_is_reported(tmp_path):
    bad = tmp_path / "2025-12-25-sjis.md"
    bad.write_bytes("---\ntitle: 日本語\n---\n本文\n".encode("shift_jis"))
    _, err, failure = run_import(bad)
    assert "not UTF-8" in err and failure is not None


def test_a_slug_taken_by_a_desk_article_gets_the_date_added(tmp_path, make_article):
    make_article(slug="chip-aim", title="既存の記事")
    out, err, failure = run_import(write(tmp_path, "2025-12-25-chip-aim.md", POST))
    assert failure is None, err
    assert "the address 'chip-aim' is taken: imported as 'chip-aim-20251225'" in out
    assert Article.objects.get(slug="chip-aim").title == "既存の記事"
    assert Article.objects.get(slug="chip-aim-20251225").title == "新型チップの狙い"
    # The same on every run: importing again finds the same article, unchanged.
    out, _, _ = run_import(write(tmp_path, "2025-12-25-chip-aim.md", POST))
    assert "unchanged 1" in out


def test_folder_import_finds_posts_recursively(tmp_path):
    (tmp_path / "_posts" / "2025").mkdir(parents=True)
    write(tmp_path / "_posts" / "2025", "2025-12-25-a.md", POST.replace("新型チップの狙い", "A"))
    write(tmp_path / "_posts", "2025-12-26-b.markdown", POST.replace("新型チップの狙い", "B"))
    write(tmp_path, "notes.txt", "not a post")
    _, _, failure = run_import(tmp_path)
    assert failure is None
    assert sorted(Article.objects.values_list("title", flat=True)) == ["A", "B"]


def test_empty_folder_is_an_error(tmp_path):
    _, _, failure = run_import(tmp_path)
    assert failure is not None and "no .md or .markdown files" in str(failure)


def test_owner_option(tmp_path, django_user_model):
    writer = django_user_model.objects.create_user("writer")
    run_import(write(tmp_path, "2025-12-25-chip-aim.md", POST), owner="writer")
    assert Article.objects.get().owner == writer
    _, _, failure = run_import(write(tmp_path, "2025-12-25-chip-aim.md", POST), owner="nobody")
    assert "no user named 'nobody'" in str(failure)


class TestSeedPost:
    """The publisher's real post, read from ../shared when it is there."""

    @pytest.fixture
    def article(self, seed_post):
        _, err, failure = run_import(seed_post)
        assert failure is None, err
        return Article.objects.get()

    def test_fields(self, article):
        assert sorted(article.companies.names()) == ["Amazon", "Apple", "Google", "NVIDIA"]
        assert sorted(article.topics.names()) == ["LLM", "マルチモーダル"]
        assert article.category.name == "AI技術ガイド"
        assert article.byline == "ALLFORCES編集部"
        assert article.published_at == dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC)
        assert CompanyTag.objects.filter(name="NVIDIA").count() == 1

    def test_reading_time_is_computed_not_copied(self, article):
        assert article.source_reading_time == 20
        assert article.reading_time != 20
        # The body is about 24,000 characters of Japanese: well over 40 minutes as stored.
        assert article.reading_time > 40

    def test_excerpt_is_no_longer_the_title(self, article):
        assert article.excerpt and article.excerpt != article.title
        assert len(article.excerpt) <= 120

    def test_public_page_renders(self, article, client):
        url = article.get_absolute_url()
        assert url == "/articles/2025/12/25/trainium2/"
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert f"<h1>{article.title}</h1>" in page
        assert "ALLFORCES編集部" in page
        assert "2025年12月25日 17:44" in page
        assert f"{article.reading_time}分で読めます" in page
        assert page.count("<p>") > 20

    def test_reimport_is_idempotent(self, article, seed_post):
        out, _, failure = run_import(seed_post)
        assert failure is None and "imported 0, updated 0, unchanged 1, left alone 0, failed 0" in out
        assert Article.objects.get().pk == article.pk


# ---------------------------------------------------------------------------------
# Imports never override the desk.


class TestTheDeskDecides:
    @pytest.fixture
    def imported(self, tmp_path):
        path = write(tmp_path, "2025-12-25-chip-aim.md", POST)
        run_import(path)
        return path, Article.objects.get()

    def changed(self, path):
        return write(path.parent, path.name, POST.replace("本文の段落です。", "出典で直した段落です。"))

    def test_an_unchanged_file_changes_nothing_and_adds_no_history(self, imported):
        path, article = imported
        before = (article.transitions.count(), article.revisions.count(), article.version)
        out, _, failure = run_import(path)
        assert failure is None and "unchanged 1" in out and "unchanged " in out.splitlines()[0]
        article.refresh_from_db()
        assert (article.transitions.count(), article.revisions.count(), article.version) == before

    def test_a_changed_file_updates_an_article_the_desk_left_alone(self, imported):
        path, article = imported
        run_import(self.changed(path))
        article.refresh_from_db()
        assert "出典で直した" in article.body and article.is_public

    def test_an_article_taken_down_in_the_desk_stays_down(self, imported, editor, client):
        path, article = imported
        url = article.get_absolute_url()
        workflow.apply_transition(article, "unpublish", editor)
        out, _, failure = run_import(self.changed(path))
        assert failure is None and "left alone 1" in out
        assert "unpublished in the desk" in out
        article.refresh_from_db()
        assert article.status == Status.UNPUBLISHED and not article.is_live
        assert client.get(url).status_code == 410

    def test_the_desks_edits_are_not_replaced(self, imported, editor):
        path, article = imported
        save_working_copy(article, Content(title="デスクで直した題", slug="chip-aim", body="デスクの本文"), editor,
                          base_version=article.version)
        out, _, _ = run_import(self.changed(path))
        assert "left alone 1" in out and "edited in the desk" in out
        article.refresh_from_db()
        assert article.latest_revision.title == "デスクで直した題"
        assert "出典で直した" not in article.latest_revision.body

    def test_an_article_under_review_is_left_to_its_reviewers(self, tmp_path, writer):
        path = write(tmp_path, "2025-12-25-chip-aim.md", POST.replace("reading_time: 20", "published: false"))
        run_import(path, owner="writer")
        article = Article.objects.get()
        workflow.apply_transition(article, "submit", writer)
        out, _, _ = run_import(write(tmp_path, "2025-12-25-chip-aim.md", POST))
        assert "left alone 1" in out and "in review in the desk" in out
        article.refresh_from_db()
        assert article.status == Status.IN_REVIEW and not article.is_live


# ---------------------------------------------------------------------------------
# Hostile files: each one fails alone, quickly, with its own ERROR line.

BOMB = """---
title: 爆弾
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
本文
"""

HOSTILE = {
    "alias bomb": (BOMB, "expands"),
    "huge front matter": ("---\ntitle: x\npad: '" + "あ" * 70_000 + "'\n---\n本文\n", "front matter"),
    "deep nesting": ("---\ntitle: x\nn: " + "[" * 5_000 + "]" * 5_000 + "\n---\n本文\n", "nested"),
    "infinite reading time": ("---\ntitle: x\nreading_time: 1e400\n---\n本文\n", None),
    "year one": ("---\ntitle: x\ndate: 0001-01-01 00:00:00 +0900\n---\n本文\n", "date"),
    "title over the column": ("---\ntitle: '" + "題" * 201 + "'\n---\n本文\n", "title"),
    "tag over the column": ("---\ntitle: x\ntags: ['" + "あ" * 101 + "']\n---\n本文\n", "tag"),
    "category over the column": ("---\ntitle: x\ncategories: ['" + "あ" * 101 + "']\n---\n本文\n", "category"),
    "byline over the column": ("---\ntitle: x\nauthor: '" + "あ" * 201 + "'\n---\n本文\n", "author"),
    "body over the limit": ("---\ntitle: x\n---\n" + "あ" * 100_001 + "\n", "body"),
    "body that takes too long": ("---\ntitle: x\n---\n" + "[a](" * 20_000 + "\n", "too long"),
}


@pytest.mark.parametrize(("text", "reason"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_file_fails_alone(tmp_path, text, reason, settings):
    settings.EDITORIAL_RENDER_TIMEOUT = 0.3
    bad = write(tmp_path, "2025-12-24-bad.md", text)
    good = write(tmp_path, "2025-12-25-chip-aim.md", POST)
    out, err, failure = run_import(bad, good)
    assert list(Article.objects.values_list("slug", flat=True)) == ["chip-aim"] or reason is None
    if reason is None:  # harmless once read: imported, the nonsense ignored
        assert failure is None, err
        return
    error_lines = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert len(error_lines) == 1 and str(bad) in error_lines[0] and reason in error_lines[0], err
    assert "failed 1" in out and failure is not None


def test_any_unexpected_error_is_that_files_error_line(tmp_path, monkeypatch):
    from articles.jekyll import importing

    real = importing.SiteImport._save

    def explode(self, post, *args, **kwargs):
        if post.title == "壊れる":
            raise RuntimeError("something nobody foresaw")
        return real(self, post, *args, **kwargs)

    monkeypatch.setattr(importing.SiteImport, "_save", explode)
    bad = write(tmp_path, "2025-12-24-bad.md", "---\ntitle: 壊れる\n---\n本文\n")
    good = write(tmp_path, "2025-12-25-chip-aim.md", POST)
    _, err, failure = run_import(bad, good)
    assert "ERROR" in err and "something nobody foresaw" in err and str(bad) in err
    assert list(Article.objects.values_list("slug", flat=True)) == ["chip-aim"]
    assert failure is not None


def test_control_characters_in_a_file_are_dropped(tmp_path):
    # YAML's escapes (\a, \x01) are the only way into front matter; the body takes them raw.
    text = POST.replace("新型チップの狙い", "新型\\aチップの狙い").replace('"LLM"', '"L\\x01LM"')
    _, err, failure = run_import(write(tmp_path, "2025-12-25-chip-aim.md", text + "末尾\x07の段落\n"))
    assert failure is None, err
    article = Article.objects.get()
    assert article.title == "新型チップの狙い" and "LLM" in article.topics.names()
    assert "末尾の段落" in article.body
