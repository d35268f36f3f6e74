"""Reads for candidates: who sees whom (R-40), how complete and how fresh a profile is, the stale worklist.

Visibility (R-40) has three levels:

* `FULL`: staff (and the organisation token) of the candidate's own organisation see every personal field; the
  BSN only masked (`has_bsn`, `bsn_masked`), never in full;
* `CONTACT`: the owner of a vacancy the candidate is referred to sees the contact details (name, e-mail, phone)
  needed to propose the candidate to the employer, but not the birth date, the health notes or anything of the
  BSN: the least data the task needs (R-58);
* `NONE`: everyone else. They still match the candidate on the matching fields (R-17, R-18) through
  `vacancies/{id}/matches/`, but the candidate's own page and list are not theirs (404).

The weekly overview (R-41, `weekly_overview`) lists the candidates of every partner who became work-ready in one
week, Monday to Sunday, with the matching fields only; names and contact details come from the database only for
candidates of the user's own organisation (R-40).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, CharField, Count, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.utils import timezone, translation

from employers.normalize import normalise_postcode
from vacancies.models import Skill
from wsp.inputs import int_or_none

from ..bsn import bsn_lookup_hash, is_valid_bsn
from ..choices import CandidateStatus
from ..models import Candidate, Referral

FULL_FIELDS = ("first_name", "last_name", "email", "phone", "birth_date", "health_notes")
CONTACT_FIELDS = ("first_name", "last_name", "email", "phone")


class PersonalAccess(enum.IntEnum):
    NONE = 0
    CONTACT = 1
    FULL = 2

    @property
    def fields(self) -> tuple[str, ...]:
        return {PersonalAccess.FULL: FULL_FIELDS, PersonalAccess.CONTACT: CONTACT_FIELDS}.get(self, ())


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """R-40: the own organisation's caseload plus the candidates referred to a vacancy the user owns."""
    return Candidate.objects.visible_to(user)


def candidates_listed_for(user):
    """R-40: the same candidates as `candidates_visible_to`, for a list read page by page: the union of the arms of
    the visibility, each limited to the page (`Candidate.objects.visible_list`)."""
    return Candidate.objects.visible_list(user)


def is_own_candidate(user, candidate: Candidate) -> bool:
    organisation_id = getattr(user, "organisation_id", None)
    return organisation_id is not None and candidate.organisation_id == organisation_id


def access_level(user, candidate: Candidate, *, referred_to_user: bool | None = None) -> PersonalAccess:
    """R-40: how much of the candidate's personal data the user sees.

    `referred_to_user` may be passed when the caller already knows it (a row of `candidates_visible_to` that is
    not of the own organisation is referred to the user by definition); otherwise it costs one query.
    """
    if is_own_candidate(user, candidate):
        return PersonalAccess.FULL
    if getattr(user, "pk", None) is None:
        return PersonalAccess.NONE
    if referred_to_user is None:
        referred_to_user = Referral.objects.to_vacancies_of(user).filter(candidate=candidate).exists()
    return PersonalAccess.CONTACT if referred_to_user else PersonalAccess.NONE


def personal_access(user, candidate: Candidate) -> bool:
    """R-40: whether the user sees any of the candidate's personal data."""
    return access_level(user, candidate) > PersonalAccess.NONE


def candidate_for(*, user, candidate_id) -> Candidate | None:
    """One candidate the user may see (R-40), or None (the API answers 404, so existence does not leak)."""
    candidate_id = int_or_none(candidate_id)
    if candidate_id is None:
        return None
    return candidates_visible_to(user).filter(pk=candidate_id).first()


# --- Completeness and freshness (pure functions) ----------------------------------------------------------------

# What makes a profile matchable and reachable, with its weight. The BSN is not in it: it is optional and never
# needed to match, count or place.
COMPLETENESS_ITEMS = (
    ("skills", 30),
    ("work_ready_since", 20),
    ("contact", 20),
    ("municipality", 10),
    ("birth_date", 10),
    ("max_travel_km", 10),
)


@dataclass(frozen=True)
class Completeness:
    score: int  # 0-100
    missing: tuple[str, ...]


def _present(candidate: Candidate, item: str) -> bool:
    if item == "contact":
        return bool(candidate.email or candidate.phone)
    if item == "skills":
        return bool(candidate.skills)
    value = getattr(candidate, item)
    return value not in (None, "")


def completeness(candidate: Candidate) -> Completeness:
    """How complete the profile is for matching and contact (0-100) and which items are missing."""
    missing = tuple(item for item, _weight in COMPLETENESS_ITEMS if not _present(candidate, item))
    score = sum(weight for item, weight in COMPLETENESS_ITEMS if item not in missing)
    return Completeness(score=score, missing=missing)


@dataclass(frozen=True)
class Freshness:
    reviewed_at: datetime | None
    days: int
    is_stale: bool


def stale_after() -> timedelta:
    return timedelta(days=settings.WSP["CANDIDATE_STALE_DAYS"])


def stale_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - stale_after()


def last_reviewed(candidate: Candidate) -> datetime | None:
    """When an adviser last looked at the profile; a profile never reviewed counts from its last change."""
    return candidate.profile_reviewed_at or candidate.updated_at


def freshness(candidate: Candidate, *, now: datetime | None = None) -> Freshness:
    """Days since the profile was last reviewed; stale after `CANDIDATE_STALE_DAYS` (the same rule as
    `CandidateQuerySet.stale`)."""
    now = now or timezone.now()
    reviewed = last_reviewed(candidate)
    if reviewed is None:  # not saved yet
        return Freshness(reviewed_at=None, days=0, is_stale=False)
    return Freshness(reviewed_at=reviewed, days=max(0, (now - reviewed).days), is_stale=reviewed < stale_cutoff(now))


def stale_candidates(*, user, now: datetime | None = None, mine: bool = False) -> QuerySet[Candidate]:
    """Worklist: the organisation's available candidates whose profile was not reviewed for
    `CANDIDATE_STALE_DAYS`, longest unreviewed first. `mine` limits it to the user's own caseload."""
    qs = (
        Candidate.objects.of_organisation(user.organisation_id)
        .filter(status=CandidateStatus.AVAILABLE)
        .stale(stale_cutoff(now))
        .select_related("adviser")
    )
    if mine:
        qs = qs.filter(adviser_id=user.pk)
    return qs.order_by(F("profile_reviewed_at").asc(nulls_first=True), "updated_at", "id")


def candidate_list(*, user, filters: dict | None = None) -> QuerySet[Candidate]:
    """The browser's caseload list: the user's organisation's candidates (R-40), newest change first, each row
    annotated with `is_stale`. Filters: q (name, postcode or BSN, with or without dots and spaces), target_group,
    status, mine, stale. One query per page plus the paginator's count; the adviser is joined.
    """
    filters = filters or {}
    cutoff = stale_cutoff()
    stale_row = Q(profile_reviewed_at__lt=cutoff) | Q(profile_reviewed_at__isnull=True, updated_at__lt=cutoff)
    qs = (
        Candidate.objects.of_organisation(user.organisation_id)
        .select_related("adviser")
        .annotate(is_stale=ExpressionWrapper(stale_row, output_field=BooleanField()))
    )
    query = (filters.get("q") or "").strip()
    if query:
        postcode = normalise_postcode(query)
        if is_valid_bsn(query):
            # a BSN typed in the search box ("123456782", "123.456.782", "123 456 782") is looked up by its
            # keyed hash, in the own caseload only; it is never compared or stored as text.
            qs = qs.filter(bsn_hash=bsn_lookup_hash(query))
        elif postcode:
            qs = qs.filter(postcode=postcode)
        else:
            for word in query.split():
                qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if filters.get("target_group"):
        qs = qs.filter(target_group=filters["target_group"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("mine"):
        qs = qs.filter(adviser_id=user.pk)
    if filters.get("stale"):
        # The worklist of profiles to check: available candidates not reviewed for CANDIDATE_STALE_DAYS.
        return (
            qs.filter(status=CandidateStatus.AVAILABLE)
            .stale(cutoff)
            .order_by(F("profile_reviewed_at").asc(nulls_first=True), "updated_at", "id")
        )
    return qs.order_by("-updated_at", "-id")


# --- The weekly overview (R-41) -----------------------------------------------------------------------------------


# The years a week may be chosen in: outside them a week is a typing error, and the calendar ends at 9999.
WEEK_YEARS = (2000, 2100)


@dataclass(frozen=True)
class Week:
    """A week from Monday to Sunday, named as ISO 8601 does ("2026-W49")."""

    monday: date

    @classmethod
    def containing(cls, day: date) -> Week:
        return cls(monday=day - timedelta(days=day.weekday()))

    @classmethod
    def parse(cls, value) -> Week | None:
        """ "2026-W49" (what `<input type="week">` sends; "2026-w49" and "2026W49" too) in the years WEEK_YEARS, or
        None: the page then says so and shows the past week."""
        text = str(value or "").strip().upper().replace("-", "")
        if len(text) not in (7, 8) or text[4] != "W" or not (text[:4] + text[5:]).isascii():
            return None
        if not (text[:4] + text[5:]).isdecimal() or not WEEK_YEARS[0] <= int(text[:4]) <= WEEK_YEARS[1]:
            return None
        try:
            return cls(monday=date.fromisocalendar(int(text[:4]), int(text[5:]), 1))
        except ValueError:
            return None

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def key(self) -> str:
        year, week, _day = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def previous(self) -> Week:
        return Week(monday=self.monday - timedelta(days=7))

    @property
    def next(self) -> Week:
        return Week(monday=self.monday + timedelta(days=7))

    def __str__(self) -> str:
        return self.key


def last_complete_week(today: date | None = None) -> Week:
    """R-41: "the past week": the last Monday-to-Sunday week that has ended (on a Monday: the week up to yesterday)."""
    today = today or timezone.localdate()
    return Week.containing(today).previous


def _own(organisation_id, field: str):
    """The field's value for candidates of the user's own organisation, NULL for everyone else's (R-40): the
    database never sends another organisation's personal data."""
    return Case(When(organisation_id=organisation_id, then=F(field)), default=Value(None), output_field=CharField())


def weekly_overview(*, user, week: Week) -> QuerySet:
    """R-41: every partner's candidates who became work-ready in `week` (Monday to Sunday), earliest first.

    Rows are dicts of the matching fields (id, organisation, target group, job agreement, hours, place, maximum
    travel distance, skills, work-ready date, status, the candidate's adviser) and `own` (of the user's
    organisation). The name, e-mail and phone are selected for own candidates only (R-40: NULL for the others, in
    the SQL itself); the birth date, health notes and BSN of nobody. One query per page (plus the paginator's
    count): the organisation and the adviser are joined.
    """
    organisation_id = getattr(user, "organisation_id", None)
    return (
        Candidate.objects.filter(work_ready_since__gte=week.monday, work_ready_since__lte=week.sunday)
        .annotate(
            own=ExpressionWrapper(Q(organisation_id=organisation_id), output_field=BooleanField()),
            own_first_name=_own(organisation_id, "first_name"),
            own_last_name=_own(organisation_id, "last_name"),
            own_email=_own(organisation_id, "email"),
            own_phone=_own(organisation_id, "phone"),
        )
        .values(
            "id",
            "organisation_id",
            "organisation__name",
            "adviser_id",
            "adviser__first_name",
            "adviser__last_name",
            "adviser__username",
            "target_group",
            "job_agreement",
            "hours_per_week",
            "municipality",
            "max_travel_km",
            "skills",
            "work_ready_since",
            "status",
            "own",
            "own_first_name",
            "own_last_name",
            "own_email",
            "own_phone",
        )  # fmt: skip
        .order_by("work_ready_since", "organisation__name", "id")
    )


def skill_names(skill_ids) -> dict[int, str]:
    """One query for the names of the skills on a page, in the active language (Dutch unless English)."""
    ids = {int(pk) for pk in skill_ids}
    if not ids:
        return {}
    english = (translation.get_language() or "").startswith("en")
    rows = Skill.objects.filter(pk__in=ids).values_list("id", "name", "name_en")
    return {pk: (name_en if english and name_en else name) for pk, name, name_en in rows}


def weekly_overview_summary(*, week: Week) -> list[dict]:
    """R-41: how many candidates became work-ready in the week, per organisation and target group: counts only,
    for the notice and the e-mail (which carry no personal data at all). One query."""
    return list(
        Candidate.objects.filter(work_ready_since__gte=week.monday, work_ready_since__lte=week.sunday)
        .values("organisation__name", "target_group")
        .annotate(count=Count("id"))
        .order_by("organisation__name", "target_group")
    )
