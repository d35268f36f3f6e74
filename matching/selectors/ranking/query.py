"""The two ranking queries (R-17, R-18, R-42): every fitting candidate for a vacancy, every open vacancy for a
candidate, each one SQL query."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from accounts.models import Organisation, User
from employers.models import Employer
from vacancies.choices import TargetGroupFlag, VacancyStatus, Visibility
from vacancies.models import Vacancy
from wsp import geo

from ...choices import CandidateStatus, TargetGroup
from ...models import Candidate, Referral
from .requirements import AGE_FLAG_BANDS, _point, age_group, age_on, born_between, candidate_flags, judged_band

WEIGHTS = {"skills": 50, "hours": 15, "location": 15, "target_group": 10, "availability": 10}
LOCATION_POINTS = {"same_municipality": 15, "same_postcode_area": 12, "same_region": 8, "other": 0}
# with both places known, location points fall in proportion from 15 at 0 km to 0 at this distance.
DISTANCE_SCALE_KM = 30

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

# --- SQL -------------------------------------------------------------------------------------------------------
#
# Speed (100,000 candidates, bench note in the module docstring of tests/matching/test_ranking.py): the ranking
# stage computes only the score, in float8 (numeric division and rounding cost twice the whole scan) and with
# byte-wise ("C") text comparisons; the shared skills, the location and the fitted flags are computed again
# for the page rows only. So is personal access: per page row, one probe of the candidate's referrals
# (index on candidate) joined to their vacancies, not `id IN (every referral on the user's vacancies)`, which
# PostgreSQL builds as one hashed subquery over tens of thousands of rows for an adviser with many vacancies.

LOCATION_CODES = ("other", "same_region", "same_postcode_area", "same_municipality")  # index = code in SQL


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _location_params(postcode: str, municipality: str) -> dict:
    postcode = (postcode or "").strip()
    return {
        "municipality": (municipality or "").strip(),
        "pc4": postcode[:4] if len(postcode) >= 4 else "",
        "pc2": postcode[:2] if len(postcode) >= 2 else "",
    }


def _location_case(alias: str, params: dict, values: tuple) -> str:
    """CASE over same municipality, same PC4, same PC2 giving `values` (municipality, pc4, pc2, else).

    Branches whose side is empty are left out. Municipality names compare case-insensitively; both sides are
    lowered the same (byte-wise) way by the database.
    """
    branches = []
    if params["municipality"]:
        branches.append(
            f'WHEN lower({alias}.municipality COLLATE "C") = lower(%(municipality)s COLLATE "C") THEN {values[0]}'
        )
    if params["pc4"]:
        params["pc4_like"] = params["pc4"] + "%"
        branches.append(f'WHEN {alias}.postcode COLLATE "C" LIKE %(pc4_like)s THEN {values[1]}')
    if params["pc2"]:
        params["pc2_like"] = params["pc2"] + "%"
        branches.append(f'WHEN {alias}.postcode COLLATE "C" LIKE %(pc2_like)s THEN {values[2]}')
    if not branches:
        return str(values[3])
    return f"CASE {' '.join(branches)} ELSE {values[3]} END"


def _location_points_sql(alias: str, params: dict, km_sql: str | None = None) -> str:
    """Location points (R-42): by distance where both places are known (`km_sql`), else by the postcode ladder."""
    ladder = _location_case(alias, params, tuple(LOCATION_POINTS[code] for code in reversed(LOCATION_CODES)))
    if km_sql is None:
        return ladder
    by_distance = f"{WEIGHTS['location']}::float8 * greatest(0::float8, 1 - {km_sql} / {DISTANCE_SCALE_KM})"
    return f"CASE WHEN {km_sql} IS NOT NULL THEN {by_distance} ELSE {ladder} END"


def distance_points(km: float) -> float:
    """R-42: the location points of a known distance, as `_location_points_sql` computes them."""
    return WEIGHTS["location"] * max(0.0, 1 - km / DISTANCE_SCALE_KM)


def _distance_sql(alias: str, point: tuple[float, float] | None, params: dict) -> str | None:
    """The km between the rows of `alias` and a fixed place (the vacancy's or the candidate's), or None when that
    place is unknown: then no row has a distance and the SQL leaves the term out."""
    if point is None:
        return None
    params["here_lat"], params["here_lon"] = float(point[0]), float(point[1])
    return geo.distance_sql(f"{alias}.latitude", f"{alias}.longitude", "%(here_lat)s", "%(here_lon)s")


def _location_code_sql(alias: str, params: dict) -> str:
    return _location_case(alias, params, (3, 2, 1, 0))


def _age_sql(min_age: int | None, max_age: int | None, today: date, params: dict, name: str) -> str:
    """The SQL condition that a candidate row `c` has an age in `min_age..max_age` (R-15), on the birth date
    (`requirements.born_between`, as Python checks it); false without a birth date. Its dates go into `params`."""
    born_after, born_by = born_between(min_age, max_age, today)
    conditions = []
    if born_after is not None:
        params[f"{name}_born_after"] = born_after
        conditions.append(f"c.birth_date > %({name}_born_after)s")
    if born_by is not None:
        params[f"{name}_born_by"] = born_by
        conditions.append(f"c.birth_date <= %({name}_born_by)s")
    return f"coalesce({' AND '.join(conditions) or 'c.birth_date IS NOT NULL'}, false)"


def _band_sql(min_age: int | None, max_age: int | None, today: date, params: dict, name: str) -> str:
    """R-40: an age band on the exact age for the user's own organisation's candidates and on the age group for
    everyone else's (`requirements.judged_band`): one condition when both come to the same band."""
    exact = _age_sql(*judged_band(min_age, max_age, exact=True), today, params, f"{name}_own")
    grouped = _age_sql(*judged_band(min_age, max_age, exact=False), today, params, f"{name}_group")
    if judged_band(min_age, max_age, exact=True) == judged_band(min_age, max_age, exact=False):
        return grouped
    return f"(CASE WHEN coalesce(c.organisation_id = %(org)s, false) THEN {exact} ELSE {grouped} END)"


def _flag_predicates(today: date, params: dict) -> dict[str, str]:
    """R-14: per vacancy flag, the SQL condition a candidate row `c` fits it on; the age flags as bands (R-40:
    `_band_sql`). Their parameters go into `params`, which holds `org` (the user's organisation or None)."""
    predicates = {
        TargetGroupFlag.JOB_AGREEMENT: "c.job_agreement",
        TargetGroupFlag.WAJONG: f"c.target_group = '{TargetGroup.WAJONG}'",
        TargetGroupFlag.WELFARE_SUBSIDY: f"c.target_group = '{TargetGroup.PWET}'",
        TargetGroupFlag.STATUS_HOLDER: f"c.target_group IN ('{TargetGroup.OEKRAINE}', '{TargetGroup.NUG}')",
    }
    # A missing birth date fits no age flag.
    for flag, band in AGE_FLAG_BANDS.items():
        predicates[flag] = _band_sql(*band, today, params, f"flag_{flag}")
    return {str(flag): sql for flag, sql in predicates.items()}


def _vacancy_flags(vacancy: Vacancy) -> list[str]:
    return [flag for flag in dict.fromkeys(vacancy.target_group_flags or ()) if flag in TargetGroupFlag.values]


def matching_sql(
    vacancy: Vacancy,
    *,
    user=None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    today: date | None = None,
) -> tuple[str, dict]:
    """The one query that ranks every fitting candidate of every partner for `vacancy` (R-17, R-18, R-42).

    The vacancy's values are parameters, so the candidate table is the only one scanned, prefiltered by
    `skills && vacancy skills` (the GIN index `candidate_skills` when the planner finds it cheaper), with the
    hard requirements in WHERE. Only the page (`limit` rows) is joined to the adviser, the organisation and, for
    personal access (R-40), the referral register. `user=None` (or an organisation token) gets no personal data.
    R-40: the age band and the age flags are judged on the exact age for candidates of the user's organisation and on
    the age group for everyone else's (`_band_sql`), so sliding the band tells no more than the group.
    """
    today = today or timezone.localdate()
    skills = sorted(set(vacancy.skills or ()))
    flags = _vacancy_flags(vacancy)
    params = {"org": getattr(user, "organisation_id", None)}
    predicates = _flag_predicates(today, params)
    params.update(_location_params(vacancy.postcode, vacancy.municipality))
    params.update(
        skills=skills,
        n_skills=max(len(skills), 1),
        hours=vacancy.hours_per_week,
        today=today,
        vacancy=vacancy.pk,
        limit=_limit(limit),
        offset=max(0, int(offset)),
        user=getattr(user, "pk", None),
        available=CandidateStatus.AVAILABLE.value,
    )
    where = ["c.skills && %(skills)s::int[]", "c.status = %(available)s", "c.work_ready_since <= %(today)s"]
    if flags:
        fitted = " + ".join(f"({predicates[flag]})::int" for flag in flags)
        where.append(f"({' OR '.join(predicates[flag] for flag in flags)})")
        flag_points = f"{WEIGHTS['target_group']}::float8 * ({fitted}) / {len(flags)}"
        fitted_flags = "array_remove(ARRAY[{}]::text[], NULL)".format(
            ", ".join(f"CASE WHEN {predicates[flag]} THEN '{flag}' END" for flag in flags)
        )
    else:
        flag_points = str(WEIGHTS["target_group"])
        fitted_flags = "ARRAY[]::text[]"
    # R-15, R-40: the age band, on the exact age for the user's own candidates, on the age group for the others'.
    if vacancy.min_age is not None or vacancy.max_age is not None:
        where.append(_band_sql(vacancy.min_age, vacancy.max_age, today, params, "band"))
    # the distance to the job, and the candidate's maximum travel distance as a hard requirement (NULL, an
    # unknown distance or no maximum, does not exclude).
    km_sql = _distance_sql("c", _point(vacancy), params)
    if km_sql is not None:
        where.append(f"coalesce({geo.whole_km_sql(km_sql)} <= c.max_travel_km, true)")

    candidate_table, referral_table = Candidate._meta.db_table, Referral._meta.db_table
    sql = f"""
WITH ranked AS (
    SELECT c.id, c.organisation_id, c.work_ready_since,
           round(
               {WEIGHTS["skills"]}::float8 * icount(c.skills & %(skills)s::int[]) / %(n_skills)s
               + {WEIGHTS["hours"]}::float8 * least(c.hours_per_week, %(hours)s) / %(hours)s
               + {_location_points_sql("c", params, km_sql)}
               + {flag_points}
               + {WEIGHTS["availability"]}
           )::int AS score
    FROM {candidate_table} c
    WHERE {" AND ".join(where)}
    ORDER BY score DESC, c.work_ready_since, c.id
    LIMIT %(limit)s OFFSET %(offset)s
), page AS MATERIALIZED (
    SELECT r.*, coalesce(r.organisation_id = %(org)s, false) OR EXISTS (
        SELECT 1 FROM {referral_table} x JOIN {Vacancy._meta.db_table} xv ON xv.id = x.vacancy_id
        WHERE x.candidate_id = r.id AND xv.owner_id = %(user)s
    ) AS personal
    FROM ranked r
)
SELECT r.id, r.score, c.organisation_id, o.name AS organisation_name, c.adviser_id,
       u.first_name AS adviser_first_name, u.last_name AS adviser_last_name, u.username AS adviser_username,
       c.target_group, c.job_agreement, c.hours_per_week, c.municipality, c.work_ready_since, c.skills,
       c.skills & %(skills)s::int[] AS shared,
       {_location_code_sql("c", params)} AS location,
       {km_sql or "NULL::float8"} AS km, c.max_travel_km,
       {fitted_flags} AS fitted_flags,
       {flag_points} AS flag_points,
       EXISTS (SELECT 1 FROM {referral_table} x
               WHERE x.vacancy_id = %(vacancy)s AND x.candidate_id = r.id) AS already_referred,
       r.personal,
       CASE WHEN r.personal THEN c.first_name END AS first_name,
       CASE WHEN r.personal THEN c.last_name END AS last_name,
       CASE WHEN r.personal THEN c.email END AS email,
       CASE WHEN r.personal THEN c.phone END AS phone,
       CASE WHEN r.personal THEN c.postcode END AS postcode
FROM page r
JOIN {candidate_table} c ON c.id = r.id
JOIN {Organisation._meta.db_table} o ON o.id = c.organisation_id
JOIN {User._meta.db_table} u ON u.id = c.adviser_id
ORDER BY r.score DESC, r.work_ready_since, r.id"""
    return sql, params


def vacancy_matching_sql(
    candidate: Candidate,
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    today: date | None = None,
    exact: bool = False,
) -> tuple[str, dict]:
    """The one query that ranks the open, referable vacancies (R-16) for a candidate, the same way round.

    Ties: score, then the vacancy that expires first, then id. The caller checks that the candidate itself is
    available and work-ready (R-41): those conditions do not depend on the vacancy. R-40: the vacancies' age bands
    and age flags are judged on the candidate's exact age only for a user of the candidate's own organisation
    (`exact`); otherwise on their age group (a band fits when it overlaps the group, `requirements`).
    """
    today = today or timezone.localdate()
    skills = sorted(set(candidate.skills or ()))
    fits = sorted(candidate_flags(candidate, today=today, exact=exact))
    age = age_on(candidate.birth_date, today)
    low, high = (age, age) if exact or age is None else age_group(age)
    params = _location_params(candidate.postcode, candidate.municipality)
    params.update(
        skills=skills,
        fits=fits,
        hours=candidate.hours_per_week,
        age_low=low,
        age_high=high,
        candidate=candidate.pk,
        limit=_limit(limit),
        offset=max(0, int(offset)),
        open=VacancyStatus.OPEN.value,
        blocked=Visibility.BLOCKED.value,
    )
    # a vacancy's age band fits when it overlaps the candidate's age (own organisation) or age group
    # (the others'); without a birth date only vacancies without an age band fit.
    if age is None:
        age_sql = "(v.min_age IS NULL AND v.max_age IS NULL)"
    else:
        age_sql = (
            "((v.min_age IS NULL OR v.min_age <= %(age_high)s) AND (v.max_age IS NULL OR v.max_age >= %(age_low)s))"
        )
    # the distance from the candidate's place, and their maximum travel distance as a hard requirement.
    km_sql = _distance_sql("v", _point(candidate), params)
    travel_sql = "true"
    if km_sql is not None and candidate.max_travel_km is not None:
        params["max_travel_km"] = candidate.max_travel_km
        travel_sql = f"coalesce({geo.whole_km_sql(km_sql)} <= %(max_travel_km)s, true)"
    fitted = " + ".join(f"('{flag}' = ANY(v.target_group_flags))::int" for flag in fits) or "0"
    flag_points = (
        f"CASE WHEN cardinality(v.target_group_flags) = 0 THEN {WEIGHTS['target_group']}"
        f" ELSE {WEIGHTS['target_group']}::float8 * ({fitted}) / cardinality(v.target_group_flags) END"
    )
    vacancy_table = Vacancy._meta.db_table
    sql = f"""
WITH ranked AS (
    SELECT v.id, v.expires_on,
           round(
               {WEIGHTS["skills"]}::float8 * icount(v.skills & %(skills)s::int[]) / icount(uniq(sort(v.skills)))
               + {WEIGHTS["hours"]}::float8 * least(%(hours)s, v.hours_per_week) / v.hours_per_week
               + {_location_points_sql("v", params, km_sql)}
               + {flag_points}
               + {WEIGHTS["availability"]}
           )::int AS score
    FROM {vacancy_table} v
    WHERE v.skills && %(skills)s::int[]
      AND v.status = %(open)s AND v.visibility <> %(blocked)s
      AND (cardinality(v.target_group_flags) = 0 OR v.target_group_flags && %(fits)s::varchar[])
      AND {age_sql}
      AND {travel_sql}
    ORDER BY score DESC, v.expires_on, v.id
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT r.id, r.score, v.title, v.employer_id, e.name AS employer_name, v.owner_id,
       u.first_name AS owner_first_name, u.last_name AS owner_last_name, u.username AS owner_username,
       v.organisation_id, v.hours_per_week, v.municipality, v.postcode, v.expires_on, v.target_group_flags,
       v.skills, v.skills & %(skills)s::int[] AS shared, icount(uniq(sort(v.skills))) AS n_skills,
       {_location_code_sql("v", params)} AS location,
       {km_sql or "NULL::float8"} AS km,
       {flag_points} AS flag_points,
       EXISTS (SELECT 1 FROM {Referral._meta.db_table} x
               WHERE x.vacancy_id = r.id AND x.candidate_id = %(candidate)s) AS already_referred
FROM ranked r
JOIN {vacancy_table} v ON v.id = r.id
JOIN {Employer._meta.db_table} e ON e.id = v.employer_id
JOIN {User._meta.db_table} u ON u.id = v.owner_id
ORDER BY r.score DESC, r.expires_on, r.id"""
    return sql, params
