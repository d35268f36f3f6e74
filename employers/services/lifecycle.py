"""Merge, cease, purge (R-07, R-09): a duplicate merged into the record kept, an employer that ceased or trades
again, and ceased employers purged while the figures they counted stay (R-57).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pghistory
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import Cast, Concat
from django.forms.models import model_to_dict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import require_manager, require_staff
from employers.choices import AccountHolderVia, ContactKind, EmployerStatus, SizeClass
from employers.models import (
    AccessRequest,
    AccountHolder,
    ContactMoment,
    ContactRequest,
    Employer,
    EmployerFeedback,
    EmployerMerge,
    LikelyDuplicate,
    PurgedEmployerTally,
)
from employers.normalize import name_key
from employers.signals import employer_anonymised
from wsp.errors import Conflict, InvalidInput, NotVisible
from wsp.inputs import clean_text

from .employers import _lock_current, _refuse_purged, require_admission


@transaction.atomic
def employer_merge(*, keep_id: int, merge_id: int, by: User, note: str = "") -> EmployerMerge:
    """A manager merges a duplicate record into the one kept, keeping all history (R-07).

    Every row that points to the duplicate (contact moments, requests, feedback, later vacancies) moves to the
    kept record; the duplicate stays as a tombstone with `merged_into` set, so old links still resolve.
    """
    require_manager(by)
    if keep_id == merge_id:
        raise InvalidInput(_("Choose two different employers."), fields={"merge": [_("Choose another employer.")]})
    locked = {e.pk: e for e in Employer.objects.select_for_update().filter(pk__in=[keep_id, merge_id]).current()}
    if keep_id not in locked:
        raise NotVisible(_("Employer not found."))
    if merge_id not in locked:
        raise InvalidInput(_("Unknown employer."), code="unknown_employer", fields={"merge": [_("Unknown employer.")]})
    keep, merge = locked[keep_id], locked[merge_id]
    _refuse_purged(keep)
    _refuse_purged(merge)
    snapshot = model_to_dict(merge)
    snapshot["last_contact_at"] = merge.last_contact_at.isoformat() if merge.last_contact_at else None
    moved: dict[str, int] = {}
    with pghistory.context(user=by.pk, action="merge", merged_employer=merge.pk):
        holders = set(AccountHolder.objects.filter(employer=keep).values_list("user_id", flat=True))
        for holder in AccountHolder.objects.filter(employer=merge):
            if holder.user_id not in holders and holder.user_id != keep.main_account_holder_id:
                AccountHolder.objects.create(employer=keep, user_id=holder.user_id, via=AccountHolderVia.MERGE)
        if merge.main_account_holder_id not in holders | {keep.main_account_holder_id}:
            AccountHolder.objects.create(
                employer=keep, user_id=merge.main_account_holder_id, via=AccountHolderVia.MERGE
            )
        AccountHolder.objects.filter(employer=merge).delete()
        for relation in Employer._meta.related_objects:
            if relation.many_to_many:
                count = _move_many_to_many(relation, merge=merge, keep=keep)
                if count:
                    moved[relation.through._meta.model_name] = count
                continue
            if not relation.one_to_many or relation.related_model in (
                AccountHolder,
                EmployerMerge,
                Employer,
                LikelyDuplicate,
            ):
                continue
            if relation.related_model.__module__.startswith("pghistory") or relation.related_model.__name__.endswith(
                "Event"
            ):
                continue
            count = relation.related_model._base_manager.filter(**{relation.field.name: merge}).update(
                **{relation.field.name: keep}
            )
            if count:
                moved[relation.related_model._meta.model_name] = count
        for field in (
            "kvk_number",
            "visiting_address",
            "city",
            "municipality",
            "sbi_code",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
        ):
            if not getattr(keep, field) and getattr(merge, field):
                setattr(keep, field, getattr(merge, field))
        for field in ("sector", "staff_count"):
            if getattr(keep, field) is None and getattr(merge, field) is not None:
                setattr(keep, field, getattr(merge, field))
        keep.save()
        merge.merged_into = keep
        merge.save(update_fields=["merged_into", "updated_at"])
    return EmployerMerge.objects.create(
        kept=keep, merged=merge, merged_by=by, snapshot=snapshot, moved=moved, note=clean_text(note)
    )


def _move_many_to_many(relation, *, merge: Employer, keep: Employer) -> int:
    """The merged record's links of a many-to-many relation (an event's employers) move to the record kept; a link
    the kept record already has is not doubled (the employer took part once)."""
    through = relation.through
    to_employer, owner = relation.field.m2m_reverse_field_name(), relation.field.m2m_field_name()
    already = through.objects.filter(**{to_employer: keep}).values(owner)
    through.objects.filter(**{to_employer: merge, f"{owner}__in": already}).delete()
    return through.objects.filter(**{to_employer: merge}).update(**{to_employer: keep})


@transaction.atomic
def employer_cease(*, employer_id: int, by: User, ceased_on: date) -> Employer:
    """R-09: an employer that stops trading is marked ceased (and purged later).

    R-04: by its main account holder, an admitted account holder or a manager. Not contact (R-05): a named action.
    """
    require_staff(by)
    employer = _lock_current(employer_id)
    require_admission(employer, by)
    if employer.is_ceased:
        raise Conflict(_("This employer is already marked as ceased."), code="already_ceased", rule="R-09")
    if ceased_on > timezone.localdate():
        raise InvalidInput(
            _("The date it ceased cannot lie in the future."),
            fields={"ceased_on": [_("Choose today or a date in the past.")]},
        )
    employer.status, employer.ceased_on = EmployerStatus.CEASED, ceased_on
    # A named action: marking the employer ceased is not contact with it.
    with pghistory.context(user=by.pk, action="cease"):
        employer.save(update_fields=["status", "ceased_on", "updated_at"])
    return employer


@transaction.atomic
def employer_reactivate(*, employer_id: int, by: User) -> Employer:
    """R-09: a ceased employer trading again is active again; R-04: by those who act for it. Not contact (R-05)."""
    require_staff(by)
    employer = _lock_current(employer_id)
    require_admission(employer, by)
    if not employer.is_ceased:
        raise Conflict(_("This employer is active."), code="not_ceased", rule="R-09")
    employer.status, employer.ceased_on = EmployerStatus.ACTIVE, None
    with pghistory.context(user=by.pk, action="reactivate"):
        employer.save(update_fields=["status", "ceased_on", "updated_at"])
    return employer


@dataclass(frozen=True)
class PurgeResult:
    """R-09: what one purge run did: employers deleted (their figures went into the tallies) and employers with
    vacancies anonymised (their records stay and keep counting)."""

    deleted: int = 0
    anonymised: int = 0

    @property
    def total(self) -> int:
        return self.deleted + self.anonymised


# The identifying fields of an employer record, emptied when it is anonymised.
IDENTIFYING_FIELDS = (
    "kvk_number", "visiting_address", "postcode", "city", "website", "contact_name", "contact_email", "contact_phone",
)  # fmt: skip
# What an anonymised record and its merge snapshots keep: the fields its figures are counted by.
COUNTED_FIELDS = ("sector", "municipality", "employer_type", "staff_count", "status", "ceased_on", "sbi_code")


def _purged_name(id_field: str):
    """ "Opgeheven werkgever #123", in the region's language (it is stored, so it must not depend on the request)."""
    with translation.override(settings.LANGUAGE_CODE):
        prefix = _("Ceased employer #")
    return Concat(Value(prefix), Cast(id_field, CharField())), Concat(
        Value(name_key(prefix) or "x"), Cast(id_field, CharField())
    )


def _removed_text() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("[removed]")


def _size_class_floor(field_name: str) -> Case:
    """The staff count at the bottom of its size class: the size class (and coverage, R-52) stays, the exact count
    that could identify a large employer goes."""
    return Case(
        When(**{f"{field_name}__isnull": True}, then=Value(None)),
        When(**{f"{field_name}__lt": 10}, then=Value(1)),
        When(**{f"{field_name}__lt": 50}, then=Value(10)),
        When(**{f"{field_name}__lt": 250}, then=Value(50)),
        default=Value(250),
    )


def _size_class_floor_value(staff_count: int) -> int:
    return 1 if staff_count < 10 else 10 if staff_count < 50 else 50 if staff_count < 250 else 250


def _text_removed(field_name: str, removed: str) -> Case:
    """An empty text stays empty (so R-08's visit report still holds); any other text is replaced."""
    return Case(When(**{field_name: ""}, then=Value("")), default=Value(removed))


def _with_tombstones(ids: list[int]) -> list[int]:
    """The records and the tombstones of duplicates merged into them (also through earlier merges)."""
    tombstones: list[int] = []
    frontier = ids
    while frontier:
        frontier = list(Employer.objects.filter(merged_into_id__in=frontier).values_list("id", flat=True))
        tombstones.extend(frontier)
    return ids + tombstones


@transaction.atomic
def employers_purge_ceased(*, ceased_before: date, now: datetime | None = None) -> PurgeResult:
    """R-09: purge employers that ceased before the date, keeping the figures they contributed to (R-57).

    An employer without vacancies is deleted, with its history and audit trail, after what it counted (contact
    moments, visits, contact requests and their 24-hour answers, feedback count and score sum) went into
    `PurgedEmployerTally`. An employer with vacancies (or placements) stays as an anonymised record, because
    vacancy, referral and placement figures are reproduced from those records: its identifying data is removed
    (also from its audit trail and merge snapshots, and the texts of its contact moments, contact requests,
    admission requests and feedback), its sector, municipality, size class and type stay, and `purged_at` marks it.
    Idempotent: a purged record is never purged again. Every write runs under the named action "purge", so nothing
    here counts as contact (R-05).
    """
    now = now or timezone.now()
    # Only current records count: a merged tombstone's history already moved to the record it was merged into.
    candidates = (
        Employer.objects.current().not_purged().filter(status=EmployerStatus.CEASED, ceased_on__lt=ceased_before)
    )
    ids = list(candidates.select_for_update(skip_locked=True).order_by("id").values_list("id", flat=True))
    if not ids:
        return PurgeResult()
    # Reverse lookups by name: this app does not import the vacancy and matching apps.
    kept = set(
        Employer.objects.filter(pk__in=ids)
        .filter(Q(vacancies__isnull=False) | Q(placements__isnull=False))
        .values_list("id", flat=True)
    )
    deleted = [pk for pk in ids if pk not in kept]
    with pghistory.context(action="purge"):
        if deleted:
            _tally_and_delete(deleted)
        if kept:
            _anonymise(sorted(kept), now=now)
    return PurgeResult(deleted=len(deleted), anonymised=len(kept))


def _tally_and_delete(ids: list[int]) -> None:
    """R-09: add what the employers counted to the tallies, then delete them, their tombstones and audit trail."""
    per_employer: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    moments = (
        ContactMoment.objects.filter(employer_id__in=ids)
        .values("employer_id")
        .annotate(n=Count("id"), visits=Count("id", filter=Q(kind=ContactKind.VISIT)))
    )
    for row in moments:
        per_employer[row["employer_id"]].update(contact_moments=row["n"], visits=row["visits"])
    within = Q(responded_at__lte=F("received_at") + timedelta(hours=ContactRequest.RESPONSE_HOURS))
    requests = (
        ContactRequest.objects.filter(employer_id__in=ids)
        .values("employer_id")
        .annotate(n=Count("id"), within=Count("id", filter=within))
    )
    for row in requests:
        per_employer[row["employer_id"]].update(contact_requests=row["n"], contact_requests_within_24h=row["within"])
    feedback = (
        EmployerFeedback.objects.filter(employer_id__in=ids)
        .values("employer_id")
        .annotate(n=Count("id"), s=Sum("score"))
    )
    for row in feedback:
        per_employer[row["employer_id"]].update(feedback=row["n"], feedback_score_sum=row["s"] or 0)

    groups: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for employer in Employer.objects.filter(pk__in=ids).only(
        "id", "ceased_on", "sector_id", "municipality", "employer_type", "staff_count"
    ):
        key = (
            employer.ceased_on.year,
            employer.sector_id,
            employer.municipality,
            employer.employer_type,
            SizeClass.for_staff_count(employer.staff_count).value,
        )
        groups[key]["employers"] += 1
        for name, value in per_employer.get(employer.pk, {}).items():
            groups[key][name] += value
    for (year, sector_id, municipality, employer_type, size_class), figures in groups.items():
        tally, _created = PurgedEmployerTally.objects.select_for_update().get_or_create(
            year_ceased=year,
            sector_id=sector_id,
            municipality=municipality,
            employer_type=employer_type,
            size_class=size_class,
        )
        PurgedEmployerTally.objects.filter(pk=tally.pk).update(
            **{name: F(name) + value for name, value in figures.items()}
        )

    everything = _with_tombstones(ids)
    EmployerMerge.objects.filter(Q(kept_id__in=everything) | Q(merged_id__in=everything)).delete()
    Employer.objects.filter(pk__in=everything).exclude(merged_into=None).update(merged_into=None)
    Employer.objects.filter(pk__in=everything).delete()
    # The audit trail kept copies of the deleted records (and the delete itself wrote more): they go too.
    apps.get_model("employers", "EmployerEvent").objects.filter(pgh_obj_id__in=everything).delete()
    for event_model in ("ContactMomentEvent", "ContactRequestEvent", "AccountHolderEvent"):
        apps.get_model("employers", event_model).objects.filter(employer_id__in=everything).delete()


def _anonymise(ids: list[int], *, now: datetime) -> None:
    """R-09: remove what identifies the employers; keep what they count by. See employers_purge_ceased."""
    everything = _with_tombstones(ids)
    removed = _removed_text()
    name, key = _purged_name("id")
    blank = {field_name: "" for field_name in IDENTIFYING_FIELDS}
    Employer.objects.filter(pk__in=everything).update(
        name=name, name_key=key, staff_count=_size_class_floor("staff_count"), purged_at=now, updated_at=now, **blank
    )
    # an anonymised record is nobody's likely duplicate (an update sends no post_save).
    LikelyDuplicate.objects.filter(Q(employer_id__in=everything) | Q(other_id__in=everything)).delete()
    event_name, _event_key = _purged_name("pgh_obj_id")
    apps.get_model("employers", "EmployerEvent").objects.filter(pgh_obj_id__in=everything).update(
        name=event_name, staff_count=_size_class_floor("staff_count"), **blank
    )
    texts = {name: _text_removed(name, removed) for name in ("summary", "reason", "company_activities", "agreements")}
    ContactMoment.objects.filter(employer_id__in=everything).update(**texts)
    apps.get_model("employers", "ContactMomentEvent").objects.filter(employer_id__in=everything).update(**texts)
    request_texts = {"question": _text_removed("question", removed), "requested_by": Value(""),
                     "response": _text_removed("response", removed)}  # fmt: skip
    ContactRequest.objects.filter(employer_id__in=everything).update(**request_texts)
    apps.get_model("employers", "ContactRequestEvent").objects.filter(employer_id__in=everything).update(
        **request_texts
    )
    EmployerFeedback.objects.filter(employer_id__in=everything).exclude(comment="").update(comment="", updated_at=now)
    AccessRequest.objects.filter(employer_id__in=everything).update(message="", decision_note="", updated_at=now)
    for merge in EmployerMerge.objects.filter(Q(kept_id__in=everything) | Q(merged_id__in=everything)):
        snapshot = {k: v for k, v in (merge.snapshot or {}).items() if k in COUNTED_FIELDS}
        if isinstance(snapshot.get("staff_count"), int):
            snapshot["staff_count"] = _size_class_floor_value(snapshot["staff_count"])
        merge.snapshot = snapshot
        merge.note = ""
        merge.save(update_fields=["snapshot", "note"])
    # the apps built on employers (vacancies) anonymise their own records of these employers, in this
    # transaction and under this "purge" action; employers does not import them (employers.signals).
    employer_anonymised.send(sender=Employer, employer_ids=everything, now=now)
