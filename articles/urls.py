from django.urls import path, register_converter

from .converters import TwoDigitConverter, UnicodeSlugConverter
from .views import public

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
]
