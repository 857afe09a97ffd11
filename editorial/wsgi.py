"""WSGI entry point for editorial."""
import contextlib
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")

application = get_wsgi_application()


def warm():
    """Do here, once, in the parent gunicorn preloads (deploy/gunicorn.conf.py), what each
    worker would otherwise do on its first requests, again after every restart
    (GUNICORN_MAX_REQUESTS): import the URLconf and every view, build its reverse tables
    in each language, load the translations and the static files' manifest, and compile
    the readers' templates. A fresh worker's first page cost ~60 ms of this. Nothing
    here opens a connection, so nothing is shared across the fork."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.templatetags.static import static
    from django.urls import get_resolver, reverse
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("articles:index")
            translation.gettext("Latest")
    with contextlib.suppress(ValueError):  # not collected (a development run): found per request then
        static("css/site.css")
    for name in ("base.html", "404.html", "410.html", "articles/article_detail.html", "articles/article_list.html",
                 "articles/author.html", "articles/search.html", "articles/tag_index.html", "sitemap.xml"):
        get_template(name)


warm()
