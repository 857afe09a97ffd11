from django.urls import path, register_converter

from articles.converters import TwoDigitConverter, UnicodeSlugConverter
from articles.reading import feeds
from articles.reading.page_cache import public_page
from articles.views import desk, desk_list, editor_live, fixes, front_page, inbox, library, preview, profile, public

register_converter(UnicodeSlugConverter, "uslug")
register_converter(TwoDigitConverter, "dd")

app_name = "articles"

# Readers' pages, each marked cacheable (articles/reading/caching.py); editorial/urls.py serves
# them in Japanese at / and in English at /en/.
urlpatterns = [
    path("", public_page(public.ArticleListView.as_view()), name="index"),
    path(
        "articles/<int:year>/<dd:month>/<dd:day>/<uslug:slug>/",
        public_page(public.ArticleDetailView.as_view()),
        name="detail",
    ),
    path("companies/", public_page(public.CompanyIndexView.as_view()), name="company-index"),
    path("companies/<uslug:slug>/", public_page(public.CompanyArticleListView.as_view()), name="company"),
    path("topics/", public_page(public.TopicIndexView.as_view()), name="topic-index"),
    path("topics/<uslug:slug>/", public_page(public.TopicArticleListView.as_view()), name="topic"),
    path("categories/", public_page(public.CategoryIndexView.as_view()), name="category-index"),
    path("authors/<uslug:slug>/", public_page(public.AuthorArticleListView.as_view()), name="author"),
    path("categories/<uslug:slug>/", public_page(public.CategoryArticleListView.as_view()), name="category"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("companies/<uslug:slug>/feed/", public_page(feeds.CompanyFeed()), name="company-feed"),
    path("companies/<uslug:slug>/feed/atom/", public_page(feeds.CompanyAtomFeed()), name="company-feed-atom"),
    path("topics/<uslug:slug>/feed/", public_page(feeds.TopicFeed()), name="topic-feed"),
    path("topics/<uslug:slug>/feed/atom/", public_page(feeds.TopicAtomFeed()), name="topic-feed-atom"),
    path("categories/<uslug:slug>/feed/", public_page(feeds.CategoryFeed()), name="category-feed"),
    path("categories/<uslug:slug>/feed/atom/", public_page(feeds.CategoryAtomFeed()), name="category-feed-atom"),
    path("search/", public_page(public.SearchView.as_view()), name="search"),
    # A secret link to unpublished work: never cached (the view says so).
    path("preview/<str:token>/", preview.shared_preview, name="shared-preview"),
]

# Included under /desk/ with the namespace "desk" (editorial/urls.py).
desk_urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("calendar/", desk.calendar_month, name="calendar"),
    path("front-page/", front_page.arrange, name="front-page"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("profile/", profile.profile, name="profile"),
    path("inbox/read/", inbox.mark_all_read, name="inbox-read"),
    path("inbox/<int:pk>/", inbox.open_notification, name="notification"),
    path("render/", preview.render_preview, name="render"),
    path("render/fix/", fixes.fix_text, name="fix-text"),
    path("articles/", desk_list.article_list, name="articles"),
    path("articles/bulk/", desk_list.bulk_action, name="articles-bulk"),
    path("articles/new/", desk.create, name="new"),
    path("articles/new/autosave/", editor_live.autosave, name="autosave-new"),
    path("articles/<int:pk>/autosave/", editor_live.autosave, name="autosave"),
    path("articles/<int:pk>/presence/", editor_live.presence, name="presence"),
    path("articles/<int:pk>/take-over/", editor_live.take_over, name="take-over"),
    path("articles/<int:pk>/assign/", desk.assign, name="assign"),
    path("articles/<int:pk>/fix/", fixes.fix_article, name="fix"),
    path("articles/<int:pk>/", desk.review, name="review"),
    path("articles/<int:pk>/edit/", desk.edit, name="edit"),
    path("articles/<int:pk>/preview/", preview.preview_as_reader, name="preview"),
    path("articles/<int:pk>/actions/<str:action>/", desk.transition, name="transition"),
    path("articles/<int:pk>/comments/", desk.comment, name="comment"),
    path("articles/<int:pk>/history/", desk.history, name="history"),
    path("articles/<int:pk>/compare/", desk.compare, name="compare"),
    path("articles/<int:pk>/revisions/<int:version>/restore/", desk.restore, name="restore"),
    path("articles/<int:pk>/share/revoke/", desk.revoke_share_links, name="revoke-share"),
    path("articles/<int:pk>/checks/silence/", desk.silence_rule, name="silence-rule"),
    path("images/", library.library, name="library"),
    path("images/upload/", library.upload, name="upload"),
    path("images/<int:pk>/", library.image_detail, name="image"),
    path("images/<int:pk>/delete/", library.image_delete, name="image-delete"),
]
