"""Settings for every environment, read from the environment.

Production differs only by environment variables (DJANGO_ENV=production).
Embedded default: SQLite under var/ and in-process Celery, so a fresh machine
needs no services.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from deployments.celery_schedule import BEAT_SCHEDULE as DEPLOYMENTS_BEAT_SCHEDULE
from guarantees.celery_schedule import BEAT_SCHEDULE as GUARANTEES_BEAT_SCHEDULE
from portal.celery_schedule import BEAT_SCHEDULE as PORTAL_BEAT_SCHEDULE
from schools.celery_schedule import BEAT_SCHEDULE as SCHOOLS_BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env.bool("DEBUG", default=not PRODUCTION)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-not-for-production-use")
else:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: a missing key stops start-up

# Bank details (deployment form section 5): Fernet keys, newest first, comma
# separated (MultiFernet: old keys still decrypt while rows are re-encrypted),
# and the key of the hash that spots the same account twice. Dev/test defaults
# only when DEBUG; production must set both.
if DEBUG:
    BANK_DETAILS_KEYS = env.list(
        "BANK_DETAILS_KEYS", default=["ZGV2LW9ubHktYmFuay1kZXRhaWxzLWtleS0zMmJ5dGU="]
    )
    BANK_DETAILS_HASH_KEY = env.str("BANK_DETAILS_HASH_KEY", default="dev-only-bank-hash-key")
else:
    BANK_DETAILS_KEYS = env.list("BANK_DETAILS_KEYS")
    BANK_DETAILS_HASH_KEY = env.str("BANK_DETAILS_HASH_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "govuk_frontend_django",
    "portal",
    "schools",
    "deployments",
    "guarantees",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.refuse_unsafe_characters",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "portal.access.PermissionDeclaredMiddleware",
    "portal.sessions.refresh_session_on_activity",
    "portal.middleware.no_store_when_signed_in",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "web.urls"
WSGI_APPLICATION = "web.wsgi.application"

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
                "web.context_processors.navigation",
            ],
        },
    },
    {
        # Plain-text e-mails (portal/notify.py renders with using="emails"): no
        # HTML escaping, so "St Mary's & St John's" reads as typed, and no
        # context processors (the context is the one portal.emails builds).
        "NAME": "emails",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "autoescape": False,
            "builtins": ["portal.templatetags.email_format"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
# Persistent connections with DEBUG off: opening a PostgreSQL connection took about
# 11 ms of every request (bench/README.md). gunicorn's sync workers and Celery's
# prefork children serve one request or task at a time, so one kept connection per
# process is the pool; health checks replace a connection the server dropped before
# a request uses it. (psycopg's pool would add a pool per process and a dependency.)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# The cache holds the password reset counts: share one (CACHE_URL=redis://...)
# between the web processes in production, or each process counts on its own.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "portal.backends.SuperuserModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A session lasts a working day from the last activity (portal/sessions.py renews it).
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# Password reset e-mails per address and per IP address, each in an hour.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=10)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock out an e-mail + IP pair after repeated failures, and an
# IP address after more failures across e-mail addresses (portal/signin_limits.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_HANDLER = "portal.signin_limits.SignInLimitsHandler"
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "node_modules"]
# GOV.UK Frontend's precompiled CSS loads fonts and images from /assets/.
WHITENOISE_ROOT = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# E-mail: console unless SMTP is configured.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tsi-portal@localhost")
# GOV.UK Notify sends the hand-off e-mails when a key is set (portal/notify.py).
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env.str("NOTIFY_TEMPLATE_ID", default="")
# Links in e-mails point here (portal.emails makes every e-mail link absolute):
# required when DEBUG is off, like SECRET_KEY, or links would name a dev host.
if DEBUG:
    PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
else:
    PORTAL_BASE_URL = env.str("PORTAL_BASE_URL")  # no default: a missing URL stops start-up
if not PORTAL_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"PORTAL_BASE_URL must be an absolute http(s) URL such as "
        f"https://tsi-portal.example.gov.uk, not {PORTAL_BASE_URL!r}"
    )
PORTAL_BASE_URL = PORTAL_BASE_URL.rstrip("/")

# Celery: with no broker configured, tasks run in-process (eagerly).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
CELERY_TIMEZONE = TIME_ZONE
# The whole beat schedule, one readable dict per app.
CELERY_BEAT_SCHEDULE: dict = {
    **PORTAL_BEAT_SCHEDULE,
    **DEPLOYMENTS_BEAT_SCHEDULE,
    **GUARANTEES_BEAT_SCHEDULE,
    **SCHOOLS_BEAT_SCHEDULE,
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Deny by default: a view that declares no `permission_required` is refused.
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.HasRulesPermission"],
    # JSON nested deeper than any request needs is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
    # No OPTIONS metadata: it describes writes the user may not make, and it asks
    # detail routes with their own URL arguments for an object they cannot find.
    "DEFAULT_METADATA_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trust and school improvement portal API",
    "DESCRIPTION": "Every record the portal shows, for REST clients.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SystemLeaderKindEnum": "deployments.leaders.models.SystemLeader.Kind",
        "EnhancedRequestKindEnum": "deployments.delivery.models.EnhancedRequest.Kind",
        # The list and the detail serializers share it: keep its name.
        "SupportCaseStateEnum": "deployments.matching.models.SupportCase.State",
        # One name per choice set that several serializers share.
        "LaContactedEnum": "deployments.matching.models.SupportCase.LaContacted",
        "PhaseEnum": "deployments.choices.Phase",
        "DeploymentSectionKeyEnum": "deployments.delivery.models.SECTION_KEYS",
        "ComplaintDecisionOutcomeEnum": "guarantees.choices.DECISION_OUTCOMES",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents its error answers (400, 401, 403, 404).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.document_error_responses",
    ],
}

# Content-Security-Policy: scripts only from our own static files (GOV.UK Frontend
# starts from static/portal/govuk-init.js, Swagger UI from its split view).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Swagger UI and the progress bar set inline styles.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production hardening: `manage.py check --deploy` is clean with DJANGO_ENV=production.
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Register imports: the largest file an upload may be (GIAS establishments is about
# 70 MB), and how long an imported file stays on disk after its import finished.
IMPORT_UPLOAD_MAX_BYTES = env.int("IMPORT_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
IMPORT_INPUT_RETENTION_DAYS = env.int("IMPORT_INPUT_RETENTION_DAYS", default=30)
