"""Benchmarks of what advisers use most, on the `seed_demo --scale` volume.

    .venv/bin/python bench/run.py            (or: make bench)

100,000 employers with 1,000,000 contact moments, 200,000 vacancies, 100,000 candidates, 1,000,000 referrals and
200,000 placements. Prints figures and asserts nothing: benchmarks are not tests. Every request runs in-process
through Django's test client (logged in as an adviser), first a few times to warm up, then --repeat times; the
table shows p50/p95 in ms, the SQL queries per request, the time the same SQL takes on a plain cursor, and what the
application adds on top (request p50 - raw SQL p50). See bench/README.md for the cases and their targets; the
vacancy, matching and placement cases are in bench/matching_bench.py, the manager's (m1-m5; `--only manager` runs
just those) in bench/manager_bench.py.

Without DATABASE_URL the embedded PostgreSQL is used with its own database `wsp_bench`, seeded once by
`seed_demo --scale`; a rerun reuses it.
"""

import argparse
import gc
import os
import sys
import time
import warnings
from pathlib import Path

import manager_bench
import matching_bench
from harness import Result, getter, measure

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "wsp_bench"
# What must be there, at least, to reuse the database (the seed reaches a little under the asked numbers where
# the rules leave no fitting candidate: see demo/seed/funnel.py).
REUSE_AT_LEAST = {"vacancies": 0.95, "candidates": 0.95, "referrals": 0.85, "placements": 0.9}


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsp.settings.local")
    if not os.environ.get("DATABASE_URL"):
        # Our own database on the shared embedded server: never the development database `wsp`.
        os.environ["EMBEDDED_DATABASE_NAME"] = BENCH_DATABASE
    import django

    django.setup()
    # WhiteNoise warns once that collectstatic has not run; the benchmark serves no static files.
    warnings.filterwarnings("ignore", message="No directory at")


def ensure_data(*, employers: int, contacts_per_employer: int, reseed: bool) -> None:
    """Migrate, and seed only when the database does not hold the benchmark volume yet."""
    from django.core.management import call_command

    from accounts.models import Organisation
    from demo.seed.vocabulary import BENCH_SCALE
    from employers.models import ContactMoment, Employer
    from matching.models import Candidate, Placement, Referral
    from vacancies.models import Vacancy

    call_command("migrate", interactive=False, verbosity=0)
    have = {
        "employers": Employer.objects.count(),
        "contact moments": ContactMoment.objects.count(),
        "vacancies": Vacancy.objects.count(),
        "candidates": Candidate.objects.count(),
        "referrals": Referral.objects.count(),
        "placements": Placement.objects.count(),
    }
    wanted_contacts = employers * contacts_per_employer
    enough = (
        have["employers"] >= employers
        and have["contact moments"] >= wanted_contacts * 0.95
        and all(have[name] >= BENCH_SCALE[name] * share for name, share in REUSE_AT_LEAST.items())
    )
    if not reseed and enough:
        print("Reusing the data: " + ", ".join(f"{count:,} {name}" for name, count in have.items()) + ".")
        return
    if Organisation.objects.exists() and os.environ.get("DATABASE_URL") and not reseed:
        sys.exit(
            f"The database of DATABASE_URL holds other data ({have['employers']:,} employers); "
            "rerun with --reseed to replace it with the benchmark data."
        )
    print(
        f"Seeding {employers:,} employers with about {wanted_contacts:,} contact moments, "
        + ", ".join(f"{BENCH_SCALE[name]:,} {name}" for name in REUSE_AT_LEAST)
        + " (once, a few minutes)..."
    )
    started = time.monotonic()
    call_command(
        "seed_demo",
        scale=True,
        employers=employers,
        contacts_per_employer=contacts_per_employer,
        reset=Organisation.objects.exists(),
        verbosity=0,
    )
    print(f"Seeded in {time.monotonic() - started:.1f} s.")


def pick_subjects():
    """The adviser to log in as, a name fragment, a duplicate to look for and the employer with most history."""
    from django.db import connection

    from accounts.choices import Role
    from accounts.models import User
    from employers.models import Employer

    adviser = User.objects.filter(username="anna.jansen").first() or User.objects.filter(role=Role.ADVISER).first()
    original = Employer.objects.filter(name="De Vries Bouw B.V.").first() or Employer.objects.order_by("id").first()
    with connection.cursor() as cursor:
        # The employer with the longest contact history: the employer page must not grow with it.
        cursor.execute(
            "SELECT employer_id FROM employers_contactmoment GROUP BY employer_id ORDER BY count(*) DESC LIMIT 1"
        )
        busiest_id = cursor.fetchone()[0]
    return adviser, original, busiest_id


GROUPS = ("adviser", "manager")  # adviser: cases a-i (here and in matching_bench); manager: m1-m5 (manager_bench)


def run(*, repeat: int, warmup: int, only: set[str], builds: int, timeout: int) -> tuple[list[Result], list[str]]:
    from django.conf import settings

    results, notes = [], []
    if "adviser" in only:
        more, lines = run_adviser(repeat=repeat, warmup=warmup)
        results, notes = results + more, notes + lines
    if "manager" in only:
        if "adviser" not in only:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
            print(f"PostgreSQL {version}, Python {sys.version.split()[0]}; {repeat} runs after {warmup} warm-up runs.")
        settings.DEBUG = False  # as run_adviser: production-like
        more, lines = manager_bench.run_cases(repeat=repeat, warmup=warmup, builds=builds, timeout=timeout)
        results, notes = results + more, notes + lines
    return results, notes


def run_adviser(*, repeat: int, warmup: int) -> tuple[list[Result], list[str]]:
    from urllib.parse import urlencode

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from employers.models import ContactMoment
    from employers.selectors import duplicate_candidates

    # Production-like: no per-query debug logging (CaptureQueriesContext switches it on where we count queries).
    settings.DEBUG = False
    adviser, original, busiest_id = pick_subjects()
    client = Client()
    client.force_login(adviser)
    fragment = "vries"
    duplicate_name = "DeVries bouw"
    postcode = original.postcode
    history = ContactMoment.objects.filter(employer_id=busiest_id).count()
    print(
        f"Logged in as {adviser.username} ({adviser.role}, {adviser.organisation}); search fragment {fragment!r}; "
        f"duplicate check {duplicate_name!r} at {postcode}; employer {busiest_id} has {history:,} contact moments."
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"PostgreSQL {version}, Python {sys.version.split()[0]}; {repeat} runs after {warmup} warm-up runs.")

    duplicate_query = urlencode({"name": duplicate_name, "postcode": postcode})
    api_list = "/api/v1/employers/?page_size=50"
    cases = [
        ("a. list page /werkgevers/", 150, getter(client, "/werkgevers/")),
        (f"a. search page /werkgevers/?q={fragment}", 150, getter(client, f"/werkgevers/?q={fragment}")),
        ("b. duplicate_candidates() direct", 50,
         lambda: duplicate_candidates(name=duplicate_name, postcode=postcode)),
        ("b. API duplicates", 50, getter(client, f"/api/v1/employers/duplicates/?{duplicate_query}")),
        (f"c. employer page /werkgevers/{busiest_id}/", 100, getter(client, f"/werkgevers/{busiest_id}/")),
        (f"c. API employer /api/v1/employers/{busiest_id}/", 100, getter(client, f"/api/v1/employers/{busiest_id}/")),
        ("d. API list ?page_size=50", 50, getter(client, api_list)),
        (f"d. API list ?page_size=50&q={fragment}", 50, getter(client, f"{api_list}&q={fragment}")),
    ]  # fmt: skip
    results = []
    for name, target, call in cases:
        result = measure(name, target, call, repeat=repeat, warmup=warmup)
        results.append(result)
        print(f"  measured {name}: {result.note or f'p50 {result.p50:.1f} ms'}", flush=True)
    more, notes = matching_bench.run_cases(client, adviser, repeat=repeat, warmup=warmup)
    return results + more, notes


def print_table(results: list[Result], notes: list[str]) -> None:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    headers = ["name", "p50 ms", "p95 ms", "target", "queries", "raw SQL ms", "overhead ms", "ratio", ""]
    rows = []
    for r in results:
        target = "-" if r.target_ms is None else f"< {r.target_ms:.0f}"
        if r.p50 is None:
            rows.append([r.name, "-", "-", target, "-", "-", "-", "-", r.note])
            continue
        verdicts = [] if r.target_ms is None else ["p95 ok" if r.p95 <= r.target_ms else "p95 OVER TARGET"]
        if r.overhead_ms is not None and r.overhead_target_ms is not None:
            ok = r.overhead_ms <= r.overhead_target_ms
            verdicts.append("overhead ok" if ok else f"overhead > {r.overhead_target_ms:.0f} ms")
        if r.note:
            verdicts.append(r.note)
        rows.append([
            r.name, ms(r.p50), ms(r.p95), target, "-" if r.queries is None else str(r.queries), ms(r.raw_ms),
            ms(r.overhead_ms),
            "-" if r.ratio is None else f"{r.ratio:.1f}x", ", ".join(verdicts),
        ])  # fmt: skip
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    numeric = set(range(1, 8))

    def line(cells):
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    print()
    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    print()
    print("raw SQL = the request's SELECTs replayed on a plain cursor; overhead = p50 - raw SQL (target <= 10 ms for"
          " the adviser cases a-i); ratio = p50 / raw SQL.")  # fmt: skip
    for note in notes:
        print(note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40, help="timed runs per case (default 40)")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up runs per case (default 5)")
    parser.add_argument("--employers", type=int, default=100_000)
    parser.add_argument("--contacts-per-employer", type=int, default=10)
    parser.add_argument("--reseed", action="store_true", help="seed again even when the data is there")
    parser.add_argument(
        "--only", choices=GROUPS, action="append", help="only these cases (adviser: a-i, manager: m1-m5); repeatable"
    )
    parser.add_argument("--builds", type=int, default=3, help="timed factsheet builds and PDFs (m4, m5; default 3)")
    parser.add_argument(
        "--statement-timeout", type=int, default=20, help="seconds before a manager query is cancelled (0: never)"
    )
    args = parser.parse_args()

    setup_django()
    ensure_data(employers=args.employers, contacts_per_employer=args.contacts_per_employer, reseed=args.reseed)
    only = set(args.only or GROUPS)
    # As each gunicorn worker does once the application is loaded (wsp/gunicorn.conf.py, post_worker_init).
    gc.collect()
    gc.freeze()
    print_table(
        *run(
            repeat=args.repeat,
            warmup=args.warmup,
            only=only,
            builds=max(1, args.builds),
            timeout=args.statement_timeout,
        )
    )


if __name__ == "__main__":
    main()
