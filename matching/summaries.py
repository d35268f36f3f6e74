"""Booked placements per month, kept by the database (R-50, R-55, R-57).

The placement figures of a period (per target group, sector, partner organisation and month; durable placements;
job-agreement jobs, split by market and government employers) used to be counted from every booked placement of the
period at every request: a scan of the year that grows with the region's data. The database now keeps, per month of
the start date and per combination of what the figures group and filter by (the booking organisation, the sector,
target group and employer type copied at booking, durability and whether it is a job-agreement placement), the number
of booked placements and the sum of their job-agreement jobs (`PlacementMonth`). A year is then at most a few
thousand rows, whatever the number of placements.

A trigger keeps it exact in the transaction of every write to a placement, whatever path it takes (services, admin,
bulk updates, Celery): a booking adds one to its cell, a cancellation takes it off, a correction of the start date,
the hours or the target group moves it from its old cell to its new one, a durability check moves it between the
durable and the not (yet) durable cell, a deletion takes it off. A cell that reaches zero is removed. The demo's bulk
load runs without triggers and calls `FILL` instead, which counts every cell from the records, as the migration did
for the data already there; a test checks that the cells equal a recount from the records after random writes.

Figures of days within a month (a forecast's "last year up to the same day", a period that does not start on the
first of a month) count the records of that month (`reporting.measures.placements.placement_figures`).
"""

import pgtrigger

_KEY = ("organisation_id", "target_group", "employer_type", "job_agreement", "sector_id", "is_durable")
_NULLABLE = ("sector_id", "is_durable")


def _cell(row: str) -> str:
    """The condition that selects `row`'s cell (`OLD` or `NEW`)."""
    return " AND ".join(
        [f"month = date_trunc('month', {row}.start_date)::date"]
        + [f"{column} {'IS NOT DISTINCT FROM' if column in _NULLABLE else '='} {row}.{column}" for column in _KEY]
    )


PLACEMENT_MONTHS = pgtrigger.Trigger(
    name="placement_months",
    when=pgtrigger.After,
    operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
    declare=[("cell", "bigint"), ("remaining", "integer")],
    func=f"""
        IF TG_OP = 'UPDATE'
           AND (OLD.status, OLD.start_date, {", ".join(f"OLD.{c}" for c in _KEY)}, OLD.job_agreement_jobs)
               IS NOT DISTINCT FROM
               (NEW.status, NEW.start_date, {", ".join(f"NEW.{c}" for c in _KEY)}, NEW.job_agreement_jobs) THEN
            RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' AND OLD.status = 'booked' THEN
            UPDATE matching_placementmonth
               SET placements = placements - 1, job_agreement_jobs = job_agreement_jobs - OLD.job_agreement_jobs
             WHERE {_cell("OLD")}
            RETURNING id, placements INTO cell, remaining;
            IF remaining = 0 THEN
                DELETE FROM matching_placementmonth WHERE id = cell;
            END IF;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'booked' THEN
            INSERT INTO matching_placementmonth (month, {", ".join(_KEY)}, placements, job_agreement_jobs)
            VALUES (date_trunc('month', NEW.start_date)::date, {", ".join(f"NEW.{c}" for c in _KEY)}, 1,
                    NEW.job_agreement_jobs)
            ON CONFLICT ON CONSTRAINT placement_month_key DO UPDATE
               SET placements = matching_placementmonth.placements + 1,
                   job_agreement_jobs = matching_placementmonth.job_agreement_jobs + EXCLUDED.job_agreement_jobs;
        END IF;
        RETURN NULL;
    """,
)

# Every cell from the records, set-based: the migration that introduced them and the demo's bulk load (which runs
# without triggers).
FILL = [
    "DELETE FROM matching_placementmonth",
    f"""
    INSERT INTO matching_placementmonth (month, {", ".join(_KEY)}, placements, job_agreement_jobs)
    SELECT date_trunc('month', start_date)::date, {", ".join(_KEY)}, count(*), sum(job_agreement_jobs)
      FROM matching_placement
     WHERE status = 'booked'
     GROUP BY 1, {", ".join(str(n) for n in range(2, len(_KEY) + 2))}
    """,
]


# --- The funnel per month of registration (R-43) ------------------------------------------------------------------
#
# The funnel (`reporting.measures.funnel`) follows the employers' requests registered in a period through proposal,
# invitation, hire, booking and durability, with each stage's count and median days. Counted from the records, a
# year's funnel reads half a million referrals and sorts them three times. The database now keeps, per month of the
# request's registration, the request's organisation and its employer's sector, per stage and number of days, how
# many records reached that stage after that many days (`FunnelCell`): a year is a few ten thousand rows, from which
# the counts and the medians follow exactly (the days are whole calendar days, so a median is read off the counts).
#
# What a record adds (its "contributions", the same SQL for the triggers and for `FUNNEL_FILL`):
#   a referral on a request (not carried over to a duplicate, R-25): proposed, days from the registration; when
#   invited, invited, days from the proposal; when hired, hired, days from the invitation;
#   a booked placement on a request: booked, days from the hire (none when no hire is known); when durable,
#   durable, days from the booking to the day it counted as durable (0 when it was booked later).
#
# Triggers keep the cells exact in the transaction of every write: a referral or placement written takes its old
# contributions off and adds its new ones (the moments `matching.moments` keeps on it included); a request handed
# to another organisation (its vacancy's `organisation`, or its `employer` in a merge) and an employer whose sector
# changes move the contributions of their requests to the new organisation's or sector's cells. A cell that reaches
# zero is removed.

ZONE = "Europe/Amsterdam"  # settings.TIME_ZONE: the days of the funnel are local calendar days


def local_day(moment: str) -> str:
    return f"({moment} AT TIME ZONE '{ZONE}')::date"


def calendar_days(later: str, earlier: str) -> str:
    """SQL: the calendar days (local) from one moment to a later one; null when either is unknown."""
    return f"({local_day(later)} - {local_day(earlier)})"


def durable_days(durable_after: str, booked_at: str) -> str:
    """SQL: the days from the booking to the day a placement counted as durable (the day after `durable_after`,
    R-30), 0 when it was booked later."""
    return f"GREATEST(0, {durable_after} - {local_day(booked_at)} + 1)"


def _contributions(referrals: str, placements: str) -> str:
    """SQL: (request_id, month, stage, days) of every stage the referrals `r` and placements `p` reached (table
    expressions), on requests only."""
    month = f"date_trunc('month', {{row}}.request_registered_at AT TIME ZONE '{ZONE}')::date"
    on_request = "{row}.request_id IS NOT NULL"
    referral = f"SELECT r.request_id, {month.format(row='r')} AS month, {{stage}} AS stage, {{days}} AS days " \
        f"FROM {referrals} r WHERE {on_request.format(row='r')} AND NOT r.carried_over"
    placement = f"SELECT p.request_id, {month.format(row='p')} AS month, {{stage}} AS stage, {{days}} AS days " \
        f"FROM {placements} p WHERE {on_request.format(row='p')} AND p.status = 'booked'"  # fmt: skip
    return "\nUNION ALL\n".join(
        [
            referral.format(stage="'proposed'", days=calendar_days("r.referred_at", "r.request_registered_at")),
            referral.format(stage="'invited'", days=calendar_days("r.invited_at", "r.referred_at"))
            + " AND r.invited_at IS NOT NULL",
            referral.format(stage="'hired'", days=calendar_days("r.hired_at", "r.invited_at"))
            + " AND r.hired_at IS NOT NULL",
            placement.format(stage="'booked'", days=calendar_days("p.booked_at", "p.hired_at")),
            placement.format(stage="'durable'", days=durable_days("p.durable_after", "p.booked_at"))
            + " AND p.is_durable",
        ]
    )


_NO_PLACEMENTS = "(SELECT * FROM matching_placement WHERE false)"
_NO_REFERRALS = "(SELECT * FROM matching_referral WHERE false)"

# Functions the triggers share: add `n` records to a cell (of a request: its organisation and sector as they are).
FUNNEL_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION matching_funnel_cell(
    cell_month date, organisation bigint, sector bigint, cell_stage text, cell_days integer, n integer
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    cell bigint;
    remaining integer;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    UPDATE matching_funnelcell SET records = records + n
     WHERE month = cell_month AND organisation_id = organisation AND stage = cell_stage
       AND sector_id IS NOT DISTINCT FROM sector AND days IS NOT DISTINCT FROM cell_days
    RETURNING id, records INTO cell, remaining;
    IF NOT FOUND THEN
        INSERT INTO matching_funnelcell (month, organisation_id, sector_id, stage, days, records)
        VALUES (cell_month, organisation, sector, cell_stage, cell_days, n)
        ON CONFLICT ON CONSTRAINT funnel_cell_key DO UPDATE SET records = matching_funnelcell.records + EXCLUDED.records
        RETURNING id, records INTO cell, remaining;
    END IF;
    IF remaining = 0 THEN
        DELETE FROM matching_funnelcell WHERE id = cell;
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION matching_funnel_request(
    request bigint, cell_month date, cell_stage text, cell_days integer, n integer
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    organisation bigint;
    sector bigint;
BEGIN
    SELECT v.organisation_id, e.sector_id INTO organisation, sector
      FROM vacancies_vacancy v JOIN employers_employer e ON e.id = v.employer_id WHERE v.id = request;
    PERFORM matching_funnel_cell(cell_month, organisation, sector, cell_stage, cell_days, n);
END;
$$;

-- Move the contributions of the requests `requests` from one organisation and sector to another.
CREATE OR REPLACE FUNCTION matching_funnel_move(
    requests bigint[], from_organisation bigint, from_sector bigint, to_organisation bigint, to_sector bigint
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    IF (from_organisation, from_sector) IS NOT DISTINCT FROM (to_organisation, to_sector) THEN
        RETURN;
    END IF;
    FOR c IN
        SELECT month, stage, days, count(*)::integer AS n
          FROM ({_contributions(
              "(SELECT * FROM matching_referral WHERE request_id = ANY(requests))",
              "(SELECT * FROM matching_placement WHERE request_id = ANY(requests))",
          )}) contributions
         GROUP BY month, stage, days
    LOOP
        PERFORM matching_funnel_cell(c.month, from_organisation, from_sector, c.stage, c.days, -c.n);
        PERFORM matching_funnel_cell(c.month, to_organisation, to_sector, c.stage, c.days, c.n);
    END LOOP;
END;
$$;

-- A request handed to another organisation, or moved to another employer (a merge, R-07).
CREATE OR REPLACE FUNCTION matching_funnel_vacancy_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NULL AND NEW.duplicated_from_id IS NULL
       AND (OLD.organisation_id, OLD.employer_id) IS DISTINCT FROM (NEW.organisation_id, NEW.employer_id) THEN
        PERFORM matching_funnel_move(
            ARRAY[NEW.id],
            OLD.organisation_id, (SELECT sector_id FROM employers_employer WHERE id = OLD.employer_id),
            NEW.organisation_id, (SELECT sector_id FROM employers_employer WHERE id = NEW.employer_id)
        );
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS matching_funnel_vacancy_moved ON vacancies_vacancy;
CREATE TRIGGER matching_funnel_vacancy_moved AFTER UPDATE OF organisation_id, employer_id ON vacancies_vacancy
    FOR EACH ROW EXECUTE FUNCTION matching_funnel_vacancy_moved();

-- An employer whose sector changes: its requests' contributions move, per organisation.
CREATE OR REPLACE FUNCTION matching_funnel_sector_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o record;
BEGIN
    IF OLD.sector_id IS DISTINCT FROM NEW.sector_id THEN
        FOR o IN
            SELECT organisation_id, array_agg(id) AS requests FROM vacancies_vacancy
             WHERE employer_id = NEW.id AND parent_id IS NULL AND duplicated_from_id IS NULL
             GROUP BY organisation_id
        LOOP
            PERFORM matching_funnel_move(
                o.requests, o.organisation_id, OLD.sector_id, o.organisation_id, NEW.sector_id
            );
        END LOOP;
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS matching_funnel_sector_changed ON employers_employer;
CREATE TRIGGER matching_funnel_sector_changed AFTER UPDATE OF sector_id ON employers_employer
    FOR EACH ROW EXECUTE FUNCTION matching_funnel_sector_changed();
"""

FUNNEL_FUNCTIONS_REMOVED = """
DROP TRIGGER IF EXISTS matching_funnel_sector_changed ON employers_employer;
DROP TRIGGER IF EXISTS matching_funnel_vacancy_moved ON vacancies_vacancy;
DROP FUNCTION IF EXISTS matching_funnel_sector_changed();
DROP FUNCTION IF EXISTS matching_funnel_vacancy_moved();
DROP FUNCTION IF EXISTS matching_funnel_move(bigint[], bigint, bigint, bigint, bigint);
DROP FUNCTION IF EXISTS matching_funnel_request(bigint, date, text, integer, integer);
DROP FUNCTION IF EXISTS matching_funnel_cell(date, bigint, bigint, text, integer, integer);
"""


def _row_trigger(name: str, row_columns: tuple[str, ...], referrals: bool) -> pgtrigger.Trigger:
    """A referral's or placement's old contributions off, its new ones on (only when what they depend on changed)."""
    source = "(SELECT {row}.*)"

    def of(row: str) -> str:
        table = source.format(row=row)
        return _contributions(table, _NO_PLACEMENTS) if referrals else _contributions(_NO_REFERRALS, table)

    old = ", ".join(f"OLD.{c}" for c in row_columns)
    new = ", ".join(f"NEW.{c}" for c in row_columns)
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[("c", "record")],
        func=f"""
            IF TG_OP = 'UPDATE' AND ({old}) IS NOT DISTINCT FROM ({new}) THEN
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                FOR c IN {of("OLD")} LOOP
                    PERFORM matching_funnel_request(c.request_id, c.month, c.stage, c.days, -1);
                END LOOP;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                FOR c IN {of("NEW")} LOOP
                    PERFORM matching_funnel_request(c.request_id, c.month, c.stage, c.days, 1);
                END LOOP;
            END IF;
            RETURN NULL;
        """,
    )


REFERRAL_FUNNEL_CELLS = _row_trigger(
    "funnel_cells",
    ("request_id", "request_registered_at", "carried_over", "referred_at", "invited_at", "hired_at"),
    referrals=True,
)
PLACEMENT_FUNNEL_CELLS = _row_trigger(
    "funnel_cells",
    ("request_id", "request_registered_at", "status", "booked_at", "hired_at", "is_durable", "durable_after"),
    referrals=False,
)

FUNNEL_FILL = [
    "DELETE FROM matching_funnelcell",
    f"""
    INSERT INTO matching_funnelcell (month, organisation_id, sector_id, stage, days, records)
    SELECT c.month, v.organisation_id, e.sector_id, c.stage, c.days, count(*)
      FROM ({_contributions("matching_referral", "matching_placement")}) c
      JOIN vacancies_vacancy v ON v.id = c.request_id
      JOIN employers_employer e ON e.id = v.employer_id
     GROUP BY 1, 2, 3, 4, 5
    """,
]


# --- Referrals per month (R-21, R-55) -------------------------------------------------------------------------------
#
# `stats/referrals/` counts the candidates proposed in a period (the referral register, R-21) per candidate's
# organisation, employer's sector, target group or month, with how many were hired, within the vacancies of an
# organisation or a sector. Counted from the records that is half a million referrals a year, joined to their
# candidates, vacancies and employers. The database keeps, per month of the proposal (local), the vacancy's
# organisation, the employer's sector, the candidate's organisation and target group, how many were proposed and how
# many of them are hired now (`ReferralMonth`).
#
# Triggers keep it exact in the transaction of every write: a referral written takes its old count off and adds its
# new one; a vacancy handed to another organisation or moved to another employer (a merge), an employer whose sector
# changes and a candidate who moves to another organisation or target group move the counts of their referrals.

_REFERRAL_MONTH = f"date_trunc('month', r.referred_at AT TIME ZONE '{ZONE}')::date"
_REFERRAL_KEY = ("vacancy_organisation_id", "sector_id", "candidate_organisation_id", "target_group")


def _referral_counts(where: str, **dims: str) -> str:
    """SQL: per cell (month, the four keys), the referrals `r` matching `where` and how many of them are hired; a key
    is the column it is read from (joined vacancy `v`, employer `e`, candidate `c`) unless `dims` gives it."""
    key = {
        "vacancy_organisation_id": "v.organisation_id",
        "sector_id": "e.sector_id",
        "candidate_organisation_id": "c.organisation_id",
        "target_group": "c.target_group",
    } | dims
    return f"""
        SELECT {_REFERRAL_MONTH} AS month, {", ".join(f"{key[name]} AS {name}" for name in _REFERRAL_KEY)},
               count(*)::integer AS records, (count(*) FILTER (WHERE r.status = 'hired'))::integer AS hired
          FROM matching_referral r
          JOIN vacancies_vacancy v ON v.id = r.vacancy_id
          JOIN employers_employer e ON e.id = v.employer_id
          JOIN matching_candidate c ON c.id = r.candidate_id
         WHERE {where}
         GROUP BY 1, 2, 3, 4, 5
    """


REFERRAL_MONTH_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION matching_referral_month(
    cell_month date, vacancy_organisation bigint, sector bigint, candidate_organisation bigint, cell_target_group text,
    n integer, n_hired integer
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    cell bigint;
    remaining integer;
BEGIN
    IF n = 0 AND n_hired = 0 THEN
        RETURN;
    END IF;
    UPDATE matching_referralmonth SET records = records + n, hired = hired + n_hired
     WHERE month = cell_month AND vacancy_organisation_id = vacancy_organisation
       AND candidate_organisation_id = candidate_organisation AND target_group = cell_target_group
       AND sector_id IS NOT DISTINCT FROM sector
    RETURNING id, records INTO cell, remaining;
    IF NOT FOUND THEN
        INSERT INTO matching_referralmonth
               (month, vacancy_organisation_id, sector_id, candidate_organisation_id, target_group, records, hired)
        VALUES (cell_month, vacancy_organisation, sector, candidate_organisation, cell_target_group, n, n_hired)
        ON CONFLICT ON CONSTRAINT referral_month_key DO UPDATE
           SET records = matching_referralmonth.records + EXCLUDED.records,
               hired = matching_referralmonth.hired + EXCLUDED.hired
        RETURNING id, records INTO cell, remaining;
    END IF;
    IF remaining = 0 THEN
        DELETE FROM matching_referralmonth WHERE id = cell;
    END IF;
END;
$$;

-- The counts of the referrals matching a condition, as they were and as they are: off and on. (The queries are
-- made with format() and positional arguments: %1$s the row's id, %2$s.. what it was counted by before.)
CREATE OR REPLACE FUNCTION matching_referral_months_move(old_counts text, new_counts text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    was record;
    is_now record;
BEGIN
    FOR was IN EXECUTE old_counts LOOP
        PERFORM matching_referral_month(was.month, was.vacancy_organisation_id, was.sector_id,
                                        was.candidate_organisation_id, was.target_group, -was.records, -was.hired);
    END LOOP;
    FOR is_now IN EXECUTE new_counts LOOP
        PERFORM matching_referral_month(is_now.month, is_now.vacancy_organisation_id, is_now.sector_id,
                                        is_now.candidate_organisation_id, is_now.target_group, is_now.records,
                                        is_now.hired);
    END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION matching_referral_months_vacancy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.organisation_id, OLD.employer_id) IS DISTINCT FROM (NEW.organisation_id, NEW.employer_id) THEN
        PERFORM matching_referral_months_move(
            format($q${_referral_counts("r.vacancy_id = %1$s", vacancy_organisation_id="%2$s::bigint",
                                        sector_id="(SELECT sector_id FROM employers_employer WHERE id = %3$s)")}$q$,
                   NEW.id, OLD.organisation_id, OLD.employer_id),
            format($q${_referral_counts("r.vacancy_id = %s")}$q$, NEW.id)
        );
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS matching_referral_months_vacancy ON vacancies_vacancy;
CREATE TRIGGER matching_referral_months_vacancy AFTER UPDATE OF organisation_id, employer_id ON vacancies_vacancy
    FOR EACH ROW EXECUTE FUNCTION matching_referral_months_vacancy();

CREATE OR REPLACE FUNCTION matching_referral_months_employer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.sector_id IS DISTINCT FROM NEW.sector_id THEN
        PERFORM matching_referral_months_move(
            format($q${_referral_counts("v.employer_id = %1$s", sector_id="%2$L::bigint")}$q$, NEW.id, OLD.sector_id),
            format($q${_referral_counts("v.employer_id = %s")}$q$, NEW.id)
        );
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS matching_referral_months_employer ON employers_employer;
CREATE TRIGGER matching_referral_months_employer AFTER UPDATE OF sector_id ON employers_employer
    FOR EACH ROW EXECUTE FUNCTION matching_referral_months_employer();

CREATE OR REPLACE FUNCTION matching_referral_months_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.organisation_id, OLD.target_group) IS DISTINCT FROM (NEW.organisation_id, NEW.target_group) THEN
        PERFORM matching_referral_months_move(
            format($q${_referral_counts(
                "r.candidate_id = %1$s", candidate_organisation_id="%2$s::bigint", target_group="%3$L::varchar(10)"
            )}$q$,
                   NEW.id, OLD.organisation_id, OLD.target_group),
            format($q${_referral_counts("r.candidate_id = %s")}$q$, NEW.id)
        );
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS matching_referral_months_candidate ON matching_candidate;
CREATE TRIGGER matching_referral_months_candidate AFTER UPDATE OF organisation_id, target_group ON matching_candidate
    FOR EACH ROW EXECUTE FUNCTION matching_referral_months_candidate();
"""

REFERRAL_MONTH_FUNCTIONS_REMOVED = """
DROP TRIGGER IF EXISTS matching_referral_months_candidate ON matching_candidate;
DROP TRIGGER IF EXISTS matching_referral_months_employer ON employers_employer;
DROP TRIGGER IF EXISTS matching_referral_months_vacancy ON vacancies_vacancy;
DROP FUNCTION IF EXISTS matching_referral_months_candidate();
DROP FUNCTION IF EXISTS matching_referral_months_employer();
DROP FUNCTION IF EXISTS matching_referral_months_vacancy();
DROP FUNCTION IF EXISTS matching_referral_months_move(text, text);
DROP FUNCTION IF EXISTS matching_referral_month(date, bigint, bigint, bigint, text, integer, integer);
"""

# A referral written: its old count off, its new one on (only when what it is counted by changed).
REFERRAL_MONTHS = pgtrigger.Trigger(
    name="referral_months",
    when=pgtrigger.After,
    operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
    declare=[("counted", "record")],
    func=f"""
        IF TG_OP = 'UPDATE' AND (OLD.referred_at, OLD.status = 'hired', OLD.vacancy_id, OLD.candidate_id)
                                IS NOT DISTINCT FROM (NEW.referred_at, NEW.status = 'hired', NEW.vacancy_id,
                                                      NEW.candidate_id) THEN
            RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' THEN
            FOR counted IN {_referral_counts("true").replace("FROM matching_referral r", "FROM (SELECT OLD.*) r")} LOOP
                PERFORM matching_referral_month(counted.month, counted.vacancy_organisation_id, counted.sector_id,
                                                counted.candidate_organisation_id, counted.target_group,
                                                -counted.records, -counted.hired);
            END LOOP;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            FOR counted IN {_referral_counts("true").replace("FROM matching_referral r", "FROM (SELECT NEW.*) r")} LOOP
                PERFORM matching_referral_month(counted.month, counted.vacancy_organisation_id, counted.sector_id,
                                                counted.candidate_organisation_id, counted.target_group,
                                                counted.records, counted.hired);
            END LOOP;
        END IF;
        RETURN NULL;
    """,
)

REFERRAL_MONTH_FILL = [
    "DELETE FROM matching_referralmonth",
    f"""
    INSERT INTO matching_referralmonth
           (month, vacancy_organisation_id, sector_id, candidate_organisation_id, target_group, records, hired)
    {_referral_counts("true")}
    """,
]
