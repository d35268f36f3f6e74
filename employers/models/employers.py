"""The employer record (R-03, R-05, R-07, R-08a, R-09) and the R-05 contact clock: the database function and the
triggers that decide what counts as contact (also used by vacancies.models).
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from employers.choices import EmployerStatus, EmployerType, LastContactSource, SizeClass
from employers.normalize import name_key, normalise_postcode

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
        if len(digits) == 8 and digits.isascii() and digits.isdigit():
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
            # the coverage per sector (current employers with 10 or more staff in contact) read from this index
            # alone, not from the whole table.
            models.Index(
                name="employers_coverage",
                fields=["sector"],
                include=["id", "last_contact_at", "staff_count"],
                condition=Q(merged_into__isnull=True, sector__isnull=False, staff_count__gte=10),
            ),
            # the active employers with a likely duplicate found from the few pairs, not the whole table.
            models.Index(
                name="employers_active_id",
                fields=["id"],
                condition=Q(merged_into__isnull=True, purged_at__isnull=True, status=EmployerStatus.ACTIVE),
            ),
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
