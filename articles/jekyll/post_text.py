"""A Jekyll post's text as the desk's Markdown: its Liquid evaluated with the site's
data (articles/jekyll/liquid.py), its kramdown-only syntax rewritten
(articles/jekyll/kramdown.py), its pictures and cover brought into the library
(articles/jekyll/assets.py), and the excerpt Jekyll would have shown."""


from django.conf import settings

from articles.jekyll import kramdown, liquid
from articles.jekyll.posts import JekyllError
from articles.models.tags import name_key
from articles.rendering.markdown import RenderError, render_markdown
from articles.rendering.plain_text import EXCERPT_LENGTH, derive_excerpt, html_blocks, prose_paragraphs, truncate_text


class PostText:
    def __init__(self, site, assets, new_url):
        self.site = site
        self.assets = assets
        self.new_url = new_url  # post → its address in the desk, for Liquid's page.url
        self.environment = liquid.JekyllEnvironment(
            includes=site.includes_folder, baseurl=site.baseurl, site_url=site.url,
        )

    def prepare(self, post, notes):
        """``(body, resolved, cover)``: the post's text in the desk's Markdown, with its
        Liquid evaluated (``resolved`` is False when it could not be) and its pictures
        in the library."""
        body_limit = settings.EDITORIAL_MAX_BODY_CHARS
        if len(post.body) > body_limit:
            raise JekyllError(f"the body has {len(post.body):,} characters; an article has at most {body_limit:,}")
        body, resolved = self.evaluate(post, post.body, notes)
        if not post.ours:
            body, kramdown_notes = kramdown.to_desk_markdown(body, hard_wrap=self.site.hard_wrap)
            notes.extend(kramdown_notes)
        body = self.assets.rewrite_body(body, post, notes)
        cover = self.assets.cover(post, notes)
        if len(body) > body_limit:
            raise JekyllError(f"the body has {len(body):,} characters once its includes are in; "
                              f"an article has at most {body_limit:,}")
        return body, resolved, cover

    def evaluate(self, post, body, notes):
        if not liquid.has_template_code(body):
            return body, True
        site = {**self.site.config, "data": self.site.data, "baseurl": self.site.baseurl, "url": self.site.url}
        page = {
            **post.extra, "title": post.title, "date": post.date, "categories": post.categories,
            "tags": post.tags, "author": post.author, "excerpt": post.excerpt, "description": post.description,
            "slug": post.slug_source, "lang": language(post), "url": self.new_url(post),
            "path": post.key, "image": post.image,
        }
        try:
            return liquid.evaluate(body, self.environment, site=site, page=page), True
        except liquid.LiquidFailure as exc:
            notes.append(f"{exc}: imported as a draft with its template code as it was")
            return body, False

    def excerpt(self, post, body, body_html, notes):
        """The front matter's excerpt or description, else the text before the site's
        excerpt separator, else the first paragraph of prose, else (a post of a heading,
        a quotation and code) what Jekyll shows: the text of its first block."""
        for given in (post.excerpt, post.description):
            if given and name_key(given) != name_key(post.title):
                return given
        separator = post.excerpt_separator or self.site.excerpt_separator
        if separator.strip() and separator in body:
            try:
                paragraphs = prose_paragraphs(render_markdown(body.split(separator, 1)[0]))
            except RenderError:
                paragraphs = []
            # All the prose before the separator, as Jekyll's excerpt is: not one paragraph.
            text = " ".join(paragraphs)
            if text and name_key(text) != name_key(post.title):
                return truncate_text(text, 10_000)
        if post.excerpt or post.description:
            notes.append("excerpt equal to the title: drawn from the first paragraph")
        return derive_excerpt(body_html, post.title) or _first_block(body_html, post.title)


def _first_block(html, title):
    for text, code in html_blocks(html):
        if not code and text.strip() and name_key(text) != name_key(title):
            return truncate_text(text, EXCERPT_LENGTH)
    return ""


def language(post):
    return post.language if post.language and post.language != settings.LANGUAGE_CODE else ""
