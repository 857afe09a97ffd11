from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from articles.reading.page_cache import public_page
from articles.reading.sitemaps import SITEMAPS
from articles.reading.sitemaps import section as sitemap_section
from articles.urls import desk_urlpatterns
from articles.views import accounts, health, media
from articles.views.public import favicon, read_beacon, robots_txt

urlpatterns = [
    # One login page, throttled, for the desk and the admin alike.
    path("admin/login/", accounts.LoginView.as_view()),
    path("admin/", admin.site.urls),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # An index of sitemaps, each of at most 50,000 addresses, as the protocol asks.
    path("sitemap.xml", public_page(sitemaps.index),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", public_page(sitemap_section), {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", public_page(robots_txt), name="robots"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", health.check, name="health"),
    # Pages say they were read here (articles/reading/readership.py); one address for
    # every language, never cached.
    path("reads/", read_beacon, name="read"),
    path("desk/", include((desk_urlpatterns, "desk"))),
    path("media/<path:path>", media.serve, name="media"),
    # The read API for apps and partners: versioned in the address (articles/api/).
    path("api/v1/", include("articles.api.urls")),
]
# Readers' pages: Japanese at /, English at /en/. The language is in the address, not
# negotiated, so that every cache keeps one copy per page (articles/middleware.py).
urlpatterns += i18n_patterns(path("", include("articles.urls")), prefix_default_language=False)
