import operator
from decimal import Decimal
from functools import reduce

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganisationKind
from accounts.models import Organisation, Sector
from employers.choices import EmployerType, Instrument
from employers.models import Employer, postcode_validator
from vacancies.models import Vacancy
from wsp.crypto import EncryptedTextField
from wsp.db.arms import Arms

from . import moments, summaries
from .choices import CandidateStatus, PlacementStatus, PlacementType, ReferralStatus, RejectionReason, TargetGroup

JOB_AGREEMENT_HOURS = Decimal("25.5")  # one job-agreement job is 25.5 hours a week

# the fields only the owning organisation (and the owner of a vacancy the candidate is referred to) sees.
PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "birth_date", "health_notes", "bsn")


class CandidateQuerySet(models.QuerySet):
    def available(self):
        return self.filter(status=CandidateStatus.AVAILABLE)

    def of_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def for_list(self):
        return self.select_related("organisation", "adviser")

    def visibility(self, user) -> list[Q]:
        """R-40, decided here alone: the conditions under which a user sees a candidate at all, each one an "arm"
        of its own: the own organisation's caseload, and the candidates referred to a vacancy the user owns. An
        organisation token (no pk) sees its own organisation's caseload; no organisation, nothing."""
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is None:
            return []
        arms = [Q(organisation_id=organisation_id)]
        if getattr(user, "pk", None) is not None:
            arms.append(Q(pk__in=Referral.objects.to_vacancies_of(user).values("candidate_id")))
        return arms

    def visible_to(self, user):
        """R-40: the candidates a user sees (`visibility`), as one queryset: for one candidate, a check or a count.
        The referral part is an uncorrelated `IN (subquery)`, which PostgreSQL runs once as a hashed subplan."""
        arms = self.visibility(user)
        return self.filter(reduce(operator.or_, arms)) if arms else self.none()

    def visible_list(self, user):
        """R-40: the same candidates for a list read page by page (`wsp.db.arms.Arms`): each condition an arm that
        reads only the page's rows from its own index, and their union. With one `OR`, every page gathered every
        candidate ever referred to the user (44,000 out of a million referrals at the benchmark size)."""
        arms = self.visibility(user)
        return Arms([self.filter(arm) for arm in arms]) if arms else self.none()

    def work_ready(self, today):
        """R-41: handed over for placement on or before `today`."""
        return self.filter(work_ready_since__lte=today)

    def stale(self, reviewed_before):
        """Profiles last reviewed before the moment (never reviewed: last changed before it)."""
        return self.filter(
            Q(profile_reviewed_at__lt=reviewed_before)
            | Q(profile_reviewed_at__isnull=True, updated_at__lt=reviewed_before)
        )

    def fresh(self, reviewed_before):
        return self.exclude(pk__in=self.stale(reviewed_before).values("pk"))


def _sql_list(values) -> str:
    return ", ".join(f"'{value}'" for value in sorted(values))


# R-23 on every path into the data (the service says it in words first, `matching.services.candidates`): a candidate's
# target group belongs to the kind of their organisation. UWV's caseload holds the UWV groups; the municipalities
# and reintegration bodies the others; "other / unknown" either (`TargetGroup.may_book`).
TARGET_GROUP_OF_ORGANISATION = pgtrigger.Trigger(
    name="target_group_of_organisation",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.UpdateOf("target_group", "organisation_id"),
    declare=[("kind", "text")],
    func=f"""
        SELECT o.kind INTO kind FROM accounts_organisation o WHERE o.id = NEW.organisation_id;
        IF NEW.target_group <> '{TargetGroup.OTHER}'
           AND (NEW.target_group IN ({_sql_list(TargetGroup.uwv_groups())})) <> (kind = '{OrganisationKind.UWV}') THEN
            RAISE EXCEPTION 'R-23: target group % does not belong to the caseload of a % organisation',
                NEW.target_group, kind
                USING ERRCODE = 'check_violation', CONSTRAINT = 'matching_candidate_target_group_of_organisation';
        END IF;
        RETURN NEW;
    """,
)


class Candidate(models.Model):
    """A job seeker in the caseload of a partner organisation (R-40, R-41).

    Everyone in the region may match a candidate (R-17, R-18), so the matching fields (target group, hours,
    postcode, skills, work-ready date) are visible to all staff. The personal fields (`PERSONAL_FIELDS`) are
    not: only the owning organisation's staff and the owner of a vacancy the candidate is referred to see them.
    The BSN is optional (R-58), validated by the eleven-test, stored encrypted with a keyed hash for lookup and
    uniqueness, shown masked and never returned by the API.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("organisation")
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("adviser")
    )
    # Personal data.
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    health_notes = EncryptedTextField(_("health notes"), blank=True)
    bsn = EncryptedTextField(_("BSN"), blank=True)
    bsn_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True, editable=False)
    # What matching uses (visible to all staff).
    target_group = models.CharField(_("target group"), max_length=10, choices=TargetGroup.choices)
    job_agreement = models.BooleanField(_("in the job agreement register"), default=False)
    work_ready_since = models.DateField(_("work-ready since"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    postcode = models.CharField(_("postcode"), max_length=7, validators=[postcode_validator])
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    # where the candidate lives, as coordinates of their place (wsp.geo, offline), for distances in km.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    skills = ArrayField(models.IntegerField(), default=list, blank=True, verbose_name=_("skills"))
    max_travel_km = models.PositiveSmallIntegerField(_("maximum travel distance (km)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.AVAILABLE
    )
    profile_reviewed_at = models.DateTimeField(_("profile last reviewed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        indexes = [
            GinIndex(OpClass(F("skills"), name="gin__int_ops"), name="candidate_skills"),
            models.Index(name="candidate_org_status", fields=["organisation", "status", "-updated_at"]),
            models.Index(name="candidate_adviser", fields=["adviser", "status"]),
            models.Index(name="candidate_updated", fields=["updated_at", "id"]),
            models.Index(name="candidate_reviewed", fields=["organisation", "profile_reviewed_at"]),
            # the Monday overview asks for the candidates that became work-ready in a week.
            models.Index(name="candidate_work_ready", fields=["work_ready_since"]),
        ]
        triggers = [TARGET_GROUP_OF_ORGANISATION]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1, hours_per_week__lte=60), name="%(app_label)s_%(class)s_hours"
            ),
            # a BSN is registered once per organisation's caseload. Not region-wide: a region-wide unique
            # key would tell any adviser whether a BSN is in another partner's caseload.
            models.UniqueConstraint(
                fields=["organisation", "bsn_hash"],
                condition=Q(bsn_hash__isnull=False),
                name="%(app_label)s_%(class)s_bsn_once_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ReferralQuerySet(models.QuerySet):
    def to_vacancies_of(self, user):
        """R-40: the referrals to a vacancy the user owns, which give the user a candidate's contact details: the
        one definition of that arm of the visibility (the list, one candidate, the pipeline)."""
        return self.filter(vacancy__owner_id=user.pk)

    def active(self):
        return self.filter(status__in=ReferralStatus.active())

    def for_list(self):
        return self.select_related(
            "vacancy__employer", "vacancy__owner", "candidate__organisation", "referred_by", "organisation"
        )


class Referral(models.Model):
    """An entry of a vacancy's referral register: a candidate proposed to the employer (R-21).

    Written at the moment of proposal, by the vacancy owner only (R-17). Every status change is kept in
    `ReferralStatusChange` with its time, so the funnel can be analysed per stage (R-43). "PAWA" is for UWV
    staff only (R-21).
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("vacancy"))
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("candidate")
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("proposed by")
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(_("proposed at"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    status_changed_at = models.DateTimeField(_("status changed at"))
    rejection_reason = models.CharField(_("reason"), max_length=20, choices=RejectionReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    pawa = models.BooleanField(_("PAWA"), default=False)
    # R-23..R-25: who books the placement, decided by the system at the moment of the hire (matching.services.
    # referrals.booking_plan): the candidate's own organisation.
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_to_book",
        verbose_name=_("books the placement"),
    )
    # the funnel's moments, kept by the database (matching.moments); never written by the application.
    request = models.ForeignKey(
        Vacancy, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, null=True, editable=False,
        related_name="+",
    )  # fmt: skip
    request_registered_at = models.DateTimeField(null=True, editable=False)
    invited_at = models.DateTimeField(_("invited at"), null=True, editable=False)
    hired_at = models.DateTimeField(_("hired at"), null=True, editable=False)
    carried_over = models.BooleanField(default=False, db_default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(name="referral_vacancy_status", fields=["vacancy", "status"]),
            models.Index(name="referral_candidate", fields=["candidate", "-referred_at"]),
            models.Index(name="referral_by_status", fields=["referred_by", "status", "-status_changed_at"]),
            models.Index(name="referral_updated", fields=["updated_at", "id"]),
            models.Index(name="referral_referred", fields=["-referred_at", "-id"]),
            # Home page: the hired referrals a user books (R-23..R-25).
            models.Index(
                name="referral_to_book",
                fields=["booker", "status_changed_at"],
                condition=Q(status=ReferralStatus.HIRED),
            ),
            # the funnel of a period reads its referrals from this index alone.
            models.Index(
                name="referral_funnel",
                fields=["request_registered_at"],
                include=["id", "request", "referred_at", "invited_at", "hired_at"],
                condition=Q(request__isnull=False, carried_over=False),
            ),
        ]
        triggers = [
            moments.REFERRAL_MOMENTS,
            moments.REFERRAL_CARRIES_OVER,
            summaries.REFERRAL_FUNNEL_CELLS,
            summaries.REFERRAL_MONTHS,
        ]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="%(app_label)s_%(class)s_once_per_vacancy"),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.REJECTED) | Q(rejection_reason=""),
                name="%(app_label)s_%(class)s_reason_only_when_rejected",
            ),
            models.CheckConstraint(
                condition=Q(status_changed_at__gte=F("referred_at")), name="%(app_label)s_%(class)s_change_after"
            ),
            # R-23..R-25: a booker is decided at the hire, and only then.
            models.CheckConstraint(
                condition=Q(booker__isnull=True) | Q(status=ReferralStatus.HIRED),
                name="%(app_label)s_%(class)s_booker_only_when_hired",
            ),
        ]

    def __str__(self):
        return f"{self.candidate_id} -> {self.vacancy_id} ({self.status})"


class ReferralStatusChange(models.Model):
    """One step of a referral through the funnel, timestamped (R-21, R-43)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(name="referral_change", fields=["referral", "changed_at"])]
        triggers = [moments.STATUS_CHANGE_MOMENTS]

    def __str__(self):
        return f"{self.referral_id}: {self.from_status} -> {self.to_status}"


# a placement starts on or after the day the vacancy was received and the day the candidate was proposed
# on it (local dates). On a partner's duplicate both are the original's: the duplicate is received when the
# owner closes, and its referral is the hire carried over, while the candidate was proposed and hired on the original.
START_AFTER_RECEIPT_AND_PROPOSAL = pgtrigger.Trigger(
    name="start_after_receipt_and_proposal",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.UpdateOf("start_date", "vacancy_id", "referral_id"),
    declare=[("receipt", "date"), ("proposal", "date"), ("original_id", "bigint")],
    func=f"""
        SELECT (COALESCE(o.received_at, v.received_at) AT TIME ZONE '{settings.TIME_ZONE}')::date, v.duplicated_from_id
          INTO receipt, original_id
          FROM vacancies_vacancy v LEFT JOIN vacancies_vacancy o ON o.id = v.duplicated_from_id
         WHERE v.id = NEW.vacancy_id;
        SELECT (min(r.referred_at) AT TIME ZONE '{settings.TIME_ZONE}')::date INTO proposal
          FROM matching_referral r
         WHERE r.id = NEW.referral_id
            OR (original_id IS NOT NULL AND r.vacancy_id = original_id AND r.candidate_id = NEW.candidate_id);
        IF NEW.start_date < receipt THEN
            RAISE EXCEPTION 'R-22: a placement cannot start (%) before the vacancy was received (%)',
                NEW.start_date, receipt
                USING ERRCODE = 'check_violation', CONSTRAINT = 'matching_placement_start_after_receipt';
        END IF;
        IF NEW.start_date < proposal THEN
            RAISE EXCEPTION 'R-22: a placement cannot start (%) before the candidate was proposed (%)',
                NEW.start_date, proposal
                USING ERRCODE = 'check_violation', CONSTRAINT = 'matching_placement_start_after_proposal';
        END IF;
        RETURN NEW;
    """,
)


class PlacementQuerySet(models.QuerySet):
    def booked(self):
        return self.filter(status=PlacementStatus.BOOKED)

    def for_list(self):
        return self.select_related("vacancy", "employer", "candidate__organisation", "booked_by", "organisation")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    # The funnel's moments are the database's bookkeeping (matching.moments), not a change anyone made.
    exclude=["updated_at", "request", "request_registered_at", "hired_at"],
    model_name="PlacementEvent",
)
class Placement(models.Model):
    """A candidate hired on a vacancy, booked by the partner whose target group it is (R-22..R-25, R-30..R-32).

    Booked only with reciprocity (R-22: the vacancy's recruitment request and the referral it was hired from).
    The target group, employer type and sector are copied at booking so a reported figure stays reproducible
    from its records (R-57) even when the candidate or employer changes later. Job-agreement jobs are computed
    by the database (R-31: hours / 25.5). A booked placement is corrected or cancelled with a reason; every
    change is in `PlacementEvent`; it is never deleted.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="placements")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="placements")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="placements")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="placements")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="placements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="placements")
    target_group = models.CharField(_("target group"), max_length=10, choices=TargetGroup.choices)
    employer_type = models.CharField(_("employer type"), max_length=12, choices=EmployerType.choices)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    placement_type = models.CharField(_("placement type"), max_length=15, choices=PlacementType.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    job_agreement = models.BooleanField(_("job agreement"), default=False)
    # one job-agreement job is 25.5 hours a week.
    job_agreement_jobs = models.GeneratedField(
        expression=Case(
            When(job_agreement=True, then=Round(F("hours_per_week") / Value(JOB_AGREEMENT_HOURS), 3)),
            default=Value(Decimal("0")),
        ),
        output_field=models.DecimalField(max_digits=7, decimal_places=3),
        db_persist=True,
    )
    # the day after which the placement counts as durable, fixed at booking by the booking partner's kind.
    durable_after = models.DateField(_("durable after"))
    is_durable = models.BooleanField(_("durable"), null=True, blank=True)
    durability_checked_on = models.DateField(_("durability checked on"), null=True, blank=True)
    # the instruments and subsidies advised and applied with this placement (one list: employers.choices).
    instruments_advised = ArrayField(
        models.CharField(max_length=30, choices=Instrument.choices),
        default=list,
        blank=True,
        verbose_name=_("instruments advised"),
    )
    instruments_applied = ArrayField(
        models.CharField(max_length=30, choices=Instrument.choices),
        default=list,
        blank=True,
        verbose_name=_("instruments applied"),
    )
    # R-30, ZKIJ plan 3.1 ("stelt voorwaarden bij een korte werkduur"): what was agreed for a short placement (under
    # DURABLE_MIN_HOURS a week, or a fixed end within the durable period); required for those by the services.
    conditions = models.TextField(_("conditions agreed for a short placement"), blank=True)
    # aftercare runs until the employer says it is no longer needed.
    next_aftercare_on = models.DateField(_("next aftercare contact"), null=True, blank=True)
    aftercare_ended_at = models.DateTimeField(_("aftercare ended"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.BOOKED
    )
    correction_reason = models.TextField(_("reason for the last correction"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(_("booked at"))
    # the funnel's moments, kept by the database (matching.moments); never written by the application.
    request = models.ForeignKey(
        Vacancy, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, null=True, editable=False,
        related_name="+",
    )  # fmt: skip
    request_registered_at = models.DateTimeField(null=True, editable=False)
    hired_at = models.DateTimeField(_("hired at"), null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-booked_at", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(name="placement_start", fields=["start_date", "id"]),
            models.Index(name="placement_booked", fields=["-booked_at", "-id"]),
            models.Index(name="placement_vacancy", fields=["vacancy", "status"]),
            models.Index(name="placement_employer", fields=["employer", "start_date"]),
            models.Index(name="placement_updated", fields=["updated_at", "id"]),
            models.Index(name="placement_booked_by", fields=["booked_by", "durable_after"]),
            models.Index(
                name="placement_durability_due",
                fields=["durable_after"],
                condition=Q(status=PlacementStatus.BOOKED, is_durable__isnull=True),
            ),
            # the figures of a period's booked placements (per organisation, target group, sector,
            # adviser, employer, employer type; durable, job-agreement jobs) are read from this index alone.
            models.Index(
                name="placement_booked_start",
                fields=["start_date"],
                include=[
                    "id", "organisation", "target_group", "sector", "is_durable", "job_agreement_jobs", "booked_by",
                    "employer_type", "employer",
                ],
                condition=Q(status=PlacementStatus.BOOKED),
            ),  # fmt: skip
            # the figures per employer stream from this index in employer order (grouped without hashing
            # a year's placements), `reporting.measures.placements._per_employer`.
            models.Index(
                name="placement_booked_employer",
                fields=["employer"],
                include=["id", "start_date", "organisation", "is_durable", "job_agreement_jobs", "employer_type"],
                condition=Q(status=PlacementStatus.BOOKED),
            ),
            # the funnel of a period reads its placements from this index alone.
            models.Index(
                name="placement_funnel",
                fields=["request_registered_at"],
                include=["id", "request", "booked_at", "hired_at", "is_durable", "durable_after"],
                condition=Q(request__isnull=False, status=PlacementStatus.BOOKED),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0, hours_per_week__lte=60), name="%(app_label)s_%(class)s_hours"
            ),
            models.CheckConstraint(
                condition=Q(status=PlacementStatus.BOOKED, cancelled_at__isnull=True)
                | Q(status=PlacementStatus.CANCELLED, cancelled_at__isnull=False) & ~Q(cancel_reason=""),
                name="%(app_label)s_%(class)s_cancel_reason",
            ),
            # A referral is booked once; a cancelled booking may be booked again.
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status=PlacementStatus.BOOKED),
                name="%(app_label)s_%(class)s_once_per_referral",
            ),
        ]
        # defence in depth behind matching.services.placements (which refuses first, with a message):
        # a placement never starts before the vacancy was received or the candidate was proposed on it.
        triggers = [
            START_AFTER_RECEIPT_AND_PROPOSAL,
            moments.PLACEMENT_MOMENTS,
            summaries.PLACEMENT_MONTHS,
            summaries.PLACEMENT_FUNNEL_CELLS,
        ]

    def __str__(self):
        return f"{self.candidate_id} @ {self.vacancy_id} {self.start_date}"


class FiguresGeneration(models.Model):
    """A number the database raises in the commit of every change that could alter a counted figure
    (`matching.generation`): an expensive figure is cached under it, exactly. Written only by triggers."""

    name = models.CharField(primary_key=True, max_length=40)
    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.value}"


class PlacementMonth(models.Model):
    """R-50, R-55, R-57: the booked placements starting in a month, per booking organisation, sector, target group and
    employer type copied at booking, durability and job agreement: their number and their job-agreement jobs (R-31).
    Kept exact by the database in the transaction of every write to a placement (`matching.summaries`); never
    written by the application. The placement figures of whole months are read from here."""

    month = models.DateField()  # the first day of the month of the placements' start date
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    target_group = models.CharField(max_length=10, choices=TargetGroup.choices)
    employer_type = models.CharField(max_length=12, choices=EmployerType.choices)
    job_agreement = models.BooleanField()
    sector = models.ForeignKey(
        Sector, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, null=True, related_name="+"
    )
    is_durable = models.BooleanField(null=True)
    placements = models.PositiveIntegerField()
    job_agreement_jobs = models.DecimalField(max_digits=12, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month", "organisation", "target_group", "employer_type", "job_agreement", "sector", "is_durable",
                ],
                name="placement_month_key",
                nulls_distinct=False,
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.organisation_id} {self.target_group}: {self.placements}"


class FunnelStage(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    INVITED = "invited", _("invited")
    HIRED = "hired", _("hired")
    BOOKED = "booked", _("booked")
    DURABLE = "durable", _("durable")


class FunnelCell(models.Model):
    """R-43, R-57: how many referrals and placements on the employers' requests registered in a month, of an
    organisation and an employer's sector, reached a stage of the funnel after a number of (calendar) days. Kept
    exact by the database in the transaction of every write (`matching.summaries`); never written by the
    application. The funnel of whole months is read from here."""

    month = models.DateField()  # the first day of the month in which the requests were registered (local)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    stage = models.CharField(max_length=10, choices=FunnelStage.choices)
    sector = models.ForeignKey(
        Sector, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, null=True, related_name="+"
    )
    days = models.IntegerField(null=True)  # from the previous stage; none for a booking without a known hire
    records = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "organisation", "stage", "sector", "days"],
                name="funnel_cell_key",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.organisation_id} {self.stage} {self.days}: {self.records}"


class ReferralMonth(models.Model):
    """R-21, R-55, R-57: the candidates proposed in a month (local), per vacancy's organisation, employer's sector,
    candidate's organisation and target group: how many, and how many of them are hired now. Kept exact by the
    database in the transaction of every write (`matching.summaries`); never written by the application."""

    month = models.DateField()  # the first day of the month of the proposals
    vacancy_organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    candidate_organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    target_group = models.CharField(max_length=10, choices=TargetGroup.choices)
    sector = models.ForeignKey(
        Sector, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, null=True, related_name="+"
    )
    records = models.PositiveIntegerField()
    hired = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "vacancy_organisation", "candidate_organisation", "target_group", "sector"],
                name="referral_month_key",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.vacancy_organisation_id} {self.target_group}: {self.records}"


class AftercareContact(models.Model):
    """R-32: a follow-up with the employer and the candidate after a placement. One that finds the candidate no longer
    employed says since when (`employment_ended_on`, their last day): the placement ends on that date (R-30 is judged
    on the real duration)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="aftercare_contacts")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("date and time"))
    still_employed = models.BooleanField(_("candidate still employed"), default=True)
    summary = models.TextField(_("summary"))
    employment_ended_on = models.DateField(_("last day of employment"), null=True, blank=True)
    ends_aftercare = models.BooleanField(_("the employer needs no further aftercare"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("aftercare contact")
        verbose_name_plural = _("aftercare contacts")
        constraints = [
            # "no longer employed" says since when; "still employed" has no end.
            models.CheckConstraint(
                condition=Q(still_employed=True, employment_ended_on__isnull=True)
                | Q(still_employed=False, employment_ended_on__isnull=False),
                name="%(app_label)s_%(class)s_ended_when_no_longer_employed",
            ),
        ]

    def __str__(self):
        return f"{self.placement_id} {self.occurred_at:%Y-%m-%d}"
