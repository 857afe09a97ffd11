"""Jekyll sites in and out.

- ``site``: a site's configuration, data, includes and permalinks; ``posts``: reading
  a post (front matter, bounded YAML); ``liquid`` and ``liquid_filters``: the posts'
  Liquid as Jekyll runs it; ``kramdown``: kramdown-only syntax as the desk's Markdown;
- ``post_text``: a post's text as the desk's Markdown; ``assets``: its pictures into
  the library; ``importing``: a whole site into articles (``SiteImport``);
- ``export``: articles as Jekyll posts.

May use: publishing and everything below it. Reading the files (site, posts, liquid,
kramdown) reaches no model.
"""
