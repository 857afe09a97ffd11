import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from articles import throttling

logger = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client address (as articles/throttling.py finds it behind nginx)."""

    scope = "client"

    def get_rate(self):
        # Read when asked, not when the class was made: a setting changed since counts.
        return settings.EDITORIAL_API_RATE

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:
            # Redis is down: readers of the API are served, uncounted (and the log says so).
            logger.exception("The API's rate limit is not counted: its cache is unreachable")
            return True

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": throttling.client_ip(request)}
