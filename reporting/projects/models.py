"""Projects (R-54) and events (issue 8 point 6, R-19) with their reach per quarter.

A project carries one or more project numbers, its subsidy figures and its activities; every change a user sees
(a new maximum subsidy, a changed target) is its own row with date and reason, written by `services`. Placements
and referrals are linked through link models here, because matching may not depend on reporting.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from employers.models import Employer
from matching.models import Candidate, Placement, Referral

from .choices import Channel, EventKind

MONEY = {"max_digits": 14, "decimal_places": 2}
NUMBER_FORMAT = RegexValidator(r"^[0-9]{4}[A-Z]{2,5}[0-9]{1,8}$", _("Use a project number such as 2016DW2012."))


class ProjectQuerySet(models.QuerySet):
    def for_list(self):
        """Everything a list row or the API shows, in a fixed number of queries whatever the number of projects."""
        return self.prefetch_related(
            "numbers",
            "executor_organisations",
            "signatory_organisations",
            "max_subsidy_changes",
            models.Prefetch("activities", queryset=Activity.objects.prefetch_related("target_changes")),
            models.Prefetch("project_placements", queryset=ProjectPlacement.objects.select_related("placement")),
        )


class Project(models.Model):
    """R-54: a (subsidised) project with its numbers, parties, subsidy period and figures, and its activities.

    The maximum subsidy can be changed by a later decision: `initial_max_subsidy` is the one granted, each change is
    a `MaxSubsidyChange` row and the current maximum is the latest change's new amount. The requested subsidy at
    the final claim is empty while it is not yet known; it is shown as a share of the maximum.
    """

    title = models.CharField(_("title"), max_length=200)
    applicant = models.CharField(_("applicant (contract party)"), max_length=200)
    applicant_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executors = models.CharField(_("executors"), max_length=300, blank=True)
    executor_organisations = models.ManyToManyField(Organisation, blank=True, related_name="projects_executed")
    signatories = models.CharField(_("partner signatories"), max_length=300, blank=True)
    signatory_organisations = models.ManyToManyField(Organisation, blank=True, related_name="projects_signed")
    period_start = models.DateField(_("subsidy period from"))
    period_end = models.DateField(_("subsidy period until"))
    period_note = models.CharField(_("note on the period"), max_length=300, blank=True)
    budgeted_direct_costs = models.DecimalField(_("budgeted direct costs"), validators=[MinValueValidator(0)], **MONEY)
    budget_note = models.CharField(_("note on the budget"), max_length=300, blank=True)
    initial_max_subsidy = models.DecimalField(_("maximum subsidy granted"), validators=[MinValueValidator(0)], **MONEY)
    max_subsidy = models.DecimalField(_("maximum subsidy"), validators=[MinValueValidator(0)], **MONEY)
    requested_subsidy = models.DecimalField(
        _("requested subsidy (final claim)"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(name="project_updated", fields=["updated_at", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="%(app_label)s_%(class)s_r54_period"
            ),
            models.CheckConstraint(
                condition=Q(budgeted_direct_costs__gte=0, initial_max_subsidy__gte=0, max_subsidy__gte=0)
                & (Q(requested_subsidy__isnull=True) | Q(requested_subsidy__gte=0)),
                name="%(app_label)s_%(class)s_r54_amounts",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def requested_share(self) -> int | None:
        """R-54: the requested subsidy as a whole percentage of the current maximum (83 for DW2012); None if unknown."""
        if self.requested_subsidy is None or not self.max_subsidy:
            return None
        share = self.requested_subsidy * 100 / self.max_subsidy
        return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def number_list(self) -> list[str]:
        return [n.number for n in self.numbers.all()]


class ProjectNumber(models.Model):
    """R-54: a project has one or more numbers (2016DW2015 .. 2016DW2019); each number belongs to one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="numbers")
    number = models.CharField(_("project number"), max_length=30, validators=[NUMBER_FORMAT])

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["number"], name="%(app_label)s_%(class)s_r54_unique")]

    def __str__(self):
        return self.number


class MaxSubsidyChange(models.Model):
    """R-54: a later decision changing the maximum subsidy, with its date and reason."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="max_subsidy_changes")
    date = models.DateField(_("date"))
    old = models.DecimalField(_("old maximum"), **MONEY)
    new = models.DecimalField(_("new maximum"), validators=[MinValueValidator(0)], **MONEY)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="%(app_label)s_%(class)s_r54_reason"),
            models.CheckConstraint(condition=Q(new__gte=0), name="%(app_label)s_%(class)s_r54_amount"),
        ]

    def __str__(self):
        return f"{self.date}: {self.old} -> {self.new}"


class Activity(models.Model):
    """R-54: an activity of a project with its code, description, (current) target and realisation.

    The realisation is a number (`realised_low` only), a range such as "1800-1850" (low and high), or not realised
    with the reason; while none is recorded the realisation is open. Target changes are `TargetChange` rows.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=20)
    description = models.TextField(_("description"))
    target = models.PositiveIntegerField(_("target"), null=True, blank=True)
    target_unit = models.CharField(_("unit of the target"), max_length=100, blank=True)
    realised_low = models.PositiveIntegerField(_("realised"), null=True, blank=True)
    realised_high = models.PositiveIntegerField(_("realised (upper end of a range)"), null=True, blank=True)
    realised_note = models.TextField(_("note on the realisation"), blank=True)
    not_realised_reason = models.TextField(_("reason not realised"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="%(app_label)s_%(class)s_r54_unique_code"),
            models.CheckConstraint(
                condition=Q(realised_high__isnull=True)
                | Q(realised_low__isnull=False, realised_high__gte=F("realised_low")),
                name="%(app_label)s_%(class)s_r54_range",
            ),
            models.CheckConstraint(
                condition=Q(realised_low__isnull=True) | Q(not_realised_reason=""),
                name="%(app_label)s_%(class)s_r54_realised_or_not",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.description[:40]}"

    @property
    def realised(self) -> str | None:
        """ "8", "1800-1850", or None (open or not realised)."""
        if self.realised_low is None:
            return None
        if self.realised_high is not None and self.realised_high != self.realised_low:
            return f"{self.realised_low}-{self.realised_high}"
        return str(self.realised_low)

    @property
    def is_not_realised(self) -> bool:
        return bool(self.not_realised_reason)


class TargetChange(models.Model):
    """R-54: a change of an activity's target with its date and reason ("change request approved", "cut to 50%")."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="target_changes")
    date = models.DateField(_("date"))
    old = models.PositiveIntegerField(_("old target"), null=True)
    new = models.PositiveIntegerField(_("new target"), null=True)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="%(app_label)s_%(class)s_r54_reason")]

    def __str__(self):
        return f"{self.date}: {self.old} -> {self.new}"


class ProjectPlacement(models.Model):
    """R-54: a placement made within a project (its type is the placement's: permanent, fixed-term, ...)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_placements")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["placement"], name="%(app_label)s_%(class)s_one_project")]

    def __str__(self):
        return f"{self.project_id}: {self.placement_id}"


class EventQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("project").prefetch_related(
            "organisers", "employers", "event_referrals", "event_placements"
        )


class Event(models.Model):
    """Issue 8 point 6, R-19: a job fair, speed meet, meet & match or information session.

    Participants is a count; the candidates taking part may be linked, but their personal data is never shown
    outside their organisation (R-40): the API and the pages show counts only.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    organisers = models.ManyToManyField(Organisation, blank=True, related_name="events_organised")
    employers = models.ManyToManyField(Employer, blank=True, related_name="project_events")
    participants = models.PositiveIntegerField(_("participants"), default=0)
    candidates = models.ManyToManyField(Candidate, blank=True, related_name="project_events")
    referrals = models.ManyToManyField(Referral, through="EventReferral", blank=True, related_name="+")
    placements = models.ManyToManyField(Placement, through="EventPlacement", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(name="event_updated", fields=["updated_at", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(participants__gte=0), name="%(app_label)s_%(class)s_participants")
        ]

    def __str__(self):
        return f"{self.title} ({self.date})"


class EventReferral(models.Model):
    """A referral that came from an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_referrals")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "referral"], name="%(app_label)s_%(class)s_once")]

    def __str__(self):
        return f"{self.event_id}: {self.referral_id}"


class EventPlacement(models.Model):
    """A placement that came from an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_placements")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "placement"], name="%(app_label)s_%(class)s_once")]

    def __str__(self):
        return f"{self.event_id}: {self.placement_id}"


class ChannelReach(models.Model):
    """ZKIJ plan 3.4 and 5.3: the reach through a communication channel in a quarter, entered by managers."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    reach = models.PositiveIntegerField(_("reach"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "quarter", "channel"]
        verbose_name = _("reach")
        verbose_name_plural = _("reach")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "channel"], name="%(app_label)s_%(class)s_unique"),
            models.CheckConstraint(
                condition=Q(reach__gte=0, quarter__gte=1, quarter__lte=4), name="%(app_label)s_%(class)s_valid"
            ),
        ]

    def __str__(self):
        return f"{self.year} Q{self.quarter} {self.channel}: {self.reach}"
