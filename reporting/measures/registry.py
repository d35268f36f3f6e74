"""Every figure of the manager's dashboard as a measure (R-57): one function per figure returning the queryset of the
records it counts. The number on the dashboard, its drill-down list and its CSV/XLSX export all come from that one
queryset (`Measure.records`), so they cannot disagree.

The columns of a drill-down hold no personal data of candidates (R-40): a placement or a referral shows the
candidate's number, organisation and target group, never a name. Employers, vacancies and contact requests are the
region's shared data (R-02).
"""

from collections.abc import Callable
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import DecimalField, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from employers.choices import AccessRequestStatus, EmployerStatus
from employers.models import AccessRequest, ContactRequest, Employer
from matching.choices import TargetGroup
from matching.models import Referral
from reporting.targets import measures as target_measures
from vacancies.models import REGISTRATION_HOURS, Vacancy, VacancyIntake

from .base import Column, Measure
from .duplicates import near_duplicate_employers
from .evaluation import EVALUATION_MEASURES
from .funnel import FUNNEL_STAGES, funnel_querysets
from .placements import booked_placements, placement_figures
from .scope import Scope

# an employer without contact for this long may be taken over.
NO_CONTACT_MONTHS = 12


def _local(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""


def _day(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _name(user) -> str:
    return user.get_full_name() or user.username if user else ""


def _target_group(value) -> str:
    return str(TargetGroup(value).label) if value in TargetGroup.values else str(value or "")


def _yes_no(value) -> str:
    return "" if value is None else str(_("yes") if value else _("no"))


# --- Placements (R-50, R-30, R-31) ----------------------------------------------------------------------------

_PLACEMENT_COLUMNS = (
    Column(_("Placement"), lambda p: p.pk, lambda p: reverse("placement-detail", args=[p.pk])),
    Column(_("Start"), lambda p: _day(p.start_date)),
    Column(_("Employer"), lambda p: p.employer.name, lambda p: reverse("employer-detail", args=[p.employer_id])),
    Column(_("Candidate"), lambda p: f"#{p.candidate_id}"),  # the number, never the name
    Column(_("Target group"), lambda p: _target_group(p.target_group)),
    Column(_("Booked by"), lambda p: p.organisation.name),
    Column(_("Sector"), lambda p: p.sector.name if p.sector else ""),
    Column(_("Hours per week"), lambda p: p.hours_per_week),
    Column(_("Durable"), lambda p: _yes_no(p.is_durable)),
)
_PLACEMENT_RELATED = ("employer", "organisation", "sector")


def _placements(scope: Scope) -> QuerySet:
    return booked_placements(first=scope.first, last=scope.last, organisation=scope.organisation, sector=scope.sector)


def _placement_figures(scope: Scope) -> dict:
    """The placement measures' values from the months the database keeps (`placement_figures`): one query for all."""
    figures = placement_figures(
        first=scope.first, last=scope.last, organisation=scope.organisation, sector=scope.sector
    )
    return figures[()]


def jobs(filter=None):
    """R-31: the job-agreement jobs of placements (hours a week / 25.5, computed by the database), summed."""
    return Coalesce(
        Sum("job_agreement_jobs", filter=filter), 0, output_field=DecimalField(max_digits=12, decimal_places=3)
    )


# --- The funnel (R-43) -------------------------------------------------------------------------------------------


def _funnel(stage: str) -> Callable[[Scope], QuerySet]:
    def records(scope: Scope) -> QuerySet:
        return funnel_querysets(
            date_from=scope.first, date_to=scope.last, organisation=scope.organisation, sector=scope.sector
        )[stage]

    return records


_VACANCY_COLUMNS = (
    Column(_("Vacancy"), lambda v: v.title, lambda v: reverse("vacancy-detail", args=[v.pk])),
    Column(_("Employer"), lambda v: v.employer.name, lambda v: reverse("employer-detail", args=[v.employer_id])),
    Column(_("Organisation"), lambda v: v.organisation.name),
    Column(_("Received"), lambda v: _local(v.received_at)),
    Column(_("Registered"), lambda v: _local(v.registered_at)),
    Column(_("Late (R-12)"), lambda v: _yes_no(v.registered_late or v.late_as_registered)),
)
_VACANCY_RELATED = ("employer", "organisation")

_REFERRAL_COLUMNS = (
    Column(_("Referral"), lambda r: r.pk),
    Column(_("Vacancy"), lambda r: r.vacancy.title, lambda r: reverse("vacancy-detail", args=[r.vacancy_id])),
    Column(_("Candidate"), lambda r: f"#{r.candidate_id}"),
    Column(_("Candidate's organisation"), lambda r: r.candidate.organisation.name),
    Column(_("Target group"), lambda r: _target_group(r.candidate.target_group)),
    Column(_("Proposed"), lambda r: _local(r.referred_at)),
    Column(_("Status"), lambda r: r.get_status_display()),
)
_REFERRAL_RELATED = ("vacancy", "candidate__organisation")

# --- 24-hour compliance (R-10, R-12) -------------------------------------------------------------------------------


def _contact_requests(scope: Scope) -> QuerySet:
    qs = ContactRequest.objects.filter(received_at__gte=scope.start, received_at__lt=scope.end)
    return scope.narrow(qs, organisation="assigned_to__organisation", sector="employer__sector")


def _contact_requests_late(scope: Scope) -> QuerySet:
    """R-10: answered more than 24 hours after receipt, or not answered and past the 24 hours."""
    hours = timedelta(hours=ContactRequest.RESPONSE_HOURS)
    waited = ExpressionWrapper(F("responded_at") - F("received_at"), output_field=DurationField())
    return (
        _contact_requests(scope)
        .annotate(waited=waited)
        .filter(
            Q(responded_at__isnull=False, waited__gt=hours)
            | Q(responded_at__isnull=True, received_at__lt=timezone.now() - hours)
        )
    )


_CONTACT_REQUEST_COLUMNS = (
    Column(_("Employer"), lambda c: c.employer.name, lambda c: reverse("employer-detail", args=[c.employer_id])),
    Column(_("Received"), lambda c: _local(c.received_at)),
    Column(_("Answered"), lambda c: _local(c.responded_at)),
    Column(_("For"), lambda c: _name(c.assigned_to)),
    Column(_("Within 24 hours"), lambda c: _yes_no(c.responded_within_24h)),
)
_CONTACT_REQUEST_RELATED = ("employer", "assigned_to")


def _vacancies_received(scope: Scope) -> QuerySet:
    """R-12: the employers' requests received in the period (no co-production partner's vacancy, no duplicate)."""
    qs = Vacancy.objects.filter(
        received_at__gte=scope.start, received_at__lt=scope.end, parent__isnull=True, duplicated_from__isnull=True
    )
    return scope.narrow(qs, organisation="organisation", sector="employer__sector")


def _vacancies_late(scope: Scope) -> QuerySet:
    """R-12, R-57: late by the receipt as it stands or as it was registered (a later correction never hides it)."""
    return _vacancies_received(scope).filter(Q(registered_late=True) | Q(late_as_registered=True))


def _referrals_proposed(scope: Scope) -> QuerySet:
    """R-21: the candidates proposed in the period (the referral register), on the vacancies of `organisation`."""
    qs = Referral.objects.filter(referred_at__gte=scope.start, referred_at__lt=scope.end)
    return scope.narrow(qs, organisation="vacancy__organisation", sector="vacancy__employer__sector")


def _employers_new(scope: Scope) -> QuerySet:
    """R-50 (ZKIJ plan 5.3, new employer relations): the employers registered in the period, merged duplicates left
    out, by the organisation of the adviser who registered them; the same records a target counts."""
    return target_measures.new_employers(
        first=scope.first, last=scope.last, organisation=scope.organisation, sector=scope.sector
    )


# --- Ownership health: about today ---------------------------------------------------------------


def _employers_without_contact(scope: Scope) -> QuerySet:
    cutoff = timezone.now() - relativedelta(months=NO_CONTACT_MONTHS)
    qs = Employer.objects.filter(status=EmployerStatus.ACTIVE).filter(
        Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=cutoff)
    )
    return scope.narrow(qs, organisation="main_account_holder__organisation", sector="sector")


_EMPLOYER_COLUMNS = (
    Column(_("Employer"), lambda e: e.name, lambda e: reverse("employer-detail", args=[e.pk])),
    Column(_("Main account holder"), lambda e: _name(e.main_account_holder)),
    Column(_("Last contact"), lambda e: _local(e.last_contact_at)),
    Column(_("Sector"), lambda e: e.sector.name if e.sector else ""),
)


def _access_requests_pending(scope: Scope) -> QuerySet:
    qs = AccessRequest.objects.filter(status=AccessRequestStatus.PENDING)
    return scope.narrow(qs, organisation="employer__main_account_holder__organisation", sector="employer__sector")


def _intakes_waiting(scope: Scope) -> QuerySet:
    qs = VacancyIntake.objects.waiting()
    return scope.narrow(qs, organisation="assigned_to__organisation", sector="employer__sector")


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure(
            "placements",
            _("Placements"),
            "R-50",
            _placements,
            _PLACEMENT_COLUMNS,
            _PLACEMENT_RELATED,
            summary=_placement_figures,
            summary_figure="placements",
        ),
        Measure(
            "durable-placements",
            _("Durable placements"),
            "R-30",
            lambda scope: _placements(scope).filter(is_durable=True),
            _PLACEMENT_COLUMNS,
            _PLACEMENT_RELATED,
            summary=_placement_figures,
            summary_figure="durable",
        ),
        Measure(
            "job-agreement-jobs",
            _("Job-agreement jobs"),
            "R-31",
            lambda scope: _placements(scope).filter(job_agreement=True),
            _PLACEMENT_COLUMNS,
            _PLACEMENT_RELATED,
            aggregate=jobs,
            summary=_placement_figures,
            summary_figure="job_agreement_jobs",
        ),
        *(
            Measure(
                f"funnel-{stage}",
                label,
                "R-43",
                _funnel(stage),
                columns,
                related,
            )
            for stage, label, columns, related in (
                ("registered", _("Registered vacancies"), _VACANCY_COLUMNS, _VACANCY_RELATED),
                ("proposed", _("Proposed"), _REFERRAL_COLUMNS, _REFERRAL_RELATED),
                ("invited", _("Invited"), _REFERRAL_COLUMNS, _REFERRAL_RELATED),
                ("hired", _("Hired"), _REFERRAL_COLUMNS, _REFERRAL_RELATED),
                ("booked", _("Booked"), _PLACEMENT_COLUMNS, _PLACEMENT_RELATED),
                ("durable", _("Durable"), _PLACEMENT_COLUMNS, _PLACEMENT_RELATED),
            )
        ),
        Measure(
            "contact-requests",
            _("Contact requests"),
            "R-10",
            _contact_requests,
            _CONTACT_REQUEST_COLUMNS,
            _CONTACT_REQUEST_RELATED,
        ),
        Measure(
            "contact-requests-late",
            _("Contact requests not answered within 24 hours"),
            "R-10",
            _contact_requests_late,
            _CONTACT_REQUEST_COLUMNS,
            _CONTACT_REQUEST_RELATED,
        ),
        Measure(
            "vacancies-received",
            _("Vacancies received"),
            "R-12",
            _vacancies_received,
            _VACANCY_COLUMNS,
            _VACANCY_RELATED,
        ),
        Measure(
            "vacancies-late",
            _("Vacancies registered later than %(hours)d hours") % {"hours": REGISTRATION_HOURS},
            "R-12",
            _vacancies_late,
            _VACANCY_COLUMNS,
            _VACANCY_RELATED,
        ),
        Measure(
            "referrals-proposed",
            _("Candidates proposed"),
            "R-21",
            _referrals_proposed,
            _REFERRAL_COLUMNS,
            _REFERRAL_RELATED,
        ),
        Measure(
            "employers-new",
            _("New employer relations"),
            "R-50",
            _employers_new,
            _EMPLOYER_COLUMNS,
            ("main_account_holder", "sector"),
        ),
        Measure(
            "employers-without-contact",
            _("Employers without contact for 12 months"),
            "R-05",
            _employers_without_contact,
            _EMPLOYER_COLUMNS,
            ("main_account_holder", "sector"),
            periodic=False,
        ),
        Measure(
            "access-requests-pending",
            _("Admission requests waiting"),
            "R-04",
            _access_requests_pending,
            (
                Column(
                    _("Employer"), lambda a: a.employer.name, lambda a: reverse("employer-detail", args=[a.employer_id])
                ),
                Column(_("Requested by"), lambda a: _name(a.requester)),
                Column(_("Since"), lambda a: _local(a.created_at)),
            ),
            ("employer", "requester"),
            periodic=False,
        ),
        Measure(
            "intakes-waiting",
            _("Vacancies waiting for registration"),
            "R-12",
            _intakes_waiting,
            (
                Column(
                    _("Employer"), lambda i: i.employer.name, lambda i: reverse("employer-detail", args=[i.employer_id])
                ),
                Column(_("Job title"), lambda i: i.title),
                Column(_("Received"), lambda i: _local(i.received_at)),
                Column(_("For"), lambda i: _name(i.assigned_to)),
            ),
            ("employer", "assigned_to"),
            periodic=False,
        ),
        Measure(
            "employers-near-duplicates",
            _("Employers that look like duplicates"),
            "R-07",
            near_duplicate_employers,
            (
                Column(_("Employer"), lambda e: e.name, lambda e: reverse("employer-detail", args=[e.pk])),
                Column(
                    _("Likely duplicate"),
                    lambda e: e.duplicate_name,
                    lambda e: reverse("employer-detail", args=[e.duplicate_id]),
                ),
                Column(_("Postcode"), lambda e: e.postcode),
                Column(_("Main account holder"), lambda e: _name(e.main_account_holder)),
            ),
            ("main_account_holder",),
            periodic=False,
        ),
        *EVALUATION_MEASURES,
    )
}

assert {f"funnel-{stage}" for stage in FUNNEL_STAGES} <= set(MEASURES)
