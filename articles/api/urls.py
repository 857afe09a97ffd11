from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from articles import urls as _site_urls  # noqa: F401 (registers the "uslug" converter)
from articles.api import views
from articles.reading.page_cache import public_page

app_name = "api"

# The one inline <style> of drf-spectacular's Swagger UI page, allowed by its hash (it
# changes only with a new drf-spectacular; tests/browser/test_api_docs.py would see it).
SWAGGER_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"

docs = SpectacularSwaggerSplitView.as_view(url_name="api:schema")


class Schema(views.OpenToAll, SpectacularAPIView):
    pass


# Each answer is marked as a reader's page is (ETag, 304, Cache-Control).
urlpatterns = [
    path("articles/", public_page(views.ArticleList.as_view()), name="articles"),
    path("articles/<int:pk>/", public_page(views.ArticleDetail.as_view()), name="article"),
    path("articles/by-slug/<uslug:slug>/", public_page(views.ArticleBySlug.as_view()), name="article-by-slug"),
    path("companies/", public_page(views.CompanyList.as_view()), name="companies"),
    path("topics/", public_page(views.TopicList.as_view()), name="topics"),
    path("categories/", public_page(views.CategoryList.as_view()), name="categories"),
    path("authors/", public_page(views.AuthorList.as_view()), name="authors"),
    path("authors/<uslug:slug>/", public_page(views.AuthorDetail.as_view()), name="author"),
    path("schema/", public_page(Schema.as_view()), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's own files, its start-up script a file too:
    # no inline script, so the site's Content-Security-Policy holds.
    path("docs/", csp_update({"style-src": [SWAGGER_STYLE]})(docs), name="docs"),
    # Last: any other address here is the API's 404, in JSON, not the site's page.
    re_path(r"^(?P<path>.*)$", public_page(views.not_found)),
]
