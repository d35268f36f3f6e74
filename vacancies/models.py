from datetime import timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from employers.choices import EmployerStatus
from employers.models import Employer, note_contact, postcode_validator

from .choices import (
    CloseReason,
    HandoverReason,
    RecruitmentActivity,
    SkillKind,
    TargetGroupFlag,
    VacancySource,
    VacancyStatus,
    Visibility,
)

REGISTRATION_HOURS = 24


def received_not_in_future(name: str) -> pgtrigger.Trigger:
    """R-12, R-57: a moment of receipt never lies in the future, on any path (a bulk update or an import too). The
    services refuse it first with a field error; the five minutes allow for a client's clock that runs fast."""
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.UpdateOf("received_at"),
        func="""
            IF NEW.received_at > now() + interval '5 minutes' THEN
                RAISE EXCEPTION 'received_at % lies in the future (R-12)', NEW.received_at
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        """,
    )


def received_as_registered(name: str) -> pgtrigger.Trigger:
    """R-12, R-57: `received_at_registered` is the moment of receipt the vacancy was registered with, set by the
    database on insert (whatever the insert says, on any path: the services, a bulk load, an import) and never
    changed afterwards: an update that leaves it out (NULL, an instance that never read it) keeps it, one that
    changes it is refused. So a later correction of `received_at` always shows as a difference (R-57)."""
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.UpdateOf("received_at_registered"),
        func="""
            IF TG_OP = 'INSERT' THEN
                NEW.received_at_registered := NEW.received_at;
            ELSIF NEW.received_at_registered IS NULL THEN
                NEW.received_at_registered := OLD.received_at_registered;
            ELSIF NEW.received_at_registered IS DISTINCT FROM OLD.received_at_registered THEN
                RAISE EXCEPTION 'received_at_registered of vacancy % never changes (R-12, R-57)', OLD.id
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        """,
    )


class RecordedMomentField(models.DateTimeField):
    """A moment the database sets on insert (by trigger) and returns, so a saved instance holds it at once."""

    db_returning = True


# an age requirement (target-group vacancies only) is a band of at least AGE_BAND_YEARS years, so a match
# tells no more about a candidate's age than that band ("50+", "18-27"; never min_age = max_age). A one-sided
# requirement is a band too: a maximum from the youngest working age, a minimum up to the state pension age.
AGE_BAND_YEARS = 5
AGE_FLOOR = 15
AGE_CEILING = 67

# the named action of a correction of the moment of receipt in the vacancy's audit trail; its context
# holds the reason, the previous moment and who corrected it (services.vacancy_correct_receipt).
CORRECT_RECEIPT_ACTION = "correct_receipt"


class SkillQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def occupations(self):
        return self.active().filter(kind=SkillKind.OCCUPATION)


class Skill(models.Model):
    """An entry of the shared vocabulary of occupations, skills and competences (R-42).

    Vacancies and candidates refer to these by id (an integer array on each, so matching can rank in SQL). The
    `esco_uri` and `competentnl_code` columns are there so the national vocabularies can be attached later
    without changing what advisers picked.
    """

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SkillKind.choices)
    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    group = models.CharField(_("group"), max_length=30, blank=True)
    esco_uri = models.URLField(_("ESCO URI"), max_length=300, blank=True)
    competentnl_code = models.CharField(_("CompetentNL code"), max_length=60, blank=True)
    typical_skills = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="typical_for", verbose_name=_("typical skills")
    )
    is_active = models.BooleanField(default=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        indexes = [GinIndex(name="skill_name_trgm", fields=["name"], opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.name


# the visibilities that are published (the public page, feed and API).
PUBLIC_VISIBILITIES = (Visibility.OPEN, Visibility.ANONYMOUS)


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """R-02: there are only regional vacancies; every staff member sees every vacancy."""
        return self

    def open(self):
        return self.filter(status=VacancyStatus.OPEN)

    def referable(self):
        """Open and not blocked (R-16): candidates may be referred to these."""
        return self.open().exclude(visibility=Visibility.BLOCKED)

    def registered_late(self):
        return self.filter(registered_late=True)

    def for_list(self):
        return self.select_related("employer", "owner", "organisation")

    def published(self, *, today=None):
        """R-16: what the public vacancy page, feed and `public/vacancies/` show: open vacancies with visibility
        open or anonymous, not past their expiry date, of a trading employer. Internal and blocked ones, closed,
        filled and expired ones never; nothing about candidates is reachable from here."""
        today = today or timezone.localdate()
        return self.filter(
            status=VacancyStatus.OPEN,
            visibility__in=PUBLIC_VISIBILITIES,
            expires_on__gte=today,
            employer__status=EmployerStatus.ACTIVE,
            employer__merged_into__isnull=True,
        )

    def offered_to_partners(self):
        """R-13: open vacancies their owner marked as not fillable from the own target groups, not blocked."""
        return self.referable().filter(partner_offer_at__isnull=False)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    # received_at_registered never changes (and late_as_registered follows from it): no history of their own.
    exclude=["updated_at", "expiry_warned_at", "latitude", "longitude", "received_at_registered", "late_as_registered"],
    model_name="VacancyEvent",
)
class Vacancy(models.Model):
    """A vacancy of an employer, handled by its owner (R-12..R-25).

    Two numbers are kept apart (R-20): `requested_positions` is what the employer asks for and decides the
    co-production (R-19, 10 or more) and the 2-9 flow (R-25); `positions` is what the region registers for the
    labour-market figures: 1 at registration, raised only by booked placements while the vacancy is open.
    Registering a vacancy the employer reported counts as contact with the employer when a holder registers it (R-05,
    a database trigger).
    """

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="vacancies", verbose_name=_("employer")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_vacancies", verbose_name=_("owner")
    )
    # The owner's organisation: which partner refers and books on this vacancy (R-23..R-25).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("organisation")
    )
    title = models.CharField(_("job title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    occupation = models.ForeignKey(
        Skill,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": SkillKind.OCCUPATION},
        verbose_name=_("occupation"),
    )
    skills = ArrayField(models.IntegerField(), default=list, blank=True, verbose_name=_("skills"))
    requested_positions = models.PositiveSmallIntegerField(
        _("positions asked for"), default=1, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    positions = models.PositiveSmallIntegerField(_("registered positions"), default=1)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    postcode = models.CharField(_("work location postcode"), max_length=7, blank=True, validators=[postcode_validator])
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    # where the work is, as coordinates of its place (wsp.geo, offline), for distances in kilometres.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("received at"))
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # registered more than 24 hours after receipt. Computed by the database, so it can be counted.
    registered_late = models.GeneratedField(
        # timestamptz minus timestamptz is immutable (plus an interval is not), as a generated column needs.
        expression=GreaterThan(
            ExpressionWrapper(F("registered_at") - F("received_at"), output_field=models.DurationField()),
            timedelta(hours=REGISTRATION_HOURS),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    # the moment of receipt as registered, kept by the database (`received_as_registered`), and whether
    # the vacancy was late by that moment: a correction of `received_at` afterwards shows in the figures as a
    # difference ("receipt corrected", "late as registered"), never as a silently changed past.
    received_at_registered = RecordedMomentField(_("received at, as registered"), editable=False, blank=True)
    late_as_registered = models.GeneratedField(
        expression=GreaterThan(
            ExpressionWrapper(F("registered_at") - F("received_at_registered"), output_field=models.DurationField()),
            timedelta(hours=REGISTRATION_HOURS),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    source = models.CharField(
        _("received through"), max_length=10, choices=VacancySource.choices, default=VacancySource.PHONE
    )
    # the employer's request to recruit, the first half of reciprocity.
    recruitment_request = models.BooleanField(_("the employer asked us to recruit"), default=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.OPEN)
    blocked_reason = models.TextField(_("reason for blocking"), blank=True)
    target_group_flags = ArrayField(
        models.CharField(max_length=20, choices=TargetGroupFlag.choices),
        default=list,
        blank=True,
        verbose_name=_("target groups"),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    # the owner marked the vacancy as not fillable from the own organisation's target groups; advisers of the
    # chain partners see it on their home page and one of them takes it. Cleared when it moves to another owner.
    partner_offer_at = models.DateTimeField(_("offered to chain partners at"), null=True, blank=True, editable=False)
    # A database default too, so a bulk load (the demo's COPY) that does not name the column stays valid.
    partner_offer_note = models.TextField(
        _("note for the chain partners"), blank=True, default="", db_default="", editable=False
    )
    close_reason = models.CharField(_("outcome"), max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"))
    expiry_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    # a partner's own vacancy in a co-production hangs under the owner's vacancy.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("co-production of"),
    )
    # a chain partner's duplicate of a 2-9 positions vacancy, to book its own hired candidates.
    duplicated_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [
            models.Index(name="vacancy_registered", fields=["-registered_at", "-id"]),
            models.Index(name="vacancy_status_registered", fields=["status", "-registered_at", "-id"]),
            models.Index(name="vacancy_employer", fields=["employer", "-registered_at"]),
            models.Index(name="vacancy_owner_status", fields=["owner", "status"]),
            models.Index(name="vacancy_updated", fields=["updated_at", "id"]),
            models.Index(name="vacancy_expiry", fields=["expires_on"], condition=Q(status=VacancyStatus.OPEN)),
            models.Index(name="vacancy_late", fields=["-registered_at"], condition=Q(registered_late=True)),
            # R-12, R-43, R-55: the employers' requests (no co-production partner's vacancy, no duplicate) of a
            # period, counted from these indexes alone: received (24-hour compliance) and registered (the funnel).
            models.Index(
                name="vacancy_request_received",
                fields=["received_at"],
                include=["id", "organisation", "employer", "registered_late", "late_as_registered"],
                condition=Q(parent__isnull=True, duplicated_from__isnull=True),
            ),
            models.Index(
                name="vacancy_request_registered",
                fields=["registered_at"],
                include=["id", "organisation", "employer"],
                condition=Q(parent__isnull=True, duplicated_from__isnull=True),
            ),
            # the public list, newest first.
            models.Index(
                name="vacancy_public",
                fields=["-registered_at", "-id"],
                condition=Q(status=VacancyStatus.OPEN, visibility__in=PUBLIC_VISIBILITIES),
            ),
            # R-13: the chain partners' home pages.
            models.Index(
                name="vacancy_partner_offer",
                fields=["-partner_offer_at"],
                condition=Q(status=VacancyStatus.OPEN, partner_offer_at__isnull=False),
            ),
            GinIndex(name="vacancy_title_trgm", fields=["title"], opclasses=["gin_trgm_ops"]),
            GinIndex(OpClass(F("skills"), name="gin__int_ops"), name="vacancy_skills"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(requested_positions__gte=1), name="%(app_label)s_%(class)s_requested"),
            models.CheckConstraint(condition=Q(positions__gte=1), name="%(app_label)s_%(class)s_positions"),
            # blocking needs a reason.
            models.CheckConstraint(
                condition=~Q(visibility=Visibility.BLOCKED) | ~Q(blocked_reason=""),
                name="%(app_label)s_%(class)s_blocked_reason",
            ),
            # only target-group vacancies may set requirements on age.
            models.CheckConstraint(
                condition=Q(min_age__isnull=True, max_age__isnull=True) | Q(target_group_flags__len__gt=0),
                name="%(app_label)s_%(class)s_age_only_target_group",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=F("max_age")),
                name="%(app_label)s_%(class)s_age_range",
            ),
            # R-15 (and R-40: age is personal data): an age requirement is a band of at least AGE_BAND_YEARS years.
            models.CheckConstraint(
                condition=(
                    Q(min_age__isnull=True)
                    | Q(max_age__isnull=True)
                    | Q(max_age__gte=F("min_age") + (AGE_BAND_YEARS - 1))
                )
                & (Q(max_age__isnull=True) | Q(min_age__isnull=False) | Q(max_age__gte=AGE_FLOOR + AGE_BAND_YEARS - 1))
                & (
                    Q(min_age__isnull=True)
                    | Q(max_age__isnull=False)
                    | Q(min_age__lte=AGE_CEILING - (AGE_BAND_YEARS - 1))
                ),
                name="%(app_label)s_%(class)s_age_band",
            ),
            # a note for the chain partners only with an offer.
            models.CheckConstraint(
                condition=Q(partner_offer_at__isnull=False) | Q(partner_offer_note=""),
                name="%(app_label)s_%(class)s_offer_note_with_offer",
            ),
            # a vacancy is registered after it was received, never before.
            models.CheckConstraint(
                condition=Q(registered_at__gte=F("received_at")), name="%(app_label)s_%(class)s_registered_after"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[VacancyStatus.OPEN, VacancyStatus.EXPIRED], closed_at__isnull=True)
                | Q(status__in=[VacancyStatus.FILLED, VacancyStatus.CLOSED], closed_at__isnull=False),
                name="%(app_label)s_%(class)s_closed_at",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="%(app_label)s_%(class)s_not_own_parent"),
        ]
        # a vacancy the employer reported, registered by a holder, is contact at the moment it was received. A
        # partner's duplicate or co-production vacancy is no new report by the employer.
        triggers = [
            note_contact(
                "note_contact_vacancy",
                employer="NEW.employer_id",
                user="NEW.created_by_id",
                moment="NEW.received_at",
                source="'vacancy'",
                object_id="NEW.id",
                condition="NEW.parent_id IS NULL AND NEW.duplicated_from_id IS NULL",
            ),
            received_not_in_future("received_not_in_future"),
            received_as_registered("received_as_registered"),
        ]

    def __str__(self):
        return f"{self.title} ({self.employer})" if self.employer_id else self.title

    @property
    def receipt_corrected(self) -> bool:
        """R-12, R-57: the moment of receipt differs from the one the vacancy was registered with."""
        return self.received_at_registered is not None and self.received_at != self.received_at_registered

    @property
    def is_target_group(self) -> bool:
        return bool(self.target_group_flags)

    @property
    def target_group_labels(self) -> list[str]:
        return [str(TargetGroupFlag(flag).label) for flag in self.target_group_flags if flag in TargetGroupFlag.values]

    @property
    def is_co_production(self) -> bool:
        """R-19: 10 or more positions asked for."""
        return self.requested_positions >= settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]

    @property
    def registration_due_at(self):
        return self.received_at + timedelta(hours=REGISTRATION_HOURS)

    @property
    def accepts_referrals(self) -> bool:
        return self.status == VacancyStatus.OPEN and self.visibility != Visibility.BLOCKED


class VacancyIntakeQuerySet(models.QuerySet):
    def waiting(self):
        """Received, not registered yet: the 24-hour clock of R-12 is running."""
        return self.filter(vacancy__isnull=True, dismissed_at__isnull=True)


class VacancyIntake(models.Model):
    """A vacancy as it came in (a call, an e-mail, a visit), noted in seconds and registered in full later (R-12).

    The 24-hour clock runs from `received_at`; the registered vacancy takes that moment over, so a late
    registration stays visible and counted. Intakes do not count in any figure: only registered vacancies do.
    """

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="vacancy_intakes")
    title = models.CharField(_("job title"), max_length=200)
    received_at = models.DateTimeField(_("received at"))
    source = models.CharField(
        _("received through"), max_length=10, choices=VacancySource.choices, default=VacancySource.PHONE
    )
    note = models.TextField(_("note"), blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="vacancy_intakes",
        verbose_name=_("to register by"),
    )
    vacancy = models.OneToOneField(
        Vacancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="intake", editable=False
    )
    dismissed_at = models.DateTimeField(null=True, blank=True, editable=False)
    dismiss_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VacancyIntakeQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("vacancy to register")
        verbose_name_plural = _("vacancies to register")
        indexes = [
            models.Index(
                name="intake_waiting",
                fields=["assigned_to", "received_at"],
                condition=Q(vacancy__isnull=True, dismissed_at__isnull=True),
            ),
        ]
        triggers = [received_not_in_future("intake_received_not_in_future")]

    def __str__(self):
        return f"{self.title} ({self.employer_id})"

    @property
    def due_at(self):
        return self.received_at + timedelta(hours=REGISTRATION_HOURS)

    @property
    def is_overdue(self) -> bool:
        return timezone.now() > self.due_at


class VacancyHandover(models.Model):
    """A move of a vacancy's ownership to another adviser (R-13 chain partner, R-24 partner's hire).

    By default only the vacancy moves; whether the employer's main account holder changes too is agreed and
    recorded here (`employer_moved`).
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=HandoverReason.choices)
    employer_moved = models.BooleanField(_("employer ownership moved too"), default=False)
    note = models.TextField(_("note"), blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_over_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-handed_over_at", "-id"]
        verbose_name = _("vacancy handover")
        verbose_name_plural = _("vacancy handovers")

    def __str__(self):
        return f"{self.vacancy_id}: {self.from_user_id} -> {self.to_user_id}"


class RecruitmentPlan(models.Model):
    """R-19: the plan the owner of a co-production vacancy makes with the chain partners."""

    vacancy = models.OneToOneField(Vacancy, on_delete=models.CASCADE, related_name="recruitment_plan")
    activities = ArrayField(
        models.CharField(max_length=30, choices=RecruitmentActivity.choices), verbose_name=_("activities")
    )
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    partners = models.ManyToManyField(Organisation, related_name="recruitment_plans", verbose_name=_("partners"))
    notes = models.TextField(_("approach"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recruitment plan")
        verbose_name_plural = _("recruitment plans")
        constraints = [
            models.CheckConstraint(condition=Q(activities__len__gt=0), name="%(app_label)s_%(class)s_has_activity"),
        ]

    def __str__(self):
        return f"{self.vacancy}"

    @property
    def activity_labels(self) -> list[str]:
        return [str(RecruitmentActivity(a).label) for a in self.activities if a in RecruitmentActivity.values]
