"""Contact with an employer: contact moments and visit reports (R-08, R-33) and the employer's requests for contact
with their 24-hour response (R-10); both move the R-05 clock by trigger.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from employers.choices import ContactChannel, ContactKind, Instrument

from .employers import Employer, note_contact


class ContactMomentQuerySet(models.QuerySet):
    def for_timeline(self):
        return self.select_related("adviser", "organisation")


def instrument_list(verbose_name: str) -> ArrayField:
    """R-33: instruments from the one list in the code (employers.choices.Instrument), as a PostgreSQL array."""
    return ArrayField(
        models.CharField(max_length=30, choices=Instrument.choices),
        verbose_name=verbose_name,
        default=list,
        blank=True,
        db_default=[],
    )


def instrument_labels(values) -> list[str]:
    labels = dict(Instrument.choices)
    return [str(labels.get(value, value)) for value in values or ()]


@pghistory.track(pghistory.UpdateEvent(), pghistory.DeleteEvent(), model_name="ContactMomentEvent")
class ContactMoment(models.Model):
    """A registered contact with an employer; a visit carries its report (R-08). Moves last_contact_at (R-05)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contact_moments")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_moments")
    # The adviser's organisation at the time of contact: the collision warning compares organisations.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    occurred_at = models.DateTimeField(_("date and time"))
    summary = models.TextField(_("summary"), blank=True)
    reason = models.TextField(_("reason for the visit"), blank=True)
    company_activities = models.TextField(_("company activities"), blank=True)
    agreements = models.TextField(_("agreements made"), blank=True)
    # the instruments and subsidies advised in this contact, and those applied.
    instruments_advised = instrument_list(_("instruments advised"))
    instruments_applied = instrument_list(_("instruments applied"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactMomentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        indexes = [
            models.Index(name="contact_employer_time", fields=["employer", "-occurred_at", "-id"]),
            models.Index(name="contact_adviser_time", fields=["adviser", "-occurred_at"]),
            models.Index(name="contact_updated", fields=["updated_at", "id"]),
            # the visits of a period per organisation, adviser and employer (visit targets) from this index alone.
            models.Index(
                name="contact_visits",
                fields=["occurred_at"],
                include=["id", "organisation", "adviser", "employer"],
                condition=Q(kind=ContactKind.VISIT),
            ),
        ]
        constraints = [
            # every company visit gets a report.
            models.CheckConstraint(
                condition=~Q(kind=ContactKind.VISIT) | (~Q(reason="") & ~Q(company_activities="") & ~Q(agreements="")),
                name="%(app_label)s_%(class)s_visit_has_report",
            ),
            # only instruments of the one list.
            models.CheckConstraint(
                condition=Q(instruments_advised__contained_by=Instrument.values),
                name="%(app_label)s_%(class)s_instruments_advised_known",
            ),
            models.CheckConstraint(
                condition=Q(instruments_applied__contained_by=Instrument.values),
                name="%(app_label)s_%(class)s_instruments_applied_known",
            ),
        ]
        # a contact moment or visit by a holder is contact at the moment it occurred.
        triggers = [
            note_contact(
                "note_contact_moment",
                employer="NEW.employer_id",
                user="NEW.adviser_id",
                moment="NEW.occurred_at",
                source="CASE WHEN NEW.kind = 'visit' THEN 'visit' ELSE 'contact_moment' END",
                object_id="NEW.id",
                operation=pgtrigger.Insert | pgtrigger.Update,
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.employer} {self.occurred_at:%Y-%m-%d}"

    @property
    def instruments_advised_labels(self) -> list[str]:
        return instrument_labels(self.instruments_advised)

    @property
    def instruments_applied_labels(self) -> list[str]:
        return instrument_labels(self.instruments_applied)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    exclude=["overdue_notified_at", "updated_at"],
    model_name="ContactRequestEvent",
)
class ContactRequest(models.Model):
    """An employer's request for contact; it gets a response within 24 hours (R-10).

    The response moment is when it is recorded (`response_recorded_at`); an earlier moment may be stated in
    `responded_at` (a phone call answered before it was entered), never before receipt nor after it was recorded,
    and `response_stated_afterwards` keeps that visible. `responded_within_24h` follows `responded_at`.
    """

    RESPONSE_HOURS = 24

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contact_requests")
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(
        _("channel"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.PHONE
    )
    requested_by = models.CharField(_("asked by"), max_length=120, blank=True)
    question = models.TextField(_("question"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_requests",
        verbose_name=_("assigned to"),
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.TextField(_("response"), blank=True)
    # when the response was recorded; set by the service, and by the database on any other path.
    response_recorded_at = models.DateTimeField(_("response recorded at"), null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        indexes = [
            models.Index(
                name="contactreq_open", fields=["assigned_to", "received_at"], condition=Q(responded_at__isnull=True)
            ),
            models.Index(name="contactreq_employer", fields=["employer", "-received_at"]),
            models.Index(name="contactreq_updated", fields=["updated_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True) | Q(responded_at__gte=models.F("received_at")),
                name="%(app_label)s_%(class)s_response_after_request",
            ),
            # a stated response moment never lies after the moment it was recorded.
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True, response_recorded_at__isnull=True)
                | Q(responded_at__isnull=False, response_recorded_at__gte=models.F("responded_at")),
                name="%(app_label)s_%(class)s_response_recorded",
            ),
        ]
        # a holder's answer to the employer's request is contact, at the moment of the response.
        triggers = [
            # whatever path sets or changes the response moment (a bulk update, a later import), the database
            # records when that happened, so a moment set afterwards stays visible as such.
            pgtrigger.Trigger(
                name="record_response_moment",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                    IF NEW.responded_at IS NULL THEN
                        NEW.response_recorded_at := NULL;
                    ELSIF NEW.response_recorded_at IS NULL OR (
                        TG_OP = 'UPDATE' AND OLD.responded_at IS DISTINCT FROM NEW.responded_at
                        AND OLD.response_recorded_at IS NOT DISTINCT FROM NEW.response_recorded_at
                    ) THEN
                        NEW.response_recorded_at := statement_timestamp();
                    END IF;
                    RETURN NEW;
                """,
            ),
            note_contact(
                "note_contact_response",
                employer="NEW.employer_id",
                user="NEW.responded_by_id",
                moment="NEW.responded_at",
                source="'contact_response'",
                object_id="NEW.id",
                operation=pgtrigger.Update,
                condition="OLD.responded_at IS NULL AND NEW.responded_at IS NOT NULL",
            ),
        ]

    def __str__(self):
        return f"{self.employer} {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def due_at(self):
        from datetime import timedelta

        return self.received_at + timedelta(hours=self.RESPONSE_HOURS)

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.responded_at is None and timezone.now() > self.due_at

    @property
    def responded_within_24h(self) -> bool | None:
        if self.responded_at is None:
            return None
        return self.responded_at <= self.due_at

    @property
    def response_stated_afterwards(self) -> bool | None:
        """R-10: the response moment was stated as earlier than when it was recorded."""
        if self.responded_at is None:
            return None
        return self.response_recorded_at is not None and self.responded_at < self.response_recorded_at
