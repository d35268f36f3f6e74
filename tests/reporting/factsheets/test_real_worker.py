"""Factsheets built by a real Celery worker against the real Redis broker (R-55, R-57; issue 8).

A worker killed half-way through a factsheet leaves it queued/running without figures, never serves a half file, and
the task re-runs cleanly. The other factsheet tests run the task eagerly, in-process; these start `celery worker`
subprocesses on the test's own (committed) database and a Redis database of their own, with a queue of their own.

Without Redis (at CELERY_BROKER_URL, else redis://127.0.0.1:6379) they are skipped, so `make test` passes on a
machine without one; `.ci/run` starts Redis and sets CELERY_BROKER_URL, so on CI they run.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2
import pytest
import redis
from django.db import connection

from matching.models import Placement
from reporting.factsheets import selectors, services, tasks
from reporting.factsheets.choices import FactsheetStatus
from reporting.factsheets.models import Factsheet
from tests.factories import PlacementFactory
from wsp.celery import app

pytestmark = pytest.mark.django_db(transaction=True)  # the worker process only sees committed rows

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
TIMEOUT = 60  # seconds for a worker to start and build; a build takes well under one
Q1 = {"year": 2025, "quarter": 1}


class Broker:
    """A Redis database and a queue of this test alone, and a producer that sends to them."""

    def __init__(self, url: str, token: str):
        self.url = url
        self.token = token
        self.queue = f"wsp-test-{token}"
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        self.connection = app.connection_for_write(url)
        self.producer = app.amqp.Producer(self.connection)

    def send_build(self, factsheet_id: int) -> None:
        """What `build_factsheet.delay` does, to this broker and queue (the test settings' app runs tasks eagerly
        and its connection pool points at the configured broker)."""
        tasks.build_factsheet.apply_async((factsheet_id,), producer=self.producer, queue=self.queue)

    def unacked(self) -> list[str]:
        """Ids of the tasks on this queue that a worker took and has not acknowledged (kombu's `unacked` hash)."""
        ids = []
        for raw in self.redis.hvals("unacked"):
            message, _exchange, routing_key = json.loads(raw)
            if routing_key == self.queue:
                ids.append(message["headers"]["id"])
        return ids

    def waiting(self) -> int:
        return sum(self.redis.llen(key) for key in self.redis.scan_iter(match=f"{self.queue}*") if self._is_list(key))

    def _is_list(self, key) -> bool:
        return self.redis.type(key) == b"list"

    def purge(self) -> None:
        """Removes every trace of this test from Redis: its queue, its bindings, its unacknowledged messages and the
        workers' remote-control queues, and nothing of anyone else's."""
        for tag, raw in self.redis.hgetall("unacked").items():
            if json.loads(raw)[2] == self.queue:
                self.redis.hdel("unacked", tag)
                self.redis.zrem("unacked_index", tag)
        for key in self.redis.scan_iter(match="_kombu.binding.*"):
            if self.token in key.decode():
                self.redis.delete(key)
            elif self.redis.type(key) == b"set":
                members = [m for m in self.redis.smembers(key) if self.token in m.decode(errors="replace")]
                if members:
                    self.redis.srem(key, *members)
        for key in self.redis.scan_iter(match=f"*{self.token}*"):
            self.redis.delete(key)
        self.connection.release()
        self.redis.close()


def _broker_url() -> str:
    """The configured Redis with a database number of this xdist worker's own (15, 14, ...): a recovering worker
    takes back the abandoned messages of its whole database, never those of the application's database 0."""
    url = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        pytest.skip(f"the real-worker tests need a Redis broker, not {parts.scheme}://")
    worker = int(re.sub(r"\D", "", os.environ.get("PYTEST_XDIST_WORKER", "gw0")) or 0)
    return urlunsplit(parts._replace(path=f"/{15 - worker % 8}"))


@pytest.fixture
def broker(monkeypatch):
    url = _broker_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
        pytest.skip(f"no Redis at {url} for the real-worker tests ({error})")
    broker = Broker(url, uuid.uuid4().hex[:16])
    # factsheet_request queues `build_factsheet.delay(pk)` on commit: here it goes to the real broker.
    monkeypatch.setattr(tasks.build_factsheet, "delay", broker.send_build)
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        yield broker
    finally:
        app.conf.task_always_eager = eager
        broker.purge()


@pytest.fixture
def workers(broker, tmp_path) -> Callable[..., subprocess.Popen]:
    """Starts `celery worker` subprocesses on the test's database and broker queue; all are ended at teardown, also
    when the test fails. Each worker is the leader of a process group of its own, so a kill reaches its children."""
    started: list[subprocess.Popen] = []

    def start(app_module: str = "wsp", *, application_name: str, **extra_env: str) -> subprocess.Popen:
        database = connection.settings_dict  # the test database (test_..., with the xdist suffix)
        password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
        credentials = quote(database["USER"] or "") + password
        host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
        if host.startswith("/"):  # the embedded server's socket directory (`make test` without DATABASE_URL)
            server, query = "", f"host={quote(host)}&port={port}&"
        else:
            server, query = f"{host}:{port}", ""
        database_url = (
            f"postgres://{credentials}@{server}/{quote(database['NAME'])}?{query}application_name={application_name}"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "wsp.settings.test",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker.url,
            **extra_env,
        }
        env.pop("DATABASE_TEST_NAME", None)
        log = tmp_path / f"worker-{len(started) + 1}.log"
        with log.open("wb") as output:  # the worker keeps its own copy of the file descriptor
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", app_module, "worker", "--pool", "solo", "--queues", broker.queue,
                 "--hostname", f"{broker.token}-{len(started) + 1}@%h", "--without-heartbeat", "--without-gossip",
                 "--without-mingle", "--loglevel", "INFO"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        _kill(process, signal.SIGTERM)


def _kill(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _wait_for(condition: Callable[[], object], what: str, worker: subprocess.Popen) -> None:
    """Polls until `condition()` holds; fails with the worker's log when it does not within TIMEOUT seconds, or when
    the worker died."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if worker.poll() is not None or time.monotonic() > deadline:
            log = worker.log.read_text(errors="replace")[-4000:]
            state = f"worker exited with {worker.returncode}" if worker.poll() is not None else "timed out"
            pytest.fail(f"{what}: {state}; worker log:\n{log}")
        time.sleep(0.1)


def _status(factsheet: Factsheet) -> str:
    return Factsheet.objects.values_list("status", flat=True).get(pk=factsheet.pk)


def _backend(application_name: str, *, waiting_on: str | None = None) -> bool:
    """Whether the worker's PostgreSQL session exists (and, with `waiting_on`, waits for a lock on that table)."""
    with connection.cursor() as cursor:
        if waiting_on is None:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE application_name = %s", [application_name])
        else:
            cursor.execute(
                "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = %s"
                " AND a.wait_event_type = 'Lock' AND NOT l.granted AND l.relation = %s::regclass",
                [application_name, waiting_on],
            )
        return cursor.fetchone() is not None


def _assert_built_cleanly(factsheet: Factsheet, counted: list[Placement]) -> None:
    """Built, with one figure per key of the factsheet's sections (nothing doubled by a re-run), each equal to its
    measure computed independently on the same quarter, with the records it counted (R-55, R-57)."""
    factsheet.refresh_from_db()
    assert factsheet.status == FactsheetStatus.DONE and factsheet.built_at is not None
    figures = list(factsheet.figures.all())
    assert sorted(f.key for f in figures) == sorted(f.key for f in services.factsheet_figures(factsheet))
    assert len({f.key for f in figures}) == len(figures)
    for figure in figures:
        now = selectors.figure_now(figure)
        if now.known:  # a ratio or a private figure has no records of its own to recount
            assert not now.changed, (figure.key, figure.value, now.value_now, now.added_ids, now.dropped_ids)
    placements = next(f for f in figures if f.measure == "placements" and not f.year_to_date and not f.group_by)
    assert sorted(placements.record_ids) == sorted(p.pk for p in counted)


def _assert_pdf_served(client, api, factsheet: Factsheet) -> None:
    for response in (client.get(f"/sturing/factsheets/{factsheet.pk}/pdf/"),
                     api.get(f"/api/v1/factsheets/{factsheet.pk}/pdf/")):  # fmt: skip
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


@pytest.fixture
def counted(db) -> list[Placement]:
    return PlacementFactory.create_batch(3, start_date=date(2025, 2, 3))


def test_a_real_worker_builds_a_requested_factsheet_from_the_broker_R55(
    broker, workers, manager, counted, client, manager_client
):
    worker = workers(application_name=f"wsp-test-{broker.token}")
    factsheet = services.factsheet_request(by=manager, **Q1)  # commits, then sends the task to Redis

    _wait_for(lambda: _status(factsheet) == FactsheetStatus.DONE, "the factsheet was not built", worker)
    _assert_built_cleanly(factsheet, counted)
    client.force_login(manager)
    _assert_pdf_served(client, manager_client, factsheet)
    # acks_late: acknowledged once the build has committed, and nothing is left in the queue.
    _wait_for(lambda: not broker.unacked(), "the task was never acknowledged", worker)
    assert broker.waiting() == 0


def test_a_worker_killed_half_way_leaves_no_half_factsheet_and_the_task_reruns_cleanly_R55_R57(
    broker, workers, manager, counted, client, manager_client
):
    placements = Placement._meta.db_table
    database = connection.settings_dict
    # Another session holds the placements table, which the build reads inside its figures transaction: the build
    # marks the factsheet running, starts writing figures, then waits there until the worker is killed.
    lock = psycopg2.connect(
        dbname=database["NAME"], user=database["USER"], password=database["PASSWORD"] or None,
        host=database["HOST"] or "127.0.0.1", port=database["PORT"] or 5432, application_name="wsp-test-lock",
    )  # fmt: skip
    try:
        with lock.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{placements}" IN ACCESS EXCLUSIVE MODE')  # begins a transaction
        killed_session = f"wsp-test-{broker.token}-killed"
        worker = workers(application_name=killed_session)
        factsheet = services.factsheet_request(by=manager, **Q1)
        _wait_for(
            lambda: _status(factsheet) == FactsheetStatus.RUNNING and _backend(killed_session, waiting_on=placements),
            "the build never reached its figures",
            worker,
        )
        _kill(worker, signal.SIGKILL)  # the whole process group, half-way through the figures
        assert worker.returncode == -signal.SIGKILL
    finally:
        lock.rollback()
        lock.close()
    # The killed worker's session ends without committing (its client is gone): wait until PostgreSQL has ended it.
    deadline = time.monotonic() + TIMEOUT
    while _backend(killed_session):
        assert time.monotonic() < deadline, "the killed worker's database session never ended"
        time.sleep(0.1)

    factsheet.refresh_from_db()
    assert factsheet.status == FactsheetStatus.RUNNING and factsheet.built_at is None
    assert not factsheet.figures.exists()
    # No half file: neither the page nor the API serves a PDF of a factsheet that is not built.
    client.force_login(manager)
    assert client.get(f"/sturing/factsheets/{factsheet.pk}/pdf/").status_code == 404
    response = manager_client.get(f"/api/v1/factsheets/{factsheet.pk}/pdf/")
    assert response.status_code == 404 and response.json()["code"] == "not_ready"
    # acks_late: the killed worker never acknowledged the task, so Redis still holds it for a redelivery.
    assert len(broker.unacked()) == 1

    # Redelivery, not a re-send: Redis gives an unacknowledged message back after the visibility timeout (an hour in
    # production, wsp.settings.base), so the second worker runs the same app with a timeout of one second.
    recovering = workers(
        "tests.reporting.factsheets.recovery_worker",
        application_name=f"wsp-test-{broker.token}-recovering",
        WSP_TEST_VISIBILITY_TIMEOUT="1",
    )
    _wait_for(lambda: _status(factsheet) == FactsheetStatus.DONE, "the redelivered task did not build", recovering)
    _assert_built_cleanly(factsheet, counted)
    _assert_pdf_served(client, manager_client, factsheet)
    _wait_for(lambda: not broker.unacked(), "the redelivered task was never acknowledged", recovering)
    assert broker.waiting() == 0
