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
    for name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
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
