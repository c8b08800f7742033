"""Shuangfang settings: one module, driven by environment variables (django-environ).

With nothing set, the platform runs on embedded defaults that need no server: SQLite (WAL) under
``var/`` and Celery's filesystem transport. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch to
PostgreSQL and Redis; ``REDIS_URL`` switches the cache (used by throttling) to Redis.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from backend.core.origins import public_https_origin_problem

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEV_SECRET_KEY = "dev-insecure-shuangfang-secret-key-change-me"
# Under pytest (which sets PYTEST_VERSION) the default is var/test/, so a test run never shares the
# demo's database or Celery broker folder with a `make run` going on in the same checkout.
TESTING = "PYTEST_VERSION" in os.environ
#: Off unless the environment turns it on (``make run`` does, for the local demo).
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
#: Explicit host names only (never ``*``): a Host header outside them is a 400, so no link the API builds
#: (pagination ``next``, report URLs) can point elsewhere. With DEBUG and nothing set Django allows
#: localhost, 127.0.0.1 and [::1] only.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not DEBUG and not TESTING:
    if SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured("DEBUG=False with the development SECRET_KEY: set SECRET_KEY (or DEBUG=True on a "
                                   "development machine).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG=False needs ALLOWED_HOSTS (comma-separated host names this server answers to).")

VAR_DIR = Path(env.str("SHUANGFANG_VAR_DIR", default=str(BASE_DIR / "var" / "test" if TESTING else BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from it (collectstatic fills it)
#: The built web console (``npm run build`` in frontend/): index.html and assets/ (backend/console).
CONSOLE_DIST_DIR = Path(env.str("CONSOLE_DIST_DIR", default=str(BASE_DIR / "frontend" / "dist")))
#: The sample data the demo, the tests and the benchmarks load: ``samples/`` in the repository (see its README).
SAMPLES_DIR = BASE_DIR / "samples"

INSTALLED_APPS = [
    "backend.accounts.admin_apps.AdminConfig",  # django.contrib.admin with login limits (D2), audited models read-only (D6)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver (make run) leaves /static/ to whitenoise, which also serves the console's built assets
    # (backend/console); Django's own static handler would answer them 404 (whitenoise docs, "runserver_nostatic").
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from here, not a CDN (intranet deployments)
    "drf_standardized_errors",
    "backend.accounts",
    "backend.audit",
    "backend.notifications",
    "compliance",
    "special_ops",
    "inspections",
    "inspections.reports",
]

MIDDLEWARE = [
    "backend.core.health.HealthMiddleware",  # /healthz, /readyz: before host checks, redirects, auth
    "django.middleware.security.SecurityMiddleware",
    # static files (admin, Swagger UI) from STATIC_ROOT, and the console's built assets (backend/console)
    "backend.console.middleware.ConsoleWhiteNoiseMiddleware",
    "backend.core.logging.RequestContextMiddleware",  # X-Request-ID, request/user context for log lines
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
    # A file, not :memory:, so that a real Celery worker process sees the test data.
    # One file per test process, so parallel runs on one machine do not share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # persistent connections (issue 18: a new PostgreSQL connection per request cost 5.5 ms), checked
    # before reuse; a DATABASE_URL ?conn_max_age= wins
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
#: PostgreSQL: the application's own role (not a superuser, owns nothing). ``migrate`` (run as the owner)
#: grants it its privileges: no UPDATE/DELETE/TRUNCATE on the audit events (backend/audit/roles.py).
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

if env.str("REDIS_URL", default=""):
    # Short socket timeouts: a stalled Redis makes throttles fall back locally (backend/core/throttling.py)
    # instead of hanging the request.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL"),
                          "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # The embedded default (no Redis): a cache on disk that the web, worker and beat processes share, so
    # throttles hold across gunicorn workers and the web sees an import job's progress the worker publishes.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@shuangfang.local")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "backend.accounts.auth.TokenAuthentication",  # knox, malformed header → 401 (first: a 401 names Token)
        # the console's same-origin session (auth/session/); CSRF enforced on its unsafe requests
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [  # coded 400/413 for oversized, over-nested, non-UTF-8 bodies
        "backend.core.parsers.JSONParser",
        "backend.core.parsers.FormParser",
        "backend.core.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "backend.core.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "backend.core.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": [
        "backend.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "backend.core.api.openapi.AutoSchema",  # the 4xx answers documented once
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon_report": env.str("WHISTLEBLOWER_RATE", default="5/hour"),
        "login": env.str("LOGIN_RATE", default="10/minute"),  # per normalised username
        "login_ip": env.str("LOGIN_IP_RATE", default="30/minute"),  # per client address
        "public_lookup": env.str("PUBLIC_LOOKUP_RATE", default="30/minute"),  # report verify, report status
    },
    # Client addresses for throttling: trust X-Forwarded-For only behind that many proxies (0: never).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    # Maps a pure-rule RuleError that escapes a view with backend.core.errors.from_rule (never a 500).
    "EXCEPTION_HANDLER_CLASS": "backend.core.api.exceptions.ExceptionHandler",
    # The schema documents every error answer with one body (backend.core.api.openapi.AutoSchema).
    "ALLOWED_ERROR_STATUS_CODES": ["400", "401", "403", "404", "405", "406", "409", "413", "415", "429", "500"],
    "ERROR_SCHEMAS": dict.fromkeys(("400", "401", "403", "404", "405", "406", "409", "413", "415", "429", "500"),
                                   "backend.core.api.openapi.ErrorResponseSerializer"),
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("TOKEN_TTL_HOURS", default=10)),
    "AUTO_REFRESH": False,  # a token expires TOKEN_TTL after login, however busy
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shuangfang 双防 API",
    "DESCRIPTION": "双重预防机制（风险分级管控 + 隐患排查治理）、八大特殊作业电子作业票与监管端 API。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,  # request bodies get their own components: read-only fields never required
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "drf_spectacular.hooks.postprocess_schema_enums",
        "backend.core.api.openapi.postprocess_error_codes",
    ],
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_FS_DIR = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem"):
    for sub in ("queue", "processed", "control"):
        (CELERY_FS_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "processed_folder": str(CELERY_FS_DIR / "processed"),
        "control_folder": str(CELERY_FS_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)  # KiB
# Escalation ladder, outbox dispatch and the beat schedule (celery_worker/schedule.py).
# ESCALATION_LADDER: {step: offset hours from the deadline, or None to switch a step off}; None = DOMAIN.md §5.
ESCALATION_LADDER = env.json("ESCALATION_LADDER", default=None)
NOTIFICATION_ON_ENQUEUE_HOOKS = ["celery_worker.kick.kick_dispatch"]
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.float("NOTIFICATION_RETRY_BASE_SECONDS", default=30.0)
NOTIFICATION_RETRY_MAX_SECONDS = env.float("NOTIFICATION_RETRY_MAX_SECONDS", default=3600.0)
NOTIFICATION_SENDING_LEASE_SECONDS = env.float("NOTIFICATION_SENDING_LEASE_SECONDS", default=300.0)
NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS = env.float("NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS", default=10.0)
NOTIFICATION_DISPATCH_BATCH = env.int("NOTIFICATION_DISPATCH_BATCH", default=200)
# Beat intervals in seconds (tests shorten them through the environment).
BEAT_DISPATCH_SECONDS = env.float("BEAT_DISPATCH_SECONDS", default=5.0)
BEAT_ESCALATION_SECONDS = env.float("BEAT_ESCALATION_SECONDS", default=60.0)
BEAT_PERMITS_SECONDS = env.float("BEAT_PERMITS_SECONDS", default=60.0)
BEAT_INVESTIGATION_SECONDS = env.float("BEAT_INVESTIGATION_SECONDS", default=3600.0)
BEAT_AUDIT_ANCHOR_SECONDS = env.float("BEAT_AUDIT_ANCHOR_SECONDS", default=3600.0)  # chain heads to regulators

# --- Logs, errors ---------------------------------------------------------------------------
#: ``LOG_FORMAT=json``: one JSON object per line (time, level, logger, message, request_id, user,
#: organization, task_name, task_id); default ``text``, human-readable. See backend/core/logging.py.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = __import__("backend.core.logging", fromlist=["logging_config"]).logging_config(
    LOG_FORMAT, env.str("LOG_LEVEL", default="INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING too (same format, task fields)
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:  # errors (and, with SENTRY_TRACES_SAMPLE_RATE, traces) of web and worker; nothing when unset
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=SENTRY_DSN, integrations=[DjangoIntegration(), CeleryIntegration()],
                    environment=env.str("SENTRY_ENVIRONMENT", default="production"),
                    release=env.str("SENTRY_RELEASE", default="") or None,
                    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0), send_default_pii=False)

# --- Files (photos, whistleblower attachments, report files) and static files ---------------------
#: ``STORAGE_BACKEND=local`` (default): MEDIA_ROOT on this machine. ``s3``: any S3-compatible store
#: (django-storages), so web nodes and workers on different machines see the same files. Files are never
#: public: the API streams them after its permission checks (no bucket URLs are handed out).
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "default_acl": None,  # the bucket's (private) policy
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif STORAGE_BACKEND == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be local or s3, not {STORAGE_BACKEND!r}.")
STORAGES = {
    "default": _default_storage,
    # collectstatic → STATIC_ROOT, served by whitenoise: in production hashed names (cached for ever) and
    # gzip/brotli copies; with DEBUG (make run) and in tests a plain copy, which takes seconds, not a minute.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if TESTING or DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # halves collectstatic's compression work; every URL is {% static %}
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz",
                                       "br", "swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov",
                                       "mp4", "mpeg", "mpg", "webm", "wmv", "map")  # whitenoise's list + source maps

#: Pixel budget (width × height) of one uploaded photo: bounds its decode time and memory (backend/core/uploads.py).
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=25_000_000)

# --- HTTPS and headers (manage.py check --deploy; README "Production") ---------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes of the orchestrator speak plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)  # a choice for the domain's owner (W021)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):  # behind a TLS-terminating proxy that sets it
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
#: Origins (scheme://host) allowed to POST forms (the admin) — e.g. ``https://sf.example.gov.cn``.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Health (/healthz, /readyz) ------------------------------------------------------------------
#: Seconds each readiness check may take (database, cache, broker, storage); a slower one is down.
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=3.0)
#: Worker and beat touch a file here (celery_worker/liveness.py); their liveness probe reads its age.
CELERY_HEARTBEAT_DIR = Path(env.str("CELERY_HEARTBEAT_DIR", default=str(VAR_DIR / "heartbeat")))

# --- Reports (双报告) ------------------------------------------------------------------------
#: Public origin of the verification page the issued reports print and QR-code (``<base>/verify/<sha256>``).
#: Required in production (DEBUG off, not under pytest): an https origin of a public host, else no start.
REPORTS_PUBLIC_BASE_URL = env.str("REPORTS_PUBLIC_BASE_URL", default="" if not DEBUG and not TESTING else "http://localhost:8000")
if not DEBUG and not TESTING and (_problem := public_https_origin_problem(REPORTS_PUBLIC_BASE_URL)):
    raise ImproperlyConfigured(
        f"DEBUG=False needs REPORTS_PUBLIC_BASE_URL, the public https origin of the report verification page "
        f"(e.g. https://sf.example.gov.cn); {REPORTS_PUBLIC_BASE_URL!r} is {_problem}.")
#: Whether /readyz counts a missing CJK font as "down" (False on a node that never renders PDFs).
REPORTS_REQUIRE_CJK_FONT = env.bool("REPORTS_REQUIRE_CJK_FONT", default=True)
# A render holds its job for at most this long: just over the hard task time limit, so a job whose
# worker was killed is re-claimed by the next sweep (every minute) rather than stuck in running.
REPORTS_LEASE_SECONDS = env.int("REPORTS_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 30)
CELERY_TASK_ROUTES = {"shuangfang.reports.*": {"queue": "reports"}}
# After a report job is requested (commit), these send its render task (the job row is the outbox;
# the reports sweep re-sends what a broker outage lost).
REPORTS_ON_REQUEST_HOOKS = ["celery_worker.tasks.enqueue_report_render"]
# An API register/ledger import of more rows than this runs as an import job in the worker (issue 13 §5);
# after the job commits, these send its task.
IMPORT_JOB_ROW_THRESHOLD = env.int("IMPORT_JOB_ROW_THRESHOLD", default=2000)
#: The local hour (Asia/Shanghai) by which the principal signs the day's 安全风险研判与承诺; past it a missing
#: commitment escalates (compliance/services/daily_commitment.py) [config]; 24 turns the escalation off.
RISK_COMMITMENT_DEADLINE_HOUR = env.int("RISK_COMMITMENT_DEADLINE_HOUR", default=9)
IMPORT_JOB_HOOKS = ["celery_worker.tasks.enqueue_import_job"]
