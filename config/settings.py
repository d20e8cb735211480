"""Settings, read from the environment (django-environ).

Defaults give the embedded installation: SQLite and private files in
``sites/default/``. Production sets ``DATABASE_URL`` (PostgreSQL or MariaDB),
``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``SITE_URL``.
"""

import datetime
import os
import secrets
import sys
from pathlib import Path

import environ
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

SITE_DIR = Path(env("SITE_DIR", default=str(BASE_DIR / "sites" / "default")))
SITE_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """The key from the environment, else one generated once into the site (mode 0600)."""
    if env("SECRET_KEY", default=""):
        return env("SECRET_KEY")
    path = SITE_DIR / "secret_key"
    if not path.exists():
        # written whole under a private name, then linked into place: two
        # commands starting at once (`make run` runs collectstatic beside
        # migrate) agree on the first key and never read a half-written one
        tmp = SITE_DIR / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address in QR codes, verification links and e-mail; empty: the
# address of the request (apps/docflow/siteurl.py). Set it in production.
SITE_URL = env("SITE_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "unfold.apps.BasicAppConfig",  # the desk's site replaces Django's default (DeskAdminConfig below)
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "apps.docflow.desk.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "apps.docflow",
    "apps.docflow.data",
    "apps.organisasi",
    "apps.bakesbangpol.umum",
    "apps.bakesbangpol.perizinan",
    "apps.bakesbangpol.pembinaan",
    "apps.bakesbangpol.konflik",
    "apps.bakesbangpol.monev",
    "apps.bakesbangpol.perencanaan",
    "apps.bakesbangpol.keuangan",
    "apps.bakesbangpol.kebijakan",
    "apps.laporan",
    "apps.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.docflow.security.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.docflow.timelimit.RequestTimeLimitMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apps.docflow.siteurl.RequestBaseMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.docflow.api.auth.TokenAuthMiddleware",
    "apps.docflow.scope.RequestScopeMiddleware",
    "apps.docflow.dynamic.DocTypeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SITE_DIR / 'db.sqlite3'}")}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer works; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of deadlocking.
    _db.setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
elif _db["ENGINE"] == "django.db.backends.mysql":
    _db.setdefault("OPTIONS", {}).update({"charset": "utf8mb4", "isolation_level": "read committed"})
    _db.setdefault("TEST", {}).update({"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"})
_db["ATOMIC_REQUESTS"] = False
# Keep a worker's connection between requests (seconds; 0 opens one per
# request). On SQLite a new connection reads the whole schema again on its
# first statement: about 12 ms of every request with 0. A connection found
# broken at the start of a request is replaced (CONN_HEALTH_CHECKS). A
# DATABASE_URL's own ?conn_max_age= is kept unless CONN_MAX_AGE is set.
_db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=_db.get("CONN_MAX_AGE", 300))
_db["CONN_HEALTH_CHECKS"] = True
if _db["ENGINE"] != "django.db.backends.postgresql":
    # unfold loads django.contrib.postgres (and with it psycopg, 10 MiB in every
    # worker) whenever psycopg is installed; only a PostgreSQL site uses it
    sys.modules.setdefault("django.contrib.postgres", None)

# A time limit for the database work of a request (seconds, 0: none); see
# apps/docflow/timelimit.py. SQLite: a progress handler aborts the statement of
# a request past its budget. PostgreSQL and MariaDB: the same limit per
# statement, for the web process only (migrate, backup and other commands run
# without it).
REQUEST_DB_TIME_LIMIT = env.float("REQUEST_DB_TIME_LIMIT", default=30)
_command = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
if REQUEST_DB_TIME_LIMIT > 0 and not _command:
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db.setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={int(REQUEST_DB_TIME_LIMIT * 1000)}"
    elif _db["ENGINE"] == "django.db.backends.mysql":
        _db["OPTIONS"]["init_command"] = f"SET SESSION max_statement_time={REQUEST_DB_TIME_LIMIT:g}"
# Printing: Jinja and WeasyPrint stop after this many seconds (apps/docflow/print_sandbox.py).
PRINT_TIME_LIMIT = env.float("PRINT_TIME_LIMIT", default=30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# data-defined doctypes: tables follow their definitions (apps.docflow.dynamic), not migration files
MIGRATION_MODULES = {"docflow_data": None}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = SITE_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(SITE_DIR / "private"), "base_url": "/files/"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env.bool("TESTING", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Files are private: nothing under sites/default/private is served directly;
# downloads go through permission-checked views.
MEDIA_ROOT = SITE_DIR / "private"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024
DOCFLOW_MAX_UPLOAD_BYTES = env.int("DOCFLOW_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "/app/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"  # nothing here is shown in a frame
if SESSION_COOKIE_SECURE:
    # Production behind TLS: the proxy says https (X-Forwarded-Proto), plain
    # http is redirected, and browsers remember to use https only (HSTS).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp) on every HTML page: scripts, styles,
# images and fonts from this site only (images also as data: URIs: the QR
# codes), no plugins, no framing, forms post here only. Inline
# style attributes are allowed (the desk's Unfold and the print formats use
# them); inline scripts are not. The desk adds 'unsafe-eval' for Alpine.js
# (apps.docflow.security.CSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bakesbangpol@pasuruankota.go.id")

CACHES = {
    "default": (
        env.cache("CACHE_URL")
        if env("CACHE_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The client's address behind the reverse proxy: the request header the proxy
# sets and the client cannot (nginx: proxy_set_header X-Real-IP $remote_addr;
# TRUSTED_PROXY_IP_HEADER=HTTP_X_REAL_IP). Empty: REMOTE_ADDR (no proxy).
# Login lockout (django-axes) and the portal's rate limits key on it.
TRUSTED_PROXY_IP_HEADER = env("TRUSTED_PROXY_IP_HEADER", default="").strip().upper().replace("-", "_")
if TRUSTED_PROXY_IP_HEADER and not TRUSTED_PROXY_IP_HEADER.startswith(("HTTP_", "REMOTE_ADDR")):
    TRUSTED_PROXY_IP_HEADER = "HTTP_" + TRUSTED_PROXY_IP_HEADER  # "X-Real-IP" -> "HTTP_X_REAL_IP"

# Login protection (desk, API): django-axes. After LOGIN_FAILURE_LIMIT wrong
# passwords an account is locked for LOGIN_LOCKOUT_MINUTES, from everywhere
# (["username"]) and, counted separately, from that address; other accounts
# from the same address are not affected. Counts live in the database, or in
# the shared cache (Redis) when CACHE_URL is set; every success and failure
# is logged in the database (desk: Pengaturan -> Log Masuk).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.docflow.scope.PermissionCacheBackend",  # permissions from the cache for the next one
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # registered in the desk by apps.docflow.desk.security_admin
AXES_CLIENT_IP_CALLABLE = "apps.docflow.security.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.docflow.security.lockout_response"
AXES_HANDLER = (
    "apps.docflow.security.AuditedCacheHandler"
    if env("CACHE_URL", default="")
    else "axes.handlers.database.AxesDatabaseHandler"
)

# Background jobs (apps/docflow/jobs.py): django-tasks carries them. Embedded
# default: its database backend, worked by `manage.py docflow_worker` (started
# by `make run`). With REDIS_URL: RQ (django-tasks-rq; `pip install -r
# requirements-db.txt`), worked by the same command. Retries with backoff and
# jobs of a dead worker are the engine's (the BackgroundJob ledger).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=5)
JOBS_RETRY_BACKOFF = env.float("JOBS_RETRY_BACKOFF", default=30)  # seconds; doubled at each attempt
JOBS_LEASE_SECONDS = env.int("JOBS_LEASE_SECONDS", default=1800)  # a job running longer on another host is lost
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10)

# Public portal: per-IP rate limits (use a shared cache, CACHE_URL=redis://..., with several workers).
PORTAL_RATE_SUBMIT = env("PORTAL_RATE_SUBMIT", default="10/h")
PORTAL_RATE_TRACK = env("PORTAL_RATE_TRACK", default="60/m")
PORTAL_RATE_VERIFY = env("PORTAL_RATE_VERIFY", default="30/m")
RATELIMIT_IP_META_KEY = "apps.docflow.security.client_ip"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- docflow: where the engine finds what the agency defines -------------------
DOCFLOW_UNIT_MODEL = "organisasi.Unit"
DOCFLOW_SCOPE_BACKEND = "apps.organisasi.scope.OrganisasiScope"
DOCFLOW_ORGANISATION_NAME = "Badan Kesatuan Bangsa dan Politik Kota Pasuruan"
# data-defined doctypes: the role that configures them, and Frappe's standard roles in a
# DocType JSON import as the agency's (All / Desk User: every internal user)
DOCFLOW_ADMIN_ROLE = "Administrator Sistem"
DOCFLOW_FRAPPE_ROLES = {
    "System Manager": "Administrator Sistem",
    "Administrator": "Administrator Sistem",
    "All": "Pegawai",
    "Desk User": "Pegawai",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

UNFOLD = {
    "SITE_TITLE": _("Bakesbangpol Kota Pasuruan"),
    "SITE_HEADER": _("Bakesbangpol"),
    "SITE_SUBHEADER": _("Kota Pasuruan"),
    "SITE_URL": "/",
    "SITE_SYMBOL": "account_balance",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "COLORS": {
        "primary": {
            "50": "oklch(97.1% .013 17.38)",
            "100": "oklch(93.6% .032 17.717)",
            "200": "oklch(88.5% .062 18.334)",
            "300": "oklch(80.8% .114 19.571)",
            "400": "oklch(70.4% .191 22.216)",
            "500": "oklch(63.7% .237 25.331)",
            "600": "oklch(57.7% .245 27.325)",
            "700": "oklch(50.5% .213 27.518)",
            "800": "oklch(44.4% .177 26.899)",
            "900": "oklch(39.6% .141 25.723)",
            "950": "oklch(25.8% .092 26.042)",
        },
    },
    "DASHBOARD_CALLBACK": "apps.laporan.dashboard.dashboard_callback",
    # the sidebar search opens the command palette: menus and documents (global search)
    "COMMAND": {"search_callback": "apps.docflow.desk.collab.command_search"},
    "SIDEBAR": {
        "show_search": True,
        "command_search": True,
        "show_all_applications": True,
        "navigation": "apps.docflow.desk.navigation.sidebar",
    },
}
UNFOLD_LOGIN_REDIRECT = reverse_lazy("admin:index")
