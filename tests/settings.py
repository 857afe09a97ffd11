"""Settings for the test suite: the real settings, with a throwaway key and fast hashing."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from editorial.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files come from the finders under their own names, as in development: no
# collectstatic before tests (tests/test_serving.py runs it, for the production names).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# A real database file, as in production: an in-memory SQLite database locks
# differently, and would hide what concurrent writers meet (tests/test_concurrency.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"editorial-test-{os.getpid()}.sqlite3")}  # noqa: F405

# Uploaded images go to a folder of this test run's own, removed when it ends.
MEDIA_ROOT = tempfile.mkdtemp(prefix="editorial-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# The demo's passwords, kept for this test run only.
EDITORIAL_DEMO_ACCOUNTS_FILE = os.path.join(MEDIA_ROOT, "demo-accounts")

# One process: no other process's change to hear of, and no query counts that depend on
# how fast the machine is.
EDITORIAL_PAGE_GENERATION_RECHECK = 300
