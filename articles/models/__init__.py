"""The app's models, one module per family (as Wagtail's ``wagtail/models/`` are):

- ``article``: the article (live columns, working copy, state), and ``queries`` (every
  question asked of articles: ``published()``, ``scheduled()``, related, a tag's newest);
  ``status``: where it stands in the workflow;
- ``history``: revisions, the audit trail (transitions), comments, and the notes of
  corrections and updates readers are shown;
- ``media``: the picture library, uploaded originals and where each picture is used;
- ``people``: names kept when an account goes, writers' pages, who has an article open,
  the inbox;
- ``public``: old addresses and what readers' pages keep about themselves (generation,
  areas, counts), how often each article is read, by the hour, and the front page
  editors arrange;
- ``vocabulary``: sections, the house style, product names; ``tags``: the two tag
  vocabularies, companies and topics (django-taggit's, each with its own tables).

May use: rendering (a body's HTML and measures are columns), converters. Models import no
service (import-linter's layers: pyproject.toml). Everything is importable from
``articles.models``.
"""

from articles.models.article import Article, new_preview_key
from articles.models.history import PUBLIC_NOTE_MAX_LENGTH, Comment, PublicNote, Revision, Transition
from articles.models.media import CAPTION_MAX_LENGTH, Image, ImageUse, UploadedOriginal, image_upload_name
from articles.models.people import (
    RESERVED_AUTHOR_SLUGS,
    AuthorProfile,
    EditingPresence,
    EditLock,
    Notification,
    person_name,
)
from articles.models.public import ArticleReads, FrontPageItem, PublicArea, PublicCount, PublicGeneration, Redirect
from articles.models.queries import RELATED_CANDIDATES, ArticleQuerySet
from articles.models.status import Status
from articles.models.tags import CompanyTag, TaggedCompany, TaggedTopic, TopicTag
from articles.models.vocabulary import Category, HouseStyleTerm, ProductName

__all__ = [
    "CAPTION_MAX_LENGTH",
    "PUBLIC_NOTE_MAX_LENGTH",
    "RELATED_CANDIDATES",
    "RESERVED_AUTHOR_SLUGS",
    "Article",
    "ArticleQuerySet",
    "ArticleReads",
    "AuthorProfile",
    "Category",
    "Comment",
    "CompanyTag",
    "EditLock",
    "EditingPresence",
    "FrontPageItem",
    "HouseStyleTerm",
    "Image",
    "ImageUse",
    "Notification",
    "ProductName",
    "PublicArea",
    "PublicCount",
    "PublicGeneration",
    "PublicNote",
    "Redirect",
    "Revision",
    "Status",
    "TaggedCompany",
    "TaggedTopic",
    "TopicTag",
    "Transition",
    "UploadedOriginal",
    "image_upload_name",
    "new_preview_key",
    "person_name",
]
