"""Settings for editorial, driven by environment variables.

Development: ``DEBUG=1`` and nothing else is needed (SQLite in the project folder).
Production: ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` must be set;
with ``DEBUG`` off the process refuses to start without a real ``SECRET_KEY``.
"""

import datetime as dt
import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Only a development server may run on a throwaway key: sessions, password reset
# tokens and signed preview links all depend on this value staying secret.
_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY is the development key; set a real one.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "taggit",
    "django_tasks",
    "editorial.apps.BackgroundTasksConfig",  # django_tasks_db, its admin section named in Japanese
    "csp",
    "editorial.apps.LoginAttemptsConfig",  # axes, likewise
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "articles",
]

MIDDLEWARE = [
    # First: a stored reader's page is answered before anything else runs (it went
    # through everything below when it was made). articles/reading/page_cache.py
    "articles.reading.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # The read API answers GET from any origin (CORS_URLS_REGEX below).
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which serves static files compressed ahead of time.
    "articles.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "articles.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.publishing.redirects.RedirectFallbackMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Wrong passwords: django-axes counts them per account and address, and after
# EDITORIAL_LOGIN_FAILURES in a row that account cannot log in from that address for
# EDITORIAL_LOGIN_COOLOFF_MINUTES. (Attempts per address, whatever the account, are
# limited by EDITORIAL_LOGIN_RATE: articles/throttling.py.)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("EDITORIAL_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("EDITORIAL_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout ends when it says it does, however often the form is tried meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "articles.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "articles.views.accounts.locked_out"
AXES_VERBOSE = False

ROOT_URLCONF = "editorial.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "articles.context_processors.site",
                "articles.context_processors.desk",
            ],
        },
    },
]

WSGI_APPLICATION = "editorial.wsgi.application"
ASGI_APPLICATION = "editorial.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once: readers never wait for a writer (WAL), a writer waits its
    # turn for up to 20 s instead of failing with "database is locked", and takes the
    # write lock when its transaction starts (IMMEDIATE), so that two transactions never
    # both read and then both try to write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# Uploaded images (re-encoded, with their renditions). On one machine they live under
# MEDIA_ROOT. Several app servers share one object store (S3 or any S3-compatible one,
# through django-storages) when EDITORIAL_MEDIA_S3_BUCKET is set (README, "Production").
# Readers fetch them under MEDIA_URL: the site's own /media/ (nginx passes it to the
# store with the pictures' security headers, deploy/nginx-media-s3.conf; without nginx
# the app streams them), or a CDN's address (EDITORIAL_MEDIA_URL=https://cdn…/media/).
# Stored bodies name pictures under /media/ whatever this is: the address is put in when
# a page is served (articles/media/pictures.py, ``served``), so moving them is a setting.
MEDIA_URL = os.environ.get("EDITORIAL_MEDIA_URL", "/media/")
if not MEDIA_URL.endswith("/"):
    raise ImproperlyConfigured("EDITORIAL_MEDIA_URL must end with a slash.")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def media_storage(environ=os.environ):
    """Where pictures are kept: the S3 bucket ``environ`` names, else MEDIA_ROOT."""
    if not environ.get("EDITORIAL_MEDIA_S3_BUCKET"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    from botocore.config import Config

    addressing = environ.get("EDITORIAL_MEDIA_S3_ADDRESSING_STYLE") or None
    options = {
        # A store that does not answer fails a request in seconds, not minutes. (Given a
        # configuration, django-storages takes the addressing style from it alone.)
        "client_config": Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                                s3={"addressing_style": addressing}),
        "bucket_name": environ["EDITORIAL_MEDIA_S3_BUCKET"],
        # Credentials from these, or from boto3's own chain (AWS_* variables, an
        # instance's role) when they are not given.
        "access_key": environ.get("EDITORIAL_MEDIA_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("EDITORIAL_MEDIA_S3_SECRET_ACCESS_KEY") or None,
        "endpoint_url": environ.get("EDITORIAL_MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("EDITORIAL_MEDIA_S3_REGION") or None,
        # "path" for stores addressed by host and port (MinIO, a test's server).
        "addressing_style": addressing,
        "location": environ.get("EDITORIAL_MEDIA_S3_PREFIX", ""),
        # Names are random and a name is never written twice: no overwriting, and each
        # object says what readers' caches may do with it.
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        "querystring_auth": False,
        # Readers never reach the bucket by itself: it stays private (nginx or a CDN
        # reads it for them).
        "default_acl": None,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(),
    # collectstatic names each file after its content (site.4f1c2a.css) and writes
    # compressed copies; WhiteNoise (or nginx: deploy/nginx.conf) serves those names as
    # cached for a year. Under DEBUG the plain names are used, no collectstatic needed.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# What an upload may be: bytes, and pixels counted over every frame (a 20000×20000 PNG
# of a few kilobytes is refused from its header), and seconds of processing.
EDITORIAL_IMAGE_MAX_BYTES = int(os.environ.get("EDITORIAL_IMAGE_MAX_BYTES", str(20 * 1024 * 1024)))
EDITORIAL_IMAGE_MAX_PIXELS = int(os.environ.get("EDITORIAL_IMAGE_MAX_PIXELS", "60000000"))
EDITORIAL_IMAGE_TIMEOUT = float(os.environ.get("EDITORIAL_IMAGE_TIMEOUT", "20"))

# Tags are matched without regard to case, so "nvidia" and "NVIDIA" are one company.
TAGGIT_CASE_INSENSITIVE = True

# The credit shown to readers when an article names none.
EDITORIAL_SITE_NAME = os.environ.get("EDITORIAL_SITE_NAME", "editorial")
# The header's logo, in place of the name (which stays its alt text): a static file's
# path (img/logo.svg) or an address. None: the name, in text.
EDITORIAL_SITE_LOGO = os.environ.get("EDITORIAL_SITE_LOGO", "")
EDITORIAL_DEFAULT_BYLINE = os.environ.get("EDITORIAL_DEFAULT_BYLINE", "")
# The publisher's logo search engines show beside its articles (JSON-LD): a raster
# picture at least 112 px square, a static file's path or an address.
EDITORIAL_PUBLISHER_LOGO = os.environ.get("EDITORIAL_PUBLISHER_LOGO", "img/logo.png")
# The link-preview picture of an article without a cover (og:image): 1200×630, a static
# file's path or an address.
EDITORIAL_SOCIAL_IMAGE = os.environ.get("EDITORIAL_SOCIAL_IMAGE", "img/social.png")
EDITORIAL_PAGE_SIZE = 20
# Limits on what one article may carry: generous for long-form (100,000 characters is
# about 300 KB of Japanese, four times the longest post the desk has), small enough
# that no request spends long on it.
EDITORIAL_MAX_BODY_CHARS = int(os.environ.get("EDITORIAL_MAX_BODY_CHARS", "100000"))
EDITORIAL_MAX_TAGS = int(os.environ.get("EDITORIAL_MAX_TAGS", "30"))
# Seconds a text may take to become HTML before it is refused (articles/rendering/markdown.py).
EDITORIAL_RENDER_TIMEOUT = float(os.environ.get("EDITORIAL_RENDER_TIMEOUT", "1"))
# Seconds of processing the Japanese writing checks may spend on one text (articles/checks/writing.py).
EDITORIAL_WRITING_CHECK_SECONDS = float(os.environ.get("EDITORIAL_WRITING_CHECK_SECONDS", "5"))

# Rates, as django-ratelimit writes them ("60/m": sixty a minute; "5/h"; "30/15m").
EDITORIAL_PREVIEW_RATE = os.environ.get("EDITORIAL_PREVIEW_RATE", "60/m")
EDITORIAL_SLOW_RENDER_RATE = os.environ.get("EDITORIAL_SLOW_RENDER_RATE", "2/m")
EDITORIAL_UPLOAD_RATE = os.environ.get("EDITORIAL_UPLOAD_RATE", "30/m")
EDITORIAL_LOGIN_RATE = os.environ.get("EDITORIAL_LOGIN_RATE", "30/15m")
EDITORIAL_PASSWORD_RESET_RATE = os.environ.get("EDITORIAL_PASSWORD_RESET_RATE", "5/h")
# Proxies in front of the app that add X-Forwarded-For (nginx alone: 1). With 0 the
# header is ignored: anyone could write it.
EDITORIAL_TRUSTED_PROXIES = int(os.environ.get("EDITORIAL_TRUSTED_PROXIES", "0"))
RATELIMIT_IP_META_KEY = "articles.throttling.client_ip"

# Counters for rate limits ("default") and stored readers' pages ("pages") must be
# shared by every process that serves the site: Redis in production (REDIS_URL; give
# the pages a Redis of their own with REDIS_PAGES_URL, so that evicting pages never
# evicts a counter). Without REDIS_URL, each process keeps its own in memory, which is
# right for one development server.
# Stored pages and cards hold pictures' addresses: another MEDIA_URL is another set of them.
PAGES_KEY_PREFIX = "pages" if MEDIA_URL == "/media/" else "pages:" + hashlib.sha256(MEDIA_URL.encode()).hexdigest()[:8]
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                  "LOCATION": os.environ.get("REDIS_PAGES_URL") or os.environ["REDIS_URL"],
                  "KEY_PREFIX": PAGES_KEY_PREFIX},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        # Pages and the pieces they are made of (a card per article and language): a few
        # megabytes per process at most.
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages",
                  "KEY_PREFIX": PAGES_KEY_PREFIX, "OPTIONS": {"MAX_ENTRIES": 3000}},
    }
# HTTP caching of readers' pages (articles/reading/page_cache.py). Browsers keep a page for
# EDITORIAL_CACHE_MAX_AGE seconds; shared caches (nginx, a CDN) for
# EDITORIAL_CACHE_SHARED_MAX_AGE, then ask again (a 304 when nothing changed) and may
# serve the old copy meanwhile for EDITORIAL_CACHE_STALE_SECONDS: a publish, an
# unpublish or a correction reaches readers within the shared age. The server-side
# copy is replaced at once on any change, and expires after EDITORIAL_PAGE_CACHE_SECONDS
# (0: no server-side copy).
EDITORIAL_CACHE_MAX_AGE = int(os.environ.get("EDITORIAL_CACHE_MAX_AGE", "60"))
EDITORIAL_CACHE_SHARED_MAX_AGE = int(os.environ.get("EDITORIAL_CACHE_SHARED_MAX_AGE", "10"))
EDITORIAL_CACHE_STALE_SECONDS = int(os.environ.get("EDITORIAL_CACHE_STALE_SECONDS", "30"))
EDITORIAL_PAGE_CACHE_SECONDS = int(os.environ.get("EDITORIAL_PAGE_CACHE_SECONDS", "600"))
# Pieces of pages (cards, live articles, tag counts, related articles, search results),
# kept until what they show changes, or this many seconds.
EDITORIAL_QUERY_CACHE_SECONDS = int(os.environ.get("EDITORIAL_QUERY_CACHE_SECONDS", "3600"))
# Without Redis each process keeps its own copies, and sees another process's change
# (a second worker, a management command) this many seconds later at most.
EDITORIAL_PAGE_GENERATION_RECHECK = int(os.environ.get("EDITORIAL_PAGE_GENERATION_RECHECK", "1"))

# Feeds carry whole articles (on) or their excerpts (off).
EDITORIAL_FEED_FULL_CONTENT = env_bool("EDITORIAL_FEED_FULL_CONTENT", True)

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    if env_bool("BEHIND_TLS_PROXY"):
        # The proxy terminates TLS and says so; plain HTTP is sent to HTTPS, and
        # browsers are told to use nothing else for a year (HSTS).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
        SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
        SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
        SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp): scripts, styles, fonts and connections from this
# site only, never inline, so that markup slipping past every other defence still
# cannot run. Images may come from any HTTPS address: article bodies link them (and
# blob: for the preview of a picture about to be uploaded). Enforced in development
# too, so that a violation shows at once (django-csp leaves Django's debug pages alone).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:", "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Embedded videos only, from their privacy-enhanced players (articles/rendering/figures.py).
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Every failed login at INFO is noise; lockouts come as warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Where `load_demo` keeps the demo accounts' passwords, to show them on every run.
EDITORIAL_DEMO_ACCOUNTS_FILE = Path(os.environ.get("EDITORIAL_DEMO_ACCOUNTS_FILE", BASE_DIR / ".demo-accounts"))

# The desk and the workflow.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:dashboard"
LOGOUT_REDIRECT_URL = "login"
# A one-person desk may let an editor approve their own article; by default nobody does.
EDITORIAL_ALLOW_SELF_APPROVAL = env_bool("EDITORIAL_ALLOW_SELF_APPROVAL")
# Lets an editor publish a correction to a live article without a second editor's
# approval, with a required note, marked in the audit trail and told to every editor.
EDITORIAL_URGENT_CORRECTIONS = env_bool("EDITORIAL_URGENT_CORRECTIONS")
# How long a shared preview link works.
EDITORIAL_PREVIEW_LINK_DAYS = int(os.environ.get("EDITORIAL_PREVIEW_LINK_DAYS", "7"))
# Links in notification emails start with this.
EDITORIAL_BASE_URL = os.environ.get("EDITORIAL_BASE_URL", "http://127.0.0.1:8000")

# Work outside the request (notification mail): a queue in the database, emptied by
# `manage.py db_worker` (deploy/editorial-worker.service). Under DEBUG, with no worker
# running, tasks run at once instead (the mail goes to the console anyway).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "EDITORIAL_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# Mail: printed to the console in development; SMTP (EMAIL_HOST…) in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds to wait for the mail server: one that accepts and never answers would hold the
# worker, and every notification behind it, for ever.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "30"))
# A task left RUNNING this long (its worker died: killed, or its database went away) is
# run again by the next worker that starts (`manage.py worker`).
EDITORIAL_TASK_LEASE_SECONDS = int(os.environ.get("EDITORIAL_TASK_LEASE_SECONDS", "600"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "editorial <noreply@localhost>")


# The read API (/api/v1/, articles/api/): public, read-only, no sessions or cookies, JSON.
# Requests per client address that reach the app (what nginx answers from its cache
# does not count): DRF's notation, e.g. 300/min or 10000/day.
EDITORIAL_API_RATE = os.environ.get("EDITORIAL_API_RATE", "300/min")
# What browser features a page may use (Permissions-Policy, django-permissions-policy):
# none of the sensors, devices or payments; the video players the site embeds
# (articles/rendering/figures.py, CSP frame-src) get what their iframe's "allow" names.
_VIDEO_PLAYERS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
PERMISSIONS_POLICY = {
    **{feature: [] for feature in (
        "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture",
        "geolocation", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )},
    **dict.fromkeys(("accelerometer", "encrypted-media", "gyroscope"), _VIDEO_PLAYERS),
    **{feature: ["self", *_VIDEO_PLAYERS] for feature in ("fullscreen", "picture-in-picture")},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{EDITORIAL_SITE_NAME} read API",
    "DESCRIPTION": (
        "Published articles and what they are filed under, as JSON: what readers may see, nothing "
        "more. Lists are newest first with cursor pagination (follow `next`). Answers carry an ETag "
        "and Last-Modified (send If-None-Match / If-Modified-Since for a 304), are cacheable for a "
        "minute, open to any origin for GET, and limited per client address (429 with Retry-After)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
