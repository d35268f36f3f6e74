"""The hard requirements of a match (R-14, R-15, R-17, R-40, R-41, R-42), the same in SQL and in Python.

Age is personal data (R-40). For a candidate of the caller's own organisation an age requirement is checked on the
exact age; for everyone else's candidates only on their age group of `AGE_GROUP_YEARS` years (15-19, 20-24, 25-29,
..., counted from `AGE_FLOOR`; `age_group`), so that no combination of age bands, however they are slid, tells more
about another organisation's candidate than that group. A candidate fits when their group overlaps the requirement
(not: lies inside it): R-18 leaves nobody out who meets it, at the price of proposing someone up to four years
outside the band, which their own adviser (who knows the exact age) sees at once. Overlap with a band is the same as
the exact age lying in the band widened to whole groups (`widened_band`: 48-52 becomes 45-54), which is how the SQL
applies it, on the birth date (`born_between`). The age flags of target-group vacancies (R-14: youth, under 27;
50+) are bands as well (`AGE_FLAG_BANDS`) and follow the same rule, so youth fits another organisation's candidate of
25-29 (50+ starts at a group boundary and does not change).
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from vacancies.choices import TargetGroupFlag
from vacancies.models import AGE_BAND_YEARS, AGE_FLOOR, Vacancy
from wsp import geo

from ...choices import CandidateStatus, TargetGroup
from ...models import Candidate

YOUTH_BELOW_AGE = 27
OVER_50_FROM_AGE = 50
# R-40: the age groups other organisations' candidates are judged on: as wide as the narrowest band R-15 allows.
AGE_GROUP_YEARS = AGE_BAND_YEARS
# the target-group flags that are age requirements, as bands (ages min..max inclusive, None: open).
AGE_FLAG_BANDS = {
    TargetGroupFlag.YOUTH.value: (None, YOUTH_BELOW_AGE - 1),
    TargetGroupFlag.OVER_50.value: (OVER_50_FROM_AGE, None),
}

# --- Ages (R-15, R-40) ------------------------------------------------------------------------------------------


def age_on(birth_date: date | None, today: date) -> int | None:
    """Age in whole years, as the SQL compares birth dates (`born_between`): someone born on 29 February turns a year
    older on 1 March in a year without 29 February."""
    if birth_date is None:
        return None
    years = relativedelta(today, birth_date).years
    return years - 1 if birth_date > today - relativedelta(years=years) else years


def age_group(age: int) -> tuple[int, int]:
    """R-40: the group of AGE_GROUP_YEARS years an age falls in, counted from AGE_FLOOR: 52 -> (50, 54)."""
    low = AGE_FLOOR + AGE_GROUP_YEARS * ((age - AGE_FLOOR) // AGE_GROUP_YEARS)
    return low, low + AGE_GROUP_YEARS - 1


def widened_band(min_age: int | None, max_age: int | None) -> tuple[int | None, int | None]:
    """R-40: the band widened to whole age groups: an age group overlaps `min_age..max_age` exactly when the ages of
    the group lie in the widened band (48-52 -> 45-54; 50-54 stays 50-54; an open side stays open)."""
    return (
        None if min_age is None else age_group(min_age)[0],
        None if max_age is None else age_group(max_age)[1],
    )


def judged_band(min_age: int | None, max_age: int | None, *, exact: bool) -> tuple[int | None, int | None]:
    """The band as it is applied: as given for the caller's own candidates (`exact`), widened to whole age groups
    for everyone else's (R-40)."""
    return (min_age, max_age) if exact else widened_band(min_age, max_age)


def born_between(min_age: int | None, max_age: int | None, today: date) -> tuple[date | None, date | None]:
    """The birth dates of the ages `min_age..max_age` on `today`: (born after, born on or before); None is open.

    age >= min  <=>  born on or before today - min years; age <= max  <=>  born after today - (max + 1) years. The SQL
    compares the birth date with these two dates, and so does Python (`in_age_band`), so both give the same answer.
    """
    born_after = None if max_age is None else today - relativedelta(years=max_age + 1)
    born_by = None if min_age is None else today - relativedelta(years=min_age)
    return born_after, born_by


def in_age_band(birth_date: date | None, min_age: int | None, max_age: int | None, *, today: date, exact: bool) -> bool:
    """Whether the candidate meets an age band (R-15, R-14's age flags): on the exact age for the caller's own
    organisation's candidates, on the age group for everyone else's (R-40). Unknown: the same answer as outside the
    band, so the two cannot be told apart."""
    if birth_date is None:
        return False
    born_after, born_by = born_between(*judged_band(min_age, max_age, exact=exact), today)
    return (born_after is None or birth_date > born_after) and (born_by is None or birth_date <= born_by)


def has_age_requirement(vacancy: Vacancy) -> bool:
    """R-15: the vacancy sets an age band (the database holds it to at least AGE_BAND_YEARS years,
    `vacancies_vacancy_age_band`)."""
    return vacancy.min_age is not None or vacancy.max_age is not None


def judged_on_age_groups(vacancy: Vacancy) -> bool:
    """R-40: whether other organisations' candidates are matched on a wider band than the vacancy's own, because its
    age band or an age flag (youth: under 27) does not end on age-group boundaries. The page and the API say so."""
    bands = [(vacancy.min_age, vacancy.max_age)] if has_age_requirement(vacancy) else []
    bands += [AGE_FLAG_BANDS[flag] for flag in vacancy.target_group_flags or () if flag in AGE_FLAG_BANDS]
    return any(widened_band(*band) != band for band in bands)


def age_groups_message() -> str:
    """What the page and the API say when `judged_on_age_groups` (R-40)."""
    return _(
        "Candidates of other partner organisations are matched on their age group of %(years)d years (15-19, 20-24, "
        "...), not on their exact age (R-40): some of them may be up to %(off)d years outside the age requirement. "
        "Their own adviser knows their age."
    ) % {"years": AGE_GROUP_YEARS, "off": AGE_GROUP_YEARS - 1}


# --- Hard requirements ------------------------------------------------------------------------------------------


def is_own_candidate(user, candidate: Candidate) -> bool:
    """R-40: whether the candidate is of the caller's organisation (exact ages); no caller is nobody's."""
    organisation_id = getattr(user, "organisation_id", None)
    return organisation_id is not None and organisation_id == candidate.organisation_id


def candidate_flags(candidate: Candidate, *, today: date | None = None, exact: bool = False) -> set[str]:
    """R-14: the target-group flags of vacancies this candidate fits. The age flags are judged as `in_age_band`
    judges a band: on the exact age only for the caller's own organisation's candidates (`exact`, R-40)."""
    today = today or timezone.localdate()
    fits = set()
    if candidate.job_agreement:
        fits.add(TargetGroupFlag.JOB_AGREEMENT.value)
    if candidate.target_group == TargetGroup.WAJONG:
        fits.add(TargetGroupFlag.WAJONG.value)
    if candidate.target_group == TargetGroup.PWET:
        fits.add(TargetGroupFlag.WELFARE_SUBSIDY.value)
    if candidate.target_group in (TargetGroup.OEKRAINE, TargetGroup.NUG):
        fits.add(TargetGroupFlag.STATUS_HOLDER.value)
    for flag, band in AGE_FLAG_BANDS.items():
        if in_age_band(candidate.birth_date, *band, today=today, exact=exact):
            fits.add(flag)
    return fits


def is_work_ready(candidate: Candidate, *, today: date | None = None) -> bool:
    """R-41: handed over for placement; a future date means the hand-over is planned, not done."""
    today = today or timezone.localdate()
    return candidate.work_ready_since is not None and candidate.work_ready_since <= today


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


def requirement_failures(vacancy: Vacancy, candidate: Candidate, *, user=None, today: date | None = None) -> list[str]:
    """The hard requirements (R-17, R-41, R-14/R-15, R-42) the candidate does not meet, as stable codes, as `user`
    may know them (the same predicate the ranking SQL applies for that user).

    `candidate_not_available`, `candidate_not_work_ready`, `no_shared_skill`, `beyond_max_travel_distance`,
    `target_group_mismatch`, `age_requirement_not_met`. The vacancy's own state (open, blocked) is not checked here.

    R-40: the age band and the age flags are judged on the exact age only when the candidate is of `user`'s
    organisation; for another organisation's candidate (or no user) on their age group (`in_age_band`), so the codes
    tell no more than the ranking does. `age_requirement_not_met` means "outside the band, or no date of birth known"
    and never carries the age or the band.
    """
    today = today or timezone.localdate()
    exact = is_own_candidate(user, candidate)
    failures = []
    if candidate.status != CandidateStatus.AVAILABLE:
        failures.append("candidate_not_available")
    if not is_work_ready(candidate, today=today):
        failures.append("candidate_not_work_ready")
    if not set(candidate.skills or ()) & set(vacancy.skills or ()):
        failures.append("no_shared_skill")
    if beyond_travel_distance(distance_between(vacancy, candidate), candidate.max_travel_km):
        failures.append("beyond_max_travel_distance")
    flags = vacancy.target_group_flags
    if flags and not candidate_flags(candidate, today=today, exact=exact) & set(flags):
        failures.append("target_group_mismatch")
    if has_age_requirement(vacancy) and not in_age_band(
        candidate.birth_date, vacancy.min_age, vacancy.max_age, today=today, exact=exact
    ):
        failures.append("age_requirement_not_met")
    return failures
