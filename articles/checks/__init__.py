"""What an editor should see before approving: editorial and Japanese writing checks.

- ``editorial``: the checks run together (``run_checks``), title and excerpt, tags,
  reading time, and the findings of a saved revision; ``article_text``: what they read
  of an article (``ArticleText``, ``summarise``); ``repeats``: passages said twice;
  ``markup``: Markdown hygiene; ``findings``: a finding and its levels;
- ``writing``: the Japanese writing checks, bounded in a helper process, and their
  mechanical fixes; ``prose``: what they read as prose; ``spelling``: the house style
  and 表記ゆれ; ``readability``: textlint-like rules on characters and sentences.

May use: reading (to remember findings), media, models, rendering. The writing checks
reach no model (they run in a helper).
"""
