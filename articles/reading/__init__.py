"""What readers get, and keeping it cheap.

- ``page_cache``: whole public pages kept and validated (``public_page``, the
  middleware); ``caching``: what pages and pieces depend on (areas, the generation,
  ``remember``); ``public_changes``: what a change in the desk means for readers' pages
  and counts (the signals that tell of it are connected here); ``compression``: gzip
  made of pieces compressed once;
- ``public_data``: counts of live articles per list, tag menus; ``search``: full-text
  search on SQLite FTS5 or PostgreSQL; ``cards``: an article's card in a list;
  ``article_head``: a live article's ``<head>``; ``feeds`` and ``sitemaps``.

May use: media, models, rendering, converters, signals.
"""
