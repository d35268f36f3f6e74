"""The matching selectors and their results (R-17, R-18, R-40, R-42)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils import timezone

from vacancies.models import Vacancy

from ...choices import CandidateStatus, TargetGroup
from ...models import Candidate
from .query import DEFAULT_LIMIT, LOCATION_CODES, _location_params, _vacancy_flags, matching_sql, vacancy_matching_sql
from .reasons import _full_name, _place, _reasons, _skill_names
from .requirements import candidate_flags, is_own_candidate, is_work_ready

# The contact details a user with personal access sees in a match; the rest is on the candidate's page.
MATCH_PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "postcode")

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
    R-40: the owner of a vacancy a candidate of another organisation is referred to sees this list too; for them
    (and without a user) the age requirements are judged on the candidate's age group, so sliding the age band of a
    vacancy of their own tells them no more than that group.
    """
    today = today or timezone.localdate()
    if candidate.status != CandidateStatus.AVAILABLE or not is_work_ready(candidate, today=today):
        return []
    if not candidate.skills:
        return []
    exact = is_own_candidate(user, candidate)
    rows = _fetch(*vacancy_matching_sql(candidate, limit=limit, offset=offset, today=today, exact=exact))
    names = _skill_names({pk for row in rows for pk in row["shared"]})
    fits = candidate_flags(candidate, today=today, exact=exact)
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
