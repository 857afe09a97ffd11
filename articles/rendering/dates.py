"""Moments as machines read them: in ``<time datetime>``, meta tags and JSON-LD."""

from django.utils import timezone


def machine_time(value):
    """``value`` in the site's time zone to the second (``2024-05-01T09:30:00+09:00``),
    or "" for none. HTML's ``datetime`` allows at most three decimals of a second,
    and a reader is told the minute: the database's microseconds are nobody's."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
