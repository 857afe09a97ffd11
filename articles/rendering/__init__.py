"""Text in, text out, with no database: Markdown to the HTML readers get, and the plain
text tools under it.

- ``markdown``: the only door from Markdown to HTML (``render``), bounded in a helper
  process; ``extensions``: the Python-Markdown extensions and settings a body is
  rendered with; ``sanitising``: what of the HTML readers get (bleach's allow-list);
  ``figures``: library pictures and embeds as responsive markup; ``list_indent``: lists
  nested two spaces deep; ``fences``: where fenced code is, for passes that rewrite text;
- ``plain_text``: plain text from HTML, characters, reading time, excerpts;
- ``text``: control characters, slugs and their look-alikes, tag names;
- ``japanese``: Sudachi's words and sentences; ``diff``: two versions side by side;
- ``bounded``: helper processes that spend a bounded CPU time and memory on one text.

May use: nothing else of the app (import-linter: the bottom layer, and no model).
"""
