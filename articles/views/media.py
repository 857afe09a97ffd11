"""Serving uploaded images when no web server in front does it (development, or one
small machine). Every file under images/ was written by Pillow in articles/media/imaging.py;
its type comes from its extension, which we chose, never from what a browser guesses."""

import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from articles.media.imaging import CONTENT_TYPES, EXTENSIONS

_TYPES = {extension: CONTENT_TYPES[kind] for kind, extension in EXTENSIONS.items()}


@require_safe
def serve(request, path):
    path = posixpath.normpath(path).lstrip("/")
    extension = path.rsplit(".", 1)[-1].lower()
    if not path.startswith("images/") or ".." in path.split("/") or extension not in _TYPES:
        raise Http404
    try:
        file = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(file, content_type=_TYPES[extension])
    # Names are random and a file never changes: cached for good.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
