"""WSGI entry point for editorial."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")

application = get_wsgi_application()
