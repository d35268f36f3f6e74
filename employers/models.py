import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Sector

from .choices import (
    AccessRequestStatus,
    AccountHolderVia,
    ContactChannel,
    ContactKind,
    EmployerStatus,
    EmployerType,
    FeedbackSource,
    Instrument,
    LastContactSource,
    SizeClass,
)
from .normalize import name_key, normalise_postcode

POSTCODE_REGEX = r"^[1-9][0-9]{3} [A-Z]{2}$"
KVK_REGEX = r"^[0-9]{8}$"
postcode_validator = RegexValidator(POSTCODE_REGEX, _("Enter a Dutch postcode such as 2011 AB."), code="postcode")
kvk_validator = RegexValidator(KVK_REGEX, _("A KvK number has exactly 8 digits."), code="kvk_number")


# "contact" is what the main account holder or an admitted account holder registered or changed about the
# employer. One database function decides it for every path (services, bulk updates, a later import), so the
# takeover clock cannot be moved by a system job, a cease, a merge, an admission decision or someone else's entry.
# It moves the clock forward only (an older contact never moves it back) and records which entry set it.
NOTE_CONTACT_FUNCTION = """
CREATE OR REPLACE FUNCTION employers_note_contact(
    p_employer bigint, p_user bigint, p_at timestamptz, p_source text, p_object bigint
) RETURNS void LANGUAGE sql AS $$
    UPDATE employers_employer e
       SET last_contact_at = p_at, last_contact_source = p_source, last_contact_by_id = p_user,
           last_contact_object_id = p_object
     WHERE e.id = p_employer AND p_user IS NOT NULL AND p_at IS NOT NULL
       AND (e.last_contact_at IS NULL OR e.last_contact_at < p_at)
       AND (e.main_account_holder_id = p_user
            OR EXISTS (SELECT 1 FROM employers_accountholder h WHERE h.employer_id = e.id AND h.user_id = p_user));
$$;
"""


def note_contact(
    name: str,
    *,
    employer: str,
    user: str,
    moment: str,
    source: str,
    object_id: str = "NULL",
    operation=pgtrigger.Insert,
    condition: str | None = None,
) -> pgtrigger.Trigger:
    """A trigger that offers a new or changed row to `employers_note_contact` as contact with the employer (R-05).

    `employer`, `user`, `moment` and `object_id` are SQL expressions over NEW; `source` is a LastContactSource value.
    """
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.After,
        operation=operation,
        condition=pgtrigger.Condition(condition) if condition else None,
        func=f"PERFORM employers_note_contact({employer}, {user}, {moment}, {source}, {object_id}); RETURN NULL;",
    )


# The employer's own audit trail: entering the employer starts the clock; a plain change of the record by a holder
# is contact. Changes made under a named action (takeover, reassignment, merge, cease, reactivation, handover, purge)
# are not: the services that start a new holder's 12 months set the clock themselves (`employer_clock_start`).
EMPLOYER_AUDIT_CONTACT = {
    "triggers": [
        pgtrigger.Trigger(
            name="note_contact_from_audit_trail",
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            declare=[("meta", "jsonb"), ("actor", "bigint")],
            func="""
                SELECT c.metadata INTO meta FROM pghistory_context c WHERE c.id = NEW.pgh_context_id;
                IF meta ->> 'user' ~ '^[0-9]+$' THEN
                    actor := (meta ->> 'user')::bigint;
                END IF;
                IF NEW.pgh_label = 'insert' THEN
                    UPDATE employers_employer
                       SET last_contact_at = NEW.pgh_created_at, last_contact_source = 'entered',
                           last_contact_by_id = COALESCE(actor, NEW.main_account_holder_id),
                           last_contact_object_id = NULL
                     WHERE id = NEW.pgh_obj_id AND last_contact_at IS NULL;
                ELSIF NOT COALESCE(meta ? 'action', false) THEN
                    PERFORM employers_note_contact(NEW.pgh_obj_id, actor, NEW.pgh_created_at, 'record_change', NULL);
                END IF;
                RETURN NULL;
            """,
        )
    ]
}


class EmployerQuerySet(models.QuerySet):
    def current(self):
        """Employers that were not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def not_purged(self):
        """R-09: leaves out the anonymised records of purged employers (kept only so their figures still count)."""
        return self.filter(purged_at__isnull=True)

    def visible_to(self, user):
        """R-02: every employer is visible to every staff member of the region."""
        return self.current()

    def active(self):
        return self.current().filter(status=EmployerStatus.ACTIVE)

    def without_contact_since(self, moment):
        return self.filter(Q(last_contact_at__lt=moment) | Q(last_contact_at__isnull=True))

    def search(self, query: str):
        """Search on postcode, KvK number or name; a name matches as substring or by trigram similarity of the
        normalised key, both answered by the trigram GIN index."""
        query = (query or "").strip()
        postcode = normalise_postcode(query)
        digits = query.replace(" ", "")
        # an anonymised record is never found by a search; it only keeps the figures countable.
        qs = self.not_purged()
        if postcode:
            return qs.filter(postcode=postcode)
        if digits.isdigit() and len(digits) == 8:
            return qs.filter(kvk_number=digits)
        key = name_key(query)
        if not key:
            return qs
        return qs.filter(Q(name_key__contains=key) | Q(name_key__trigram_similar=key))

    def for_list(self):
        return self.select_related("sector", "main_account_holder__organisation")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    exclude=[
        "last_contact_at",
        "last_contact_source",
        "last_contact_by",
        "last_contact_object_id",
        "updated_at",
        "name_key",
    ],  # fmt: skip
    model_name="EmployerEvent",
    meta=EMPLOYER_AUDIT_CONTACT,
)
class Employer(models.Model):
    """An employer (establishment) served by the WSP (R-08a).

    It has exactly one main account holder (R-03: a NOT NULL foreign key) and any number of account holders
    (R-04, `AccountHolder`). `last_contact_at` drives the takeover rule (R-05) and is kept by database triggers
    (`employers_note_contact`); `last_contact_source`, `last_contact_by` and `last_contact_object_id` say which entry
    set it.
    """

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, help_text="normalised name for R-07")
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True, validators=[kvk_validator])
    visiting_address = models.CharField(_("visiting address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[postcode_validator])
    city = models.CharField(_("place"), max_length=100, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="employers", verbose_name=_("sector")
    )
    sbi_code = models.CharField(_("SBI code"), max_length=8, blank=True)
    staff_count = models.PositiveIntegerField(_("staff count"), null=True, blank=True)
    employer_type = models.CharField(
        _("employer type"), max_length=12, choices=EmployerType.choices, default=EmployerType.MARKET
    )
    website = models.URLField(_("website"), blank=True)
    # the employer's fixed contact person.
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EmployerStatus.choices, default=EmployerStatus.ACTIVE)
    ceased_on = models.DateField(_("ceased on"), null=True, blank=True)
    main_account_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="main_employers",
        verbose_name=_("main account holder"),
    )
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_contact_source = models.CharField(
        _("last contact through"),
        max_length=20,
        choices=LastContactSource.choices,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    last_contact_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("last contact by"),
    )
    # The contact moment, vacancy or contact request that set the clock, when it was one of those.
    last_contact_object_id = models.BigIntegerField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records", editable=False
    )
    # when a ceased employer with vacancies was purged: its identifying data is gone, the row stays as an
    # anonymised record ("Opgeheven werkgever #123") so vacancies, referrals and placements still count.
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [
            GinIndex(name="employers_name_key_trgm", fields=["name_key"], opclasses=["gin_trgm_ops"]),
            models.Index(name="employers_postcode", fields=["postcode"]),
            models.Index(name="employers_kvk", fields=["kvk_number"], condition=~Q(kvk_number="")),
            models.Index(name="employers_main_contact", fields=["main_account_holder", "last_contact_at"]),
            models.Index(name="employers_updated", fields=["updated_at", "id"]),
            models.Index(name="employers_name_id", fields=["name", "id"]),
            models.Index(name="employers_last_contact", fields=["last_contact_at", "id"]),
        ]
        constraints = [
            # only the anonymised record of a purged employer has no postcode.
            models.CheckConstraint(
                condition=Q(postcode__regex=POSTCODE_REGEX) | Q(purged_at__isnull=False, postcode=""),
                name="%(app_label)s_%(class)s_postcode",
            ),
            models.CheckConstraint(
                condition=Q(kvk_number="") | Q(kvk_number__regex=KVK_REGEX), name="%(app_label)s_%(class)s_kvk_number"
            ),
            # ceased employers carry the date they ceased, active ones none.
            models.CheckConstraint(
                condition=Q(status=EmployerStatus.ACTIVE, ceased_on__isnull=True)
                | Q(status=EmployerStatus.CEASED, ceased_on__isnull=False),
                name="%(app_label)s_%(class)s_ceased_on",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="%(app_label)s_%(class)s_not_self_merged"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Derived, not a rule: the key the duplicate check compares.
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def size_class(self) -> SizeClass:
        return SizeClass.for_staff_count(self.staff_count)

    @property
    def is_ceased(self) -> bool:
        return self.status == EmployerStatus.CEASED

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), model_name="AccountHolderEvent")
class AccountHolder(models.Model):
    """An adviser admitted to an employer next to its main account holder (R-04)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="account_holders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="held_employers")
    via = models.CharField(max_length=20, choices=AccountHolderVia.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("account holder")
        verbose_name_plural = _("account holders")
        constraints = [
            models.UniqueConstraint(fields=["employer", "user"], name="%(app_label)s_%(class)s_once_per_employer"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.employer}"


class AccessRequest(models.Model):
    """A request by an adviser to be admitted to an employer, answered by its main account holder (R-04)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests")
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("admission request")
        verbose_name_plural = _("admission requests")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "requester"],
                condition=Q(status=AccessRequestStatus.PENDING),
                name="%(app_label)s_%(class)s_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status=AccessRequestStatus.PENDING, decided_at__isnull=True)
                | ~Q(status=AccessRequestStatus.PENDING) & Q(decided_at__isnull=False, decided_by__isnull=False),
                name="%(app_label)s_%(class)s_decision_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.requester} -> {self.employer}"


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


class EmployerFeedback(models.Model):
    """Feedback of an employer on an adviser ("Direct-Feedback"), scored 0-10.

    R-11: visible only to the adviser it concerns; managers see aggregates of 5 or more responses only. Deliberately
    not in the employer's audit trail, which every staff member can read. It comes in from the survey tool (API) or a
    file; `external_id` (the survey tool's answer id) makes a re-sent answer count once.
    """

    SCORE_MIN, SCORE_MAX = 0, 10

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="feedback")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=FeedbackSource.choices, default=FeedbackSource.DIRECT_FEEDBACK
    )
    received_at = models.DateTimeField(_("received at"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="", db_default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("employer feedback")
        verbose_name_plural = _("employer feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=10), name="%(app_label)s_%(class)s_score_range"
            ),
            # a re-sent survey answer is stored once.
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="%(app_label)s_%(class)s_external_id_once",
            ),
        ]
        indexes = [models.Index(name="feedback_adviser", fields=["adviser", "-received_at"])]

    def __str__(self):
        return f"{self.score}/10 {self.employer}"


class EmployerMerge(models.Model):
    """A merge of a duplicate employer record into the record that is kept; keeps a snapshot (R-07)."""

    kept = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="merges")
    merged = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="the merged record's fields at the time of the merge"
    )
    moved = models.JSONField(default=dict, help_text="how many related rows moved, per kind")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at"]
        constraints = [
            models.UniqueConstraint(fields=["merged"], name="%(app_label)s_%(class)s_merged_once"),
        ]

    def __str__(self):
        return f"{self.merged_id} -> {self.kept_id}"


class PurgedEmployerTally(models.Model):
    """What deleted ceased employers contributed to the figures (R-09, R-57): counts survive, records do not.

    Employers with vacancies are not deleted but anonymised (`Employer.purged_at`): their records still count.
    """

    year_ceased = models.PositiveSmallIntegerField()
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    municipality = models.CharField(max_length=100, blank=True)
    employer_type = models.CharField(max_length=12, choices=EmployerType.choices)
    size_class = models.CharField(max_length=10, choices=SizeClass.choices)
    employers = models.PositiveIntegerField(default=0)
    contact_moments = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    # contact requests (and how many were answered within 24 hours) and feedback (count and the sum of
    # the scores, so an average over tallies and records stays exact).
    contact_requests = models.PositiveIntegerField(default=0, db_default=0)
    contact_requests_within_24h = models.PositiveIntegerField(default=0, db_default=0)
    feedback = models.PositiveIntegerField(default=0, db_default=0)
    feedback_score_sum = models.PositiveIntegerField(default=0, db_default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year_ceased", "sector", "municipality", "employer_type", "size_class"],
                nulls_distinct=False,
                name="%(app_label)s_%(class)s_one_row_per_group",
            ),
        ]

    def __str__(self):
        return f"{self.year_ceased} {self.municipality} {self.size_class}: {self.employers}"
