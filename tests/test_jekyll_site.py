"""A whole Jekyll site comes in as Jekyll built it (issue 10): its configuration, its
Liquid, its kramdown, its pictures, its old addresses and its languages."""

import datetime as dt
import re
import textwrap
from io import StringIO

import pytest
from django.core.management import call_command

from articles.checks.article_text import ArticleText
from articles.checks.editorial import run_checks
from articles.jekyll.site import Site
from articles.models import Article, Image, Redirect, Revision, Status, Transition
from articles.publishing import workflow
from articles.publishing.editing import Content, save_working_copy

from .code_blocks import code_blocks
from .images import photo
from .importing import run_import

pytestmark = pytest.mark.django_db

CONFIG = """\
title: 技術ノート
url: https://notes.example.com
baseurl: /blog
permalink: pretty
timezone: Asia/Tokyo
lang: ja
excerpt_separator: <!--more-->
defaults:
  - scope: {path: "", type: posts}
    values: {layout: post, author: 編集部}
  - scope: {path: en/_posts}
    values: {author: Editors}
"""


def put(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def post(title, body, **front):
    lines = [f"title: {title}", *(f"{key}: {value}" for key, value in front.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body).lstrip("\n")


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    put(root, "_config.yml", CONFIG)
    put(root, "_includes/note.html", '<aside class="note">{{ include.text }}</aside>\n')
    put(root, "_data/team.yml", "lead: 佐藤\n")
    put(root, "assets/img/chip.jpg", photo(800, 600))
    put(root, "_posts/2019-1-7-hello.md", post("はじめての投稿", """
        ## はじめに

        これは最初の段落です。<!--more-->続きの文です。

        {% highlight python %}
        # 設定を読む
        config = load()
        {% endhighlight %}

        {% raw %}テンプレートの書き方は `{{ page.title }}` です。{% endraw %}

        担当は{{ site.data.team.lead }}です。次の記事は[こちら]({% post_url 2020-03-01-hello %})。

        ![チップの写真]({{ "/assets/img/chip.jpg" | relative_url }})

        {% include note.html text="補足です" %}

        {% include youtube.html id="dQw4w9WgXcQ" %}
        """, categories="[AI]", tags="[NVIDIA, LLM]", image="/assets/img/chip.jpg",
        redirect_from="[/old/hello/, /2019/hello.html]", last_modified_at="2019-02-01 10:00:00 +0900"))
    put(root, "_posts/2020-03-01-hello.md", post("二度目の投稿", """
        説明文のある投稿です。

        - 手順一
          - 細かい手順
            ```bash
            make run
            ```
        - 手順二

        ~~発売予定~~ 発売中止。

        詳しくは[公式](https://example.com){:target="_blank"}へ。
        {: .notice}

        ![同じ写真](../assets/img/chip.jpg) ![ない写真](/assets/img/missing.png)
        ![外の写真](https://cdn.example.net/a.png)
        """, description="説明のための一文です。", permalink="/custom/:year/:i_month/:title/"))
    put(root, "en/_posts/2019-1-7-hello.md", post("First post", """
        The first real paragraph in English.
        """, lang="en"))
    put(root, "news/_posts/2021-05-05-launch.md", post("発表", """
        発表の本文です。{% seo %}
        """))
    return root


def test_a_site_root_brings_every_posts_folder_keyed_by_path(site):
    out, err, failure = run_import(site)
    assert failure is None, err
    assert "imported 4, updated 0, unchanged 0, left alone 0, failed 0" in out
    assert sorted(Article.objects.values_list("jekyll_key", flat=True)) == [
        "_posts/2019-1-7-hello.md", "_posts/2020-03-01-hello.md", "en/_posts/2019-1-7-hello.md",
        "news/_posts/2021-05-05-launch.md",
    ]


def test_one_digit_dates_and_same_names_on_other_days_and_languages(site):
    run_import(site)
    first = Article.objects.get(jekyll_key="_posts/2019-1-7-hello.md")
    later = Article.objects.get(jekyll_key="_posts/2020-03-01-hello.md")
    english = Article.objects.get(jekyll_key="en/_posts/2019-1-7-hello.md")
    assert first.published_at == dt.datetime(2019, 1, 7, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert (first.slug, later.slug, english.slug) == ("hello", "hello-20200301", "hello-en")
    assert first.status == later.status == english.status == Status.PUBLISHED


def test_front_matter_defaults_and_folders(site):
    run_import(site)
    assert Article.objects.get(jekyll_key="_posts/2019-1-7-hello.md").byline == "編集部"
    assert Article.objects.get(jekyll_key="en/_posts/2019-1-7-hello.md").byline == "Editors"
    # A category folder is the post's category, as Jekyll makes it.
    assert Article.objects.get(jekyll_key="news/_posts/2021-05-05-launch.md").category.name == "news"


class TestLiquid:
    @pytest.fixture
    def article(self, site):
        run_import(site)
        return Article.objects.get(slug="hello")

    def test_highlight_becomes_code_with_its_language(self, article):
        assert ("python", "# 設定を読む\nconfig = load()") in code_blocks(article.body_html)
        assert "<h1" not in article.body_html and "highlight" not in article.body

    def test_raw_site_data_post_url_and_includes(self, article):
        assert "テンプレートの書き方は <code>{{ page.title }}</code> です。" in article.body_html
        assert "担当は佐藤です。" in article.body_html
        later = Article.objects.get(slug="hello-20200301")
        assert f'<a href="{later.get_absolute_url()}">こちら</a>' in article.body_html
        assert "補足です" in article.body_html

    def test_an_embed_include_becomes_our_embed(self, article):
        assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in article.body_html

    def test_nothing_of_the_template_code_is_left(self, article):
        assert "{%" not in article.body_html and "{{ site" not in article.body_html
        assert not [f for f in run_checks(ArticleText.of_revision(article.latest_revision)) if f.code == "markup.template_code"]

    def test_unknown_template_code_keeps_the_post_a_draft_and_names_the_tag(self, site):
        out, _, failure = run_import(site)
        assert failure is None
        launch = Article.objects.get(jekyll_key="news/_posts/2021-05-05-launch.md")
        assert launch.status == Status.DRAFT and launch not in Article.objects.published()
        assert "'seo'" in out.split("2021-05-05-launch.md")[1].split("\n", 2)[1]
        finding = next(f for f in run_checks(ArticleText.of_revision(launch.latest_revision)) if f.code == "markup.template_code")
        assert finding.level == "error" and "{% seo %}" in finding.message


class TestKramdown:
    @pytest.fixture
    def html(self, site):
        run_import(site)
        return Article.objects.get(slug="hello-20200301").body_html.replace("\n", "")

    def test_nested_lists_and_code_in_items(self, html):
        html = html.replace("<p>", "").replace("</p>", "")
        assert "<li>手順一<ul><li>細かい手順" in html
        assert ("bash", "make run") in code_blocks(html)
        assert re.search(r'細かい手順<div class="language-bash highlight">.*?</div></li></ul></li><li>手順二</li>', html)

    def test_strike_through_and_attribute_lists_never_shown(self, html):
        assert "<del>発売予定</del>" in html
        assert "{:" not in html and "target" not in html and "notice" not in html


class TestPictures:
    def test_site_pictures_go_into_the_library_once(self, site):
        out, _, _ = run_import(site)
        image = Image.objects.get()
        first = Article.objects.get(slug="hello")
        later = Article.objects.get(slug="hello-20200301")
        assert f"](image:{image.pk})" in first.body and f"](image:{image.pk})" in later.body
        assert first.cover == image and image.alt_text
        assert "<picture" in first.body_html
        assert "missing image: /assets/img/missing.png (no such file in the site)" in out
        assert "image on another host, left there: https://cdn.example.net/a.png" in out

    def test_the_cover_gives_the_page_its_social_image(self, site, client):
        run_import(site)
        page = client.get(Article.objects.get(slug="hello").get_absolute_url())
        assert b'property="og:image"' in page.content

    def test_a_picture_outside_the_site_is_never_read(self, site, tmp_path):
        (tmp_path / "secret.jpg").write_bytes(photo(100, 100))
        put(site, "_posts/2022-01-01-escape.md", post("外", "![x](../../secret.jpg)\n"))
        out, _, _ = run_import(site)
        assert Image.objects.count() == 1
        assert "missing image: ../../secret.jpg" in out


class TestOldAddresses:
    @pytest.mark.parametrize(("old", "slug"), [
        ("/blog/ai/2019/01/07/hello/", "hello"),  # pretty, under the baseurl
        ("/blog/custom/2020/3/hello/", "hello-20200301"),  # the post's own pattern
        ("/blog/old/hello/", "hello"),  # redirect_from
        ("/blog/2019/hello.html", "hello"),
        ("/blog/en/2019/01/07/hello/", "hello-en"),  # Jekyll makes the language folder a category
    ])
    def test_jekyll_addresses_answer_301(self, site, client, old, slug):
        run_import(site)
        response = client.get(old)
        assert response.status_code == 301, Redirect.objects.values_list("old_path", flat=True)
        assert response["Location"] == Article.objects.get(slug=slug).get_absolute_url()

    @pytest.mark.parametrize(("pattern", "expected"), [
        ("date", "/ai/2019/01/07/hello.html"),
        ("pretty", "/ai/2019/01/07/hello/"),
        ("ordinal", "/ai/2019/007/hello.html"),
        ("none", "/ai/hello.html"),
        ("/:year/:i_month/:i_day/:slug/", "/2019/1/7/hello/"),
        ("/:categories/:short_year/:month/:title:output_ext", "/ai/19/01/hello.html"),
    ])
    def test_permalink_styles(self, pattern, expected, tmp_path):
        site = Site(root=tmp_path, config={"timezone": "Asia/Tokyo"})
        date = dt.datetime(2019, 1, 7, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
        assert site.url_for(pattern, date=date, slug_source="hello", categories=["AI"]) == expected


class TestLanguages:
    def test_the_language_folder_is_the_article_language(self, site, client):
        run_import(site)
        english = Article.objects.get(slug="hello-en")
        assert english.language == "en"
        page = client.get(english.get_absolute_url()).content.decode()
        assert '<article class="article" lang="en"' in page  # the content's language, not the interface's
        assert '"inLanguage": "en"' in page and 'content="en_US"' in page

    def test_translations_link_to_each_other(self, site, client):
        run_import(site)
        japanese, english = Article.objects.get(slug="hello"), Article.objects.get(slug="hello-en")
        page = client.get(japanese.get_absolute_url()).content.decode()
        assert f'hreflang="en" href="http://testserver{english.get_absolute_url()}"' in page
        assert f'hreflang="ja" href="http://testserver{japanese.get_absolute_url()}"' in page
        assert not Article.objects.get(slug="hello-20200301").translation_key


class TestExcerpts:
    def test_separator_description_and_first_prose_paragraph(self, site):
        run_import(site)
        assert Article.objects.get(slug="hello").excerpt == "これは最初の段落です。"
        assert Article.objects.get(slug="hello-20200301").excerpt == "説明のための一文です。"
        assert Article.objects.get(slug="hello-en").excerpt == "The first real paragraph in English."

    def test_never_a_heading(self, tmp_path):
        put(tmp_path, "2024-01-01-a.md", post("見出しから", "## はじめに\n\n- 項目\n\n本当の段落です。\n"))
        run_import(tmp_path / "2024-01-01-a.md")
        assert Article.objects.get().excerpt == "本当の段落です。"

    def test_last_modified_at_is_the_modified_date(self, site):
        run_import(site)
        article = Article.objects.get(slug="hello")
        assert article.modified_at == dt.datetime(2019, 2, 1, 1, 0, tzinfo=dt.UTC)


class TestReimport:
    def test_an_unchanged_site_writes_nothing(self, site):
        run_import(site)
        counts = (Revision.objects.count(), Transition.objects.count(), Redirect.objects.count(), Image.objects.count())
        stamps = list(Article.objects.order_by("pk").values_list("updated_at", flat=True))
        out, _, _ = run_import(site)
        assert "imported 0, updated 0, unchanged 3, left alone 1, failed 0" in out or \
            "imported 0, updated 0, unchanged 4, left alone 0, failed 0" in out
        assert (Revision.objects.count(), Transition.objects.count(), Redirect.objects.count(),
                Image.objects.count()) == counts
        assert list(Article.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps

    def test_a_desk_edit_is_not_overwritten_unless_forced_and_then_reviewed(self, site, editor):
        run_import(site)
        article = Article.objects.get(slug="hello-en")
        save_working_copy(article, Content(title="First post", slug="hello-en", body="Edited in the desk."),
                          editor, base_version=article.version)
        path = site / "en/_posts/2019-1-7-hello.md"
        path.write_text(path.read_text().replace("real paragraph", "changed paragraph"))
        out, _, _ = run_import(site)
        assert "edited in the desk: not overwritten" in out
        assert Article.objects.get(pk=article.pk).latest_revision.body == "Edited in the desk."

        out, _, _ = run_import(site, force=True)
        article.refresh_from_db()
        assert "changed paragraph" in article.latest_revision.body
        assert "changed paragraph" not in article.body_html  # readers still get the reviewed version
        assert article.status == Status.DRAFT and article.is_live
        assert "to be reviewed" in out

    def test_forcing_over_an_approved_article_sends_it_back_to_draft(self, site, editor, second_editor):
        run_import(site)
        article = Article.objects.get(slug="hello-en")
        save_working_copy(article, Content(title="First post", slug="hello-en", body="Desk text."),
                          editor, base_version=article.version)
        workflow.apply_transition(article, "submit", editor)
        workflow.apply_transition(article, "approve", second_editor, seen_revision=article.latest_revision_id)
        assert Article.objects.get(pk=article.pk).status == Status.APPROVED
        path = site / "en/_posts/2019-1-7-hello.md"
        path.write_text(path.read_text().replace("real paragraph", "forced paragraph"))
        _, err, failure = run_import(site, force=True)
        assert failure is None, err
        article.refresh_from_db()
        assert "forced paragraph" in article.latest_revision.body and "forced" not in article.body_html
        assert article.status == Status.DRAFT
        last = article.transitions.latest("id")
        assert (last.action, last.user, last.note) == ("revise", None, "import_jekyll --force")

    def test_a_dry_run_reports_what_the_real_run_does_and_keeps_nothing(self, site, settings):
        dry, _, _ = run_import(site, dry_run=True)
        assert not Article.objects.exists() and not Image.objects.exists() and not Redirect.objects.exists()
        real, _, _ = run_import(site)
        assert dry.split("\n")[-2].removeprefix("dry run: ") == real.split("\n")[-2]
        assert dry.count("would import ") == sum(line.startswith("imported /") for line in real.split("\n"))


def test_single_files_and_folders_still_work(site):
    _, _, failure = run_import(site / "_posts" / "2020-03-01-hello.md")
    assert failure is None
    # Read as part of its site: the key is its path below the root.
    assert Article.objects.get().jekyll_key == "_posts/2020-03-01-hello.md"


def test_a_broken_config_is_a_clear_error(site):
    (site / "_config.yml").write_text("title: [unclosed\n")
    _, _, failure = run_import(site)
    assert failure is not None and "_config.yml" in str(failure)


def test_posts_imported_before_sites_were_read_are_found_by_file_name(site):
    run_import(site / "_posts" / "2020-03-01-hello.md")
    Article.objects.update(jekyll_key="2020-03-01-hello")  # as the old importer keyed it
    run_import(site)
    assert Article.objects.filter(title="二度目の投稿").count() == 1



class TestExportKeepsWhatItDoesNotUnderstand:
    def fields(self, article):
        return {
            "key": article.jekyll_key, "title": article.title, "slug": article.slug, "body": article.body,
            "excerpt": article.excerpt, "published_at": article.published_at, "live": article.is_live,
            "language": article.language, "cover": article.cover.content_hash if article.cover else None,
            "front matter": article.jekyll_front_matter, "byline": article.byline,
            "companies": sorted(article.companies.names()), "topics": sorted(article.topics.names()),
            "category": article.category.name if article.category else None,
        }

    def test_an_exported_site_imports_back_identically(self, site, tmp_path):
        put(site, "_posts/2024-02-02-extra.md", post("未知のキー", "本文に `{{ 二重括弧 }}` があります。\n",
                                                   series="入門", toc="true", sidebar="{nav: docs}"))
        run_import(site)
        before = {a.jekyll_key: self.fields(a) for a in Article.objects.all()}
        assert before["_posts/2024-02-02-extra.md"]["front matter"] == {
            "series": "入門", "toc": True, "sidebar": {"nav": "docs"}}
        out = tmp_path / "export"
        call_command("export_jekyll", str(out), *[a for s in Status for a in ("--status", s)], stdout=StringIO())
        # The original file names, and the pictures beside the posts.
        assert (out / "en/_posts/2019-1-7-hello.md").is_file() and (out / "_posts/2019-1-7-hello.md").is_file()
        exported = (out / "_posts/2019-1-7-hello.md").read_text()
        image = Image.objects.get()
        assert f"image: \"/assets/images/{image.pk}-" in exported and "image:" + str(image.pk) not in exported
        assert (out / "assets" / "images").is_dir() and len(list((out / "assets/images").iterdir())) == 1
        assert "series: \"入門\"" in (out / "_posts/2024-02-02-extra.md").read_text()

        Article.objects.all().delete()
        _, err, failure = run_import(out)
        assert failure is None, err
        after = {a.jekyll_key: self.fields(a) for a in Article.objects.all()}
        assert after == before
        assert Image.objects.count() == 1


@pytest.mark.parametrize(("code", "expected"), [
    ("{% youtube dQw4w9WgXcQ %}", "youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("{% include vimeo.html id=76979871 %}", "player.vimeo.com/video/76979871"),
    ("{% twitter https://twitter.com/jack/status/20 %}", "https://twitter.com/jack/status/20"),
    ("{% include tweet.html id=\"1234567890\" %}", "https://x.com/i/status/1234567890"),
    ("{% gist octocat/6cad326836d38bd3a7ae %}",
     '<a href="https://gist.github.com/octocat/6cad326836d38bd3a7ae"'),
])
def test_embed_tags_and_includes_become_our_embeds(tmp_path, code, expected):
    put(tmp_path, "_config.yml", "title: t\n")
    put(tmp_path, "_posts/2024-01-01-embed.md", post("埋め込み", f"前の段落。\n\n{code}\n\n後の段落。\n"))
    _, err, failure = run_import(tmp_path)
    assert failure is None, err
    article = Article.objects.get()
    assert article.status == Status.PUBLISHED and expected in article.body_html


def test_an_include_cannot_read_outside_the_sites_includes(tmp_path):
    (tmp_path / "secret.txt").write_text("TOPSECRET")
    root = tmp_path / "site"
    put(root, "_config.yml", "title: t\n")
    put(root, "_includes/ok.html", "fine\n")
    (root / "_includes" / "link.html").symlink_to(tmp_path / "secret.txt")
    for n, name in enumerate(["../../secret.txt", "link.html", "/etc/hostname"]):
        put(root, f"_posts/2024-01-0{n + 1}-leak.md", post(f"漏れ{n}", f"{{% include {name} %}}\n"))
    out, _, _ = run_import(root)
    for article in Article.objects.all():
        assert "TOPSECRET" not in article.body_html and article.status == Status.DRAFT, article.title
    assert out.count("imported as a draft with its template code as it was") == 3


def test_front_matter_json_cannot_hold_is_kept_as_it_can(tmp_path):
    put(tmp_path, "2024-01-01-odd.md",
        "---\ntitle: 変わった値\nflags: !!set {a, b}\nblob: !!binary aGVsbG8=\nnul: \"a\\0b\"\n---\n本文。\n")
    _, err, failure = run_import(tmp_path / "2024-01-01-odd.md")
    assert failure is None, err
    assert Article.objects.get().jekyll_front_matter == {"flags": ["a", "b"], "blob": "hello", "nul": "ab"}


@pytest.mark.parametrize("code", [
    "{% for i in (1..100000000) %}x{% endfor %}",  # a loop without end
    "{% include self.html %}",  # an include that includes itself
    "{% capture a %}{% for i in (1..9999) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endcapture %}"
    "{% for i in (1..9999) %}{{ a }}{% endfor %}",  # output that would be gigabytes
])
def test_hostile_template_code_is_bounded_and_leaves_a_draft(tmp_path, code):
    put(tmp_path, "_config.yml", "title: t\n")
    put(tmp_path, "_includes/self.html", "{% include self.html %}")
    put(tmp_path, "_posts/2024-01-01-bomb.md", post("爆弾", code + "\n"))
    out, err, _ = run_import(tmp_path)
    article = Article.objects.get()
    assert article.status == Status.DRAFT and "imported as a draft" in out, err


class TestHostileSites:
    """A site is somebody else's files: nothing outside its root is read, whatever the
    path (issue 20, items 1, 5 and 6)."""

    SECRET = "root:x:0:0:secret-marker"

    @pytest.fixture
    def outside(self, tmp_path):
        secret = tmp_path / "outside"
        secret.mkdir()
        (secret / "pw.yml").write_text(f"line: {self.SECRET}\n", encoding="utf-8")
        (secret / "pw.json").write_text(f'{{"line": "{self.SECRET}"}}', encoding="utf-8")
        (secret / "post.md").write_text(post("外の投稿", f"{self.SECRET}\n"), encoding="utf-8")
        return secret

    def _nothing_leaked(self):
        for article in Article.objects.all():
            assert self.SECRET not in article.body + article.body_html + article.title
        for revision in Revision.objects.all():
            assert self.SECRET not in revision.body

    @pytest.mark.parametrize("name", ["pw.yml", "pw.json"])
    def test_a_data_file_linked_outside_the_site_is_never_read(self, site, outside, name):
        (site / "_data" / name).symlink_to(outside / name)
        put(site, "_posts/2022-02-02-leak.md", post("漏えい", "{{ site.data.pw.line }}\n"))
        out, _, _ = run_import(site)
        self._nothing_leaked()
        assert f"_data/{name}" in out and "outside the site" in out

    def test_a_data_folder_linked_outside_the_site_is_never_read(self, site, outside):
        (site / "_data" / "more").symlink_to(outside, target_is_directory=True)
        put(site, "_posts/2022-02-02-leak.md", post("漏えい", "{{ site.data.more.pw.line }}\n"))
        run_import(site)
        self._nothing_leaked()

    def test_a_post_linked_outside_the_site_is_never_read(self, site, outside):
        (site / "_posts" / "2022-02-03-linked.md").symlink_to(outside / "post.md")
        out, _, _ = run_import(site)
        self._nothing_leaked()
        assert not Article.objects.filter(title="外の投稿").exists()
        assert "_posts/2022-02-03-linked.md" in out and "outside the site" in out

    def test_a_config_linked_outside_the_site_is_never_read(self, site, outside):
        (site / "_config.yml").unlink()
        (outside / "config.yml").write_text(f"title: {self.SECRET}\n", encoding="utf-8")
        (site / "_config.yml").symlink_to(outside / "config.yml")
        put(site, "_posts/2022-02-02-leak.md", post("漏えい", "{{ site.title }}\n"))
        _, _, error = run_import(site)
        self._nothing_leaked()
        assert error is not None and "outside the site" in str(error)

    def test_an_include_linked_outside_the_site_is_never_read(self, site, outside):
        (site / "_includes" / "pw.html").symlink_to(outside / "pw.yml")
        put(site, "_posts/2022-02-02-leak.md", post("漏えい", "{% include pw.html %}\n"))
        run_import(site)
        self._nothing_leaked()

    def test_a_liquid_memory_bomb_is_refused_and_kept_as_a_draft(self, site):
        doubling = "{% assign s = 'xxxxxxxx' %}" + "{% assign s = s | append: s %}" * 25 + "{{ s | size }}"
        put(site, "_posts/2022-03-01-bomb.md", post("爆弾", doubling + "\n"))
        out, _, _ = run_import(site)
        bomb = Article.objects.get(slug="bomb")
        assert bomb.status == Status.DRAFT
        assert len(bomb.body) < 10_000
        assert "too large" in out

    @pytest.mark.parametrize("text", [
        # One expression that doubles many times: no assignment in between to check.
        "{% assign s = 'xxxxxxxx' %}{{ s" + " | append: s" * 3 + " }}{% assign t = s | append: s %}"
        + "{% assign t = t | append: t %}" * 22 + "{{ t | size }}",
        # One replacement that multiplies: 200,000 × 200,000 characters.
        "{% capture a %}{% for i in (1..9999) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}{% endcapture %}"
        "{{ a | replace: 'x', a | size }}",
    ])
    def test_other_ways_of_growing_text_are_bounded(self, site, text):
        put(site, "_posts/2022-03-01-bomb.md", post("爆弾", text + "\n"))
        run_import(site)
        assert Article.objects.get(slug="bomb").status == Status.DRAFT

    def test_a_data_file_nested_too_deep_is_skipped_and_reported(self, site):
        put(site, "_data/deep.json", "[" * 100_000 + "]" * 100_000)
        out, _, error = run_import(site)
        assert error is None
        assert "_data/deep.json" in out and "skipped" in out
        assert "imported 4" in out
        assert "担当は佐藤です" in Article.objects.get(slug="hello").body


def test_title_keeps_its_capitals_in_the_old_address(tmp_path):
    """``:title`` is the file name as written (Jekyll keeps its case); ``:slug`` folds it."""
    site = Site(root=tmp_path, config={})
    date = dt.datetime(2019, 1, 7, 9, 0)
    assert site.url_for("/:title/", date=date, slug_source="Hello-World", categories=[]) == "/Hello-World/"
    assert site.url_for("/:slug/", date=date, slug_source="Hello-World", categories=[]) == "/hello-world/"


def test_a_capitalised_file_name_keeps_its_old_address(site, client):
    put(site, "_posts/2021-06-01-Big-News.md", post("大きな発表", "本文です。\n"))
    run_import(site)
    response = client.get("/blog/2021/06/01/Big-News/")
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(title="大きな発表").get_absolute_url()


def test_an_import_counts_each_tag_once_and_the_lists_show_it(tmp_path, client):
    """Issue 27 item 6: every imported post counted its tags and category again, the
    same few tags a thousand times (a third of an import's time)."""
    from unittest import mock

    from articles.models import PublicCount
    from articles.reading import public_data

    root = tmp_path / "many"
    put(root, "_config.yml", "title: 多数\n")
    for n in range(8):
        put(root, f"_posts/2024-01-{n + 1:02d}-post-{n}.md",
            post(f"NVIDIAの記事{n}", f"NVIDIAの推論の話 {n}。\n", tags="[NVIDIA, 推論]", categories="[AI]"))
    assert "2件の記事" not in client.get("/companies/").content.decode()  # (kept, before the import)
    with mock.patch.object(public_data, "_count", wraps=public_data._count) as counted:
        _out, err, failure = run_import(root)
    assert failure is None, err
    assert sorted(call.args[0] for call in counted.call_args_list) == ["category", "company", "topic"]
    locked = PublicCount.objects.filter(kind__in=["company", "topic", "category"])
    assert sorted(locked.values_list("kind", "articles")) == [("category", 8), ("company", 8), ("topic", 8)]
    assert PublicCount.objects.get(kind="all").articles == 8
    assert "8件の記事" in client.get("/companies/").content.decode()
    assert "NVIDIAの記事7" in client.get("/companies/nvidia/").content.decode()
