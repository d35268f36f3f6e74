"""Load benchmark: the application under gunicorn on production settings, driven by wrk over loopback.

    make bench-load            (or: .venv/bin/python bench/load/drive.py [--seconds 5] [--concurrency 1,8,32])

Starts gunicorn (2 sync workers unless --workers, `wsp/gunicorn.conf.py`, production settings with the bare view's
URL beside the application's: bench/load/settings.py) on the benchmark database (`seed_demo --scale`, seeded by
bench/run.py's rules when it is not there yet), and drives every API list and detail, matches, the stats, and the
main pages with wrk at each concurrency for --seconds each. Prints requests per second, p50/p95/p99, errors and
non-2xx answers per endpoint, the ratio of p50 to the endpoint's raw SQL (the same statements replayed on a plain
cursor, bench/harness.py) and, for the employer list, to a bare Django view serving the same 25 rows in the same run.
Then the same at the demo size (`seed_demo`, database `<name>_demo`; --no-demo skips it), so growth shows.

Without DATABASE_URL the embedded PostgreSQL is used (database `wsp_bench`). Redis at REDIS_URL (default
redis://127.0.0.1:6379/5) is the shared cache when it answers. Prints figures and asserts nothing.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

TARGETS = {  # what the issue "Speed at scale" asks at 8 concurrent, at the benchmark size
    "list": "rps >= 250, p95 < 50 ms",
    "detail": "rps >= 250, p95 < 50 ms",
    "matches": "rps >= 100",
    "stats": "p50 < 10 ms",
    "page": "-",
    "bare": "-",
}


@dataclass
class Endpoint:
    name: str
    path: str
    kind: str  # list, detail, matches, stats, page, bare
    auth: str  # token, adviser, manager (a session)


@dataclass
class Run:
    endpoint: Endpoint
    concurrency: int
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    non2xx: int


@dataclass
class Size:
    label: str
    runs: list[Run] = field(default_factory=list)
    raw_sql: dict[str, float | None] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


# --- Set-up ---------------------------------------------------------------------------------------------------------


def database_url() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    user = quote(db["USER"] or "postgres") + (":" + quote(db["PASSWORD"]) if db.get("PASSWORD") else "")
    host = db.get("HOST") or ""
    if host.startswith("/"):
        return f"postgres://{user}@/{db['NAME']}?host={quote(host)}"
    return f"postgres://{user}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def use_database(name: str) -> None:
    from django.conf import settings
    from django.db import connections

    connections["default"].close()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def ensure_demo(name: str) -> None:
    """The demo-size database beside the benchmark's: created and seeded once (`seed_demo`)."""
    import psycopg2
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None, host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        created = cursor.fetchone() is None
        if created:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    use_database(name)
    from accounts.models import Organisation

    call_command("migrate", verbosity=0)
    if created or not Organisation.objects.exists():
        print(f"Seeding the demo-size database {name} (seed_demo) ...", flush=True)
        call_command("seed_demo", verbosity=0)


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is not installed; installing it from Debian's packages ...", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: apt-get install wrk")
    return found


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return url
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(url: str, port: int, workers: int) -> dict:
    """Production settings, with the development keys the data was seeded with (its candidates are encrypted)."""
    from django.conf import settings

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "BSN_HASH_KEY": settings.BSN_HASH_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": url,
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "API_THROTTLE_RATE": "100000000/hour",  # the load is one client: measure the application, not the throttle
    }
    redis = redis_url()
    if redis:
        env["REDIS_URL"] = redis
    return env


def start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    python = Path(sys.executable)
    subprocess.run(
        [str(python), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )  # the production storage serves hashed static files from their manifest
    gunicorn = python.parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "wsp/gunicorn.conf.py", "wsp.wsgi:application"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(2)  # the workers load the application
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn stopped: see {log}")
            time.sleep(0.3)
    server.kill()
    sys.exit(f"gunicorn did not answer within 60 s: see {log}")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


# --- Subjects -------------------------------------------------------------------------------------------------------


def subjects() -> dict:
    """The adviser with the most referrals to their vacancies (the heaviest R-40 case), a manager, and an employer,
    vacancy and candidate the adviser sees; a token and sessions for them."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from accounts.models import User
    from accounts.services import api_token_create
    from employers.models import Employer
    from matching.models import Candidate
    from vacancies.models import Vacancy

    adviser = (
        User.objects.filter(role__in=["adviser", "account_manager"], is_active=True)
        .annotate(n=Count("owned_vacancies__referrals"))
        .order_by("-n", "id")
        .first()
    )
    manager = User.objects.filter(role="manager", is_active=True).order_by("id").first()

    def session(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    _token, key = api_token_create(user=adviser, name="bench-load")
    vacancy = Vacancy.objects.filter(owner=adviser).annotate(n=Count("referrals")).order_by("-n", "id").first()
    return {
        "adviser": adviser,
        "manager": manager,
        "token": key,
        "sessions": {"adviser": session(adviser), "manager": session(manager)},
        "employer": Employer.objects.visible_to(adviser).order_by("-id").values_list("id", flat=True).first(),
        "vacancy": vacancy.pk,
        "candidate": Candidate.objects.filter(organisation=adviser.organisation).order_by("-id")[0].pk,
    }


def endpoints(s: dict) -> list[Endpoint]:
    api = "/api/v1/"
    return [
        Endpoint("API employers/", f"{api}employers/?page_size=25", "list", "token"),
        Endpoint("API employers/ (session)", f"{api}employers/?page_size=25", "list", "adviser"),
        Endpoint("bare view, same 25 employers", "/bench/bare/employers/", "bare", "adviser"),
        Endpoint("API employers/{id}/", f"{api}employers/{s['employer']}/", "detail", "token"),
        Endpoint("API contact-moments/", f"{api}contact-moments/?page_size=25", "list", "token"),
        Endpoint("API vacancies/", f"{api}vacancies/?page_size=25", "list", "token"),
        Endpoint("API vacancies/{id}/", f"{api}vacancies/{s['vacancy']}/", "detail", "token"),
        Endpoint("API candidates/", f"{api}candidates/?page_size=25", "list", "token"),
        Endpoint("API candidates/{id}/", f"{api}candidates/{s['candidate']}/", "detail", "token"),
        Endpoint("API referrals/", f"{api}referrals/?page_size=25", "list", "token"),
        Endpoint("API placements/", f"{api}placements/?page_size=25", "list", "token"),
        Endpoint("API vacancies/{id}/matches/", f"{api}vacancies/{s['vacancy']}/matches/", "matches", "token"),
        Endpoint("API stats/placements/ by sector", f"{api}stats/placements/?group_by=sector", "stats", "token"),
        Endpoint("API stats/referrals/ by sector", f"{api}stats/referrals/?group_by=sector", "stats", "token"),
        Endpoint("API referrals/funnel/", f"{api}referrals/funnel/", "stats", "token"),
        Endpoint("page /werkgevers/", "/werkgevers/", "page", "adviser"),
        Endpoint("page /vacatures/", "/vacatures/", "page", "adviser"),
        Endpoint("page /kandidaten/", "/kandidaten/", "page", "adviser"),
        Endpoint("page / (adviser's home)", "/", "page", "adviser"),
        Endpoint("page /sturing/ (manager)", "/sturing/", "page", "manager"),
    ]


def headers(endpoint: Endpoint, s: dict) -> list[str]:
    if endpoint.auth == "token":
        return ["-H", f"Authorization: Token {s['token']}"]
    return ["-H", f"Cookie: sessionid={s['sessions'][endpoint.auth]}"]


# --- Measuring ------------------------------------------------------------------------------------------------------


def raw_sql(endpoint: Endpoint, s: dict) -> tuple[float | None, int]:
    """The endpoint's statements, captured in-process, replayed on a plain cursor (p50 ms); and the answer's size."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from harness import time_raw_sql

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    if endpoint.auth == "token":
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {s['token']}"
    else:
        client.force_login(s[endpoint.auth])
    if endpoint.path.startswith("/bench/"):
        return None, 0
    client.get(endpoint.path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(endpoint.path)
    statements = [q["sql"] for q in captured.captured_queries]
    return time_raw_sql(statements, repeat=5, warmup=1), len(response.content)


def drive(wrk: str, url: str, endpoint: Endpoint, s: dict, concurrency: int, seconds: int) -> Run:
    threads = str(min(concurrency, 2))
    command = [wrk, "-t", threads, "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "10s"]
    command += ["-s", str(HERE / "report.lua"), *headers(endpoint, s), url + endpoint.path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in result.stdout.splitlines() if x.startswith("{")), None)
    if line is None:
        return Run(endpoint, concurrency, 0, 0, 0, 0, -1, -1)
    data = json.loads(line)
    rps = data["requests"] / data["seconds"] if data["seconds"] else 0.0
    return Run(endpoint, concurrency, rps, data["p50"], data["p95"], data["p99"], data["errors"], data["non2xx"])


def drain(base: str, endpoint: Endpoint, s: dict) -> None:
    """Wait until the server has answered what the last run left queued (wrk stops sending, gunicorn's sync workers
    still answer every request accepted): one request of our own, answered behind that backlog."""
    request = urllib.request.Request(base + endpoint.path)
    name, value = headers(endpoint, s)[1].split(": ", 1)
    request.add_header(name, value)
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=300).read()


def measure_size(label: str, *, concurrencies: list[int], seconds: int, workers: int, only: str) -> Size:
    from django.core.management import call_command

    from accounts.models import ApiToken

    call_command("createcachetable", verbosity=0)  # the cache of a machine without Redis (the throttle, tokens)
    size = Size(label)
    s = subjects()
    chosen = [e for e in endpoints(s) if only.lower() in e.name.lower()]
    for endpoint in chosen:
        size.raw_sql[endpoint.name], size.rows[endpoint.name] = raw_sql(endpoint, s)
    port = free_port()
    log = ROOT / "var" / f"bench-load-{label}.log"
    log.parent.mkdir(exist_ok=True)
    server = start_server(server_environment(database_url(), port, workers), port, log)
    wrk = wrk_binary()
    base = f"http://127.0.0.1:{port}"
    try:
        for endpoint in chosen:
            drain(base, endpoint, s)
            drive(wrk, base, endpoint, s, 1, 1)  # warm both workers' caches and connections
            for concurrency in concurrencies:
                drain(base, endpoint, s)
                run = drive(wrk, base, endpoint, s, concurrency, seconds)
                size.runs.append(run)
                print(
                    f"  [{label}] {endpoint.name} c={concurrency}: {run.rps:.0f} rps, p50 {run.p50:.1f} ms, "
                    f"p95 {run.p95:.1f}, p99 {run.p99:.1f}, errors {run.errors}, non-2xx {run.non2xx}",
                    flush=True,
                )
    finally:
        stop_server(server)
        ApiToken.objects.filter(name="bench-load").delete()
    return size


# --- Report ---------------------------------------------------------------------------------------------------------


def table(size: Size, demo: Size | None, concurrencies: list[int]) -> list[str]:
    lines = [f"{size.label}: p50/p95/p99 in ms; raw SQL = the endpoint's statements on a plain cursor (p50 ms)"]
    bare = {r.concurrency: r for r in size.runs if r.endpoint.kind == "bare"}
    header = f"{'endpoint':36} {'c':>3} {'rps':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'err':>4} {'non2xx':>6}"
    header += f" {'raw SQL':>8} {'p50/SQL':>8} {'vs bare':>8} {'demo rps':>9} {'growth':>7}  target"
    lines += [header, "-" * len(header)]
    demo_runs = {(r.endpoint.name, r.concurrency): r for r in demo.runs} if demo else {}
    for run in size.runs:
        name = run.endpoint.name
        raw = size.raw_sql.get(name)
        ratio = f"{run.p50 / raw:.1f}x" if raw else "-"
        versus = "-"
        if name.startswith("API employers/ (session)") and run.concurrency in bare and bare[run.concurrency].rps:
            versus = f"{bare[run.concurrency].rps / run.rps:.2f}x" if run.rps else "-"
        small = demo_runs.get((name, run.concurrency))
        growth = f"{run.p50 / small.p50:.2f}x" if small and small.p50 else "-"
        target = TARGETS[run.endpoint.kind] if run.concurrency == 8 else ""
        raw_text = f"{raw:.1f}" if raw is not None else "-"
        demo_rps = f"{small.rps:.0f}" if small else "-"
        lines.append(
            f"{name:36} {run.concurrency:>3} {run.rps:>7.0f} {run.p50:>7.1f} {run.p95:>7.1f} {run.p99:>7.1f} "
            f"{run.errors:>4} {run.non2xx:>6} {raw_text:>8} {ratio:>8} {versus:>8} {demo_rps:>9} {growth:>7}  {target}"
        )
    lines.append(
        "vs bare = the bare view's rps / DRF's (the same rows, session login); growth = p50 here / p50 at demo size"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="seconds per endpoint and concurrency (default 5)")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated (default 1,8,32)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo-size run")
    parser.add_argument("--only", default="", help="only endpoints whose name contains this")
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",") if c.strip()]

    import run as bench  # bench/run.py: its set-up and its seeding of the benchmark database

    bench.setup_django()
    bench.ensure_data(employers=100_000, contacts_per_employer=10, reseed=False)
    from django.conf import settings

    scale_name = settings.DATABASES["default"]["NAME"]
    options = {"concurrencies": concurrencies, "seconds": args.seconds, "workers": args.workers, "only": args.only}
    print(f"Benchmark size ({scale_name}), {args.workers} gunicorn workers, {args.seconds} s per run:", flush=True)
    scale = measure_size("benchmark size", **options)
    demo = None
    if not args.no_demo:
        ensure_demo(f"{scale_name}_demo")
        print(f"Demo size ({scale_name}_demo):", flush=True)
        demo = measure_size("demo size", **options)
    print()
    print("\n".join(table(scale, demo, concurrencies)))
    if demo:
        print()
        print("\n".join(table(demo, None, concurrencies)))


if __name__ == "__main__":
    main()
