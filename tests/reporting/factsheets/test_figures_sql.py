"""Every factsheet figure recomputed from the raw rows, independently of the measures (issue 8, R-55..R-57).

The factsheet computes its figures through the measures of `reporting.measures` (querysets and aggregates). This test
computes each of them again with raw SQL written here against the tables (`connection.cursor()`, table names from
`Model._meta.db_table`), with the periods as Europe/Amsterdam local days (`AT TIME ZONE`), and without any measure,
selector or queryset of the application. Per figure it compares the value, the ids of the records counted (R-57: a
published figure keeps the records it counted), the target (R-50) and the base (R-52). A figure without a recipe
fails the test by its key, and so does a cell the recipe finds but the factsheet lacks, except the groups R-11
suppresses (asserted as such).

The data (`sql_data.Region`) spreads every kind of record over 2025-Q2, the quarters around it and the year before,
with records on the boundaries (2025-03-31 23:30 Amsterdam is 21:30 UTC and still Q1) and records that must not
count (cancelled, merged, ceased, a manager's own feedback, income lines, partners' vacancies, duplicates, ...).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection

from accounts.models import Sector, User
from employers.choices import EmployerType, Instrument
from employers.models import ContactMoment, ContactRequest, Employer, EmployerFeedback
from matching.choices import TargetGroup
from matching.models import Placement, Referral, ReferralStatusChange
from reporting.budgets.models import Budget, BudgetLine, BudgetSpend
from reporting.factsheets.models import Factsheet
from reporting.factsheets.services import factsheet_figures
from reporting.projects.choices import Channel, EventKind
from reporting.projects.models import (
    Activity,
    ChannelReach,
    Event,
    EventPlacement,
    EventReferral,
    Project,
    ProjectPlacement,
)
from reporting.targets.models import SectorEmployerCount, Target
from vacancies.models import Vacancy

from .sql_data import Region

pytestmark = pytest.mark.django_db

YEAR, QUARTER = 2025, 2
ZONE = "Europe/Amsterdam"
# a satisfaction group is shown from 5 answers about 3 advisers (ZKIJ plan Bijlage 3).
FEEDBACK_MIN_ANSWERS, FEEDBACK_MIN_ADVISERS = 5, 3
# the 24 hours.
HOURS_24 = timedelta(hours=24)
# one job-agreement job is 25.5 hours a week.
JOB_HOURS = Decimal("25.5")

T = {
    "placement": Placement._meta.db_table,
    "referral": Referral._meta.db_table,
    "change": ReferralStatusChange._meta.db_table,
    "vacancy": Vacancy._meta.db_table,
    "employer": Employer._meta.db_table,
    "user": User._meta.db_table,
    "sector": Sector._meta.db_table,
    "moment": ContactMoment._meta.db_table,
    "request": ContactRequest._meta.db_table,
    "feedback": EmployerFeedback._meta.db_table,
    "project": Project._meta.db_table,
    "project_placement": ProjectPlacement._meta.db_table,
    "activity": Activity._meta.db_table,
    "event": Event._meta.db_table,
    "event_employer": Event.employers.through._meta.db_table,
    "event_referral": EventReferral._meta.db_table,
    "event_placement": EventPlacement._meta.db_table,
    "reach": ChannelReach._meta.db_table,
    "budget": Budget._meta.db_table,
    "line": BudgetLine._meta.db_table,
    "spend": BudgetSpend._meta.db_table,
    "target": Target._meta.db_table,
    "count": SectorEmployerCount._meta.db_table,
}


@dataclass(frozen=True)
class Period:
    """The local days a figure covers: the quarter, or the year up to its end (R-50, R-55)."""

    first: date
    last: date

    @property
    def year(self) -> int:
        return self.last.year

    @property
    def params(self) -> dict:
        return {"first": self.first, "last": self.last, "year": self.year, "zone": ZONE}


QUARTER_DAYS = Period(date(2025, 4, 1), date(2025, 6, 30))
YEAR_TO_DATE = Period(date(2025, 1, 1), date(2025, 6, 30))


@dataclass
class Expected:
    value: Decimal
    ids: list[int]
    target: Decimal | None = None
    base: Decimal | None = None
    group: tuple[int, int] | None = None  # (answers, advisers) of a satisfaction group


def in_period(column: str) -> str:
    """A moment on a local day of the period (the day in Amsterdam, not in UTC)."""
    return f"({column} AT TIME ZONE %(zone)s)::date BETWEEN %(first)s AND %(last)s"


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def cells(sql: str, params: dict) -> dict[str, Expected]:
    """Rows of (key, value, ids) -> cells by key as the factsheet stores it ("" for no key)."""
    return {
        "" if key is None else str(key): Expected(Decimal(value or 0), sorted(ids or []))
        for key, value, ids in _fetch(sql, params)
    }


def one_of(found: dict[str, Expected]) -> dict[str, Expected]:
    """A figure without grouping: one cell, 0 and no ids when nothing is counted."""
    return {"": found.get("", Expected(Decimal(0), []))}


def one(sql: str, params: dict) -> dict[str, Expected]:
    return one_of(cells(sql, params))


def fill(found: dict[str, Expected], keys) -> dict[str, Expected]:
    """A grouping with fixed cells: each key, 0 where nothing is counted; records of other keys are in no cell."""
    return {str(key): found.get(str(key), Expected(Decimal(0), [])) for key in keys}


def grouped(select: str, where: str, value: str, key: str, period: Period, joins: str = "") -> dict[str, Expected]:
    return cells(
        f"SELECT {key}, {value}, array_agg(DISTINCT r.id) FROM {select} {joins} WHERE {where} GROUP BY 1",
        period.params,
    )


def advisers_with_targets(year: int) -> list[int]:
    """ZKIJ plan 5.3: the account managers with a result agreement (any measure) for the year."""
    sql = f"SELECT DISTINCT adviser_id FROM {T['target']} WHERE year = %s AND adviser_id IS NOT NULL"
    return [row[0] for row in _fetch(sql, [year])]


def target_sums(measure: str, group_by: str, year: int) -> dict[str, Decimal]:
    """R-50: the year's targets of a measure, summed for the region (over the target-group targets), per target group
    or per adviser."""
    column = {"": "''", "target_group": "target_group", "adviser": "adviser_id::text"}[group_by]
    where = "adviser_id IS NOT NULL" if group_by == "adviser" else "target_group <> ''"
    rows = _fetch(
        f"SELECT {column}, sum(target) FROM {T['target']} WHERE year = %s AND measure = %s AND {where} GROUP BY 1",
        [year, measure],
    )
    return {key: total for key, total in rows}


def with_targets(found: dict[str, Expected], targets: dict[str, Decimal]) -> dict[str, Expected]:
    for key, cell in found.items():
        cell.target = targets.get(key)
    return found


# --- Recipes: one per family of measures ------------------------------------------------------------------------


PLACEMENT_KINDS = {
    # measure -> (extra condition, value): R-30 durable, R-31 jobs = hours / 25.5 per placement, rounded to 3 decimals.
    "placements": ("TRUE", "count(DISTINCT r.id)"),
    "durable-placements": ("r.is_durable", "count(DISTINCT r.id)"),
    "job-agreement-jobs": ("r.job_agreement", f"coalesce(sum(round(r.hours_per_week / {JOB_HOURS}, 3)), 0)"),
}
PLACEMENT_TARGETS = {"placements": "placements"}


def placements(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-50, R-55, R-30, R-31: booked placements (cancelled left out) whose start date lies in the period, by the
    target group, sector and employer type copied at booking (R-57), the booking partner, the booking adviser or the
    project they were made in (R-54)."""
    condition, value = PLACEMENT_KINDS[measure]
    where = f"r.status = 'booked' AND r.start_date BETWEEN %(first)s AND %(last)s AND {condition}"
    table = f"{T['placement']} r"
    if group_by == "":
        found = one(f"SELECT '', {value}, array_agg(DISTINCT r.id) FROM {table} WHERE {where} GROUP BY 1",
                    period.params)  # fmt: skip
    elif group_by == "sector":
        found = grouped(table, where, value, "r.sector_id", period)
    elif group_by == "organisation":
        found = grouped(table, where, value, "r.organisation_id", period)
    elif group_by == "target_group":
        found = fill(grouped(table, where, value, "r.target_group", period), TargetGroup.values)
    elif group_by == "employer_type":
        found = fill(grouped(table, where, value, "r.employer_type", period), EmployerType.values)
    elif group_by == "project":
        running = [
            row[0]
            for row in _fetch(
                f"SELECT id FROM {T['project']} WHERE period_start <= %(last)s AND period_end >= %(first)s",
                period.params,
            )
        ]
        joins = f"JOIN {T['project_placement']} pp ON pp.placement_id = r.id"
        found = fill(grouped(table, where, value, "pp.project_id", period, joins), running)
    elif group_by == "adviser":
        found = fill(grouped(table, where, value, "r.booked_by_id", period), advisers_with_targets(period.year))
    else:
        raise KeyError(group_by)
    if period == YEAR_TO_DATE and measure in PLACEMENT_TARGETS:
        found = with_targets(found, target_sums(PLACEMENT_TARGETS[measure], group_by, period.year))
    return found


def funnel(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-43: the cohort of the employers' requests registered in the period (no co-production partner's vacancy, no
    duplicate), and per stage the records on them, on the partners' vacancies under them (R-19) and on duplicates of
    either (R-25); a hire carried over to a duplicate is not proposed again."""
    assert group_by == ""
    stage = measure.removeprefix("funnel-")
    family = f"""
        WITH cohort AS (
            SELECT v.id FROM {T["vacancy"]} v
             WHERE {in_period("v.registered_at")} AND v.parent_id IS NULL AND v.duplicated_from_id IS NULL
        ), family AS (
            SELECT v.id FROM {T["vacancy"]} v LEFT JOIN {T["vacancy"]} o ON o.id = v.duplicated_from_id
             WHERE v.id IN (SELECT id FROM cohort) OR v.parent_id IN (SELECT id FROM cohort)
                OR v.duplicated_from_id IN (SELECT id FROM cohort) OR o.parent_id IN (SELECT id FROM cohort)
        ), proposals AS (
            SELECT r.id FROM {T["referral"]} r JOIN {T["vacancy"]} v ON v.id = r.vacancy_id
             WHERE r.vacancy_id IN (SELECT id FROM family)
               AND NOT EXISTS (SELECT 1 FROM {T["referral"]} x
                                WHERE x.vacancy_id = v.duplicated_from_id AND x.candidate_id = r.candidate_id)
        )
    """
    reached = f"SELECT 1 FROM {T['change']} c WHERE c.referral_id = r.id AND c.to_status IN %(statuses)s"
    selects = {
        "registered": "SELECT id FROM cohort",
        "proposed": "SELECT id FROM proposals",
        "invited": f"SELECT r.id FROM proposals r WHERE EXISTS ({reached})",
        "hired": f"SELECT r.id FROM proposals r WHERE EXISTS ({reached})",
        "booked": f"SELECT id FROM {T['placement']} WHERE status = 'booked' AND vacancy_id IN (SELECT id FROM family)",
        "durable": f"SELECT id FROM {T['placement']} WHERE status = 'booked' AND is_durable "
        "AND vacancy_id IN (SELECT id FROM family)",
    }
    statuses = ("invited", "hired") if stage == "invited" else ("hired",)
    sql = f"{family} SELECT '', count(*), array_agg(id) FROM ({selects[stage]}) AS counted(id) GROUP BY 1"
    return one(sql, period.params | {"statuses": statuses})


def employers(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-50, R-55 (ZKIJ plan 5.3): new employer relations (registered in the period, merged duplicates left out) by
    the registering adviser's organisation or the adviser; all relations (active, registered before the period's
    end); company visits (R-08) in total or by adviser; against the advisers' result agreements."""
    e, where = f"{T['employer']} r", "r.merged_into_id IS NULL"
    if measure == "employers-new":
        where += f" AND {in_period('r.created_at')}"
        key = {"": "''", "organisation": "u.organisation_id", "adviser": "r.created_by_id"}[group_by]
        joins = f"LEFT JOIN {T['user']} u ON u.id = r.created_by_id"
        found = grouped(e, where, "count(DISTINCT r.id)", key, period, joins)
        target_measure = "new_employers"
    elif measure == "employers-total":
        assert group_by == ""
        where += " AND r.status = 'active' AND r.created_at < (%(last)s::date + 1)::timestamp AT TIME ZONE %(zone)s"
        found = grouped(e, where, "count(DISTINCT r.id)", "''", period)
        target_measure = None
    else:  # visits
        key = {"": "''", "adviser": "r.adviser_id"}[group_by]
        where = f"r.kind = 'visit' AND {in_period('r.occurred_at')}"
        found = grouped(f"{T['moment']} r", where, "count(DISTINCT r.id)", key, period)
        target_measure = "visits"
    if group_by == "":
        return one_of(found)
    if group_by == "adviser":
        found = fill(found, advisers_with_targets(period.year))
        return with_targets(found, target_sums(target_measure, "adviser", period.year))
    return found


def coverage(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-52: per focus sector (R-51) the current employers with 10 or more staff in contact during the 12 months up
    to the end of the period (last contact or a contact moment in that window), out of the region's employers with
    10 or more staff entered for the year, against the sector's ambition."""
    assert group_by == "sector"
    window = """
        WITH window_ AS (
            SELECT LEAST(((%(last)s::date + 1)::timestamp AT TIME ZONE %(zone)s), now()) AS end_
        ), bounds AS (
            SELECT ((end_ AT TIME ZONE %(zone)s) - interval '365 days') AT TIME ZONE %(zone)s AS start_, end_
              FROM window_
        )
    """
    sql = f"""{window}
        SELECT r.sector_id, count(DISTINCT r.id), array_agg(DISTINCT r.id)
          FROM {T["employer"]} r, bounds b
         WHERE r.merged_into_id IS NULL AND r.sector_id IS NOT NULL AND r.staff_count >= 10
           AND ((r.last_contact_at >= b.start_ AND r.last_contact_at < b.end_)
                OR EXISTS (SELECT 1 FROM {T["moment"]} m WHERE m.employer_id = r.id
                            AND m.occurred_at >= b.start_ AND m.occurred_at < b.end_))
         GROUP BY 1
    """
    focus = [row[0] for row in _fetch(f"SELECT id FROM {T['sector']} WHERE is_focus", {})]
    found = fill(cells(sql, period.params), focus)
    counts = {
        str(sector): (count, ambition)
        for sector, count, ambition in _fetch(
            f"SELECT sector_id, employers_10_plus, ambition FROM {T['count']} WHERE year = %s", [period.year]
        )
    }
    for key, cell in found.items():
        count, ambition = counts.get(key, (None, None))
        cell.base = None if count is None else Decimal(count)
        cell.target = ambition
    return found


def compliance(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-10: contact requests received in the period, and those answered more than 24 hours after receipt or not
    answered and past the 24 hours; R-12: the employers' vacancies received in the period (no partner's vacancy, no
    duplicate), and those registered more than 24 hours after receipt as it stands or as it was registered (R-57)."""
    assert group_by == ""
    params = period.params | {"hours": HOURS_24}
    if measure.startswith("contact-requests"):
        where = in_period("r.received_at")
        if measure == "contact-requests-late":
            where += """ AND ((r.responded_at IS NOT NULL AND r.responded_at - r.received_at > %(hours)s)
                             OR (r.responded_at IS NULL AND r.received_at < now() - %(hours)s))"""
        table = f"{T['request']} r"
    else:
        where = f"{in_period('r.received_at')} AND r.parent_id IS NULL AND r.duplicated_from_id IS NULL"
        if measure == "vacancies-late":
            where += """ AND (r.registered_at - r.received_at > %(hours)s
                             OR r.registered_at - r.received_at_registered > %(hours)s)"""
        table = f"{T['vacancy']} r"
    return one(f"SELECT '', count(*), array_agg(r.id) FROM {table} WHERE {where} GROUP BY 1", params)


def satisfaction(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-11: the average score of the employers' feedback received in the period (a manager's own entries left out)
    per organisation of the adviser it concerns, with the answers and advisers of the group (for the suppression);
    the ids are those the factsheet keeps for R-57 and never lists."""
    assert group_by == "organisation"
    sql = f"""
        SELECT u.organisation_id, avg(r.score), array_agg(r.id), count(*), count(DISTINCT r.adviser_id)
          FROM {T["feedback"]} r JOIN {T["user"]} u ON u.id = r.adviser_id
         WHERE NOT r.registered_by_manager AND {in_period("r.received_at")}
         GROUP BY 1
    """
    found = {}
    for key, average, ids, answers, advisers in _fetch(sql, period.params):
        found[str(key)] = Expected(Decimal(average), sorted(ids), group=(answers, advisers))
    return found


def instruments(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-33: per instrument, the booked placements starting in the period or the contacts of the period in which it
    was advised (or applied)."""
    assert group_by == "instrument"
    _, verb, kind = measure.split("-")
    column = f"r.instruments_{verb}"
    if kind == "placements":
        table, where = f"{T['placement']} r", "r.status = 'booked' AND r.start_date BETWEEN %(first)s AND %(last)s"
    else:
        table, where = f"{T['moment']} r", in_period("r.occurred_at")
    sql = f"""SELECT i.instrument, count(DISTINCT r.id), array_agg(DISTINCT r.id)
                FROM {table} CROSS JOIN LATERAL unnest({column}) AS i(instrument)
               WHERE {where} GROUP BY 1"""
    return fill(cells(sql, period.params), Instrument.values)


def events(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-19, R-56: the events held in the period (in total and per kind), their participants, the employers that
    took part (each once), the referrals and the booked placements that came from them (each once)."""
    held = f"SELECT id FROM {T['event']} WHERE date BETWEEN %(first)s AND %(last)s"
    if measure == "events":
        key = "r.kind" if group_by == "kind" else "''"
        found = grouped(f"{T['event']} r", "r.date BETWEEN %(first)s AND %(last)s", "count(*)", key, period)
        return fill(found, EventKind.values) if group_by == "kind" else one_of(found)
    assert group_by == ""
    sql = {
        "event-participants": f"SELECT '', coalesce(sum(participants), 0), array_agg(id) FROM {T['event']} "
        "WHERE date BETWEEN %(first)s AND %(last)s",
        "event-employers": f"SELECT '', count(DISTINCT employer_id), array_agg(DISTINCT employer_id) "
        f"FROM {T['event_employer']} WHERE event_id IN ({held})",
        "event-referrals": f"SELECT '', count(DISTINCT referral_id), array_agg(DISTINCT referral_id) "
        f"FROM {T['event_referral']} WHERE event_id IN ({held})",
        "event-placements": f"SELECT '', count(DISTINCT p.id), array_agg(DISTINCT p.id) FROM {T['event_placement']} ep "
        f"JOIN {T['placement']} p ON p.id = ep.placement_id WHERE p.status = 'booked' AND ep.event_id IN ({held})",
    }[measure]
    return one(sql, period.params)


def activities(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-54: the activities of the projects whose subsidy period overlaps the period; realised: with a realisation
    recorded (a number or a range)."""
    assert group_by == ""
    realised = " AND a.realised_low IS NOT NULL" if measure == "activities-realised" else ""
    sql = f"""SELECT '', count(*), array_agg(a.id) FROM {T["activity"]} a JOIN {T["project"]} p ON p.id = a.project_id
               WHERE p.period_start <= %(last)s AND p.period_end >= %(first)s {realised} GROUP BY 1"""
    return one(sql, period.params)


def reach(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-56 (ZKIJ plan 3.4, 5.3): the reach entered for the quarters of the period, in total and per channel."""
    quarters = {"fq": (period.first.month - 1) // 3 + 1, "lq": (period.last.month - 1) // 3 + 1}
    key = "r.channel" if group_by == "channel" else "''"
    sql = f"""SELECT {key}, coalesce(sum(r.reach), 0), array_agg(r.id) FROM {T["reach"]} r
               WHERE r.year = %(year)s AND r.quarter BETWEEN %(fq)s AND %(lq)s GROUP BY 1"""
    found = cells(sql, period.params | quarters)
    return fill(found, Channel.values) if group_by == "channel" else one_of(found)


COST_KINDS_SQL = "('personnel', 'other_cost')"


def budget(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-53: the planned cost lines of the year's budget (income left out), and the realised spend on them in the
    months of the period, in total and per month."""
    if measure == "budget-cost":
        sql = f"""SELECT '', coalesce(sum(l.planned), 0), array_agg(l.id) FROM {T["line"]} l
                    JOIN {T["budget"]} b ON b.id = l.budget_id
                   WHERE b.year = %(year)s AND l.kind IN {COST_KINDS_SQL} GROUP BY 1"""
        return one(sql, period.params)
    key = "s.month::text" if group_by == "month" else "''"
    sql = f"""SELECT {key}, coalesce(sum(s.amount), 0), array_agg(s.id) FROM {T["spend"]} s
                JOIN {T["line"]} l ON l.id = s.line_id JOIN {T["budget"]} b ON b.id = l.budget_id
               WHERE b.year = %(year)s AND l.kind IN {COST_KINDS_SQL} AND s.month BETWEEN %(first)s AND %(last)s
               GROUP BY 1"""
    found = cells(sql, period.params)
    return found if group_by == "month" else one_of(found)


def cost_per_placement(measure: str, group_by: str, period: Period) -> dict[str, Expected]:
    """R-53: realised cost / placements of the year to date (Haarlem note: EUR 350,000 / 100 = EUR 3,500), to the
    cent; out of the placements; no records of its own."""
    spend = budget("budget-spend", "", YEAR_TO_DATE)[""].value
    booked = placements("placements", "", YEAR_TO_DATE)[""].value
    value = (spend / booked).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if booked else Decimal(0)
    return {"": Expected(value, [], base=booked or None)}


Recipe = Callable[[str, str, Period], dict[str, Expected]]
QUARTER_ONLY, YTD = False, True
RECIPES: dict[tuple[str, bool, str], Recipe] = {
    **{("placements", ytd, by): placements for ytd, by in (
        (YTD, ""), (YTD, "target_group"), (QUARTER_ONLY, ""), (QUARTER_ONLY, "sector"),
        (QUARTER_ONLY, "organisation"), (QUARTER_ONLY, "target_group"), (QUARTER_ONLY, "project"), (YTD, "adviser"),
    )},
    ("durable-placements", QUARTER_ONLY, ""): placements,
    ("job-agreement-jobs", QUARTER_ONLY, ""): placements,
    ("job-agreement-jobs", QUARTER_ONLY, "employer_type"): placements,
    **{(f"funnel-{stage}", QUARTER_ONLY, ""): funnel
       for stage in ("registered", "proposed", "invited", "hired", "booked", "durable")},
    ("employers-new", QUARTER_ONLY, ""): employers,
    ("employers-new", QUARTER_ONLY, "organisation"): employers,
    ("employers-new", YTD, "adviser"): employers,
    ("employers-total", QUARTER_ONLY, ""): employers,
    ("visits", QUARTER_ONLY, ""): employers,
    ("visits", YTD, "adviser"): employers,
    ("coverage-in-contact", QUARTER_ONLY, "sector"): coverage,
    **{(key, QUARTER_ONLY, ""): compliance
       for key in ("contact-requests", "contact-requests-late", "vacancies-received", "vacancies-late")},
    ("employer-satisfaction", QUARTER_ONLY, "organisation"): satisfaction,
    **{(f"instruments-{verb}-{kind}", QUARTER_ONLY, "instrument"): instruments
       for verb in ("advised", "applied") for kind in ("contacts", "placements")},
    ("events", QUARTER_ONLY, ""): events,
    ("events", QUARTER_ONLY, "kind"): events,
    **{(key, QUARTER_ONLY, ""): events
       for key in ("event-participants", "event-employers", "event-referrals", "event-placements")},
    ("activities", QUARTER_ONLY, ""): activities,
    ("activities-realised", QUARTER_ONLY, ""): activities,
    ("reach", QUARTER_ONLY, ""): reach,
    ("reach", QUARTER_ONLY, "channel"): reach,
    ("budget-cost", QUARTER_ONLY, ""): budget,
    ("budget-spend", YTD, ""): budget,
    ("budget-spend", YTD, "month"): budget,
    ("", QUARTER_ONLY, ""): cost_per_placement,
}  # fmt: skip


def _figure_key(measure: str, ytd: bool, group_by: str, group_key: str | None) -> str:
    parts = [measure or "ratio"] + (["ytd"] if ytd else [])
    if group_by:
        parts += [group_by, group_key or "none"]
    return "__".join(parts)


def _stored(value) -> Decimal | None:
    """As the figure is stored (14 digits, 3 decimals)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


@pytest.fixture
def region(db) -> Region:
    return Region()


def test_every_factsheet_figure_equals_its_recomputation_from_the_raw_rows_R55_R56_R57(region):
    """R-57: each figure of the 2025-Q2 factsheet (R-55, R-56) is reproducible from the records it counted: its value,
    its record ids, its target (R-50) and base (R-52) equal a raw-SQL recomputation; R-11's small groups are left
    out; and the generated data makes every recipe count something."""
    factsheet = Factsheet.objects.create(year=YEAR, quarter=QUARTER, version=1, created_by=region.manager)
    figures = factsheet_figures(factsheet)
    assert figures, "the factsheet has no figures"
    by_spec: dict[tuple[str, bool, str], dict] = {}
    for figure in figures:
        by_spec.setdefault((figure.measure, figure.year_to_date, figure.group_by), {})[figure.group_key] = figure
    missing = sorted({f.key for f in figures if (f.measure, f.year_to_date, f.group_by) not in RECIPES})
    assert not missing, f"figures without a raw-SQL recipe: {missing}"
    assert not set(RECIPES) - set(by_spec), f"recipes without a figure: {sorted(set(RECIPES) - set(by_spec))}"

    mismatches, suppressed, zero_recipes = [], [], []
    for spec, shown in by_spec.items():
        measure, ytd, group_by = spec
        expected = RECIPES[spec](measure, group_by, YEAR_TO_DATE if ytd else QUARTER_DAYS)
        if measure == "employer-satisfaction":
            # only groups of 5+ answers about 3+ advisers; the others are suppressed, never shown.
            small = {k for k, cell in expected.items() if not _large_enough(cell)}
            suppressed += [(k, expected[k].group) for k in small]
            assert not small & set(shown), f"R-11: small satisfaction groups shown: {small & set(shown)}"
            expected = {k: cell for k, cell in expected.items() if k not in small}
        if set(expected) != set(shown):
            mismatches.append((_figure_key(measure, ytd, group_by, "*"), "cells", sorted(shown), sorted(expected)))
        for key in sorted(set(expected) & set(shown)):
            figure, cell = shown[key], expected[key]
            assert figure.key == _figure_key(measure, ytd, group_by, key)
            for what, app, sql in (
                ("value", _stored(figure.value), _stored(cell.value)),
                ("record_ids", sorted(figure.record_ids), cell.ids),
                ("target", _stored(figure.target), _stored(cell.target)),
                ("base", _stored(figure.base), _stored(cell.base)),
            ):
                if app != sql:
                    mismatches.append((figure.key, what, app, sql))
        if not any(cell.value for cell in expected.values()):
            zero_recipes.append(_figure_key(measure, ytd, group_by, "*"))
    assert not mismatches, "factsheet vs raw SQL:\n" + "\n".join(map(str, mismatches))
    # The data is not trivial: every figure counts something, and R-11 had groups to suppress, both kinds.
    assert not zero_recipes, f"figures that are zero everywhere (the data does not exercise them): {zero_recipes}"
    assert {groups for _key, groups in suppressed} >= {(6, 2), (1, 1)}, suppressed
    assert len(figures) > 100


def _large_enough(cell: Expected) -> bool:
    answers, advisers = cell.group
    return answers >= FEEDBACK_MIN_ANSWERS and advisers >= FEEDBACK_MIN_ADVISERS


def test_the_boundary_records_fall_in_the_quarter_of_their_local_day_R55(region):
    """R-55: a moment belongs to the quarter of its day in Amsterdam: 2025-03-31 23:30 (21:30 UTC) is Q1, 2025-04-01
    00:10 (22:10 UTC on 31 March) is Q2; the recipes and the factsheet agree on it."""
    factsheet = Factsheet.objects.create(year=YEAR, quarter=QUARTER, version=1, created_by=region.manager)
    figures = {f.key: f for f in factsheet_figures(factsheet)}
    requests = set(figures["contact-requests"].record_ids)
    assert region.requests["on-time"].pk in requests and region.requests["q1"].pk not in requests
    assert region.requests["q3"].pk not in requests
    new = set(figures["employers-new"].record_ids)
    assert region.new_q2[0].pk in new and region.new_q1.pk not in new and region.new_q3.pk not in new
    assert region.new_q1.pk in set(figures[f"employers-new__ytd__adviser__{region.ua1.pk}"].record_ids)
    assert (
        region.visits[0].pk in figures["visits"].record_ids and region.visits[4].pk not in figures["visits"].record_ids
    )
    # The funnel's cohort is by registration: received in Q1, registered in the first minutes of Q2.
    assert figures["funnel-registered"].value >= 1
    late = set(figures["vacancies-late"].record_ids)
    assert region.vacancies["corrected"].pk in late and region.vacancies["exactly-24h"].pk not in late
    assert region.requests["exactly-24h"].pk not in set(figures["contact-requests-late"].record_ids)
    assert region.requests["just-over"].pk in set(figures["contact-requests-late"].record_ids)
