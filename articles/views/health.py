"""``/healthz``: whether this app server can do its work, for a load balancer or a
service manager to ask. Never cached."""

import logging

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def check(request):
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        problems.append("database")
    try:
        cache.set("healthz", "ok", 10)
        if cache.get("healthz") != "ok":
            problems.append("cache")
    except Exception:  # any backend's failure (Redis down) is the cache's
        logger.exception("health check: the cache does not answer")
        problems.append("cache")
    try:
        # Where pictures are kept: a bucket on another machine, for several nodes.
        default_storage.exists("healthz")
    except Exception:  # any backend's failure (the store unreachable, refused keys)
        logger.exception("health check: the picture storage does not answer")
        problems.append("storage")
    if problems:
        return JsonResponse({"status": "failing", "failing": problems}, status=503)
    return JsonResponse({"status": "ok"})
