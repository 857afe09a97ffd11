from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .. import throttling


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client address (as articles/throttling.py finds it behind nginx)."""

    scope = "client"

    def get_rate(self):
        # Read when asked, not when the class was made: a setting changed since counts.
        return settings.EDITORIAL_API_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": throttling.client_ip(request)}
