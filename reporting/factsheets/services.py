"""Writes of factsheets (R-55, R-57): request, build (a Celery task), publish. Managers only.

A factsheet is built from the measures of `reporting.measures.registry` for its quarter: per figure its value, the
ids of the records it counted and how it was computed. The build writes all figures and the status in one
transaction, so a worker killed half-way leaves the factsheet queued/running without figures, and a re-run builds
it cleanly; nothing half-built is ever shown. Publishing freezes it: the database refuses any later change.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.rules import require_manager
from reporting.measures.registry import MEASURES
from reporting.measures.scope import Scope
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import clean_text, int_or_none

from .choices import FactsheetStatus
from .models import Factsheet, FactsheetFigure

RULE = "R-57"
MSG_QUARTER = _("Choose a quarter from 1 to 4 of a year from 2000 to 2100.")
MSG_NOT_ENDED = _("This quarter has not ended yet: request a draft, or wait until it has ended (R-55).")
MSG_NOT_READY = _("Only a factsheet that is ready can be published.")
MSG_PUBLISHED = _("A published factsheet is never changed; publish a new version with a change note (R-57).")
MSG_NOTE = _("Say what changed since the previous version (R-57).")

# The sections of the factsheet and their figures, in order; each figure is a measure of the registry.
SECTIONS = (
    ("placements", _("Placements"), ("placements", "durable-placements", "job-agreement-jobs")),
    ("employers", _("Employer relations"), ("employers-new", "employers-without-contact")),
    (
        "funnel",
        _("From vacancy to placement"),
        tuple(f"funnel-{stage}" for stage in ("registered", "proposed", "invited", "hired", "booked", "durable")),
    ),
    (
        "compliance",
        _("Within 24 hours"),
        ("contact-requests", "contact-requests-late", "vacancies-received", "vacancies-late"),
    ),
)


def _period(year, quarter) -> tuple[int, int]:
    year, quarter = int_or_none(year), int_or_none(quarter)
    if year is None or quarter is None or not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise InvalidInput(MSG_QUARTER, code="invalid", fields={"quarter": [MSG_QUARTER]})
    return year, quarter


def _ended(year: int, quarter: int) -> bool:
    return Scope(year=year, quarter=quarter).last < timezone.localdate()


@transaction.atomic
def factsheet_request(*, by, year, quarter, draft: bool = False, change_note: str = "") -> Factsheet:
    """A new version of the quarter's factsheet, queued for the worker (the task is sent after the commit)."""
    require_manager(by)
    year, quarter = _period(year, quarter)
    if not draft and not _ended(year, quarter):
        raise RuleRefused(MSG_NOT_ENDED, code="quarter_not_ended", rule="R-55")
    versions = Factsheet.objects.select_for_update().filter(year=year, quarter=quarter)
    published_before = versions.filter(status=FactsheetStatus.PUBLISHED).exists()
    note = clean_text(change_note)
    if published_before and not draft and not note:
        raise InvalidInput(MSG_NOTE, code="change_note_required", rule=RULE, fields={"change_note": [MSG_NOTE]})
    version = (versions.aggregate(last=Max("version"))["last"] or 0) + 1
    factsheet = Factsheet.objects.create(
        year=year, quarter=quarter, version=version, is_draft=draft, change_note=note, created_by=by
    )
    from .tasks import build_factsheet

    transaction.on_commit(lambda: build_factsheet.delay(factsheet.pk))
    return factsheet


def factsheet_build(*, factsheet_id: int) -> Factsheet | None:
    """Computes every figure of the factsheet (R-55) and stores it with its record ids (R-57), in one transaction;
    a published one is left alone. Idempotent: a re-run replaces what an earlier, unfinished run did not commit."""
    with transaction.atomic():
        factsheet = Factsheet.objects.select_for_update().filter(pk=factsheet_id).first()
        if factsheet is None or factsheet.status == FactsheetStatus.PUBLISHED:
            return factsheet
        Factsheet.objects.filter(pk=factsheet.pk).update(status=FactsheetStatus.RUNNING, error="")
    try:
        with transaction.atomic():
            scope = Scope(year=factsheet.year, quarter=factsheet.quarter)
            FactsheetFigure.objects.filter(factsheet=factsheet).delete()
            figures = []
            for section, _title, keys in SECTIONS:
                for key in keys:
                    measure = MEASURES[key]
                    records = measure.records(scope)
                    figures.append(
                        FactsheetFigure(
                            factsheet=factsheet,
                            key=key,
                            section=section,
                            label=str(measure.label),
                            rule=measure.rule,
                            value=measure.value(scope),
                            record_ids=sorted(records.values_list("pk", flat=True)),
                            computed_as=f"{key} for {scope.label}"
                            + ("" if measure.periodic else f", as it stood on {timezone.localdate().isoformat()}"),
                        )
                    )
            FactsheetFigure.objects.bulk_create(figures)
            Factsheet.objects.filter(pk=factsheet.pk).update(status=FactsheetStatus.DONE, built_at=timezone.now())
    except Exception as error:
        Factsheet.objects.filter(pk=factsheet.pk).update(status=FactsheetStatus.FAILED, error=str(error)[:2000])
        raise
    factsheet.refresh_from_db()
    return factsheet


@transaction.atomic
def factsheet_publish(*, by, factsheet: Factsheet) -> Factsheet:
    """Freezes the factsheet as published (R-57): from now on the database refuses any change to it or its figures."""
    require_manager(by)
    factsheet = Factsheet.objects.select_for_update().get(pk=factsheet.pk)
    if factsheet.status == FactsheetStatus.PUBLISHED:
        raise Conflict(MSG_PUBLISHED, code="already_published", rule=RULE)
    if factsheet.status != FactsheetStatus.DONE or factsheet.is_draft:
        raise RuleRefused(MSG_NOT_READY, code="not_ready", rule=RULE)
    factsheet.status = FactsheetStatus.PUBLISHED
    factsheet.published_at = timezone.now()
    factsheet.published_by = by
    factsheet.save(update_fields=["status", "published_at", "published_by"])
    return factsheet
