"""docker-compose.yml describes the production-like stack; no Docker engine runs here, so the file is checked
against the compose-spec schema and against what the production settings require."""

import re
import subprocess
import sys
from pathlib import Path

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
