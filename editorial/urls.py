from django.contrib import admin
from django.urls import include, path

from articles.urls import desk_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("desk/", include((desk_urlpatterns, "desk"))),
    path("", include("articles.urls")),
]
