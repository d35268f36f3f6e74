"""Reads for candidates: who sees whom (R-40), how complete and how fresh a profile is, the stale worklist.

Visibility (R-40) has three levels:

* `FULL`: staff (and the organisation token) of the candidate's own organisation see every personal field; the
  BSN only masked (`has_bsn`, `bsn_masked`), never in full;
* `CONTACT`: the owner of a vacancy the candidate is referred to sees the contact details (name, e-mail, phone)
  needed to propose the candidate to the employer, but not the birth date, the health notes or anything of the
  BSN: the least data the task needs (R-58);
* `NONE`: everyone else. They still match the candidate on the matching fields (R-17, R-18) through
  `vacancies/{id}/matches/`, but the candidate's own page and list are not theirs (404).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from employers.normalize import normalise_postcode

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
        referred_to_user = Referral.objects.filter(candidate=candidate, vacancy__owner_id=user.pk).exists()
    return PersonalAccess.CONTACT if referred_to_user else PersonalAccess.NONE


def personal_access(user, candidate: Candidate) -> bool:
    """R-40: whether the user sees any of the candidate's personal data."""
    return access_level(user, candidate) > PersonalAccess.NONE


def candidate_for(*, user, candidate_id) -> Candidate | None:
    """One candidate the user may see (R-40), or None (the API answers 404, so existence does not leak)."""
    try:
        candidate_id = int(candidate_id)
    except (TypeError, ValueError):
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
    annotated with `is_stale`. Filters: q (name or postcode), target_group, status, mine, stale. One query per page
    plus the paginator's count; the adviser is joined.
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
        if postcode:
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
