"""Jekyll export, and the round trip: importing an export gives back every field."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Category, Status
from articles.publishing import workflow
from articles.publishing.editing import Content, create_article

pytestmark = pytest.mark.django_db

AWKWARD_TITLES = [
    'He said "AI" — then: nothing',
    "コロン: と 'クオート' の「見出し」",
    "---",
    "!重要 速報",
    "絵文字のタイトル 🚀🤖",
    "# ハッシュで始まる",
    "null",
    "yes",
    "2025-12-25",
    "[角括弧] {波括弧} & アンパサンド * アスタリスク",
    "バックスラッシュ \\ とタブ\tの入った題",
    "とても長い日本語のタイトル" * 12,
]


def fields(article):
    return {
        "title": article.title,
        "slug": article.slug,
        "published_at": article.published_at,
        "byline": article.byline,
        "category": article.category.name if article.category else None,
        "companies": sorted(article.companies.names()),
        "topics": sorted(article.topics.names()),
        "excerpt": article.excerpt,
        "body": article.body,
        "live": article.is_live,
    }


def snapshot():
    return {article.slug: fields(article) for article in Article.objects.all()}


def export(path, *args):
    out = StringIO()
    call_command("export_jekyll", str(path), *args, stdout=out)
    return out.getvalue()


def reimport(path):
    Article.objects.all().delete()
    call_command("import_jekyll", str(path / "_posts"), stdout=StringIO(), stderr=StringIO())


def make_awkward_articles():
    category, _ = Category.objects.get_or_create(name="検証: カテゴリー", slug="検証")
    for n, title in enumerate(AWKWARD_TITLES):
        article = create_article(
            Content(
                title=title, slug=f"awkward-{n}", category=category, byline='編集部 "検証" チーム',
                excerpt=f"抜粋 {n}: 「引用」と\nふたつめの行", companies=("NVIDIA", "aws"), topics=("LLM", "推論"),
                body=f"---\n\n本文 {n}\n\n```yaml\nkey: value\n---\n```\n\n末尾に改行なし",
            ),
            None,
        )
        article.published_at = timezone.now().replace(microsecond=0) - dt.timedelta(days=n)
        workflow.record_import(article, published=True)


@pytest.mark.parametrize("source", ["awkward", "demo", "seed"])
def test_importing_an_export_reproduces_every_field(tmp_path, source, request):
    if source == "awkward":
        make_awkward_articles()
    elif source == "demo":
        call_command("load_demo", "--force", stdout=StringIO())
    else:
        call_command("import_jekyll", str(request.getfixturevalue("seed_post")), stdout=StringIO())
    before = snapshot()
    export(tmp_path, *[arg for status in Status for arg in ("--status", status)])
    reimport(tmp_path)
    after = snapshot()
    assert after.keys() == before.keys()
    for slug, expected in before.items():
        assert after[slug] == expected, slug


def test_export_writes_the_publishers_shape(tmp_path, make_article, category):
    make_article(
        title="新型チップ", slug="chip", category=category, byline="ALLFORCES編集部", excerpt="要約",
        companies=["NVIDIA", "Amazon"], topics=["LLM"], body="本文です。\n",
        published_at=dt.datetime(2025, 12, 25, 8, 44, 49, tzinfo=dt.UTC),
    )
    export(tmp_path)
    text = (tmp_path / "_posts" / "2025-12-25-chip.md").read_text(encoding="utf-8")
    assert text == (
        "---\n"
        "layout: post\n"
        'title: "新型チップ"\n'
        "date: 2025-12-25 08:44:49 +0000\n"
        'categories: ["AI技術ガイド"]\n'
        'tags: ["Amazon", "NVIDIA", "LLM"]\n'
        'author: "ALLFORCES編集部"\n'
        'excerpt: "要約"\n'
        "reading_time: 1\n"
        "markdown_flavor: editorial\n"
        "---\n"
        "\n"
        "本文です。\n"
    )


def test_export_is_deterministic(tmp_path):
    make_awkward_articles()
    first = tmp_path / "first"
    export(first)
    contents = {p.name: p.read_bytes() for p in (first / "_posts").iterdir()}
    assert len(contents) == len(AWKWARD_TITLES)
    assert "0 written" in export(first) and f"{len(AWKWARD_TITLES)} unchanged" in export(first)
    second = tmp_path / "second"
    export(second)
    assert {p.name: p.read_bytes() for p in (second / "_posts").iterdir()} == contents


def test_by_default_only_what_readers_see_is_exported(tmp_path, make_article, writer, editor):
    make_article(slug="live")
    make_article(slug="draft", status=Status.DRAFT)
    make_article(slug="later", published_at=timezone.now() + dt.timedelta(days=1))
    # A live article with newer changes in review exports its published version.
    revised = make_article(slug="revised", title="公開版", owner=writer)
    from articles.publishing.editing import save_working_copy

    save_working_copy(revised, Content(title="改訂中", slug="revised"), editor, base_version=revised.version)
    export(tmp_path)
    names = sorted(p.name.split("-", 3)[3] for p in (tmp_path / "_posts").iterdir())
    assert names == ["live.md", "revised.md"]
    assert 'title: "公開版"' in next((tmp_path / "_posts").glob("*revised.md")).read_text(encoding="utf-8")


def test_export_filters(tmp_path, make_article, category):
    make_article(slug="in-category", category=category, published_at=timezone.now() - dt.timedelta(days=1))
    make_article(slug="old", category=category, published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    make_article(slug="elsewhere")
    export(tmp_path, "--category", category.slug, "--since", "2024-01-01")
    assert [p.name.endswith("in-category.md") for p in (tmp_path / "_posts").iterdir()] == [True]
