"""Reads of the referral register: the API list, the pipeline of one vacancy, the adviser's waiting referrals and
the funnel per stage (R-21, R-40, R-43). Each selector states its joins, so pages keep a fixed query count.

Referrals are region-wide data (R-02), but candidates' personal data is not (R-40): these selectors expose the
candidate's id, organisation and target group, and a name only where the user has personal access.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from matching.choices import PlacementStatus, ReferralStatus, RejectionReason
from matching.models import Placement, Referral, ReferralStatusChange
from matching.selectors.candidates import PersonalAccess, access_level
from matching.selectors.placements import booker_left
from matching.services.referrals import is_two_to_nine_original
from vacancies.models import Vacancy
from wsp.errors import InvalidInput

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
            Referral.objects.filter(
                candidate_id__in=[referral.candidate_id for referral in referrals], vacancy__owner_id=user_id
            ).values_list("candidate_id", flat=True)
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


# --- Funnel (R-43) -----------------------------------------------------------------------------------------------
#
# The chain from a vacancy's registration to a durable placement, for the employers' requests registered in a period
# (a cohort), so drop-off and the time each step takes can be read (R-43, the APK chain analysis):
#
#   registered  the employers' requests registered in the period: vacancies that are neither a chain partner's
#               vacancy in a co-production (R-19, `parent` set) nor a partner's duplicate: one request of 12
#               people is one registered vacancy, however many partners work on it;
#   proposed    the candidates proposed on them, on the co-production partners' vacancies under them and on the
#               duplicates made of them (a hire carried over to a duplicate is the original's proposal, not a new
#               one), days from the request's registration;
#   invited     of those, the ones invited (or hired straight away), days from the proposal;
#   hired       of those, the ones hired, days from the invitation (0 when hired without one). A hire that fell
#               through and was withdrawn (`hired -> withdrawn`) was hired: it counts here, and not as booked;
#   booked      the placements booked from those hires, on the request, a partner's vacancy under it or a duplicate
#               one hire, one placement), days from the hire;
#   durable     of those, the ones that became durable, days from the booking to the day it counted as
#               durable (0 when it was booked later).
#
# `organisation` is the request's organisation (the original vacancy's) and `sector` its employer's sector (R-19: a
# co-production stays under the same employer); the partners' work on a request counts with it.
#
# Each figure is one queryset (`funnel_querysets`: the records it counts, each with its `days`, so a figure can be
# reproduced from its records, R-57) and one query: its count and the median of `days` (PostgreSQL's
# percentile_cont(0.5), the mean of the two middle values for an even number). Medians are in days with one
# decimal; null when nothing reached the stage. No candidate data is part of it: counts and days only.

# The years a funnel may cover: outside them a day is a typing error (and beyond 9999 no calendar goes).
FUNNEL_YEARS = (2000, 2100)
FUNNEL_STAGES = ("registered", "proposed", "invited", "hired", "booked", "durable")


class Median(Aggregate):
    """The median of a numeric expression: PostgreSQL's percentile_cont(0.5), NULLs left out."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days(later, earlier) -> Func:
    """Days (fractional) from one moment to a later one, in SQL."""
    return Func(
        later, earlier, template="EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0", arg_joiner=" - ",
        output_field=FloatField(),
    )  # fmt: skip


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    count: int
    median_days: float | None  # from the previous stage; None for `registered` and when nobody reached the stage


@dataclass
class Funnel:
    """The funnel of the vacancies registered from `date_from` to `date_to` (both included), R-43."""

    date_from: date
    date_to: date
    organisation_id: int | None
    sector_id: int | None
    stages: list[FunnelStage]
    proposals_per_hire: Decimal | None  # the region's benchmark is 4 (Midden-Gelderland plan)

    def stage(self, name: str) -> FunnelStage:
        return next(stage for stage in self.stages if stage.stage == name)

    def counts(self) -> list[tuple[str, int]]:
        return [(stage.stage, stage.count) for stage in self.stages]


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    first, last = FUNNEL_YEARS
    wrong = [name for name, day in (("date_from", date_from), ("date_to", date_to)) if not first <= day.year <= last]
    if wrong:
        message = _("Choose a day in the years %(first)d to %(last)d.") % {"first": first, "last": last}
        raise InvalidInput(message, code="invalid", rule="R-43", fields={name: [message] for name in wrong})
    zone = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def funnel_cohort(*, date_from: date, date_to: date, organisation=None, sector=None) -> QuerySet[Vacancy]:
    """The employers' requests registered in the period (local days, both included): no co-production partner's
    vacancy (R-19) and no partner's duplicate (R-25); `organisation` = the vacancy's (its owner's) organisation,
    `sector` = the employer's sector. Days outside FUNNEL_YEARS are refused (400)."""
    start, end = _bounds(date_from, date_to)
    cohort = Vacancy.objects.filter(
        registered_at__gte=start, registered_at__lt=end, duplicated_from__isnull=True, parent__isnull=True
    )
    if organisation is not None:
        cohort = cohort.filter(organisation=organisation)
    if sector is not None:
        cohort = cohort.filter(employer__sector=sector)
    return cohort


def _of_cohort(cohort_ids, prefix: str = "vacancy__") -> Q:
    """Records on a request of the cohort, on a co-production partner's vacancy under it (R-19), or on a duplicate of
    either (R-25)."""
    return (
        Q(**{f"{prefix}id__in": cohort_ids})
        | Q(**{f"{prefix}parent_id__in": cohort_ids})
        | Q(**{f"{prefix}duplicated_from_id__in": cohort_ids})
        | Q(**{f"{prefix}duplicated_from__parent_id__in": cohort_ids})
    )


def _request_registered_at() -> Coalesce:
    """When the employer's request a record belongs to was registered: the original's, the co-production's own."""
    return Coalesce(
        F("vacancy__duplicated_from__parent__registered_at"),
        F("vacancy__duplicated_from__registered_at"),
        F("vacancy__parent__registered_at"),
        F("vacancy__registered_at"),
    )


def funnel_querysets(*, date_from: date, date_to: date, organisation=None, sector=None) -> dict[str, QuerySet]:
    """R-43, R-57: per stage, the records its figure counts, each annotated with `days` from the previous stage
    (not for `registered`). Nothing is evaluated here."""
    cohort = funnel_cohort(date_from=date_from, date_to=date_to, organisation=organisation, sector=sector)
    cohort_ids = cohort.values("pk")
    # A hire carried over to a partner's duplicate is the same proposal and hire as its original entry.
    carried_over = Referral.objects.filter(
        vacancy_id=OuterRef("vacancy__duplicated_from_id"), candidate_id=OuterRef("candidate_id")
    )
    referrals = Referral.objects.filter(_of_cohort(cohort_ids)).exclude(Exists(carried_over))
    invited_at = Min(
        "changes__changed_at", filter=Q(changes__to_status__in=[ReferralStatus.INVITED, ReferralStatus.HIRED])
    )
    hired_at = Min("changes__changed_at", filter=Q(changes__to_status=ReferralStatus.HIRED))
    # The hire a placement comes from: on the vacancy itself, or for a partner's duplicate on its original.
    hire = (
        ReferralStatusChange.objects.filter(
            to_status=ReferralStatus.HIRED,
            referral__candidate_id=OuterRef("candidate_id"),
            referral__vacancy_id=Coalesce(OuterRef("vacancy__duplicated_from_id"), OuterRef("vacancy_id")),
        )
        .order_by("changed_at")
        .values("changed_at")[:1]
    )
    placements = Placement.objects.filter(status=PlacementStatus.BOOKED).filter(_of_cohort(cohort_ids))
    # Durable from the day after `durable_after`; in whole days from the local day of the booking.
    durable_on = Func(
        F("durable_after"), TruncDate("booked_at"), template="GREATEST(0, (%(expressions)s) + 1)::float8",
        arg_joiner=" - ", output_field=FloatField(),
    )  # fmt: skip
    return {
        "registered": cohort,
        "proposed": referrals.annotate(days=_days(F("referred_at"), _request_registered_at())),
        "invited": referrals.annotate(moment=invited_at)
        .filter(moment__isnull=False)
        .annotate(days=_days(F("moment"), F("referred_at"))),
        "hired": referrals.annotate(moment=hired_at, previous=invited_at)
        .filter(moment__isnull=False)
        .annotate(days=_days(F("moment"), F("previous"))),
        "booked": placements.annotate(days=_days(F("booked_at"), Subquery(hire))),
        "durable": placements.filter(is_durable=True).annotate(days=durable_on),
    }


def _median(value) -> float | None:
    return None if value is None else round(float(value), 1)


def referral_funnel(*, date_from: date, date_to: date, organisation=None, sector=None) -> Funnel:
    """R-43: the funnel from registration of the vacancies registered in the period (see above): per stage its
    count and the median days from the previous stage, and the proposals per hire. Six queries, whatever the
    data: one per stage."""
    stages = []
    for name, records in funnel_querysets(
        date_from=date_from, date_to=date_to, organisation=organisation, sector=sector
    ).items():
        if name == "registered":
            stages.append(FunnelStage(stage=name, count=records.count(), median_days=None))
            continue
        figure = records.aggregate(count=Count("pk"), median=Median("days"))
        stages.append(FunnelStage(stage=name, count=figure["count"], median_days=_median(figure["median"])))
    counts = dict((stage.stage, stage.count) for stage in stages)
    per_hire = None
    if counts["hired"]:
        per_hire = (Decimal(counts["proposed"]) / counts["hired"]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Funnel(
        date_from=date_from,
        date_to=date_to,
        organisation_id=getattr(organisation, "pk", organisation),
        sector_id=getattr(sector, "pk", sector),
        stages=stages,
        proposals_per_hire=per_hire,
    )
