"""Reads for vacancies (STYLE habit 3). Each selector states what it joins, so pages keep a fixed query count."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import User
from employers.models import Employer
from employers.normalize import name_key

from .choices import VacancyStatus
from .models import RecruitmentPlan, Skill, Vacancy, VacancyHandover, VacancyIntake

HOME_LIMIT = 15
LATE_WINDOW_DAYS = 30

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
    R-14), registered_late (R-12: when set, only the late ones), skill (a vocabulary id, R-42), mine (the user's).
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
    return qs.order_by("-registered_at", "-id")


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


def vacancy_page(*, vacancy_id: int, user) -> VacancyPage | None:
    """Everything about one vacancy for its page: the vacancy with employer, owner and organisation, its skills by
    name, booked placements (R-20), handovers (R-13), the co-production plan and partners' vacancies (R-19) and
    the partners' duplicates (R-25). A fixed number of queries (8) whatever the history size.
    """
    vacancy = (
        Vacancy.objects.visible_to(user)
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
        booked_placements=vacancy.placements.filter(status="booked").count(),
        handovers=list(
            VacancyHandover.objects.filter(vacancy=vacancy).select_related(
                "from_user", "to_user", "from_organisation", "to_organisation", "handed_over_by"
            )
        ),
        recruitment_plan=plan,
        children=list(vacancy.children.select_related("owner", "organisation").order_by("id")),
        duplicates=list(vacancy.duplicates.select_related("owner", "organisation").order_by("id")),
        is_owner=vacancy.owner_id == getattr(user, "pk", None),
    )


def vacancies_for_home(*, user: User, now: datetime | None = None) -> dict[str, list[Vacancy]]:
    """The adviser's vacancy worklist on the home page, in four queries:

    - `late_or_due`: the adviser's registrations of the last 30 days that came in more than 24 hours after
      receipt (R-12), so the adviser sees what was late;
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
            mine.filter(registered_late=True, registered_at__gte=now - timedelta(days=LATE_WINDOW_DAYS)).order_by(
                "-registered_at", "-id"
            )[:HOME_LIMIT]
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
    """
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))
    rows = list(
        Vacancy.objects.filter(registered_at__gte=start, registered_at__lt=end)
        .values("organisation", organisation_name=F("organisation__name"))
        .annotate(registered=Count("id"), late=Count("id", filter=Q(registered_late=True)))
        .order_by("organisation_name", "organisation")
    )
    for row in rows:
        row["late_share"] = round(row["late"] / row["registered"], 3) if row["registered"] else 0.0
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
