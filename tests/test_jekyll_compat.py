"""Our import of a Jekyll site against Debian's ``jekyll`` building it: the same
structure for every post of tests/jekyll_compat/site (our own fixture posts), compared
on what a reader gets — headings, list nesting, code blocks with their language, links,
pictures, tables, footnotes and the text itself — not on markup details (classes,
highlighting spans, ids) that differ by design.

CI installs Debian's jekyll and sets EDITORIAL_REQUIRE_JEKYLL=1, so this never skips
there; elsewhere it skips when jekyll is not installed.
"""

import os
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article

SITE = Path(__file__).parent / "jekyll_compat" / "site"
JEKYLL = shutil.which("jekyll")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        JEKYLL is None and not os.environ.get("EDITORIAL_REQUIRE_JEKYLL"),
        reason="Debian's jekyll is not installed (apt-get install jekyll)",
    ),
]

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "aside",
           "figcaption"}
_LISTS = {"ul", "ol"}


class Structure(HTMLParser):
    """What a reader gets of an article's HTML, as comparable lists."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, attrs, text parts)
        self.items = {"headings": [], "list items": [], "code": [], "links": [], "images": [], "cells": [],
                      "definitions": [], "definition lists": [], "struck": [], "quotes": [], "abbreviations": [], "paragraphs": [],
                      "line breaks": []}
        self.text = []

    def _depth(self):
        return sum(tag in _LISTS for tag, _, _ in self.stack)

    def _language(self):
        for _, attrs, _ in reversed(self.stack):
            for name in (attrs.get("class") or "").split():
                if name.startswith("language-") and name != "language-plaintext":
                    return name.removeprefix("language-")
        return ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("img",):
            self.items["images"].append(_clean(attrs.get("alt", "")))
            return
        if tag == "br":
            self.items["line breaks"].append(_clean("".join(self.stack[-1][2])) if self.stack else "")
            return
        if tag in ("hr", "source", "input"):
            return
        self.stack.append((tag, attrs, []))

    def handle_endtag(self, tag):
        if not any(open_tag == tag for open_tag, _, _ in self.stack):
            return
        while self.stack:
            open_tag, attrs, parts = self.stack.pop()
            text = _clean("".join(parts))
            if self.stack:
                self.stack[-1][2].append("".join(parts))
            self._record(open_tag, attrs, text, "".join(parts))
            if open_tag == tag:
                break

    def _record(self, tag, attrs, text, raw):
        inside_pre = any(open_tag == "pre" for open_tag, _, _ in self.stack)
        if tag == "pre":
            language = self._language() or _language_of(attrs)
            self.items["code"].append((language, raw.strip("\n")))
        elif tag == "code" and inside_pre:
            self.stack[-1][1].setdefault("class", attrs.get("class", ""))
        elif re.fullmatch(r"h[1-6]", tag):
            self.items["headings"].append((int(tag[1]), text))
        elif tag == "li":
            self.items["list items"].append((self._depth(), text))
        elif tag == "a" and text and not attrs.get("href", "").startswith("#"):
            self.items["links"].append(text)
        elif tag in ("td", "th"):
            self.items["cells"].append(text)
        elif tag in ("dt", "dd"):
            self.items["definitions"].append((tag, text))
        elif tag == "dl":
            self.items["definition lists"].append(text)
        elif tag == "del":
            self.items["struck"].append(text)
        elif tag == "blockquote":
            self.items["quotes"].append(text)
        elif tag == "abbr":
            self.items["abbreviations"].append((text, attrs.get("title")))
        elif tag == "p" and text and not any(open_tag in ("li", "blockquote") for open_tag, _, _ in self.stack):
            # A paragraph of a picture alone is a figure here: the picture is compared.
            self.items["paragraphs"].append(text)

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2].append(data)
        self.text.append(data)

    def result(self):
        self.close()
        self.items["text"] = _clean("".join(self.text)).replace(" ", "")
        return self.items


def _language_of(attrs):
    match = re.search(r"language-([\w+#.-]+)", attrs.get("class") or "")
    return match[1] if match and match[1] != "plaintext" else ""


def _clean(text):
    text = unicodedata.normalize("NFKC", text).replace("↩", "")
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    return " ".join(text.split())


def structure(html):
    parser = Structure()
    parser.feed(html)
    return parser.result()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each post's HTML as Debian's jekyll builds it, by post file name."""
    work = tmp_path_factory.mktemp("jekyll")
    source, target = work / "site", work / "_site"
    shutil.copytree(SITE, source)
    completed = subprocess.run(  # noqa: S603 (our fixture site, our jekyll)
        [JEKYLL or "jekyll", "build", "--quiet", "--source", str(source), "--destination", str(target)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "JEKYLL_ENV": "production"},
    )
    assert completed.returncode == 0, completed.stderr
    pages = {}
    for index in target.rglob("index.html"):
        html = index.read_text(encoding="utf-8")
        pages[index.parent.name] = html
    return pages


@pytest.fixture
def imported():
    out, err = StringIO(), StringIO()
    call_command("import_jekyll", str(SITE), stdout=out, stderr=err)
    return {Path(article.jekyll_key).stem.split("-", 3)[-1]: article for article in Article.objects.all()}


# A file whose name starts with "_" (a writer's template) is no post to Jekyll.
POSTS = sorted(path.stem.split("-", 3)[-1] for path in (SITE / "_posts").glob("[!_]*.md"))


@pytest.mark.parametrize("name", POSTS)
def test_the_post_has_the_structure_jekyll_gave_it(built, imported, name):
    theirs = structure(built[name])
    ours = structure(imported[name].body_html)
    for what in theirs:
        assert ours[what] == theirs[what], f"{name}: {what} differ"


def test_every_fixture_post_was_built_and_imported(built, imported):
    assert sorted(built) == sorted(imported) == POSTS


@pytest.mark.parametrize("permalink", [
    "date", "pretty", "ordinal", "none", "/:categories/:year/:i_month/:i_day/:title/", "/blog/:short_year/:slug.html",
    "/posts/:path", "/:path/",
])
def test_every_address_jekyll_gave_answers_301(tmp_path, client, permalink):
    """Whatever the site's permalink style, the URL Jekyll served each post at (under
    its baseurl) sends readers to the article."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_layouts").mkdir()
    (site / "_layouts" / "post.html").write_text("{{ content }}\n")
    (site / "_config.yml").write_text(
        f"baseurl: /old\npermalink: {permalink}\ntimezone: Asia/Tokyo\n"
        "defaults:\n  - scope: {path: ''}\n    values: {layout: post}\n")
    posts = {
        "2021-3-9-first-post.md": "title: 一つ目\ncategories: [News, 製品]",
        "2022-11-30-second.md": "title: 二つ目\ndate: 2022-11-30 23:30:00 +0900\nslug: second-one",
        "2023-01-02-third.md": "title: 三つ目\ncategory: 解説",
    }
    for name, front in posts.items():
        (site / "_posts" / name).write_text(f"---\n{front}\n---\n本文です。\n", encoding="utf-8")
    target = tmp_path / "_site"
    completed = subprocess.run(  # noqa: S603 (our fixture site, our jekyll)
        [JEKYLL or "jekyll", "build", "--quiet", "--source", str(site), "--destination", str(target)],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    built = sorted(
        "/old/" + path.relative_to(target).as_posix().removesuffix("index.html")
        for path in target.rglob("*.html") if "_layouts" not in path.parts
    )
    assert len(built) == len(posts), built
    call_command("import_jekyll", str(site), stdout=StringIO(), stderr=StringIO())
    for address in built:
        response = client.get(address)
        assert response.status_code == 301, f"{permalink}: {address}"
        assert Article.objects.filter(slug=response["Location"].rstrip("/").rsplit("/", 1)[-1]).exists()


def test_hard_wrap_keeps_line_breaks_as_jekyll_does(tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_layouts").mkdir()
    (site / "_layouts" / "post.html").write_text("{{ content }}\n")
    (site / "_config.yml").write_text(
        "kramdown:\n  hard_wrap: true\npermalink: /:title/\n"
        "defaults:\n  - scope: {path: ''}\n    values: {layout: post}\n")
    (site / "_posts" / "2024-05-01-poem.md").write_text(
        "---\ntitle: 改行\n---\n一行目です。\n二行目です。\n三行目です。\n\n- 項目一\n- 項目二\n\n"
        "```\ncode line 1\ncode line 2\n```\n\n次の段落。\n最後の行。\n", encoding="utf-8")
    target = tmp_path / "_site"
    completed = subprocess.run(  # noqa: S603 (our fixture site, our jekyll)
        [JEKYLL or "jekyll", "build", "--quiet", "--source", str(site), "--destination", str(target)],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    theirs = structure((target / "poem" / "index.html").read_text(encoding="utf-8"))
    call_command("import_jekyll", str(site), stdout=StringIO(), stderr=StringIO())
    ours = structure(Article.objects.get().body_html)
    assert len(theirs["line breaks"]) == 3
    for what in theirs:
        assert ours[what] == theirs[what], what


def test_excerpts_are_the_ones_jekyll_gave(tmp_path):
    """A post's excerpt is what Jekyll's ``page.excerpt`` was: its first block, up to a
    separator where the post names one, or what the front matter says. (Where a post
    opens with a heading and has prose further down, the desk takes the prose's first
    paragraph instead of the heading: that is what a card or a search result needs.)"""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_layouts").mkdir()
    (site / "_layouts" / "post.html").write_text('<div id="excerpt">{{ page.excerpt | strip_html | strip }}</div>\n')
    (site / "_config.yml").write_text(
        "permalink: /:title/\ndefaults:\n  - scope: {path: ''}\n    values: {layout: post}\n")
    posts = {
        "release": "title: v2.0 を公開\n---\n## v2.0 の新機能\n\n> 起動が速くなりました。\n\n- 修正一\n- 修正二",
        "paragraph": "title: 段落\n---\n最初の段落です。\n二行目も。\n\n次の段落。",
        "separator": "title: 区切り\nexcerpt_separator: <!--more-->\n---\n一段落目。\n\n二段落目。\n<!--more-->\n続き。",
        "given": "title: 指定\nexcerpt: 前付けに書いた要約。\n---\n本文の段落。",
    }
    for name, text in posts.items():
        (site / "_posts" / f"2024-06-01-{name}.md").write_text(f"---\n{text}\n", encoding="utf-8")
    target = tmp_path / "_site"
    completed = subprocess.run(  # noqa: S603 (our fixture site, our jekyll)
        [JEKYLL or "jekyll", "build", "--quiet", "--source", str(site), "--destination", str(target)],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    call_command("import_jekyll", str(site), stdout=StringIO(), stderr=StringIO())
    for name in posts:
        html = (target / name / "index.html").read_text(encoding="utf-8")
        theirs = re.search(r'<div id="excerpt">(.*?)</div>', html, re.DOTALL)[1]
        ours = Article.objects.get(jekyll_key=f"_posts/2024-06-01-{name}.md").excerpt
        assert _clean(ours) == _clean(theirs), name


def test_a_site_exported_from_the_desk_builds_at_the_desks_addresses(tmp_path, make_article):
    """``export_jekyll`` writes the site's _config.yml: built by Jekyll, every article
    the desk wrote is served where the desk served it (dated in the desk's time zone,
    however its slug is spelled)."""
    import datetime as dt
    from urllib.parse import unquote

    late_evening_utc = dt.datetime(2024, 3, 31, 16, 30, tzinfo=dt.UTC)  # 1 April in Tokyo
    articles = [
        make_article(slug="gpu-news", published_at=late_evening_utc),
        make_article(slug="生成ai", published_at=late_evening_utc),
        make_article(slug="gpt_5-launch", published_at=late_evening_utc),
    ]
    exported = tmp_path / "export"
    call_command("export_jekyll", str(exported), stdout=StringIO())
    assert (exported / "_config.yml").exists()
    target = tmp_path / "_site"
    completed = subprocess.run(  # noqa: S603 (our export, our jekyll)
        [JEKYLL or "jekyll", "build", "--quiet", "--source", str(exported), "--destination", str(target)],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    built = sorted("/" + path.relative_to(target).as_posix().removesuffix("index.html")
                   for path in target.rglob("index.html"))
    assert built == sorted(unquote(article.get_absolute_url()) for article in articles)
