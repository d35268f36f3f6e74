"""What every benchmark case shares: timing a call, replaying its SQL on a plain cursor, and the result row."""

import gc
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

# django-pghistory puts its context in front of the statements of a change: "SELECT set_config(...); <statement>".
PGHISTORY_CONTEXT = re.compile(
    r"^\s*SELECT set_config\('pghistory\.context_id'.*?set_config\('pghistory\.context_metadata'.*?, true\);\s*", re.S
)
DECLARE_CURSOR = re.compile(r"^\s*DECLARE\s+\S+\s+.*?CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+(.*)$", re.I | re.S)


@dataclass
class Result:
    name: str
    target_ms: float | None
    p50: float | None = None
    p95: float | None = None
    queries: int | None = None
    raw_ms: float | None = None
    note: str = ""
    overhead_target_ms: float | None = 10  # the adviser cases' target (e); None: no overhead verdict

    @property
    def overhead_ms(self) -> float | None:
        if self.p50 is None or self.raw_ms is None:
            return None
        return self.p50 - self.raw_ms

    @property
    def ratio(self) -> float | None:
        if self.p50 is None or not self.raw_ms:
            return None
        return self.p50 / self.raw_ms


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_raw_sql(statements: list[str], *, repeat: int, warmup: int) -> float | None:
    """Re-execute the captured statements on a plain psycopg2 cursor, fetching every row; p50 of the total, in ms.

    Only reads are replayed: a write (a session save, a booking) would change data and is left out. A server-side cursor
    (`DECLARE ... CURSOR FOR <select>`, from `QuerySet.iterator()`) is replayed as its SELECT.
    """
    from django.db import connection

    reads = []
    for sql in statements:
        sql = PGHISTORY_CONTEXT.sub("", sql, count=1)
        declared = DECLARE_CURSOR.match(sql)
        if declared:
            sql = declared.group(1)
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            reads.append(sql)
    if not reads:
        return None
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's cursor, without Django's wrappers

        def run_all() -> float:
            started = time.perf_counter()
            for sql in reads:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            return (time.perf_counter() - started) * 1000

        for _ in range(warmup):
            run_all()
        return statistics.median(run_all() for _ in range(repeat))


def timed_runs(call, *, repeat: int, warmup: int) -> list[float]:
    """`call()` `warmup` times untimed, then `repeat` times; the durations in ms."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(name: str, target_ms: float, call: Callable[[], object], *, repeat: int, warmup: int) -> Result:
    """Time `call` (which raises Unavailable for a page that does not exist) and the SQL it runs."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    result = Result(name=name, target_ms=target_ms)
    try:
        # A request empties the query log when it starts (request_started -> reset_queries); start from an empty
        # log so that the captured slice is exactly the request's queries.
        reset_queries()
        gc.collect()  # start each case without garbage from the previous one
        with CaptureQueriesContext(connection) as captured:
            call()
        # Read now: captured_queries slices the live log, which the next request empties.
        statements = [query["sql"] for query in captured.captured_queries]
        samples = timed_runs(call, repeat=repeat, warmup=warmup)
    except Unavailable as exc:
        result.note = str(exc)
        return result
    result.p50 = statistics.median(samples)
    result.p95 = percentile(samples, 0.95)
    result.queries = len(statements)
    result.raw_ms = time_raw_sql(statements, repeat=repeat, warmup=warmup)
    return result


class Unavailable(Exception):
    pass


def getter(client, url: str) -> Callable[[], object]:
    def call():
        response = client.get(url)
        if response.status_code == 404:
            raise Unavailable("not available (404)")
        if response.status_code != 200:
            raise Unavailable(f"not available (HTTP {response.status_code})")
        return response

    return call
