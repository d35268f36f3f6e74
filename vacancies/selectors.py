"""Reads for vacancies (STYLE habit 3). Each selector states what it joins, so pages keep a fixed query count."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.expressions import ExpressionWrapper, RawSQL
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.choices import Role
from accounts.models import User
from employers.choices import AccessRequestStatus
from employers.models import AccessRequest, AccountHolder, Employer
from employers.normalize import name_key
from employers.selectors import acts_as_manager, may_act_for_employer

from .choices import VacancyStatus
from .models import (
    CORRECT_RECEIPT_ACTION,
    RecruitmentPlan,
    Skill,
    Vacancy,
    VacancyEvent,
    VacancyHandover,
    VacancyIntake,
)

HOME_LIMIT = 15
LATE_WINDOW_DAYS = 30

# The placement status that counts for R-20 and the referral status of a hired candidate, named
# here so vacancies does not import matching.
BOOKED = "booked"
HIRED = "hired"


def is_organisation_manager(user, organisation_id: int | None) -> bool:
    """R-01, R-04: "a manager" in the vacancy rules (correcting a receipt, setting an intake aside) is an active
    manager (role MANAGER) of the organisation concerned (the vacancy's, an intake's assignee's). Administrators set
    up reference data and do not act; another organisation's manager steers their own staff, not these records."""
    return (
        getattr(user, "role", None) == Role.MANAGER
        and getattr(user, "is_active", False)
        and organisation_id is not None
        and getattr(user, "organisation_id", None) == organisation_id
    )


# Search on the title (trigram GIN index `vacancy_title_trgm`) or on the employer's name (trigram GIN index
# `employers_name_key_trgm`, through the employers' normalised name). Written as one condition on the vacancy row
# so PostgreSQL can OR two bitmap index scans: the employer part is `employer_id = ANY(ARRAY(subquery))`, which
# the `vacancy_employer` index answers, where Django's `IN (subquery)` would become a filter on every row.
TITLE_SQL = "vacancies_vacancy.title ILIKE %s"
EMPLOYER_SQL = """vacancies_vacancy.employer_id = ANY(ARRAY(
    SELECT e.id FROM employers_employer e WHERE e.name_key LIKE %s AND e.merged_into_id IS NULL
))"""


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def vacancy_search(queryset: QuerySet[Vacancy], query: str) -> QuerySet[Vacancy]:
    """Vacancies whose title contains the words, or whose employer's name does ("De Vries Bouw" finds
    "DeVries-bouw" through the normalised name, R-07)."""
    query = (query or "").strip()
    if not query:
        return queryset
    key = name_key(query)
    if len(key) < 2:
        condition = RawSQL(TITLE_SQL, (_like(query),), output_field=BooleanField())
    else:
        sql = f"({TITLE_SQL} OR {EMPLOYER_SQL})"
        condition = RawSQL(sql, (_like(query), _like(key)), output_field=BooleanField())
    return queryset.filter(condition)


def employer_name() -> Subquery:
    """The vacancy's employer name as a scalar subquery, for lists that show only the name."""
    return Subquery(Employer.objects.filter(pk=OuterRef("employer_id")).order_by().values("name")[:1])


def vacancy_list(*, user, filters: dict | None = None) -> QuerySet[Vacancy]:
    """The vacancy list and search (R-02: every vacancy of the region), with its joins (employer, owner,
    organisation: the columns a list shows) and newest registrations first.

    Filters: q (title or employer name), status, visibility, owner, organisation, employer, target_group (a flag,
    R-14), registered_late (R-12: when set, only the late ones), skill (a vocabulary id, R-42), mine (the user's),
    offered_to_partners (R-13: open vacancies their owner offered to the chain partners).
    """
    filters = filters or {}
    qs = Vacancy.objects.visible_to(user).for_list()
    if filters.get("q"):
        qs = vacancy_search(qs, filters["q"])
    for name in ("status", "visibility", "owner", "organisation", "employer"):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("target_group"):
        qs = qs.filter(target_group_flags__contains=[filters["target_group"]])
    if filters.get("registered_late"):
        qs = qs.filter(registered_late=True)
    if filters.get("skill"):
        qs = qs.filter(skills__contains=[int(filters["skill"])])
    if filters.get("mine"):
        qs = qs.filter(owner=user)
    if filters.get("offered_to_partners"):
        qs = qs.filter(partner_offer_at__isnull=False, status=VacancyStatus.OPEN)
    return qs.order_by("-registered_at", "-id")


@dataclass
class ReceiptCorrection:
    """R-12, R-57: one correction of a vacancy's moment of receipt, from its audit trail."""

    corrected_at: datetime
    previous_received_at: datetime | None
    received_at: datetime
    reason: str
    corrected_by: str


def _corrections_subquery(vacancy_ref="pk") -> ArraySubquery:
    """The receipt corrections of a vacancy as one array column (so the vacancy page needs no query more): the
    update events under the named action `correct_receipt`, oldest first, with what their context recorded."""
    return ArraySubquery(
        # Update events only: pghistory attaches a context to every write of its transaction, so an insert made
        # later in the same transaction would otherwise look like a correction.
        VacancyEvent.objects.filter(
            pgh_obj_id=OuterRef(vacancy_ref), pgh_label="update", pgh_context__metadata__action=CORRECT_RECEIPT_ACTION
        )
        .order_by("pgh_id")
        .values(
            json=JSONObject(
                at="pgh_created_at",
                received_at="received_at",
                previous="pgh_context__metadata__previous_received_at",
                reason="pgh_context__metadata__reason",
                by="pgh_context__metadata__corrected_by",
            )
        )
    )


def _as_corrections(rows) -> list[ReceiptCorrection]:
    def moment(value):
        return parse_datetime(value) if isinstance(value, str) else value

    return [
        ReceiptCorrection(
            corrected_at=moment(row.get("at")),
            previous_received_at=moment(row.get("previous")),
            received_at=moment(row.get("received_at")),
            reason=row.get("reason") or "",
            corrected_by=row.get("by") or "",
        )
        for row in rows or ()
    ]


def receipt_corrections(*, vacancy_id: int) -> list[ReceiptCorrection] | None:
    """R-12, R-57: the corrections of one vacancy's moment of receipt, oldest first, in one query; None when there
    is no such vacancy."""
    rows = Vacancy.objects.filter(pk=vacancy_id).values_list(_corrections_subquery(), flat=True).first()
    if rows is None and not Vacancy.objects.filter(pk=vacancy_id).exists():
        return None
    return _as_corrections(rows)


@dataclass
class VacancyPage:
    vacancy: Vacancy
    skills: list[Skill]
    booked_placements: int
    handovers: list[VacancyHandover]
    recruitment_plan: RecruitmentPlan | None
    children: list[Vacancy]
    duplicates: list[Vacancy]
    is_owner: bool
    receipt_corrections: list[ReceiptCorrection]
    # the owner or a manager of the vacancy's organisation may correct the moment of receipt, and only that
    # manager may move it later (vacancies.services.vacancy_correct_receipt).
    may_correct_receipt: bool
    may_correct_receipt_later: bool
    # hired referrals without a booked placement; while there are any, the vacancy is not closed with another
    # outcome (vacancies.services.vacancy_close).
    hires_unbooked: int
    # an adviser of another organisation may take the vacancy its owner offered to the chain partners.
    may_take: bool


def hires_unbooked(vacancy_ref="pk") -> Coalesce:
    """R-22: the vacancy's hired referrals that have no booked placement, as a scalar subquery (so a page or list
    needs no query more). Through the reverse relation: vacancies does not import matching."""
    referral = Vacancy._meta.get_field("referrals").related_model
    return Coalesce(
        Subquery(
            referral.objects.filter(vacancy_id=OuterRef(vacancy_ref), status=HIRED)
            .exclude(placements__status=BOOKED)
            .order_by()
            .values("vacancy_id")
            .annotate(n=Count("id"))
            .values("n")[:1]
        ),
        0,
    )


def vacancy_page(*, vacancy_id: int, user) -> VacancyPage | None:
    """Everything about one vacancy for its page: the vacancy with employer, owner and organisation, its skills by
    name, booked placements (R-20), handovers (R-13), the co-production plan and partners' vacancies (R-19), the
    partners' duplicates (R-25) and the corrections of the moment of receipt (R-12, R-57: an array column of the
    vacancy's own query). A fixed number of queries (8) whatever the history size.
    """
    vacancy = (
        Vacancy.objects.visible_to(user)
        .annotate(receipt_correction_rows=_corrections_subquery(), hires_unbooked=hires_unbooked())
        .select_related(
            "employer__main_account_holder",
            "owner__organisation",
            "organisation",
            "occupation",
            "parent",
            "duplicated_from",
            "created_by",
        )
        .filter(pk=vacancy_id)
        .first()
    )
    if vacancy is None:
        return None
    by_manager = is_organisation_manager(user, vacancy.organisation_id)
    skills = {skill.pk: skill for skill in Skill.objects.filter(pk__in=vacancy.skills)}
    plan = (
        RecruitmentPlan.objects.filter(vacancy=vacancy)
        .select_related("created_by")
        .prefetch_related("partners")
        .first()
    )
    return VacancyPage(
        vacancy=vacancy,
        skills=[skills[pk] for pk in vacancy.skills if pk in skills],
        booked_placements=vacancy.placements.filter(status=BOOKED).count(),
        handovers=list(
            VacancyHandover.objects.filter(vacancy=vacancy).select_related(
                "from_user", "to_user", "from_organisation", "to_organisation", "handed_over_by"
            )
        ),
        recruitment_plan=plan,
        children=list(vacancy.children.select_related("owner", "organisation").order_by("id")),
        duplicates=list(vacancy.duplicates.select_related("owner", "organisation").order_by("id")),
        is_owner=vacancy.owner_id == getattr(user, "pk", None),
        receipt_corrections=_as_corrections(vacancy.receipt_correction_rows),
        may_correct_receipt=vacancy.owner_id == getattr(user, "pk", None) or by_manager,
        may_correct_receipt_later=by_manager,
        hires_unbooked=vacancy.hires_unbooked,
        may_take=may_take_from_partner(vacancy=vacancy, user=user),
    )


def may_take_from_partner(*, vacancy: Vacancy, user) -> bool:
    """R-13: whether to offer the user "take this vacancy": an active adviser of another organisation than the
    vacancy's, on an open, unblocked vacancy its owner offered to the chain partners (the service decides)."""
    return (
        vacancy.partner_offer_at is not None
        and vacancy.accepts_referrals
        and getattr(user, "role", None) == Role.ADVISER
        and getattr(user, "is_active", False)
        and user.organisation_id != vacancy.organisation_id
    )


def vacancies_offered_to_partners(*, user, limit: int = HOME_LIMIT) -> list[Vacancy]:
    """R-13: for the home page of an adviser, the open vacancies of other organisations that their owners offered
    to the chain partners because their own target groups cannot fill them, newest offer first, with employer,
    owner and organisation: one query (none for staff without a caseload, who do not take vacancies). The partial
    index `vacancy_partner_offer` answers it."""
    if getattr(user, "role", None) != Role.ADVISER:
        return []
    return list(
        Vacancy.objects.offered_to_partners()
        .exclude(organisation_id=user.organisation_id)
        .select_related("employer", "owner", "organisation")
        .order_by("-partner_offer_at", "-id")[:limit]
    )


def vacancies_for_home(*, user: User, now: datetime | None = None) -> dict[str, list[Vacancy]]:
    """The adviser's vacancy worklist on the home page, in four queries:

    - `late_or_due`: the adviser's registrations of the last 30 days that came in more than 24 hours after
      receipt (R-12), so the adviser sees what was late, also when a correction of the receipt made one on time
      afterwards (R-57: `late_as_registered`; the page marks it "receipt corrected");
    - `expiring`: the adviser's open vacancies that expire within VACANCY_EXPIRY_WARNING_DAYS (extend or close);
    - `expired`: the adviser's expired vacancies (reactivate first before booking, R-20);
    - `waiting`: vacancies noted on receipt that the adviser still has to register, oldest first (R-12).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    mine = Vacancy.objects.filter(owner=user).select_related("employer")
    horizon = today + timedelta(days=settings.WSP["VACANCY_EXPIRY_WARNING_DAYS"])
    return {
        "late_or_due": list(
            mine.filter(
                Q(registered_late=True) | Q(late_as_registered=True),
                registered_at__gte=now - timedelta(days=LATE_WINDOW_DAYS),
            ).order_by("-registered_at", "-id")[:HOME_LIMIT]
        ),
        "expiring": list(
            mine.filter(status=VacancyStatus.OPEN, expires_on__lte=horizon).order_by("expires_on", "id")[:HOME_LIMIT]
        ),
        "expired": list(mine.filter(status=VacancyStatus.EXPIRED).order_by("-expires_on", "-id")[:HOME_LIMIT]),
        "waiting": list(
            VacancyIntake.objects.waiting()
            .filter(assigned_to=user)
            .select_related("employer", "received_by")
            .order_by("received_at", "id")[:HOME_LIMIT]
        ),
    }


def late_registration_counts(*, year: int) -> list[dict]:
    """R-12: per organisation, how many vacancies it registered in the year and how many of them late (more than
    24 hours after receipt), with the share. One grouped query; organisations without vacancies are left out.

    R-57: a correction of the moment of receipt shows where the figure is. `receipt_corrected` counts the
    vacancies whose receipt was corrected after registration; `late_as_registered` (and its share) counts them as
    they were registered, so the difference between `late` and `late_as_registered` is what corrections changed;
    `corrected_to_on_time` counts the ones a correction took out of the late figure.
    """
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))
    corrected = ~Q(received_at=F("received_at_registered"))
    rows = list(
        Vacancy.objects.filter(registered_at__gte=start, registered_at__lt=end)
        .values("organisation", organisation_name=F("organisation__name"))
        .annotate(
            registered=Count("id"),
            late=Count("id", filter=Q(registered_late=True)),
            receipt_corrected=Count("id", filter=corrected),
            # Named apart from the column it counts (an annotation of that name would shadow it in the filters).
            late_as_registered_count=Count("id", filter=Q(late_as_registered=True)),
            corrected_to_on_time=Count("id", filter=Q(late_as_registered=True, registered_late=False)),
        )
        .order_by("organisation_name", "organisation")
    )
    for row in rows:
        row["late_as_registered"] = row.pop("late_as_registered_count")
        row["late_share"] = round(row["late"] / row["registered"], 3) if row["registered"] else 0.0
        row["late_share_as_registered"] = (
            round(row["late_as_registered"] / row["registered"], 3) if row["registered"] else 0.0
        )
    return rows


def skill_search(queryset: QuerySet[Skill], query: str) -> QuerySet[Skill]:
    """Skills whose Dutch or English name or code contains the words (trigram GIN index on the name)."""
    query = (query or "").strip()
    if not query:
        return queryset
    return queryset.filter(Q(name__icontains=query) | Q(name_en__icontains=query) | Q(code__icontains=query))


def recruitment_plan_with_children(*, plan_id: int) -> RecruitmentPlan:
    """A co-production plan with its partners and the partners' vacancies (R-19), in three queries."""
    return (
        RecruitmentPlan.objects.select_related("vacancy")
        .prefetch_related(
            "partners", Prefetch("vacancy__children", queryset=Vacancy.objects.only("id", "parent_id").order_by("id"))
        )
        .get(pk=plan_id)
    )


# --- Published vacancies (R-16) -----------------------------------------------------------------------------------


def public_vacancies(*, today: date | None = None) -> QuerySet[Vacancy]:
    """R-16: the published vacancies (open or anonymous, open, not expired, of a trading employer), newest first,
    with the employer (its name and contact person, shown for open vacancies only) and the owner with its
    organisation (the contact for anonymous ones) joined: one query per page, answered by the partial index
    `vacancy_public`. Nothing about candidates is reachable from here."""
    return (
        Vacancy.objects.published(today=today)
        .select_related("employer", "owner__organisation")
        .order_by("-registered_at", "-id")
    )


def public_vacancy_search(queryset: QuerySet[Vacancy], *, title: str = "", place: str = "") -> QuerySet[Vacancy]:
    """The public search: words in the job title (trigram GIN index `vacancy_title_trgm`) and the start of the
    municipality's name. Never on the employer's name, which would tell who is behind an anonymous vacancy."""
    title, place = (title or "").strip(), (place or "").strip()
    if title:
        queryset = queryset.filter(RawSQL(TITLE_SQL, (_like(title),), output_field=BooleanField()))
    if place:
        queryset = queryset.filter(municipality__istartswith=place)
    return queryset


def public_vacancy(*, vacancy_id: int) -> Vacancy | None:
    """One published vacancy for its public page, in one query; None (a 404) for anything not published: internal,
    blocked, closed, filled or expired vacancies look exactly like ids that do not exist."""
    return public_vacancies().filter(pk=vacancy_id).first()


# --- Admission before registration (R-04) -------------------------------------------------------------------------


@dataclass
class AdmissionNeeded:
    """R-04: why the user may not register a vacancy at this employer, and what they can do instead."""

    employer: Employer
    main_account_holder: User
    request_pending: bool


def admission_needed(*, employer: Employer, user) -> AdmissionNeeded | None:
    """None when the user may register vacancies at the employer (its main account holder, an admitted account
    holder or a manager, R-04); otherwise whom to ask and whether the user's admission request is already waiting.
    At most two queries."""
    if may_act_for_employer(employer=employer, user=user):
        return None
    pending = AccessRequest.objects.filter(
        employer_id=employer.pk, requester_id=user.pk, status=AccessRequestStatus.PENDING
    ).exists()
    return AdmissionNeeded(employer=employer, main_account_holder=employer.main_account_holder, request_pending=pending)


def employers_to_pick(*, query: str, user, limit: int) -> list[Employer]:
    """The registration form's employer search: active employers matching the query, with their main account
    holder and `may_act` (R-04: whether the user may register a vacancy there), in one query."""
    if len(query) < 2:
        return []
    # the managers that may_act_for_employer admits (role manager; administrators do not act).
    if acts_as_manager(user):
        may_act = Value(True)
    else:
        may_act = Q(main_account_holder_id=user.pk) | Exists(
            AccountHolder.objects.filter(employer_id=OuterRef("pk"), user_id=user.pk)
        )
    return list(
        Employer.objects.active()
        .search(query)
        .select_related("main_account_holder")
        .annotate(may_act=ExpressionWrapper(may_act, output_field=BooleanField()))[:limit]
    )
