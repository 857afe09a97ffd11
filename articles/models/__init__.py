"""The app's models, one module per family (as Wagtail's ``wagtail/models/`` are):

- ``article``: the article (live columns, working copy, state), and ``queries`` (every
  question asked of articles: ``published()``, ``scheduled()``, related, a tag's newest);
  ``status``: where it stands in the workflow;
- ``history``: revisions, the audit trail (transitions) and comments;
- ``media``: the picture library, uploaded originals and where each picture is used;
- ``people``: names kept when an account goes, writers' pages, who has an article open,
  the inbox;
- ``public``: old addresses and what readers' pages keep about themselves (generation,
  areas, counts);
- ``vocabulary``: sections, the house style, product names (companies and topics are
  django-taggit's, in articles/tags.py).

Models import no service module (import-linter checks it: pyproject.toml). Everything
is importable from ``articles.models``, as before.
"""

from ..tags import CompanyTag, TaggedCompany, TaggedTopic, TopicTag
from .article import Article, new_preview_key
from .history import Comment, Revision, Transition
from .media import CAPTION_MAX_LENGTH, Image, ImageUse, UploadedOriginal, image_upload_name
from .people import RESERVED_AUTHOR_SLUGS, AuthorProfile, EditingPresence, Notification, person_name
from .public import PublicArea, PublicCount, PublicGeneration, Redirect
from .queries import RELATED_CANDIDATES, ArticleQuerySet
from .status import Status
from .vocabulary import Category, HouseStyleTerm, ProductName

__all__ = [
    "CAPTION_MAX_LENGTH", "RELATED_CANDIDATES", "RESERVED_AUTHOR_SLUGS", "Article", "ArticleQuerySet", "AuthorProfile",
    "Category", "Comment", "CompanyTag", "EditingPresence", "HouseStyleTerm", "Image", "ImageUse", "Notification",
    "ProductName", "PublicArea", "PublicCount", "PublicGeneration", "Redirect", "Revision", "Status", "TaggedCompany",
    "TaggedTopic", "TopicTag", "Transition", "UploadedOriginal", "image_upload_name", "new_preview_key", "person_name",
]
