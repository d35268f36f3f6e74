"""Infrastructure the product relies on: the OpenAPI schema and docs (API.md), production settings that refuse to
start without a secret and pass `check --deploy` (STYLE habit 9), and a Celery set-up that never hangs a request."""

import importlib.util
import os
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.conf import settings
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from kombu.exceptions import OperationalError

ROOT = Path(__file__).resolve().parent.parent
DEAD_BROKER = "redis://127.0.0.1:1/0"


def database_url() -> str:
    """DATABASE_URL for a subprocess, from this process's settings (a socket host goes in the query string)."""
    db = settings.DATABASES["default"]
    user = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        user += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or ""
    if host.startswith("/"):
        return f"postgres://{user}@/{db['NAME']}?host={quote(host)}"
    return f"postgres://{user}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a clean environment: only PATH and what the test passes."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": database_url(), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


# --- OpenAPI schema and docs -----------------------------------------------------------------------------------


def test_openapi_schema_generates_without_warnings_and_validates(tmp_path):
    GENERATOR_STATS.reset()  # warnings of earlier schema requests in this process are not this test's
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3")


def test_openapi_schema_covers_the_contract_paths():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = set(schema["paths"])
    for path in (
        "organisations/",
        "users/",
        "users/me/",
        "sectors/",
        "employers/",
        "employers/{id}/",
        "employers/duplicates/",
        "employers/{id}/access-requests/",
        "employers/{id}/take-over/",
        "access-requests/{id}/approve/",
        "access-requests/{id}/decline/",
        "contact-moments/",
        "contact-requests/",
        "contact-requests/{id}/",
        "feedback/",
    ):
        assert f"/api/v1/{path}" in paths, path
    assert set(schema["paths"]["/api/v1/employers/"]) >= {"get", "post"}
    assert "patch" in schema["paths"]["/api/v1/employers/{id}/"]
    # `Authorization: Token <key>` is documented for integrators.
    token_auth = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token_auth["in"], token_auth["name"]) == ("header", "Authorization")


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/employers/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    # Swagger UI comes from our own static files, not from a CDN.
    assert b"cdn.jsdelivr" not in docs.content


# --- Production settings ---------------------------------------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE="wsp.settings.production", DJANGO_ALLOWED_HOSTS="wsp.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "wsp.settings.production",
    "DJANGO_ALLOWED_HOSTS": "wsp.example.org",
    # production also requires the keys for encrypted personal data (tests/matching/test_crypto.py).
    "FIELD_ENCRYPTION_KEYS": "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1rZXktLS0=",
    "BSN_HASH_KEY": "for-tests-only",
}


def test_production_passes_check_deploy_at_warning_level():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, DJANGO_SECRET_KEY=secrets.token_urlsafe(60)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_a_short_or_default_secret():
    result = manage(
        "check",
        "--deploy",
        "--tag",
        "security",
        "--fail-level",
        "WARNING",
        **PRODUCTION_ENV,
        DJANGO_SECRET_KEY="dev-only-insecure-key-do-not-use-in-production",
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


# --- Celery ----------------------------------------------------------------------------------------------------


def load_base_settings(monkeypatch, **env: str):
    """Execute wsp/settings/base.py afresh under the given environment (a DATABASE_URL keeps the embedded
    PostgreSQL out of it)."""
    for name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url())
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("wsp_settings_probe", ROOT / "wsp" / "settings" / "base.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_celery_runs_tasks_eagerly_without_a_broker(monkeypatch):
    assert load_base_settings(monkeypatch).CELERY_TASK_ALWAYS_EAGER is True
    with_broker = load_base_settings(monkeypatch, CELERY_BROKER_URL="redis://redis:6379/0")
    assert with_broker.CELERY_TASK_ALWAYS_EAGER is False


@pytest.mark.django_db
def test_without_a_broker_a_task_runs_in_process_R10():
    from employers.tasks import flag_overdue_contact_requests

    result = flag_overdue_contact_requests.delay()
    assert result.successful()
    assert result.get() == 0


def test_celery_is_reliable_and_fails_fast():
    from wsp.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_connection_timeout <= 5
    assert conf.broker_transport_options["socket_connect_timeout"] <= 5
    assert conf.broker_transport_options["socket_timeout"] <= 5
    assert conf.task_publish_retry_policy["max_retries"] <= 3
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit


def fresh_celery_app(broker_url: str) -> Celery:
    """A Celery app configured like wsp.celery's, but with its own broker and not eager."""
    app = Celery("wsp-probe", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    return app


def test_enqueuing_against_a_dead_broker_fails_within_seconds(monkeypatch):
    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration; CI sets it to a live Redis.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = fresh_celery_app(DEAD_BROKER)
    started = time.monotonic()
    with pytest.raises(OperationalError):
        app.send_task("employers.tasks.flag_overdue_contact_requests")
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"a dead broker held the caller for {elapsed:.1f} s"


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="CELERY_BROKER_URL is not set (CI sets it)")
def test_a_message_can_be_published_to_the_configured_redis():
    import redis

    url = os.environ["CELERY_BROKER_URL"]
    app = fresh_celery_app(url)
    queue = f"wsp-probe-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        app.send_task("wsp.probe", queue=queue)
        # Kombu's Redis transport keeps a queue as a list under the queue's name.
        assert client.llen(queue) == 1
    finally:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


# --- Settings modules: production by default, development named (issue 7) ---------------------------------------

SECRETS = ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BSN_HASH_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG")


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python in the project in a clean environment: only PATH, DATABASE_URL and what the test passes."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": database_url(), **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("module", ["wsp.wsgi", "wsp.asgi", "wsp.celery"])
def test_the_servers_default_to_production_settings(module):
    """wsgi.py, asgi.py and celery.py never fall back to DEBUG and the public development key."""
    probe = (
        f"import {module}, django; django.setup(); from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG)"
    )
    refused = python(probe)
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY" in refused.stderr
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SETTINGS_MODULE"}
    started = python(probe, **env, DJANGO_SECRET_KEY="x" * 60)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().splitlines()[-1] == "wsp.settings.production False"


def test_base_settings_hold_no_insecure_defaults(monkeypatch):
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)
    base = load_base_settings(monkeypatch)
    assert base.DEBUG is False
    assert base.SECRET_KEY == ""  # Django refuses to start without one
    assert base.FIELD_ENCRYPTION_KEYS == [] and base.BSN_HASH_KEY == ""
    assert base.ALLOWED_HOSTS == []
    monkeypatch.delenv("DATABASE_URL")
    spec = importlib.util.spec_from_file_location("wsp_settings_probe_nodb", ROOT / "wsp" / "settings" / "base.py")
    without_database = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(without_database)
    assert without_database.DATABASES == {}  # no embedded PostgreSQL behind production's back


def test_the_base_settings_alone_do_not_serve():
    """Named by mistake on a server, the base settings have no key to sign sessions with and no database."""
    probe = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    result = python(probe, DJANGO_SETTINGS_MODULE="wsp.settings.base")
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr
    probe = "import django; django.setup(); from django.db import connection; connection.ensure_connection()"
    result = python(probe, DJANGO_SETTINGS_MODULE="wsp.settings.base", DATABASE_URL="")
    assert result.returncode != 0
    assert "DATABASES is improperly configured" in result.stderr


def test_manage_py_defaults_to_the_development_settings():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wsp.settings.local True"


def test_the_test_settings_build_on_the_development_settings():
    from wsp.settings import local

    assert settings.SETTINGS_MODULE == "wsp.settings.test"
    assert settings.SECRET_KEY == local.SECRET_KEY
    assert settings.FIELD_ENCRYPTION_KEYS == local.FIELD_ENCRYPTION_KEYS
    assert "from .local import *" in (ROOT / "wsp" / "settings" / "test.py").read_text()


def test_make_and_ci_name_their_settings_module():
    makefile = (ROOT / "Makefile").read_text()
    targets = {}
    for block in makefile.split("\n\n"):
        for line in block.splitlines():
            if line and not line.startswith(("\t", "#")) and ":" in line and "=" not in line.split(":")[0]:
                targets[line.split(":")[0]] = block
    assert "LOCAL := DJANGO_SETTINGS_MODULE=wsp.settings.local" in makefile
    run = [line.strip() for line in targets["run"].splitlines() if line.startswith("\t")]
    assert run and all(line.startswith("$(LOCAL) ") for line in run)
    assert [line.split()[3] for line in run] == ["migrate", "createcachetable", "seed_demo", "runserver"]
    assert "DJANGO_SETTINGS_MODULE=wsp.settings.test $(BIN)/python -m pytest" in targets["test"]
    assert 'export DJANGO_SETTINGS_MODULE="wsp.settings.test"' in (ROOT / ".ci" / "run").read_text()


# --- The cache all processes share (the API throttle) ---------------------------------------------------------


def test_the_cache_is_redis_when_one_is_configured_and_the_database_otherwise(monkeypatch):
    """Never per-process memory: gunicorn's workers and Celery's would each count on their own."""
    assert load_base_settings(monkeypatch).CACHES["default"]["BACKEND"] == (
        "django.core.cache.backends.db.DatabaseCache"
    )
    for variable in ("CELERY_BROKER_URL", "REDIS_URL"):
        cache = load_base_settings(monkeypatch, **{variable: "redis://redis:6379/1"}).CACHES["default"]
        assert (cache["BACKEND"], cache["LOCATION"]) == (
            "django.core.cache.backends.redis.RedisCache",
            "redis://redis:6379/1",
        )
    both = load_base_settings(monkeypatch, CELERY_BROKER_URL="redis://broker/0", REDIS_URL="redis://cache/2")
    assert both.CACHES["default"]["LOCATION"] == "redis://cache/2"


@pytest.mark.django_db
def test_the_test_database_has_the_cache_table():
    """Django's test runner runs createcachetable for the database cache (make test needs no extra step)."""
    from django.core.cache import caches
    from django.db import connection

    assert settings.CACHES["database"]["LOCATION"] == "wsp_cache"
    assert "wsp_cache" in connection.introspection.table_names()
    caches["database"].set("probe", 1)
    assert caches["database"].get("probe") == 1


# --- Django's request logs: no BSN in a query string (R-40) ---------------------------------------------------


@pytest.fixture
def live_log_output():
    """What the configured handlers of a logger write, captured from the live logging configuration."""
    import io
    import logging

    swapped = []

    def capture(logger_name: str) -> io.StringIO:
        logger = logging.getLogger(logger_name)
        handlers = logger.handlers or logging.getLogger().handlers
        stream = io.StringIO()
        for handler in handlers:
            if isinstance(handler, logging.StreamHandler) and not type(handler).__module__.startswith("_pytest"):
                swapped.append((handler, handler.setStream(stream)))
        assert swapped, logger_name
        return stream

    yield capture
    for handler, previous in swapped:
        handler.setStream(previous)


@pytest.mark.parametrize("query", ["q=123456782", "q=1234.56.782", "q=123+456+782", "q=123%20456%20782", "q=123456781"])
def test_runserver_request_lines_have_no_bsn_R40(live_log_output, query):
    import logging

    output = live_log_output("django.server")
    # As django.core.servers.basehttp.WSGIRequestHandler.log_message logs a request.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /kandidaten/?{query} HTTP/1.1", "200", "5120", extra={"status_code": 200}
    )
    line = output.getvalue()
    assert query.split("=")[1] not in line
    assert '"GET /kandidaten/?q=[BSN] HTTP/1.1" 200 5120' in line


def test_django_request_lines_have_no_bsn_R40(live_log_output):
    import logging

    output = live_log_output("django.request")
    logging.getLogger("django.request").warning("Not Found: %s", "/kandidaten/zoek/?bsn=1234 56 782&page=2")
    line = output.getvalue()
    assert "1234 56 782" not in line and "?bsn=[BSN]&page=2" in line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bsn 1234.56.782 genoteerd", "bsn [BSN] genoteerd"),  # dots, as on a letter
        ("bsn 123 456 782 genoteerd", "bsn [BSN] genoteerd"),  # spaces
        ("bsn 1234.56.781 genoteerd", "bsn 1234.56.781 genoteerd"),  # not a BSN (eleven-test) outside a query
        ("GET /zoek/?q=1234.56.781 HTTP/1.1", "GET /zoek/?q=[BSN] HTTP/1.1"),  # any nine digits in a query
        ("/zoek/?page=2&q=123+456+782", "/zoek/?page=2&q=[BSN]"),
        (
            "om 2026-01-01 12:00:00 door 0612345678, kvk 12345678",
            "om 2026-01-01 12:00:00 door 0612345678, kvk 12345678",
        ),
        (
            "?updated_since=2026-01-01T00:00:00%2B01:00&page_size=500",
            "?updated_since=2026-01-01T00:00:00%2B01:00&page_size=500",
        ),
        ("bedrag 123.456.782,50", "bedrag 123.456.782,50"),  # an amount with decimals
    ],
)
def test_bsn_redaction_recognises_separators_and_query_strings_R40(text, expected):
    from wsp.logging import redact_bsn

    assert redact_bsn(text) == expected


# --- The database never sees an offset it cannot take ----------------------------------------------------------


def test_the_database_engine_sends_date_times_in_utc():
    """PostgreSQL takes offsets up to 15:59; the project's backend (wsp.db) converts every date-time to UTC first,
    so a browser form, the admin or an import that lets +16:00 through stores the same moment instead of failing."""
    from datetime import UTC, datetime, timedelta
    from datetime import timezone as tz

    from django.db import connection

    assert settings.DATABASES["default"]["ENGINE"] == "wsp.db"
    moment = datetime(2026, 1, 1, 0, 0, tzinfo=tz(timedelta(hours=16)))
    assert connection.ops.adapt_datetimefield_value(moment) == moment
    assert connection.ops.adapt_datetimefield_value(moment).utcoffset() == timedelta(0)
    assert connection.ops.adapt_datetimefield_value(None) is None
    edge = datetime(1, 1, 1, 0, 0, tzinfo=tz(timedelta(hours=1)))  # before the year 1 in UTC: left as it is
    assert connection.ops.adapt_datetimefield_value(edge) is edge
    assert moment.astimezone(UTC).isoformat() == "2025-12-31T08:00:00+00:00"


@pytest.mark.django_db
def test_a_write_or_a_filter_with_offset_16_is_the_moment_instead_of_a_database_error(employer):
    """Whatever path lets +16:00 through (a browser form, the admin, an import), the ORM stores and compares the
    same moment."""
    from datetime import datetime, timedelta
    from datetime import timezone as tz

    from employers.models import ContactMoment
    from tests.factories import ContactMomentFactory

    at = datetime(2026, 1, 1, 0, 0, tzinfo=tz(timedelta(hours=16)))
    moment = ContactMomentFactory(employer=employer, occurred_at=at)
    moment.refresh_from_db()
    assert moment.occurred_at.isoformat() == "2025-12-31T08:00:00+00:00"
    assert list(ContactMoment.objects.filter(occurred_at__gte=at)) == [moment]
