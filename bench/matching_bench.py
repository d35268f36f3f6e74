"""Benchmarks of vacancies, matching and placements on the `seed_demo --scale` volume.

200,000 vacancies, 100,000 candidates, 1,000,000 referrals and 200,000 placements. Called by run.py (so `make
bench` runs it); the cases, targets and what they measure are listed in bench/README.md:

f. vacancy list page `/vacatures/`, API `vacancies/` list and `?q=` search             p95 < 150 ms
g. top 20 matches `vacancies/{id}/matches/?limit=20` over 30 vacancies                 p95 < 100 ms
   and the same ranking as bare SQL (`matching.selectors.ranking.matching_sql`)       (~15 ms), with the ratio
h. booking a placement: `POST placements/` with a hired referral                       p95 < 100 ms
i. API `referrals/` and `placements/` lists, `stats/placements/?group_by=sector`       p95 < 50 / 50 / 150 ms

(Named matching_bench, not matching: bench/ comes first on sys.path when run.py runs, and would hide the app.)
"""

import inspect
import random
import statistics
import sys
import time
from datetime import timedelta

from harness import Result, Unavailable, getter, measure, percentile

SEARCH_WORD = "medewerker"  # the word most occupation titles share: the broad search
MATCH_VACANCIES = 30
API_LIST = "?page_size=50"


def run_cases(client, adviser, *, repeat: int, warmup: int) -> tuple[list[Result], list[str]]:
    """The results, and lines to print under the table."""
    from vacancies.models import Vacancy

    if not Vacancy.objects.exists():
        return [], ["Vacancy benchmarks skipped: the database holds no vacancies (seed_demo --scale)."]
    results = []
    notes = []

    def run(name, target, call, *, times=repeat, warm=warmup):
        result = measure(name, target, call, repeat=times, warmup=warm)
        results.append(result)
        print(f"  measured {name}: {result.note or f'p50 {result.p50:.1f} ms'}", flush=True)
        return result

    vacancies_api = "/api/v1/vacancies/"
    run("f. vacancy list page /vacatures/", 150, getter(client, "/vacatures/"))
    run(f"f. API vacancies/{API_LIST}", 150, getter(client, f"{vacancies_api}{API_LIST}"))
    run(
        f"f. API vacancies/{API_LIST}&q={SEARCH_WORD}",
        150,
        getter(client, f"{vacancies_api}{API_LIST}&q={SEARCH_WORD}"),
    )

    api, sql = matches(client, adviser, run)
    results.append(sql)
    print(f"  measured {sql.name}: {sql.note or f'p50 {sql.p50:.1f} ms'}", flush=True)
    if api.p95 is not None and sql.p95:
        notes.append(
            f"Matches: API p95 {api.p95:.1f} ms / bare SQL p95 {sql.p95:.1f} ms = {api.p95 / sql.p95:.1f}x "
            f"(p50: {api.p50:.1f} / {sql.p50:.1f} ms = {api.p50 / sql.p50:.1f}x), over {MATCH_VACANCIES} vacancies."
        )

    book_placements(run, repeat=repeat, warmup=warmup, notes=notes)

    run(f"i. API referrals/{API_LIST}", 50, getter(client, f"/api/v1/referrals/{API_LIST}"))
    run(f"i. API placements/{API_LIST}", 50, getter(client, f"/api/v1/placements/{API_LIST}"))
    run("i. API stats/placements/?group_by=sector", 150, getter(client, "/api/v1/stats/placements/?group_by=sector"))
    return results, notes


# --- Matches (R-17, R-18, R-42) -----------------------------------------------------------------------------------


def match_vacancies() -> list:
    """30 open vacancies that accept referrals, the same ones every run (a fixed random sample)."""
    from vacancies.models import Vacancy

    ids = sorted(Vacancy.objects.referable().values_list("id", flat=True))
    chosen = random.Random(20240101).sample(ids, min(MATCH_VACANCIES, len(ids)))
    return list(Vacancy.objects.filter(pk__in=chosen).order_by("pk"))


def matches(client, adviser, run) -> tuple[Result, Result]:
    """The API over the 30 vacancies in turn (one warm-up round, two timed rounds), then the ranking query alone."""
    vacancies = match_vacancies()
    rounds = 2
    urls = [f"/api/v1/vacancies/{v.pk}/matches/?limit=20" for v in vacancies]
    calls = [getter(client, url) for url in urls]
    position = [0]

    def next_match():
        call = calls[position[0] % len(calls)]
        position[0] += 1
        return call()

    name = f"g. API vacancies/{{id}}/matches/?limit=20 ({len(vacancies)} vacancies)"
    api = run(name, 100, next_match, times=rounds * len(calls), warm=len(calls))
    return api, bare_matching_sql(vacancies, adviser, rounds=rounds)


def bare_matching_sql(vacancies, adviser, *, rounds: int) -> Result:
    """`matching_sql(vacancy)` executed on the driver's cursor, fetching the rows: what the ranking costs without
    Django, DRF, serialisation or the vacancy lookup."""
    from django.db import connection

    result = Result(name="g. matching_sql() bare SQL, same vacancies", target_ms=15)
    try:
        from matching.selectors.ranking import matching_sql
    except ImportError:
        result.note = "not available (matching.selectors.ranking.matching_sql missing)"
        return result
    takes = inspect.signature(matching_sql).parameters
    options = {name: value for name, value in (("user", adviser), ("limit", 20)) if name in takes}
    statements = [matching_sql(vacancy, **options) for vacancy in vacancies]
    samples = []
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        for round_number in range(rounds + 1):  # the first round warms up
            for sql, params in statements:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                if round_number:
                    samples.append((time.perf_counter() - started) * 1000)
    result.p50 = statistics.median(samples)
    result.p95 = percentile(samples, 0.95)
    result.queries = 1
    return result


# --- Booking a placement (R-22..R-25) -----------------------------------------------------------------------------


def book_placements(run, *, repeat: int, warmup: int, notes: list[str]) -> None:
    """POST placements/ with a fresh hired referral each time, as the vacancy's owner."""
    from django.utils import timezone
    from rest_framework.test import APIClient

    wanted = 1 + warmup + repeat  # measure() calls once to capture the SQL, then warms up, then times
    prepared, how = hired_referrals(wanted)
    name = "h. API POST placements/ (book a hired referral)"
    if len(prepared) < wanted:
        results_note = f"not available: only {len(prepared)} of {wanted} hired referrals could be prepared ({how})"
        run(name, 100, _unavailable(results_note))
        return
    notes.append(f"Booking: {wanted} hired referrals prepared {how}, each booked once by its vacancy's owner.")
    client = APIClient()
    start = timezone.localdate()
    body = {"start_date": start.isoformat(), "end_date": (start + timedelta(days=182)).isoformat(),
            "hours_per_week": "24", "placement_type": "fixed_term"}  # fmt: skip
    queue = list(prepared)

    def book():
        referral_id, owner = queue.pop()
        client.force_authenticate(owner)  # no session lookup: the token-less API path of an integration
        try:
            response = client.post("/api/v1/placements/", {**body, "referral": referral_id}, format="json")
        except Exception as exc:  # a server error in code under construction: report it, do not stop the bench
            raise Unavailable(f"not available ({type(exc).__name__}: {exc})") from exc
        if response.status_code != 201:
            try:
                code = f" {response.json().get('code', '')}"
            except ValueError:
                code = ""
            raise Unavailable(f"not available (HTTP {response.status_code}{code})")
        return response

    run(name, 100, book)


def _unavailable(note: str):
    def call():
        raise Unavailable(note)

    return call


def hired_referrals(wanted: int) -> tuple[list[tuple[int, object]], str]:
    """Hired referrals ready to be booked: on open one-position vacancies with a recruitment request (R-22), of a
    candidate of the owner's own organisation whose target group it books (R-23) and who fits (R-17, R-41)."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from matching.choices import CandidateStatus, ReferralStatus, TargetGroup
    from matching.models import Candidate, Referral
    from vacancies.models import Vacancy

    try:
        from matching.services import referrals as referral_services

        propose, set_status = referral_services.referral_propose, referral_services.referral_set_status
        how = "through matching.services.referrals"
    except (ImportError, AttributeError):
        propose = set_status = None
        how = "with the ORM (referral services not available)"

    today = timezone.localdate()
    hired = Referral.objects.filter(vacancy=OuterRef("pk"), status=ReferralStatus.HIRED)
    vacancies = (
        Vacancy.objects.referable()
        .filter(requested_positions=1, recruitment_request=True, target_group_flags=[], min_age__isnull=True,
                max_age__isnull=True, expires_on__gte=today + timedelta(days=1), owner__role="adviser")
        .exclude(Exists(hired))
        .select_related("owner__organisation", "organisation")
        .order_by("-registered_at")
    )  # fmt: skip
    prepared, used = [], set()
    for vacancy in vacancies[: wanted * 3]:
        if len(prepared) >= wanted:
            break
        groups = [g for g in TargetGroup.values if TargetGroup.may_book(g, vacancy.organisation.kind)]
        candidate = (
            Candidate.objects.filter(
                organisation=vacancy.organisation, status=CandidateStatus.AVAILABLE, work_ready_since__lte=today,
                target_group__in=groups, skills__overlap=vacancy.skills,
            )
            .exclude(pk__in=used)
            .exclude(referrals__vacancy=vacancy)
            .order_by("id")
            .first()
        )  # fmt: skip
        if candidate is None:
            continue
        owner = vacancy.owner
        try:
            if propose is not None:
                referral = propose(by=owner, vacancy=vacancy, candidate=candidate)
                set_status(referral=referral, by=owner, status=ReferralStatus.HIRED)
            else:
                referral = _hire_with_orm(vacancy, candidate, owner)
        except Exception as exc:  # a refusal (or code under construction): try the next vacancy
            print(f"  (could not prepare a hire on vacancy {vacancy.pk}: {type(exc).__name__}: {exc})", file=sys.stderr)
            continue
        used.add(candidate.pk)
        prepared.append((referral.pk, owner))
    return prepared, how


def _hire_with_orm(vacancy, candidate, owner):
    from django.utils import timezone

    from matching.choices import ReferralStatus
    from matching.models import Referral, ReferralStatusChange

    now = timezone.now()
    referral = Referral.objects.create(
        vacancy=vacancy, candidate=candidate, referred_by=owner, organisation=owner.organisation, referred_at=now,
        status=ReferralStatus.HIRED, status_changed_at=now + timedelta(seconds=1),
    )  # fmt: skip
    ReferralStatusChange.objects.bulk_create([
        ReferralStatusChange(referral=referral, from_status="", to_status=ReferralStatus.PROPOSED, changed_by=owner,
                             changed_at=now),
        ReferralStatusChange(referral=referral, from_status=ReferralStatus.PROPOSED, to_status=ReferralStatus.HIRED,
                             changed_by=owner, changed_at=now + timedelta(seconds=1)),
    ])  # fmt: skip
    return referral
