"""Reads of the referral register: the API list, the pipeline of one vacancy, the adviser's waiting referrals and
the funnel per stage (R-21, R-40, R-43). Each selector states its joins, so pages keep a fixed query count.

Referrals are region-wide data (R-02), but candidates' personal data is not (R-40): these selectors expose the
candidate's id, organisation and target group, and a name only where the user has personal access.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.lookups import IsNull
from django.utils import timezone

from accounts.choices import Role
from matching.choices import PlacementStatus, ReferralStatus, RejectionReason
from matching.models import Placement, Referral, ReferralStatusChange
from matching.selectors.candidates import PersonalAccess, access_level
from matching.selectors.placements import booker_left
from matching.services.referrals import is_two_to_nine_original
from vacancies.models import Vacancy

HOME_LIMIT = 15


# --- Free text about the candidate (R-40) ------------------------------------------------------------------------
#
# A referral's note and the reasons on its register lines are written about the candidate. The rows are region-wide
# the text is for the organisations that work with the candidate on this referral only: the one that
# proposed it, the vacancy owner's, the candidate's own and one that booked a placement from it.


def text_visible(user):
    """An expression for `annotate(text_visible=...)` on referrals: whether `user` reads their free text (R-40).
    Part of the same query, so a list page stays one query."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return Value(False, output_field=BooleanField())
    # Written as `(SELECT id ... LIMIT 1) IS NOT NULL`, not EXISTS: PostgreSQL plans an EXISTS here as one hashed
    # subplan over all the organisation's placements (tens of thousands of rows, most of a list page's time), while
    # a scalar subquery is probed per row on the placement's referral index, and only for the rows the cheap
    # organisation conditions before it (evaluated first, OR stops at the first true) leave undecided.
    theirs = Placement.objects.filter(referral=OuterRef("pk"), organisation_id=organisation_id)
    theirs = theirs.order_by().values("pk")[:1]
    booked_by_theirs = IsNull(Subquery(theirs), False)
    return ExpressionWrapper(
        Q(organisation_id=organisation_id)
        | Q(vacancy__organisation_id=organisation_id)
        | Q(candidate__organisation_id=organisation_id)
        | booked_by_theirs,
        output_field=BooleanField(),
    )


def referral_text_visible(*, user, referral: Referral) -> bool:
    """The same as `text_visible` for one referral in hand (after a write): at most two queries."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return False
    if organisation_id in (referral.organisation_id, referral.candidate.organisation_id):
        return True
    if Vacancy.objects.filter(pk=referral.vacancy_id, organisation_id=organisation_id).exists():
        return True
    return Placement.objects.filter(referral=referral, organisation_id=organisation_id).exists()


def referral_list(*, user, filters: dict | None = None) -> QuerySet[Referral]:
    """Every referral of the region (R-02), newest first; ids only, so the API page is one query. Each row carries
    `text_visible` (R-40: whether the user reads its note)."""
    filters = filters or {}
    qs = Referral.objects.annotate(text_visible=text_visible(user))
    for name in ("vacancy", "candidate", "status", "organisation", "referred_by"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    return qs


def referral_with_history(*, referral_id: int, user=None) -> Referral | None:
    """One referral with its register lines (R-21), oldest first, and `text_visible` (R-40: whether `user` reads the
    note and the reasons of the lines): two queries."""
    changes = Prefetch("changes", queryset=ReferralStatusChange.objects.order_by("changed_at", "id"))
    return (
        Referral.objects.annotate(text_visible=text_visible(user))
        .prefetch_related(changes)
        .filter(pk=referral_id)
        .first()
    )


def referrals_waiting(*, user, now: datetime | None = None, limit: int = HOME_LIMIT) -> list[Referral]:
    """Home page: proposals and invitations on the user's vacancies that have waited longer than
    REFERRAL_ANSWER_WAIT_DAYS for the employer's answer, longest waiting first. One query."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.WSP["REFERRAL_ANSWER_WAIT_DAYS"])
    return list(
        Referral.objects.filter(vacancy__owner=user, status__in=ReferralStatus.active(), status_changed_at__lt=since)
        .select_related("vacancy__employer", "candidate__organisation")
        .order_by("status_changed_at", "id")[:limit]
    )


# --- Pipeline of one vacancy -------------------------------------------------------------------------------------


@dataclass
class PipelineCard:
    referral_id: int
    candidate_id: int
    # The name only with personal access; `label` always: organisation, target group and id.
    display_name: str | None
    label: str
    organisation_id: int
    organisation_name: str
    target_group: str
    pawa: bool
    referred_at: datetime
    status_changed_at: datetime
    rejection_reason: str
    booked: bool
    # The label of `rejection_reason` in the user's language ("" when not rejected).
    rejection_reason_label: str = ""
    # R-23..R-25: who books a hired referral ("Name (Organisation)"), and whether that waits for the owner to close
    # the 2-9 vacancy (the partner books on its duplicate).
    booker_id: int | None = None
    booker_name: str = ""
    waits_for_close: bool = False
    # What the page offers on a hired card: booking it (the booker, or an adviser of their organisation when the
    # booker has left) and withdrawing a hire that fell through (the owner and whoever books it; the service lets the
    # booker's whole organisation, as the API does).
    may_book: bool = False
    may_withdraw_hire: bool = False


@dataclass
class PipelineColumn:
    status: str
    label: str
    cards: list[PipelineCard]


def _booker_name(booker) -> str:
    return f"{booker.full_name} ({booker.organisation.name})" if booker is not None else ""


def _rejection_label(code: str) -> str:
    if not code:
        return ""
    return str(RejectionReason(code).label) if code in RejectionReason.values else code


def vacancy_pipeline(*, vacancy: Vacancy, user) -> list[PipelineColumn]:
    """The referral register of one vacancy as kanban columns, one per status in funnel order (R-21, R-43).

    One query: the referrals joined to their candidate and its organisation, with whether a booked placement
    exists; plus one when the user is not the vacancy's owner, to find which of these candidates are referred to a
    vacancy of the user's. The name is shown only with personal access (R-40, `matching.selectors.candidates`); a
    hired card says who books it (R-23..R-25), joined into the first query.
    """
    booked = Placement.objects.filter(referral=OuterRef("pk"), status=PlacementStatus.BOOKED)
    referrals = list(
        Referral.objects.filter(vacancy=vacancy)
        .select_related("candidate__organisation", "booker__organisation")
        .annotate(booked=Exists(booked))
        .order_by("status_changed_at", "id")
    )
    user_id = getattr(user, "pk", None)
    if user_id is not None and vacancy.owner_id == user_id:
        referred_to_user = {referral.candidate_id for referral in referrals}
    elif user_id is not None and referrals:
        referred_to_user = set(
            Referral.objects.to_vacancies_of(user)
            .filter(candidate_id__in=[referral.candidate_id for referral in referrals])
            .values_list("candidate_id", flat=True)
        )
    else:
        referred_to_user = set()
    columns = {
        status: PipelineColumn(status=status, label=str(label), cards=[]) for status, label in ReferralStatus.choices
    }
    is_staff = getattr(user, "role", None) in Role.values
    for referral in referrals:
        candidate = referral.candidate
        organisation = candidate.organisation
        access = access_level(user, candidate, referred_to_user=candidate.pk in referred_to_user)
        open_hire = referral.status == ReferralStatus.HIRED and not referral.booked
        booker = referral.booker
        may_book = open_hire and booker is not None and (booker.pk == user_id or booker_left(referral, user))
        columns[referral.status].cards.append(
            PipelineCard(
                referral_id=referral.pk,
                candidate_id=candidate.pk,
                display_name=candidate.full_name if access > PersonalAccess.NONE else None,
                label=f"{organisation.name} · {candidate.get_target_group_display()} · #{candidate.pk}",
                organisation_id=organisation.pk,
                organisation_name=organisation.name,
                target_group=candidate.target_group,
                pawa=referral.pawa,
                referred_at=referral.referred_at,
                status_changed_at=referral.status_changed_at,
                rejection_reason=referral.rejection_reason,
                booked=referral.booked,
                rejection_reason_label=_rejection_label(referral.rejection_reason),
                booker_id=referral.booker_id,
                booker_name=_booker_name(referral.booker),
                waits_for_close=(
                    referral.booker_id is not None
                    and organisation.pk != vacancy.organisation_id
                    and is_two_to_nine_original(vacancy)
                ),
                may_book=may_book,
                may_withdraw_hire=open_hire and is_staff and (vacancy.owner_id == user_id or may_book),
            )
        )
    return list(columns.values())
