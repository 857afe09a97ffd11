"""Jekyll migration, the last 5 % (issue 24): shapes real archives carry that still read
differently from Jekyll. Each fixture is of our own making, in the shape the issue gives."""

import re
import textwrap

import pytest

from articles.models import Article

from .images import photo
from .importing import run_import

pytestmark = pytest.mark.django_db

CONFIG = "title: 技術メモ\nurl: https://memo.example.com\npermalink: /:year/:month/:day/:title/\n"


def site_with(tmp_path, posts, config=CONFIG):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    folder = tmp_path / "_posts"
    for name, text in posts.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return tmp_path


def imported_html(tmp_path, body, name="2024-05-01-post.md"):
    site = site_with(tmp_path, {name: f"---\ntitle: 記事\n---\n{textwrap.dedent(body).lstrip()}"})
    _out, err, error = run_import(site)
    assert error is None, err
    return Article.objects.get().body_html


class TestEmbedsInWrappers:
    def test_a_youtube_iframe_in_a_wrapper_div_is_an_embed(self, tmp_path):
        html = imported_html(tmp_path, """
            動画です。

            <div class="video" style="position:relative;padding-top:56%">
              <iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0" frameborder="0" allowfullscreen></iframe>
            </div>

            以上です。
        """)
        assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
        assert "youtube.com/embed/dQw4w9WgXcQ?rel=0" not in html.replace('src="', "")  # not left as text


class TestQiitaFences:
    BODY = """
        手順です。

        ```bash:
        # 依存を入れる
        npm install
        ```

        ```ruby:app.rb
        # 設定を読む
        puts 1
        ```
    """

    def test_qiita_info_is_a_fence_with_its_language(self, tmp_path):
        html = imported_html(tmp_path, self.BODY)
        assert "<h1" not in html  # the comments stay code
        assert 'class="language-bash highlight"' in html and 'class="language-ruby highlight"' in html
        assert "```" not in html

    def test_a_closing_fence_indented_a_little_more_closes_it(self, tmp_path):
        html = imported_html(tmp_path, """
            - 項目
              ```sh
              ls
               ```

            後の段落です。
        """)
        assert "<p>後の段落です。</p>" in html
        assert re.search(r'<div class="language-sh highlight"><pre><span></span><code>ls\n</code>', html)

    def test_a_language_pygments_does_not_know_keeps_its_class(self, tmp_path):
        html = imported_html(tmp_path, """
            ```mermaid
            graph TD; A-->B
            ```

            ```env
            TOKEN=1
            ```
        """)
        assert 'class="language-mermaid highlight"' in html and 'class="language-env highlight"' in html


class TestWhatJekyllLeavesOut:
    def test_an_underscore_file_in_posts_is_not_a_post(self, tmp_path):
        site = site_with(tmp_path, {
            "2024-05-01-real.md": "---\ntitle: 本物の記事\n---\n本文です。\n",
            "_template.md": "テンプレートです。\n",
            "2024-05-02-backup.md~": "---\ntitle: 予備\n---\n本文。\n",
        })
        out, err, error = run_import(site)
        assert error is None, err
        assert "ERROR" not in out + err
        assert list(Article.objects.values_list("title", flat=True)) == ["本物の記事"]
        out, err, error = run_import(site / "_posts")  # the folder alone, too
        assert error is None and "ERROR" not in out + err


class TestPictureAttributes:
    def test_span_attributes_of_a_picture_moved_into_the_library_are_dropped(self, tmp_path):
        site = site_with(tmp_path, {"2024-05-01-post.md": (
            "---\ntitle: 写真\n---\n写真です。\n\n![構成図](/images/diagram.png){: .img-responsive}\n\n以上です。\n")})
        (site / "images").mkdir()
        (site / "images" / "diagram.png").write_bytes(photo(400, 300, fmt="PNG"))
        _out, err, error = run_import(site)
        assert error is None, err
        article = Article.objects.get()
        assert "{:" not in article.body and "img-responsive" not in article.body_html
        assert re.search(r"!\[構成図\]\(image:\d+\)", article.body)


class TestChecksOnArchives:
    def test_an_english_article_gets_no_japanese_writing_checks(self, tmp_path):
        from articles.checks.article_text import ArticleText
        from articles.checks.editorial import run_checks

        site = site_with(tmp_path, {"2024-05-01-english.md": (
            "---\ntitle: Release notes\nlang: en\n---\n"
            "We are happy to announce the new release of our library, which brings faster builds, a smaller "
            "download and a long list of fixes that many of you asked for over the last year!\n\n"
            "In the old interface the button was labelled ﾃｽﾄ, and the menu said ＡＰＩ.\n")})
        _out, err, error = run_import(site)
        assert error is None, err
        article = Article.objects.get()
        assert article.language == "en"
        codes = {f.code for f in run_checks(ArticleText.of_revision(article.latest_revision))}
        assert not {code for code in codes if code.startswith("writing.")}


class TestPathPermalinks:
    CONFIG = CONFIG.replace("permalink: /:year/:month/:day/:title/\n", "") + (
        "defaults:\n"
        "  - scope: {path: \"\", type: posts}\n"
        "    values: {permalink: \"/posts/:path\"}\n")

    def test_path_is_the_file_below_posts_as_jekyll_builds_it(self, tmp_path, client):
        site = site_with(tmp_path, {
            "2024-05-01-first.md": "---\ntitle: 一つ目\n---\n本文です。\n",
            "news/2024-05-03-third.md": "---\ntitle: 三つ目\n---\n本文です。\n",
        }, config=self.CONFIG)
        _out, err, error = run_import(site)
        assert error is None, err
        for old, title in [("/posts/2024-05-01-first", "一つ目"), ("/posts/news/2024-05-03-third", "三つ目")]:
            response = client.get(old)
            assert response.status_code == 301, old
            assert response["Location"] == Article.objects.get(title=title).get_absolute_url()

    def test_two_posts_never_silently_share_an_old_address(self, tmp_path, client):
        site = site_with(tmp_path, {
            "2024-05-01-first.md": "---\ntitle: 一つ目\nredirect_from: [/old/]\n---\n本文です。\n",
            "2024-05-02-second.md": "---\ntitle: 二つ目\nredirect_from: [/old/]\n---\n本文です。\n",
        })
        out, err, error = run_import(site)
        assert error is None, err
        assert "/old/" in out and "一つ目" in out  # the report says who keeps it
        assert client.get("/old/")["Location"] == Article.objects.get(title="一つ目").get_absolute_url()


class TestPicturesInHtml:
    def test_a_site_picture_inside_an_html_block_stays_a_picture(self, tmp_path, client):
        site = site_with(tmp_path, {"2024-05-01-speakers.md": (
            "---\ntitle: 登壇者\n---\n登壇者の紹介です。\n\n"
            '<div class="speakers">\n'
            '  <img src="/images/alice.jpg" alt="山田さん" width="120">\n'
            '  <img src="/images/bob.jpg" alt="佐藤さん">\n'
            "</div>\n\n以上です。\n")})
        (site / "images").mkdir()
        (site / "images" / "alice.jpg").write_bytes(photo(300, 300))
        (site / "images" / "bob.jpg").write_bytes(photo(300, 300, color=(200, 30, 30)))
        _out, err, error = run_import(site)
        assert error is None, err
        article = Article.objects.get()
        assert "](image:" not in article.body_html and "image:" not in article.body_html
        sources = re.findall(r'<img[^>]*src="([^"]+)"[^>]*alt="(山田さん|佐藤さん)"', article.body_html)
        assert len(sources) == 2
        for source, _alt in sources:
            assert source.startswith("/media/") and client.get(source).status_code == 200
        assert article.image_uses.count() == 2  # the library knows the post shows them


class TestImportsOnABusyMachine:
    def test_an_import_waits_for_its_helpers_where_a_request_gives_up(self, tmp_path, monkeypatch, client, writer):
        """The helpers answer late (a busy machine): a request's backstop gives up, an
        import's patient one waits, and every post and picture comes in."""
        from django.urls import reverse

        from articles.rendering import bounded

        real_run = bounded.BoundedRunner.run

        def slow(self, function, *args, cpu_seconds, wall_seconds=None, **kwargs):
            if wall_seconds is None or wall_seconds < bounded.patient_backstop(cpu_seconds):
                raise bounded.Busy("no answer in time")  # what a request's backstop meets
            return real_run(self, function, *args, cpu_seconds=cpu_seconds, wall_seconds=wall_seconds, **kwargs)

        site = site_with(tmp_path, {f"2024-05-0{n}-post{n}.md": (
            f"---\ntitle: 記事{n}\nimage: /images/cover.jpg\n---\n本文 {n} です。\n") for n in range(1, 4)})
        (site / "images").mkdir()
        (site / "images" / "cover.jpg").write_bytes(photo(400, 300))
        monkeypatch.setattr(bounded.BoundedRunner, "run", slow)
        client.force_login(writer)
        preview = client.post(reverse("desk:render"), {"title": "題", "body": "新しい本文です。", "excerpt": "",
                                                        "companies": "", "topics": "", "cover": ""})
        assert "混み合って" in preview.json()["error"]  # the server is busy: the writer is told so
        _out, err, error = run_import(site)
        assert error is None, err
        assert Article.objects.filter(cover__isnull=False).count() == 3


class TestExcerpts:
    def test_a_post_of_a_heading_a_quotation_and_code_gets_the_heading_as_jekyll_does(self, tmp_path):
        from articles.checks.article_text import ArticleText
        from articles.checks.editorial import blocking, run_checks

        site = site_with(tmp_path, {"2024-01-05-release.md": (
            "---\ntitle: v1.2.0 をリリース\n---\n## v1.2.0 の新機能\n\n> 起動が速くなりました。\n\n```\nnpm i\n```\n")})
        _out, err, error = run_import(site)
        assert error is None, err
        article = Article.objects.get()
        assert article.excerpt == "v1.2.0 の新機能"
        assert not blocking(run_checks(ArticleText.of_revision(article.latest_revision)))


class TestFolderByFolder:
    CONFIG = "title: 技術メモ\nurl: https://memo.example.com\nlang: ja\n"

    def test_a_folder_reads_the_site_around_it_for_links_and_translations(self, tmp_path, client):
        (tmp_path / "_config.yml").write_text(self.CONFIG, encoding="utf-8")
        for folder, text in [
            ("ja/news/_posts", "---\ntitle: 新製品\n---\n英語版は[こちら]({% link en/news/_posts/2024-05-01-launch.md %})。\n"),
            ("en/news/_posts", "---\ntitle: Launch\n---\nThe new product is out.\n"),
        ]:
            (tmp_path / folder).mkdir(parents=True)
            (tmp_path / folder / "2024-05-01-launch.md").write_text(text, encoding="utf-8")
        for folder in ("ja/news/_posts", "en/news/_posts"):
            _out, err, error = run_import(tmp_path / folder)
            assert error is None, err
        japanese, english = Article.objects.get(language=""), Article.objects.get(language="en")
        assert japanese.status == "published"  # its link could be resolved: not a draft
        assert f'href="{english.get_absolute_url()}"' in japanese.body_html
        page = client.get(japanese.get_absolute_url()).content.decode()
        assert f'hreflang="en" href="http://testserver{english.get_absolute_url()}"' in page


class TestThemeRelativePictures:
    def test_a_cover_named_relative_to_the_themes_image_folder_is_found(self, tmp_path):
        site = site_with(tmp_path, {
            "2024-05-01-news.md": "---\ntitle: お知らせ\nthumbnail: news/launch.png\n---\n本文です。\n",
            "2024-05-02-pic.md": "---\ntitle: 写真\nimage: \":pic.jpg\"\n---\n本文です。\n",
            "2024-05-03-gone.md": "---\ntitle: 行方不明\nimage: nowhere/none.png\n---\n本文です。\n",
        })
        (site / "img" / "news").mkdir(parents=True)
        (site / "img" / "news" / "launch.png").write_bytes(photo(400, 300, fmt="PNG"))
        (site / "assets" / "img").mkdir(parents=True)
        (site / "assets" / "img" / "pic.jpg").write_bytes(photo(400, 300, color=(10, 200, 10)))
        out, err, error = run_import(site)
        assert error is None, err
        assert Article.objects.get(title="お知らせ").cover is not None
        assert Article.objects.get(title="写真").cover is not None
        assert Article.objects.get(title="行方不明").cover is None
        assert "missing cover image: nowhere/none.png" in out  # what stays missing is reported


class TestRoundTrips:
    def test_an_exported_site_keeps_its_permalink(self, tmp_path, client):
        from io import StringIO

        from django.core.management import call_command

        source = site_with(tmp_path / "source", {
            "2024-05-01-launch.md": "---\ntitle: 発表\ncategories: [news]\n---\n本文です。\n",
        }, config=CONFIG.replace("permalink: /:year/:month/:day/:title/", "permalink: /:categories/:title/"))
        _out, err, error = run_import(source)
        assert error is None, err
        assert client.get("/news/launch/").status_code == 301
        exported = tmp_path / "export"
        call_command("export_jekyll", str(exported), stdout=StringIO())
        Article.objects.all().delete()
        _out, err, error = run_import(exported)
        assert error is None, err
        response = client.get("/news/launch/")
        assert response.status_code == 301 and response["Location"] == Article.objects.get().get_absolute_url()

    def test_an_article_the_desk_wrote_comes_back_at_its_address(self, tmp_path, client, make_article):
        from io import StringIO

        from django.core.management import call_command

        from articles.models import Redirect

        article = make_article(title="デスクの記事", slug="desk_born")
        address = article.get_absolute_url()
        exported = tmp_path / "export"
        call_command("export_jekyll", str(exported), stdout=StringIO())
        assert "permalink: /articles/:year/:month/:day/:title/" in (exported / "_config.yml").read_text()
        Article.objects.all().delete()
        _out, err, error = run_import(exported)
        assert error is None, err
        assert Article.objects.get().get_absolute_url() == address
        assert client.get(address).status_code == 200  # served, not sent round in a loop
        assert not Redirect.objects.filter(old_path=address).exists()

    def test_a_configuration_of_someone_elses_is_left_alone(self, tmp_path, make_article):
        from io import StringIO

        from django.core.management import call_command

        make_article()
        exported = tmp_path / "export"
        exported.mkdir()
        (exported / "_config.yml").write_text("title: 本物のサイト\n", encoding="utf-8")
        out = StringIO()
        call_command("export_jekyll", str(exported), stdout=out)
        assert (exported / "_config.yml").read_text(encoding="utf-8") == "title: 本物のサイト\n"
        assert "_config.yml was not written by this command and is left as it is" in out.getvalue()
        (exported / "_config.yml").unlink()
        call_command("export_jekyll", str(exported), stdout=StringIO())
        ours = (exported / "_config.yml").read_bytes()
        call_command("export_jekyll", str(exported), stdout=StringIO())
        assert (exported / "_config.yml").read_bytes() == ours  # its own it rewrites, byte for byte

    def test_a_picture_named_by_another_front_matter_key_follows_the_picture(self, tmp_path):
        from io import StringIO

        from django.core.management import call_command

        from articles.models import Image

        source = site_with(tmp_path / "source", {
            "2024-05-01-launch.md": "---\ntitle: 発表\nogp_image: /assets/og.png\n---\n本文です。\n",
        })
        (source / "assets").mkdir()
        (source / "assets" / "og.png").write_bytes(photo(1200, 630, fmt="PNG"))
        _out, err, error = run_import(source)
        assert error is None, err
        image = Image.objects.get()
        exported = tmp_path / "export"
        call_command("export_jekyll", str(exported), stdout=StringIO())
        text = next((exported / "_posts").glob("*.md")).read_text(encoding="utf-8")
        path = re.search(r'ogp_image: "([^"]+)"', text)[1]
        assert path.startswith(f"/assets/images/{image.pk}-") and (exported / path.lstrip("/")).is_file()


DIAGRAM = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200">'
           b'<rect x="10" y="10" width="380" height="180" fill="#36c"/><text x="40" y="110">API</text></svg>')


class TestSvgDiagrams:
    def test_an_svg_diagram_comes_in_as_a_png_picture(self, tmp_path, client):
        from articles.models import Image

        site = site_with(tmp_path, {"2024-05-01-arch.md": (
            "---\ntitle: 構成\n---\n全体の構成です。\n\n![構成図](/images/arch.svg)\n")})
        (site / "images").mkdir()
        (site / "images" / "arch.svg").write_bytes(DIAGRAM)
        _out, err, error = run_import(site)
        assert error is None, err
        image = Image.objects.get()
        assert image.format == "png" and image.width == 1200 and image.height == 600
        article = Article.objects.get()
        assert re.search(r"!\[構成図\]\(image:\d+\)", article.body) and ".svg" not in article.body_html
        master = re.search(r'<img[^>]*src="([^"]+)"', article.body_html)[1]
        assert client.get(master).status_code == 200

    @pytest.mark.parametrize(("name", "svg"), [
        # Reads a file of the server: refused by the drawing, which reads no file.
        ("file", b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                 b'width="100" height="100"><image xlink:href="file:///etc/passwd" width="100" height="100"/></svg>'),
        # An entity bomb.
        ("entities", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                     b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&b;</text></svg>'),
        # A declared size of a million pixels a side.
        ("huge", b'<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="1000000">'
                 b'<rect width="10" height="10"/></svg>'),
        ("broken", b"<svg xmlns='http://www.w3.org/2000/svg' width='10'"),
    ])
    def test_a_hostile_svg_costs_a_line_in_the_report_at_most(self, tmp_path, name, svg):
        from articles.models import Image

        site = site_with(tmp_path, {"2024-05-01-post.md": (
            f"---\ntitle: 図\n---\n図です。\n\n![図](/images/{name}.svg)\n")})
        (site / "images").mkdir()
        (site / "images" / f"{name}.svg").write_bytes(svg)
        out, err, error = run_import(site)
        assert error is None, err
        for image in Image.objects.all():  # drawn, then only at a bounded size
            assert image.width <= 2560 and image.height <= 2560
        if not Image.objects.exists():
            assert f"{name}.svg not added to the library" in out
