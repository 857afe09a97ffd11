"""WSGI entry point for editorial."""
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")

application = get_wsgi_application()
# The URLconf (and every view it names) is imported on the first request otherwise: by
# each worker gunicorn forks, again after each restart (GUNICORN_MAX_REQUESTS). Imported
# here, in the preloaded parent, the workers share it from the start.
get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
