from django.urls import path, register_converter

from . import feeds
from .converters import TwoDigitConverter, UnicodeSlugConverter
from .views import desk, library, preview, public

register_converter(UnicodeSlugConverter, "uslug")
register_converter(TwoDigitConverter, "dd")

app_name = "articles"

urlpatterns = [
    path("", public.ArticleListView.as_view(), name="index"),
    path(
        "articles/<int:year>/<dd:month>/<dd:day>/<uslug:slug>/",
        public.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("companies/", public.CompanyIndexView.as_view(), name="company-index"),
    path("companies/<uslug:slug>/", public.CompanyArticleListView.as_view(), name="company"),
    path("topics/", public.TopicIndexView.as_view(), name="topic-index"),
    path("topics/<uslug:slug>/", public.TopicArticleListView.as_view(), name="topic"),
    path("categories/<uslug:slug>/", public.CategoryArticleListView.as_view(), name="category"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("companies/<uslug:slug>/feed/", feeds.CompanyFeed(), name="company-feed"),
    path("companies/<uslug:slug>/feed/atom/", feeds.CompanyAtomFeed(), name="company-feed-atom"),
    path("topics/<uslug:slug>/feed/", feeds.TopicFeed(), name="topic-feed"),
    path("topics/<uslug:slug>/feed/atom/", feeds.TopicAtomFeed(), name="topic-feed-atom"),
    path("categories/<uslug:slug>/feed/", feeds.CategoryFeed(), name="category-feed"),
    path("categories/<uslug:slug>/feed/atom/", feeds.CategoryAtomFeed(), name="category-feed-atom"),
    path("search/", public.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", preview.shared_preview, name="shared-preview"),
]

# Included under /desk/ with the namespace "desk" (editorial/urls.py).
desk_urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("calendar/", desk.calendar_month, name="calendar"),
    path("render/", preview.render_preview, name="render"),
    path("articles/new/", desk.create, name="new"),
    path("articles/<int:pk>/", desk.review, name="review"),
    path("articles/<int:pk>/edit/", desk.edit, name="edit"),
    path("articles/<int:pk>/preview/", preview.preview_as_reader, name="preview"),
    path("articles/<int:pk>/actions/<str:action>/", desk.transition, name="transition"),
    path("articles/<int:pk>/comments/", desk.comment, name="comment"),
    path("articles/<int:pk>/history/", desk.history, name="history"),
    path("articles/<int:pk>/compare/", desk.compare, name="compare"),
    path("articles/<int:pk>/revisions/<int:version>/restore/", desk.restore, name="restore"),
    path("articles/<int:pk>/share/revoke/", desk.revoke_share_links, name="revoke-share"),
    path("images/", library.library, name="library"),
    path("images/upload/", library.upload, name="upload"),
    path("images/<int:pk>/", library.image_detail, name="image"),
    path("images/<int:pk>/delete/", library.image_delete, name="image-delete"),
]
