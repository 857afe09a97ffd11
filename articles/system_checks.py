from django.conf import settings
from django.core.checks import Warning
from django.db import connections

from articles.reading.caching import PER_PROCESS_CACHES


def shared_cache(app_configs=None, **kwargs):
    """Rate limits (previews, logins, reset mails) count in the cache: one that each
    process keeps to itself multiplies every limit by the number of processes."""
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return [Warning(
            "The cache is kept per process, so rate limits are counted per process.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so that every process shares one count.",
            id="articles.W002",
        )]
    return []


def ctype_handles_japanese(ctype):
    """Whether a PostgreSQL LC_CTYPE classifies Japanese characters as letters."""
    return "UTF8" in ctype.upper().replace("-", "")


def postgres_ctype_handles_japanese(databases=None, **kwargs):
    """pg_trgm ignores characters that the database's LC_CTYPE does not call letters:
    with the C locale that is every Japanese character, and search finds nothing."""
    problems = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            ctype = cursor.fetchone()[0]
        if not ctype_handles_japanese(ctype):
            problems.append(Warning(
                f"The database '{connection.settings_dict['NAME']}' has LC_CTYPE {ctype!r}: pg_trgm ignores "
                "Japanese characters under it, so search finds almost nothing.",
                hint="Create the database with a UTF-8 ctype, e.g. "
                     "CREATE DATABASE editorial LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0;",
                id="articles.W001",
            ))
    return problems
