"""Benchmarks of the manager's side (issue 8) on the `seed_demo --scale` volume, logged in as a manager.

Called by run.py (`make bench`, or only these: `bench/run.py --only manager`); the cases and targets are listed in
bench/README.md:

m1. manager home `/`, dashboard `/sturing/` (year, quarter, organisation, sector), targets, coverage, budget and
    factsheet pages                                                                    p95 < 300 ms
m2. every `GET /api/v1/stats/{measure}/?group_by=...` (placements and the grouped measures)   p95 < 200 ms
m3. drill-down `/sturing/cijfers/placements/?year=` page 1 and a deep page by cursor (`&after=<id>`), and the CSV
    export of the measure (time only)
m4. building a factsheet (`factsheet_build`) of the last ended quarter: wall time, queries, SQL time and rows
    returned per section                                                               figures' SQL < 1 s
m5. the factsheet's PDF (`factsheet_pdf`): seconds and pages           < 5 s with the build (end to end)

Every page and endpoint case also shows the raw SQL replay and the ratio p50 / raw SQL (harness.measure).
"""

import logging
import re
import statistics
import time
import zlib
from contextlib import contextmanager

from harness import Result, Unavailable, getter, percentile, time_raw_sql, timed_runs

MANAGER = "mark.degroot"
PAGE_TARGET_MS = 300
STATS_TARGET_MS = 200
FIGURES_SQL_TARGET_S = 1.0
END_TO_END_TARGET_S = 5.0
PAGE_SIZE = 50
DEEP_PAGE = 100  # the cursor of the deep drill-down page: after the last record of page 100


def run_cases(*, repeat: int, warmup: int, builds: int, timeout: int) -> tuple[list[Result], list[str]]:
    """The page and endpoint results (for run.py's table), and the lines of the factsheet table (m4, m5)."""
    from django.test import Client

    from accounts.models import User

    manager = User.objects.filter(username=MANAGER).first() or User.objects.filter(role="manager").first()
    if manager is None:
        return [], ["Manager benchmarks skipped: the database holds no manager (seed_demo --scale)."]
    statement_timeout(timeout)
    # A cancelled statement is reported in the table; Django's "Internal Server Error" traceback would bury it.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    client = Client()
    client.force_login(manager)
    year, quarter = last_ended_quarter()
    organisation, sector = manager.organisation, focus_sector()
    print(
        f"Manager cases as {manager.username} ({manager.role}, {organisation}); year {year}, quarter {quarter}, "
        f"organisation {organisation.pk} ({organisation}), sector {sector.pk if sector else '-'} ({sector})."
    )
    results: list[Result] = []

    slow_lines: list[str] = []

    def run(name, target, call, *, times=repeat, warm=warmup):
        result, slowest = measure_adaptive(name, target, call, repeat=times, warmup=warm)
        result.overhead_target_ms = None  # the manager's targets are p95 and the ratio, not the adviser's 10 ms
        results.append(result)
        if result.p50 is not None and result.p50 > 2 * target:
            slow_lines.append(f"  {name}: p50 {result.p50:.0f} ms; its slowest statements (first request):")
            slow_lines.extend(f"    {e['seconds'] * 1000:.0f} ms, {e['rows']} rows: {' '.join(e['sql'].split())[:200]}"
                              for e in slowest)  # fmt: skip
        print(f"  measured {name}: {result.note or f'p50 {result.p50:.1f} ms, {result.queries} queries'}", flush=True)
        return result

    # m1: the home page and the dashboard with each filter, and the other pages of the manager's menu.
    scope = f"year={year}"
    variants = ["", f"?{scope}", f"?{scope}&quarter={quarter}", f"?{scope}&organisation={organisation.pk}"]
    if sector is not None:
        variants += [f"?{scope}&sector={sector.pk}",
                     f"?{scope}&quarter={quarter}&organisation={organisation.pk}&sector={sector.pk}"]  # fmt: skip
    home = [("m1. home /", "/")] + [(f"m1. dashboard /sturing/{q}", f"/sturing/{q}") for q in variants]
    for name, url in home:
        run(name, PAGE_TARGET_MS, page(client, url, timeout))
    for path in ("/sturing/doelen/", f"/sturing/doelen/?{scope}", "/sturing/dekking/", "/sturing/begroting/",
                 "/sturing/factsheets/"):  # fmt: skip
        run(f"m1. {path}", PAGE_TARGET_MS, page(client, path, timeout))

    # m2: every stats endpoint with each of its groupings.
    for name, groups in stats_endpoints():
        for group_by in groups:
            url = f"/api/v1/stats/{name}/?group_by={group_by}&{scope}"
            run(f"m2. stats/{name}/?group_by={group_by}", STATS_TARGET_MS, page(client, url, timeout))

    # m3: the drill-down, first and deep page by cursor, and the export (time only).
    records = f"/sturing/cijfers/placements/?{scope}"
    run("m3. /sturing/cijfers/placements/ page 1", PAGE_TARGET_MS, page(client, records, timeout))
    after = deep_cursor(year)
    if after is not None:
        run(
            f"m3. same, page {DEEP_PAGE + 1} by cursor (&after={after})",
            PAGE_TARGET_MS,
            page(client, f"{records}&after={after}", timeout),
        )
    results.append(time_export(client, f"/sturing/cijfers/placements/export.csv?{scope}", runs=max(1, builds)))

    # m4, m5: the factsheet of the last ended quarter, built and printed.
    lines = factsheet_cases(manager, year, quarter, builds=builds)
    if slow_lines:
        lines = ["", "Pages and endpoints over twice their target:", *slow_lines, *lines]
    return results, lines


def measure_adaptive(name: str, target: float, call, *, repeat: int, warmup: int) -> tuple[Result, list[dict]]:
    """harness.measure, with fewer runs for a case far over its target (a page of seconds measured 40 times would
    take the run's whole time and say nothing more), and the slowest statements of the first request.

    The first request is timed and its SQL captured; at over 2 s the case runs 2 timed runs without warm-up, at over
    500 ms 5 after one warm-up, else `repeat` after `warmup`. The raw SQL replay runs as many times."""
    import gc

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    result = Result(name=name, target_ms=target)
    log = QueryLog()
    try:
        reset_queries()
        gc.collect()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(log):
            started = time.perf_counter()
            call()
            first = (time.perf_counter() - started) * 1000
        statements = [query["sql"] for query in captured.captured_queries]
        if first > 2000:
            repeat, warmup = 2, 0
        elif first > 500:
            repeat, warmup = min(repeat, 5), min(warmup, 1)
        samples = timed_runs(call, repeat=repeat, warmup=warmup)
    except Unavailable as exc:
        result.note = str(exc)
        return result, []
    result.p50 = statistics.median(samples)
    result.p95 = percentile(samples, 0.95)
    result.queries = len(statements)
    result.raw_ms = time_raw_sql(statements, repeat=max(repeat, 1), warmup=min(warmup, 1))
    if repeat < 5:
        result.note = f"{repeat} runs (first request {first / 1000:.1f} s)"
    return result, sorted(log.entries, key=lambda e: e["seconds"], reverse=True)[:3]


def statement_timeout(seconds: int) -> None:
    """Every statement of this connection from now on is cancelled after `seconds` (0: never), so one runaway query
    is reported as such instead of stalling the run (the setting is a connection option: it survives reconnects)."""
    from django.db import connection

    if not seconds:
        return
    options = connection.settings_dict.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c statement_timeout={seconds * 1000}".strip()
    connection.close()


def page(client, url: str, timeout: int):
    """harness.getter, with a cancelled statement (the timeout) or an error of code under construction reported as
    "not available" instead of ending the run."""
    from django.db import OperationalError

    call = getter(client, url)

    def guarded():
        try:
            return call()
        except Unavailable:
            raise
        except OperationalError as exc:
            if "statement timeout" in str(exc):
                raise Unavailable(f"statement timeout: a query ran over {timeout} s") from exc
            raise Unavailable(f"not available ({type(exc).__name__}: {str(exc)[:120]})") from exc
        except Exception as exc:
            raise Unavailable(f"not available ({type(exc).__name__}: {str(exc)[:120]})") from exc

    return guarded


# --- Subjects --------------------------------------------------------------------------------------------------------


def last_ended_quarter() -> tuple[int, int]:
    from django.utils import timezone

    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the quarter before this one (0: the last of the year before)
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def focus_sector():
    from accounts.models import Sector

    return Sector.objects.filter(is_focus=True).order_by("pk").first() or Sector.objects.order_by("pk").first()


def stats_endpoints() -> list[tuple[str, tuple[str, ...]]]:
    """(measure, its group_by values): placements (reporting.measures.placements) and the grouped measures
    (reporting.measures.grouped.STATS), as the code defines them now."""
    found = []
    try:
        from reporting.measures.placements import STATS_GROUPS

        found.append(("placements", tuple(STATS_GROUPS)))
    except ImportError:
        pass
    try:
        from reporting.measures.grouped import STATS
    except ImportError:
        STATS = {}
    found += [(name, tuple(stat.groups)) for name, stat in STATS.items()]
    return found


def deep_cursor(year: int) -> int | None:
    """The id after which page DEEP_PAGE + 1 of the year's placements starts (the list is newest first)."""
    from reporting.measures.registry import MEASURES
    from reporting.measures.scope import scope_from

    ids = MEASURES["placements"].rows(scope_from({"year": str(year)})).values_list("pk", flat=True)
    found = list(ids[DEEP_PAGE * PAGE_SIZE - 1 : DEEP_PAGE * PAGE_SIZE])
    return found[0] if found else None


def time_export(client, url: str, *, runs: int) -> Result:
    """The whole CSV download (streamed; every chunk read), time only: one warm-up, then `runs` timed."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    result = Result(name="m3. export.csv of the year's placements (time only)", target_ms=None)
    result.overhead_target_ms = None
    sizes = []

    def download() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise Unavailable(f"not available (HTTP {response.status_code})")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body.count(b"\n") - 1

    try:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            sizes.append(download())
        result.queries = len(captured.captured_queries)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            sizes.append(download())
            samples.append((time.perf_counter() - started) * 1000)
    except Unavailable as exc:
        result.note = str(exc)
        return result
    result.p50, result.p95 = statistics.median(samples), max(samples)
    result.note = f"{sizes[-1]:,} rows; p95 = slowest of {runs}"
    print(f"  measured {result.name}: p50 {result.p50:.0f} ms, {sizes[-1]:,} rows", flush=True)
    return result


# --- m4: building the factsheet -------------------------------------------------------------------------------------


class QueryLog:
    """A connection.execute_wrapper: per statement its section, SQL, parameters, duration and rows returned."""

    def __init__(self):
        self.section = "start"
        self.entries: list[dict] = []
        self.marks: list[tuple[str, float]] = [("start", time.perf_counter())]
        self.total = 0.0
        self.spans: dict[str, float] = {}

    def enter(self, section: str) -> None:
        self.section = section
        self.marks.append((section, time.perf_counter()))

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            cursor = context["cursor"]
            self.entries.append({
                "section": self.section, "sql": sql, "params": params, "many": many,
                "seconds": time.perf_counter() - started, "rows": getattr(cursor, "rowcount", -1),
            })  # fmt: skip

    def wall(self, end: float) -> dict[str, float]:
        """Seconds between the marks, per section (a section entered twice adds up)."""
        spans: dict[str, float] = {}
        points = self.marks + [("end", end)]
        for (name, at), (_next, until) in zip(points, points[1:], strict=False):
            spans[name] = spans.get(name, 0.0) + until - at
        return spans


def _section_key(section) -> str:
    key = getattr(section, "key", None)
    if key is None and isinstance(section, tuple | list) and section:
        key = section[0]
    return str(key if key is not None else section)


class _Tracked:
    """Stands in for `services.SECTIONS` during a build: tells the log which section the loop is in."""

    def __init__(self, sections, log: QueryLog):
        self.sections, self.log = sections, log

    def __iter__(self):
        for section in self.sections:
            self.log.enter(_section_key(section))
            yield section
        self.log.enter("write")  # after the last section: deleting the old figures, inserting the new ones

    def __len__(self):
        return len(self.sections)

    def __getitem__(self, index):
        return self.sections[index]


@contextmanager
def _tracking(services, log: QueryLog):
    from django.db import connection

    original = getattr(services, "SECTIONS", None)
    if original is not None:
        services.SECTIONS = _Tracked(original, log)
    try:
        with connection.execute_wrapper(log):
            yield
    finally:
        if original is not None:
            services.SECTIONS = original


def bench_factsheet(manager, year: int, quarter: int):
    """A factsheet of the quarter to build again and again: the bench's own (unpublished), else a new version."""
    from django.db.models import Max

    from reporting.factsheets.models import Factsheet

    note = "bench/manager_bench.py"
    found = Factsheet.objects.filter(year=year, quarter=quarter, change_note=note).exclude(status="published").first()
    if found is not None:
        return found
    last = Factsheet.objects.filter(year=year, quarter=quarter).aggregate(last=Max("version"))["last"] or 0
    return Factsheet.objects.create(
        year=year, quarter=quarter, version=last + 1, is_draft=False, change_note=note, created_by=manager
    )


def build_once(services, factsheet_id: int) -> tuple[float, QueryLog]:
    log = QueryLog()
    with _tracking(services, log):
        started = time.perf_counter()
        log.marks = [("start", started)]
        built = services.factsheet_build(factsheet_id=factsheet_id)
        ended = time.perf_counter()
    if built is None or built.status not in ("done", "published"):
        raise RuntimeError(f"build ended with status {getattr(built, 'status', None)!r}: {getattr(built, 'error', '')}")
    log.total = ended - started
    log.spans = log.wall(ended)
    return ended - started, log


def replay(entries: list[dict], *, runs: int = 3) -> float:
    """The SELECTs of `entries` on the driver's cursor (fetching every row): p50 seconds of `runs`."""
    from django.db import connection

    reads = [e for e in entries if not e["many"] and e["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    reads = [e for e in reads if "FOR UPDATE" not in e["sql"].upper()]
    if not reads:
        return 0.0
    samples = []
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        for _ in range(runs + 1):  # the first run warms up
            started = time.perf_counter()
            for e in reads:
                cursor.execute(e["sql"], e["params"])
                if cursor.description is not None:
                    cursor.fetchall()
            samples.append(time.perf_counter() - started)
    return statistics.median(samples[1:])


def figure_counts(factsheet_id: int) -> dict[str, tuple[int, int]]:
    """Per section: (figures stored, record ids stored with them)."""
    from django.db.models import Count, F, Func, IntegerField, Sum

    from reporting.factsheets.models import FactsheetFigure

    rows = (
        FactsheetFigure.objects.filter(factsheet_id=factsheet_id)
        .values("section")
        .annotate(n=Count("id"), ids=Sum(Func(F("record_ids"), function="cardinality", output_field=IntegerField())))
    )
    return {r["section"]: (r["n"], r["ids"] or 0) for r in rows}


def factsheet_cases(manager, year: int, quarter: int, *, builds: int) -> list[str]:
    from django.conf import settings

    try:
        from reporting.factsheets import services
    except Exception as exc:  # code under construction
        return [f"m4/m5 not available: reporting.factsheets.services does not import ({type(exc).__name__}: {exc})"]
    factsheet = bench_factsheet(manager, year, quarter)
    debug, settings.DEBUG = settings.DEBUG, False
    statement_timeout(600)  # a build is measured however long it takes (the pages' timeout is for runaway pages)
    runs = []
    try:
        attempt = 0
        while attempt <= builds:  # the first build warms up (and fills the caches)
            seconds, log = build_once(services, factsheet.pk)
            if not attempt and seconds > 10:
                builds = 1  # a build of more than 10 s: one timed build says enough
            attempt += 1
            which = "warm-up" if attempt == 1 else f"run {attempt - 1}"
            print(f"  built factsheet {factsheet} ({which}): {seconds:.2f} s, {len(log.entries)} queries", flush=True)
            if attempt > 1:
                runs.append(log)
    except Exception as exc:
        return [f"m4/m5 not available: the build failed ({type(exc).__name__}: {str(exc)[:300]})"]
    finally:
        settings.DEBUG = debug
    runs.sort(key=lambda r: r.total)
    median_run = runs[len(runs) // 2]
    lines = factsheet_table(median_run, runs, figure_counts(factsheet.pk), factsheet)
    lines += pdf_case(factsheet, builds=builds, build_seconds=median_run.total)
    return lines


def factsheet_table(log: QueryLog, runs: list[QueryLog], counts: dict, factsheet) -> list[str]:
    """Per section of the median build: wall, queries, SQL, bare replay, figures, rows returned, ids stored."""
    sections = list(dict.fromkeys(["start", *(e["section"] for e in log.entries), *log.spans]))
    header = ["section", "wall ms", "queries", "SQL ms", "raw SQL ms", "wall/raw", "figures", "rows", "ids stored",
              "rows > figures"]  # fmt: skip
    rows = []
    totals = {"wall": 0.0, "queries": 0, "sql": 0.0, "raw": 0.0, "figures": 0, "rows": 0, "ids": 0}
    figure_sql = figure_raw = 0.0
    over = []
    for name in sections:
        entries = [e for e in log.entries if e["section"] == name]
        wall = log.spans.get(name, 0.0)
        sql = sum(e["seconds"] for e in entries)
        raw = replay(entries)
        figures, ids = counts.get(name, (0, 0))
        selects = [e for e in entries if e["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        returned = sum(max(0, e["rows"]) for e in selects)
        more = [e for e in selects if figures and e["rows"] > figures] if name not in ("start", "write") else []
        over += [(name, figures, e) for e in more]
        if name not in ("start", "write"):
            figure_sql += sql
            figure_raw += raw
        rows.append([
            name, f"{wall * 1000:.0f}", str(len(entries)), f"{sql * 1000:.0f}", f"{raw * 1000:.0f}",
            f"{wall / raw:.1f}x" if raw >= 0.001 else "-", str(figures) if figures else "-", str(returned),
            f"{ids:,}" if ids else "-", str(len(more)) if more else "-",
        ])  # fmt: skip
        totals["wall"] += wall
        totals["queries"] += len(entries)
        totals["sql"] += sql
        totals["raw"] += raw
        totals["figures"] += figures
        totals["rows"] += returned
        totals["ids"] += ids
    rows.append([
        "total", f"{totals['wall'] * 1000:.0f}", str(totals["queries"]), f"{totals['sql'] * 1000:.0f}",
        f"{totals['raw'] * 1000:.0f}", f"{totals['wall'] / totals['raw']:.1f}x" if totals["raw"] else "-",
        str(totals["figures"]), str(totals["rows"]), f"{totals['ids']:,}", str(len(over)) if over else "-",
    ])  # fmt: skip
    walls = [r.total for r in runs]
    lines = [
        "",
        f"m4. factsheet_build({factsheet}) of the last ended quarter: {len(runs)} timed builds after one warm-up, "
        f"wall {min(walls):.2f} / {statistics.median(walls):.2f} / {max(walls):.2f} s (min / median / max); "
        "per section of the median build:",
        *table(header, rows, numeric=set(range(1, 10))),
        f"  figures' SQL (all sections, without start and write): {figure_sql:.2f} s "
        f"(target < {FIGURES_SQL_TARGET_S:.0f} s: {'ok' if figure_sql < FIGURES_SQL_TARGET_S else 'OVER TARGET'}); "
        f"the same SELECTs replayed bare: {figure_raw:.2f} s.",
        "  SQL ms = sum of the statements' durations in the build (execute_wrapper); raw SQL = the SELECTs replayed on "
        "the driver's cursor, fetching every row; rows = rows returned by the SELECTs (cursor.rowcount); ids stored = "
        "record ids written with the figures (R-57), fetched into Python by the array_agg of each figure query.",
    ]
    if over:
        lines.append(f"  {len(over)} queries return more rows than their section has figures:")
        for name, figures, e in over[:10]:
            lines.append(f"    [{name}] {e['rows']} rows for {figures} figures, {e['seconds'] * 1000:.0f} ms: "
                         f"{' '.join(e['sql'].split())[:160]}")  # fmt: skip
    else:
        lines.append("  No query returns more rows than its section has figures.")
    slowest = sorted(log.entries, key=lambda e: e["seconds"], reverse=True)[:5]
    lines.append("  slowest statements of the median build:")
    for e in slowest:
        lines.append(f"    [{e['section']}] {e['seconds'] * 1000:.0f} ms, {e['rows']} rows: "
                     f"{' '.join(e['sql'].split())[:160]}")  # fmt: skip
    return lines


# --- m5: the PDF ----------------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_pages(pdf: bytes) -> int:
    """The page count: pypdf when installed, else `/Type /Page` objects, also inside compressed object streams."""
    try:
        from io import BytesIO

        from pypdf import PdfReader

        return len(PdfReader(BytesIO(pdf)).pages)
    except ImportError:
        pass
    count = len(_PAGE.findall(pdf))
    for stream in _STREAM.findall(pdf):
        try:
            count += len(_PAGE.findall(zlib.decompress(stream)))
        except zlib.error:
            continue
    return count


def pdf_case(factsheet, *, builds: int, build_seconds: float) -> list[str]:
    from reporting.factsheets import selectors
    from reporting.factsheets.models import Factsheet

    factsheet = Factsheet.objects.get(pk=factsheet.pk)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # not its progress ("Step 5 - Creating layout")
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    samples, pdf = [], b""
    try:
        for attempt in range(builds + 1):  # the first warms up (fonts, templates)
            started = time.perf_counter()
            pdf = selectors.factsheet_pdf(Factsheet.objects.get(pk=factsheet.pk))
            if attempt:
                samples.append(time.perf_counter() - started)
    except Exception as exc:
        return [f"m5 not available: factsheet_pdf failed ({type(exc).__name__}: {str(exc)[:300]})"]
    pages = pdf_pages(pdf)
    seconds = statistics.median(samples)
    end_to_end = build_seconds + seconds
    print(f"  measured m5. factsheet_pdf: {seconds:.2f} s, {pages} pages", flush=True)
    verdict = "ok" if end_to_end < END_TO_END_TARGET_S else "OVER TARGET"
    per_page = f"{seconds / pages:.2f} s a page" if pages else "no pages"
    return [
        "",
        f"m5. factsheet_pdf({factsheet}): {seconds:.2f} s (median of {len(samples)} after one warm-up; min "
        f"{min(samples):.2f}, max {max(samples):.2f}), {pages} pages ({per_page}, target 4 pages), {len(pdf):,} bytes.",
        f"    end to end (median build {build_seconds:.2f} s + PDF {seconds:.2f} s) = {end_to_end:.2f} s "
        f"(target < {END_TO_END_TARGET_S:.0f} s: {verdict}).",
    ]


def table(header: list[str], rows: list[list[str]], *, numeric: set[int]) -> list[str]:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]

    def line(cells):
        return "  " + "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]
