"""Matching candidates and vacancies on skills, and explaining the rank (R-17, R-18, R-40, R-41, R-42).

Who fits (hard requirements, the same in SQL and in `requirement_failures`):

* the candidate is available for mediation (status `available`) and work-ready: `work_ready_since` is set and not
  in the future (R-41). Candidates who are not work-ready yet are left out of "fitting" altogether rather than
  ranked last: they cannot be placed, and the list is what the owner proposes from;
* candidate and vacancy share at least one skill (R-42; `skills && skills`, answered by the GIN indexes
  `candidate_skills` / `vacancy_skills` with intarray's `gin__int_ops`). A vacancy without skills has no matches;
* the distance between the candidate's and the job's place (R-42, `wsp.geo`: kilometres over the great circle
  between the coordinates both carry) is not above the candidate's maximum travel distance, in whole km as shown.
  An unknown distance (a place not found, or no maximum given) does not exclude anyone: the reason says so;
* a target-group vacancy (R-14) only fits candidates of at least one of its flags (`candidate_flags`);
* an age requirement (R-15, only on target-group vacancies) only fits candidates with a birth date in its band.

Age is personal data (R-40), so a match tells no more than "inside the vacancy's age band", and only for a band of
at least `MIN_AGE_BAND_YEARS` years (R-15: "50+", "18-27"; a one-sided band is open-ended). An older vacancy with a
narrower band (say 25-25, which would single out candidates aged exactly 25) is matched as if it had no age band:
its target-group flags still apply, and the page and the API say that the band is not applied
(`age_band_applies`). A candidate without a birth date is treated like one outside the band, with the same code
(`age_requirement_not_met`), so nothing tells the two apart; the code never carries the age or the band.

Everyone who fits is ranked, from every partner's caseload (R-18: nobody is left out for an organisation's own
targets). The score is 0-100 (`WEIGHTS`): the share of the vacancy's skills the candidate has (50), hours (15, in
proportion when the candidate has fewer hours than the vacancy asks), location (15: by distance when both places
are known, 15 at 0 km falling to 0 at `DISTANCE_SCALE_KM` and beyond; otherwise 15 same municipality, 12 same
postcode area PC4, 8 same region PC2, else 0), target-group fit (10; in proportion to the vacancy's flags the
candidate fits, everyone gets 10 when the vacancy has no flags) and availability (10: work-ready today, which every
fitting candidate is). Ties: score, then who has been work-ready longest, then id, so the order is stable.

Each side of the ranking is one SQL query (`matching_sql`, `vacancy_matching_sql`) and one query for the names of
the shared skills of the whole page. Personal data (R-40) is selected by the database only for candidates the user
may see personally; for the others it never leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from employers.models import Employer
from vacancies.choices import TargetGroupFlag, VacancyStatus, Visibility
from vacancies.models import AGE_BAND_YEARS, AGE_CEILING, AGE_FLOOR, Skill, Vacancy
from wsp import geo

from ..choices import CandidateStatus, TargetGroup
from ..models import Candidate, Referral

WEIGHTS = {"skills": 50, "hours": 15, "location": 15, "target_group": 10, "availability": 10}
LOCATION_POINTS = {"same_municipality": 15, "same_postcode_area": 12, "same_region": 8, "other": 0}
# with both places known, location points fall in proportion from 15 at 0 km to 0 at this distance.
DISTANCE_SCALE_KM = 30
# an age requirement is a band of at least this many years (ages min..max inclusive); a one-sided band
# counts from the youngest working age or up to the state pension age (the vacancies app's rule and constraint).
MIN_AGE_BAND_YEARS = AGE_BAND_YEARS
YOUTH_BELOW_AGE = 27
OVER_50_FROM_AGE = 50
DEFAULT_LIMIT = 20
MAX_LIMIT = 100

# The contact details a user with personal access sees in a match; the rest is on the candidate's page.
MATCH_PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "postcode")


# --- Hard requirements ------------------------------------------------------------------------------------------


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return relativedelta(today, birth_date).years


def candidate_flags(candidate: Candidate, *, today: date | None = None) -> set[str]:
    """R-14: the target-group flags of vacancies this candidate fits."""
    today = today or timezone.localdate()
    age = age_on(candidate.birth_date, today)
    fits = set()
    if candidate.job_agreement:
        fits.add(TargetGroupFlag.JOB_AGREEMENT.value)
    if candidate.target_group == TargetGroup.WAJONG:
        fits.add(TargetGroupFlag.WAJONG.value)
    if candidate.target_group == TargetGroup.PWET:
        fits.add(TargetGroupFlag.WELFARE_SUBSIDY.value)
    if candidate.target_group in (TargetGroup.OEKRAINE, TargetGroup.NUG):
        fits.add(TargetGroupFlag.STATUS_HOLDER.value)
    if age is not None and age < YOUTH_BELOW_AGE:
        fits.add(TargetGroupFlag.YOUTH.value)
    if age is not None and age >= OVER_50_FROM_AGE:
        fits.add(TargetGroupFlag.OVER_50.value)
    return fits


def is_work_ready(candidate: Candidate, *, today: date | None = None) -> bool:
    """R-41: handed over for placement; a future date means the hand-over is planned, not done."""
    today = today or timezone.localdate()
    return candidate.work_ready_since is not None and candidate.work_ready_since <= today


def age_band_applies(min_age: int | None, max_age: int | None) -> bool:
    """R-15, R-40: whether a vacancy's age requirement is applied in matching.

    Only a band of at least `MIN_AGE_BAND_YEARS` years is: max - min + 1 >= 5 (18-22 holds five ages); a lone
    maximum counts from AGE_FLOOR (15) and a lone minimum up to AGE_CEILING (67), as the vacancies app's rule and
    database constraint `vacancies_vacancy_age_band` have it. A narrower band would tell the exact age of the
    candidates it lets through (min = max) or of those it keeps out, so it is not applied at all (see the module
    docstring); the constraint keeps such bands out of the database, so this is the second line. No age
    requirement gives False as well.
    """
    if min_age is None and max_age is None:
        return False
    low = AGE_FLOOR if min_age is None else min_age
    high = AGE_CEILING if max_age is None else max_age
    return high - low + 1 >= MIN_AGE_BAND_YEARS


def age_band_ignored(vacancy: Vacancy) -> bool:
    """A vacancy with an age requirement too narrow to apply (R-40): the page and the API say so."""
    has_band = vacancy.min_age is not None or vacancy.max_age is not None
    return has_band and not age_band_applies(vacancy.min_age, vacancy.max_age)


def age_band_ignored_message() -> str:
    return _(
        "The age requirement of this vacancy is narrower than %(years)d years and is not applied: a match would "
        "reveal candidates' ages (R-40). Only its target groups count. Widen the band to at least %(years)d years "
        "(R-15)."
    ) % {"years": MIN_AGE_BAND_YEARS}


def _in_age_band(birth_date: date | None, min_age: int | None, max_age: int | None, today: date) -> bool:
    age = age_on(birth_date, today)
    if age is None:
        return False  # unknown: the same answer as outside the band, so the two cannot be told apart
    return (min_age is None or age >= min_age) and (max_age is None or age <= max_age)


def _point(obj) -> tuple[float, float] | None:
    latitude, longitude = getattr(obj, "latitude", None), getattr(obj, "longitude", None)
    if latitude is None or longitude is None:
        return None
    return (latitude, longitude)


def distance_between(vacancy: Vacancy, candidate: Candidate) -> float | None:
    """R-42: km between the candidate's and the job's place, None when either place is unknown."""
    return geo.distance_km(_point(candidate), _point(vacancy))


def beyond_travel_distance(km: float | None, max_travel_km: int | None) -> bool:
    """R-42: the candidate's maximum travel distance is a hard requirement; an unknown distance or maximum does not
    exclude. Compared in whole km, as the reason shows it (and as the SQL compares it)."""
    return km is not None and max_travel_km is not None and geo.whole_km(km) > max_travel_km


def requirement_failures(vacancy: Vacancy, candidate: Candidate, *, today: date | None = None) -> list[str]:
    """The hard requirements (R-17, R-41, R-14/R-15, R-42) the candidate does not meet, as stable codes.

    `candidate_not_available`, `candidate_not_work_ready`, `no_shared_skill`, `beyond_max_travel_distance`,
    `target_group_mismatch`, `age_requirement_not_met`. The vacancy's own state (open, blocked) is not checked here.

    R-40: `age_requirement_not_met` means "outside the vacancy's age band, or no date of birth known" and nothing
    more; it is only given for a band that applies (`age_band_applies`: at least 5 years wide).
    """
    today = today or timezone.localdate()
    failures = []
    if candidate.status != CandidateStatus.AVAILABLE:
        failures.append("candidate_not_available")
    if not is_work_ready(candidate, today=today):
        failures.append("candidate_not_work_ready")
    if not set(candidate.skills or ()) & set(vacancy.skills or ()):
        failures.append("no_shared_skill")
    if beyond_travel_distance(distance_between(vacancy, candidate), candidate.max_travel_km):
        failures.append("beyond_max_travel_distance")
    if vacancy.target_group_flags and not candidate_flags(candidate, today=today) & set(vacancy.target_group_flags):
        failures.append("target_group_mismatch")
    if age_band_applies(vacancy.min_age, vacancy.max_age) and not _in_age_band(
        candidate.birth_date, vacancy.min_age, vacancy.max_age, today
    ):
        failures.append("age_requirement_not_met")
    return failures


def candidate_meets_requirements(vacancy: Vacancy, candidate: Candidate, *, today: date | None = None) -> bool:
    """True when the candidate fits the vacancy (the same rules the ranking SQL applies)."""
    return not requirement_failures(vacancy, candidate, today=today)


# --- Results ---------------------------------------------------------------------------------------------------


@dataclass
class CandidateMatch:
    """A candidate for a vacancy. `personal` holds contact details only when the user may see them (R-40)."""

    candidate_id: int
    score: int
    reasons: list[dict]
    organisation_id: int
    organisation_name: str
    adviser_id: int
    adviser_name: str
    target_group: str
    job_agreement: bool
    hours_per_week: int
    municipality: str
    work_ready_since: date
    skills: list[int]
    already_referred: bool
    personal: dict | None = None
    # km between the candidate's and the job's place (None: a place is unknown); the candidate's maximum.
    distance_km: float | None = None
    max_travel_km: int | None = None

    @property
    def target_group_label(self) -> str:
        """The target group's name in the user's language, for pages (the API gives the code)."""
        if self.target_group in TargetGroup.values:
            return str(TargetGroup(self.target_group).label)
        return self.target_group


@dataclass
class VacancyMatch:
    """An open vacancy for a candidate (R-02: every vacancy is regional, so no fields are held back)."""

    vacancy_id: int
    score: int
    reasons: list[dict]
    title: str
    employer_id: int
    employer_name: str
    owner_id: int
    owner_name: str
    organisation_id: int
    hours_per_week: int
    municipality: str
    postcode: str
    expires_on: date
    target_group_flags: list[str]
    skills: list[int]
    already_referred: bool
    distance_km: float | None = None  # km from the candidate's place (None: a place is unknown)


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


def _flag_predicates(today: date) -> tuple[dict[str, str], dict]:
    """R-14: per vacancy flag, the SQL condition a candidate row `c` fits it on, and its parameters."""
    params = {
        # age < 27  <=>  born after today - 27 years; age >= 50  <=>  born on or before today - 50 years
        "youth_born_after": today - relativedelta(years=YOUTH_BELOW_AGE),
        "over_50_born_by": today - relativedelta(years=OVER_50_FROM_AGE),
    }
    predicates = {
        TargetGroupFlag.JOB_AGREEMENT: "c.job_agreement",
        TargetGroupFlag.WAJONG: f"c.target_group = '{TargetGroup.WAJONG}'",
        TargetGroupFlag.WELFARE_SUBSIDY: f"c.target_group = '{TargetGroup.PWET}'",
        TargetGroupFlag.STATUS_HOLDER: f"c.target_group IN ('{TargetGroup.OEKRAINE}', '{TargetGroup.NUG}')",
        # A missing birth date fits no age flag (NULL is coalesced to false).
        TargetGroupFlag.YOUTH: "coalesce(c.birth_date > %(youth_born_after)s, false)",
        TargetGroupFlag.OVER_50: "coalesce(c.birth_date <= %(over_50_born_by)s, false)",
    }
    return {str(flag): sql for flag, sql in predicates.items()}, params


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
    """
    today = today or timezone.localdate()
    skills = sorted(set(vacancy.skills or ()))
    flags = _vacancy_flags(vacancy)
    predicates, params = _flag_predicates(today)
    location = _location_params(vacancy.postcode, vacancy.municipality)
    params.update(location)
    params.update(
        skills=skills,
        n_skills=max(len(skills), 1),
        hours=vacancy.hours_per_week,
        today=today,
        vacancy=vacancy.pk,
        limit=_limit(limit),
        offset=max(0, int(offset)),
        org=getattr(user, "organisation_id", None),
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
    # only a band of at least MIN_AGE_BAND_YEARS is applied (see `age_band_applies`).
    if age_band_applies(vacancy.min_age, vacancy.max_age):
        if vacancy.min_age is not None:
            params["min_age_born_by"] = today - relativedelta(years=vacancy.min_age)
            where.append("c.birth_date <= %(min_age_born_by)s")
        if vacancy.max_age is not None:
            # age <= max  <=>  born after today - (max + 1) years
            params["max_age_born_after"] = today - relativedelta(years=vacancy.max_age + 1)
            where.append("c.birth_date > %(max_age_born_after)s")
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
    candidate: Candidate, *, limit: int = DEFAULT_LIMIT, offset: int = 0, today: date | None = None
) -> tuple[str, dict]:
    """The one query that ranks the open, referable vacancies (R-16) for a candidate, the same way round.

    Ties: score, then the vacancy that expires first, then id. The caller checks that the candidate itself is
    available and work-ready (R-41): those conditions do not depend on the vacancy.
    """
    today = today or timezone.localdate()
    skills = sorted(set(candidate.skills or ()))
    fits = sorted(candidate_flags(candidate, today=today))
    age = age_on(candidate.birth_date, today)
    params = _location_params(candidate.postcode, candidate.municipality)
    params.update(
        skills=skills,
        fits=fits,
        hours=candidate.hours_per_week,
        age=age,
        candidate=candidate.pk,
        limit=_limit(limit),
        offset=max(0, int(offset)),
        open=VacancyStatus.OPEN.value,
        blocked=Visibility.BLOCKED.value,
    )
    # a band narrower than MIN_AGE_BAND_YEARS is not applied (`age_band_applies`); without a birth
    # date only vacancies without an applied band fit.
    not_applied = (
        "(v.min_age IS NULL AND v.max_age IS NULL)"
        f" OR coalesce(v.max_age, {AGE_CEILING}) - coalesce(v.min_age, {AGE_FLOOR}) + 1 < {MIN_AGE_BAND_YEARS}"
    )
    if age is None:
        age_sql = f"({not_applied})"
    else:
        age_sql = (
            f"({not_applied} OR ((v.min_age IS NULL OR v.min_age <= %(age)s)"
            " AND (v.max_age IS NULL OR v.max_age >= %(age)s)))"
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


# --- Reasons ---------------------------------------------------------------------------------------------------


def _skill_names(skill_ids: set[int]) -> dict[int, str]:
    """One query for the names of all shared skills on a page, in the active language (Dutch unless English)."""
    if not skill_ids:
        return {}
    english = (translation.get_language() or "").startswith("en")
    rows = Skill.objects.filter(pk__in=skill_ids).values_list("id", "name", "name_en")
    return {pk: (name_en if english and name_en else name) for pk, name, name_en in rows}


def _full_name(first: str, last: str, username: str) -> str:
    return f"{first or ''} {last or ''}".strip() or username


def _points(value: float) -> float:
    return round(float(value), 1)


def _reasons(
    *,
    shared: list[int],
    n_skills: int,
    names: dict[int, str],
    hours_offered: int,
    hours_asked: int,
    location: str,
    place: dict,
    flag_points: float,
    flags: list[str],
    fitted_flags: list[str],
    work_ready_since: date,
    today: date,
    km: float | None = None,
    max_travel_km: int | None = None,
) -> list[dict]:
    """Why a match ranks where it does (R-42): one entry per score component, as data and as a sentence."""
    shared_skills = [{"id": pk, "name": names.get(pk, "")} for pk in shared]
    shared_names = ", ".join(skill["name"] for skill in shared_skills)
    n_skills = max(n_skills, 1)
    reasons = [
        {
            "code": "skills",
            "points": _points(WEIGHTS["skills"] * len(shared) / n_skills),
            "max_points": WEIGHTS["skills"],
            "values": {"shared": shared_skills, "shared_count": len(shared), "vacancy_count": n_skills},
            "text": _("%(shared)d of %(total)d skills match: %(names)s")
            % {"shared": len(shared), "total": n_skills, "names": shared_names},
        }
    ]
    enough = hours_offered >= hours_asked
    reasons.append(
        {
            "code": "hours",
            "points": _points(WEIGHTS["hours"] * min(hours_offered, hours_asked) / hours_asked),
            "max_points": WEIGHTS["hours"],
            "values": {"candidate_hours": hours_offered, "vacancy_hours": hours_asked, "enough": enough},
            "text": (
                _("Available %(offered)d hours a week; the job asks %(asked)d")
                % {"offered": hours_offered, "asked": hours_asked}
            ),
        }
    )
    reasons.append(_location_reason(location=location, place=place, km=km, max_travel_km=max_travel_km))
    if flags:
        labels = ", ".join(str(TargetGroupFlag(flag).label) for flag in fitted_flags if flag in TargetGroupFlag.values)
        flag_text = _("Fits the target group: %(flags)s") % {"flags": labels}
    else:
        flag_text = _("No target-group requirement")
    reasons.append(
        {
            "code": "target_group",
            "points": _points(flag_points),
            "max_points": WEIGHTS["target_group"],
            "values": {"vacancy_flags": flags, "fitted_flags": fitted_flags},
            "text": flag_text,
        }
    )
    days = (today - work_ready_since).days
    reasons.append(
        {
            "code": "availability",
            "points": WEIGHTS["availability"],
            "max_points": WEIGHTS["availability"],
            "values": {"work_ready_since": work_ready_since.isoformat(), "days": days},
            "text": _("Work-ready since %(date)s (%(days)d days)")
            % {"date": work_ready_since.isoformat(), "days": days},
        }
    )
    return reasons


def _location_reason(*, location: str, place: dict, km: float | None, max_travel_km: int | None) -> dict:
    """R-42: the distance in km when both places are known ("12 km"), otherwise the postcode ladder, and then it
    says the distance is unknown (an unknown distance never excludes a candidate, so it is said)."""
    values = {"distance_km": None if km is None else round(km, 1), "max_travel_km": max_travel_km, **place}
    if km is not None:
        shown = geo.whole_km(km)
        if max_travel_km is not None:
            text = _("%(km)d km between home and work (travels up to %(max)d km)") % {"km": shown, "max": max_travel_km}
        else:
            text = _("%(km)d km between home and work") % {"km": shown}
        return {
            "code": "location",
            "points": _points(distance_points(km)),
            "max_points": WEIGHTS["location"],
            "values": {"match": "distance", **values},
            "text": text,
        }
    location_texts = {
        "same_municipality": _("Same municipality (%(municipality)s)"),
        "same_postcode_area": _("Same postcode area (%(pc4)s)"),
        "same_region": _("Same region (postcodes %(pc2)s..)"),
        "other": _("Outside the job's municipality and region"),
    }
    return {
        "code": "location",
        "points": LOCATION_POINTS[location],
        "max_points": WEIGHTS["location"],
        "values": {"match": location, **values},
        "text": _("%(location)s; distance unknown") % {"location": location_texts[location] % place},
    }


def _place(location_params: dict, municipality: str) -> dict:
    return {"municipality": (municipality or "").strip(), "pc4": location_params["pc4"], "pc2": location_params["pc2"]}


# --- Selectors -------------------------------------------------------------------------------------------------


def _fetch(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def vacancy_matches(
    *, vacancy: Vacancy, user, limit: int = DEFAULT_LIMIT, offset: int = 0, today: date | None = None
) -> list[CandidateMatch]:
    """Every fitting candidate of every partner for the vacancy, best first, with reasons (R-17, R-18, R-42).

    Two queries whatever the data: the ranking and the names of the page's shared skills (none at all for a
    vacancy without skills). Contact details are in `personal` only for candidates of the user's organisation or
    referred to a vacancy the user owns (R-40); for the others the database does not even send them.
    """
    today = today or timezone.localdate()
    if not vacancy.skills:
        return []
    rows = _fetch(*matching_sql(vacancy, user=user, limit=limit, offset=offset, today=today))
    names = _skill_names({pk for row in rows for pk in row["shared"]})
    flags = _vacancy_flags(vacancy)
    place = _place(_location_params(vacancy.postcode, vacancy.municipality), vacancy.municipality)
    n_skills = len(set(vacancy.skills))
    return [
        CandidateMatch(
            candidate_id=row["id"],
            score=row["score"],
            reasons=_reasons(
                shared=list(row["shared"]),
                n_skills=n_skills,
                names=names,
                hours_offered=row["hours_per_week"],
                hours_asked=vacancy.hours_per_week,
                location=LOCATION_CODES[row["location"]],
                place=place,
                flag_points=float(row["flag_points"]),
                flags=flags,
                fitted_flags=list(row["fitted_flags"]),
                work_ready_since=row["work_ready_since"],
                today=today,
                km=row["km"],
                max_travel_km=row["max_travel_km"],
            ),
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation_name"],
            adviser_id=row["adviser_id"],
            adviser_name=_full_name(row["adviser_first_name"], row["adviser_last_name"], row["adviser_username"]),
            target_group=row["target_group"],
            job_agreement=row["job_agreement"],
            hours_per_week=row["hours_per_week"],
            municipality=row["municipality"],
            work_ready_since=row["work_ready_since"],
            skills=list(row["skills"]),
            already_referred=row["already_referred"],
            personal={name: row[name] for name in MATCH_PERSONAL_FIELDS} if row["personal"] else None,
            distance_km=None if row["km"] is None else round(row["km"], 1),
            max_travel_km=row["max_travel_km"],
        )
        for row in rows
    ]


def candidate_matches(
    *, candidate: Candidate, user=None, limit: int = DEFAULT_LIMIT, offset: int = 0, today: date | None = None
) -> list[VacancyMatch]:
    """The open vacancies a candidate fits (status open, not blocked, R-16), ranked the same way (R-42).

    No query at all for a candidate who is not available, not work-ready (R-41) or without skills; otherwise two:
    the ranking and the names of the page's shared skills. Vacancies are regional (R-02): nothing is held back.
    """
    today = today or timezone.localdate()
    if candidate.status != CandidateStatus.AVAILABLE or not is_work_ready(candidate, today=today):
        return []
    if not candidate.skills:
        return []
    rows = _fetch(*vacancy_matching_sql(candidate, limit=limit, offset=offset, today=today))
    names = _skill_names({pk for row in rows for pk in row["shared"]})
    fits = candidate_flags(candidate, today=today)
    place = _place(_location_params(candidate.postcode, candidate.municipality), candidate.municipality)
    matches = []
    for row in rows:
        flags = list(row["target_group_flags"] or [])
        matches.append(
            VacancyMatch(
                vacancy_id=row["id"],
                score=row["score"],
                reasons=_reasons(
                    shared=list(row["shared"]),
                    n_skills=row["n_skills"],
                    names=names,
                    hours_offered=candidate.hours_per_week,
                    hours_asked=row["hours_per_week"],
                    location=LOCATION_CODES[row["location"]],
                    place=place,
                    flag_points=float(row["flag_points"]),
                    flags=flags,
                    fitted_flags=[flag for flag in flags if flag in fits],
                    work_ready_since=candidate.work_ready_since,
                    today=today,
                    km=row["km"],
                    max_travel_km=candidate.max_travel_km,
                ),
                title=row["title"],
                employer_id=row["employer_id"],
                employer_name=row["employer_name"],
                owner_id=row["owner_id"],
                owner_name=_full_name(row["owner_first_name"], row["owner_last_name"], row["owner_username"]),
                organisation_id=row["organisation_id"],
                hours_per_week=row["hours_per_week"],
                municipality=row["municipality"],
                postcode=row["postcode"],
                expires_on=row["expires_on"],
                target_group_flags=flags,
                skills=list(row["skills"]),
                already_referred=row["already_referred"],
                distance_km=None if row["km"] is None else round(row["km"], 1),
            )
        )
    return matches
