"""docker-compose.yml describes the production-like stack; no Docker engine runs here, so the file is checked
against the compose-spec schema and against what the production settings require."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat")


def _compose() -> dict:
    return YAML(typ="safe").load(COMPOSE.read_text())


def _required_by_production() -> set[str]:
    """Variables production settings read without a default, plus the two service URLs."""
    source = (ROOT / "wsp" / "settings" / "production.py").read_text()
    required = set(re.findall(r'env\.(?:str|list|bool|int)\("([A-Z_]+)"\)', source))
    return required | {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}


def test_compose_file_is_valid_against_the_compose_spec():
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_web_worker_beat_postgres_and_redis_with_health_checks():
    services = _compose()["services"]
    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert "gunicorn" in services["web"]["command"]
    assert "celery -A wsp worker" in services["worker"]["command"]
    assert "celery -A wsp beat" in services["beat"]["command"]
    assert any("postgresql/data" in v for v in services["db"]["volumes"])
    assert services["redis"]["volumes"]


def test_compose_sets_every_variable_production_requires():
    required = _required_by_production()
    assert "DJANGO_SECRET_KEY" in required and "DJANGO_ALLOWED_HOSTS" in required
    for name in APP_SERVICES:
        environment = _compose()["services"][name]["environment"]
        missing = required - set(environment)
        assert not missing, f"{name} lacks {sorted(missing)}"
        assert environment["DJANGO_SETTINGS_MODULE"] == "wsp.settings.production"
        # The secrets are never written in the file: compose refuses to start without them.
        for secret in ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BSN_HASH_KEY"):
            assert "${" + secret + ":?" in environment[secret], secret


# --- The web container: gunicorn with the BSN redacted from its logs (R-40) -------------------------------------

GUNICORN_CONF = ROOT / "wsp" / "gunicorn.conf.py"


def test_the_image_and_compose_run_gunicorn_with_the_projects_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "--config", "wsp/gunicorn.conf.py", "wsp.wsgi:application"]' in dockerfile
    web = _compose()["services"]["web"]["command"]
    assert "gunicorn --config wsp/gunicorn.conf.py wsp.wsgi:application" in web
    # The database cache table exists before the first request (it is only used without Redis).
    assert web.index("migrate") < web.index("createcachetable") < web.index("gunicorn")


def test_the_image_runs_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    env_line = next(line for line in dockerfile.splitlines() if line.startswith("ENV "))
    assert "DJANGO_SETTINGS_MODULE=wsp.settings.production" in env_line


def _gunicorn_logger():
    """gunicorn's logger as the config file sets it up, writing its access and error logs to strings."""
    import io
    import logging
    import runpy

    from gunicorn.config import Config

    cfg = Config()
    for name, value in runpy.run_path(str(GUNICORN_CONF)).items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = cfg.logger_class(cfg)
    streams = {}
    for name, log in (("access", logger.access_log), ("error", logger.error_log)):
        streams[name] = io.StringIO()
        for handler in log.handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(streams[name])
    return cfg, logger, streams


class _Response:
    status, sent, headers = "200 OK", 1234, [("Content-Type", "text/html")]


def _access_line(logger, streams, path: str, query: str, referer: str = "-") -> str:
    from datetime import timedelta

    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"{path}?{query}" if query else path, "PATH_INFO": path,
        "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": referer, "HTTP_USER_AGENT": "Mozilla/5.0",
    }  # fmt: skip
    request_headers = [("REFERER", referer), ("USER-AGENT", "Mozilla/5.0")]
    streams["access"].truncate(0)
    logger.access(_Response(), request_headers, environ, timedelta(milliseconds=12))
    return streams["access"].getvalue()


def test_the_gunicorn_config_uses_the_redacting_logger_R40():
    from wsp.logging import GunicornLogger

    cfg, _logger, _streams = _gunicorn_logger()
    assert cfg.logger_class is GunicornLogger
    assert cfg.accesslog == "-"


@pytest.mark.parametrize(
    ("query", "bsn"),
    [
        ("q=123456782", "123456782"),
        ("q=1234.56.782", "1234.56.782"),  # with dots
        ("q=123+456+782", "123+456+782"),  # with spaces, as a form sends them
        ("q=123%20456%20782", "123%20456%20782"),
        ("q=123456781&status=available", "123456781"),  # fails the eleven-test: still personal data in a search
        ("status=available&bsn=012345672", "012345672"),
    ],
)
def test_the_access_log_has_no_bsn_from_a_search_box_R40(query, bsn):
    _cfg, logger, streams = _gunicorn_logger()
    line = _access_line(logger, streams, "/kandidaten/", query, referer=f"https://wsp.example.org/kandidaten/?{query}")
    assert bsn not in line
    assert line.count("[BSN]") == 2  # the request line and the referrer
    assert '"GET /kandidaten/?' in line and " 200 1234 " in line  # the rest of the line is intact


def test_the_access_log_keeps_other_numbers_R40():
    _cfg, logger, streams = _gunicorn_logger()
    line = _access_line(logger, streams, "/api/v1/employers/123456781/", "page_size=50&updated_since=2026-01-01")
    assert "/api/v1/employers/123456781/?page_size=50&updated_since=2026-01-01" in line  # an id, not a BSN
    assert "[BSN]" not in line


def test_the_gunicorn_error_log_is_redacted_too_R40():
    _cfg, logger, streams = _gunicorn_logger()
    logger.error("Invalid request from ip=10.0.0.7: GET /kandidaten/?q=123+456+782")
    output = streams["error"].getvalue()
    assert "123+456+782" not in output and "[BSN]" in output


def test_check_deploy_with_production_settings_is_clean_on_security():
    """`manage.py check --deploy` with the production settings and a real key: no security warning (HTTPS, cookies,
    HSTS, DEBUG off), and django-axes' own checks (its backend and middleware are in place) pass too."""
    import secrets

    from tests.test_settings_and_infra import PRODUCTION_ENV, manage

    result = manage(
        "check", "--deploy", "--tag", "security", "--tag", "compatibility", "--fail-level", "WARNING",
        **PRODUCTION_ENV, DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
