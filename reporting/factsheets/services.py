"""Writes of factsheets (R-55, R-57): request, build (a Celery task), publish. Managers only.

A factsheet is built from the measures of `reporting.measures.registry` for its quarter: per figure its value, the
ids of the records it counted and how it was computed. The build writes all figures and the status in one
transaction, so a worker killed half-way leaves the factsheet queued/running without figures, and a re-run builds
it cleanly; nothing half-built is ever shown. Publishing freezes it: the database refuses any later change.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.rules import require_manager
from reporting.measures.scope import Scope
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import clean_text, int_or_none

from .choices import FactsheetStatus
from .models import Factsheet, FactsheetFigure, FactsheetSection
from .sections import SECTION_KEYS, SECTIONS, Cell, FigureSpec, compute, ratio

RULE = "R-57"
MSG_QUARTER = _("Choose a quarter from 1 to 4 of a year from 2000 to 2100.")
MSG_NOT_ENDED = _("This quarter has not ended yet: request a draft, or wait until it has ended (R-55).")
MSG_NOT_READY = _("Only a factsheet that is ready can be published.")
MSG_PUBLISHED = _("A published factsheet is never changed; publish a new version with a change note (R-57).")
MSG_NOTE = _("Say what changed since the previous version (R-57).")
MSG_NOT_STALLED = _("This factsheet is being built; it can be built again when it failed or has been waiting too long.")
MSG_SECTION = _("This factsheet has no such section.")
MSG_EXPLANATION_LONG = _("Keep the explanation under %(limit)d characters.")
EXPLANATION_LIMIT = 4000
# A build takes seconds; one queued or running this long lost its worker (the broker hands it to another only after
# its visibility timeout), so a manager may send it again.
STALLED_AFTER = timedelta(minutes=5)


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
    # The explanations of the previous version are the starting point of the new one (a manager edits them).
    previous = FactsheetSection.objects.filter(
        factsheet__year=year, factsheet__quarter=quarter, factsheet__version=version - 1
    )
    FactsheetSection.objects.bulk_create(
        FactsheetSection(factsheet=factsheet, key=section.key, explanation=section.explanation, updated_by=by)
        for section in previous
    )
    from .tasks import build_factsheet

    transaction.on_commit(lambda: build_factsheet.delay(factsheet.pk))
    return factsheet


def _computed_as(spec: FigureSpec, cell: Cell, scope_label: str) -> str:
    if spec.ratio_of:
        numerator, denominator = spec.ratio_of
        return f"{numerator} / {denominator}"
    how = f"{spec.measure} for {scope_label}"
    if spec.by is not None:
        how += f", {spec.by.name} = {cell.group_key or 'none'}"
    if not spec.base_measure.periodic:
        how += f", as it stood on {timezone.localdate().isoformat()}"
    return how


def factsheet_figures(factsheet: Factsheet) -> list[FactsheetFigure]:
    """Every figure of the factsheet's sections (R-55, R-56), unsaved: one SQL query per spec, each returning per
    cell the value and the ids of the records it counted (R-57). Satisfaction only for an ended quarter (R-11)."""
    ended = _ended(factsheet.year, factsheet.quarter)
    figures, cells = [], {}
    for section in SECTIONS:
        for spec in section.specs:
            if spec.only_when_ended and not ended:
                continue
            scope = spec.scope(factsheet.year, factsheet.quarter)
            found = [ratio(spec, cells)] if spec.ratio_of else compute(spec, scope)
            measure = spec.base_measure
            for cell in found:
                cells[cell.key] = cell
                label = str(spec.ratio_label) if spec.ratio_of else str(measure.label)
                figures.append(
                    FactsheetFigure(
                        factsheet=factsheet,
                        key=cell.key,
                        section=section.key,
                        measure=spec.measure,
                        year_to_date=spec.year_to_date,
                        group_by=spec.by.name if spec.by else "",
                        group_key=cell.group_key,
                        group_label=cell.group_label[:200],
                        label=label,
                        rule=measure.rule if measure else section.rule,
                        unit=measure.unit if measure else "amount",
                        private=measure.private if measure else False,
                        value=cell.value,
                        target=cell.target,
                        base=cell.base,
                        record_ids=cell.record_ids,
                        computed_as=_computed_as(spec, cell, scope.label),
                    )
                )
    return figures


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
            FactsheetFigure.objects.filter(factsheet=factsheet).delete()
            FactsheetFigure.objects.bulk_create(factsheet_figures(factsheet))
            Factsheet.objects.filter(pk=factsheet.pk).update(status=FactsheetStatus.DONE, built_at=timezone.now())
    except Exception as error:
        Factsheet.objects.filter(pk=factsheet.pk).update(status=FactsheetStatus.FAILED, error=str(error)[:2000])
        raise
    factsheet.refresh_from_db()
    return factsheet


def is_stalled(factsheet: Factsheet, now=None) -> bool:
    """Queued or running for longer than a build takes: its worker was lost (killed, restarted)."""
    now = now or timezone.now()
    building = factsheet.status in (FactsheetStatus.QUEUED, FactsheetStatus.RUNNING)
    return (
        building
        and factsheet.created_at < now - STALLED_AFTER
        and (factsheet.built_at is None or factsheet.built_at < now - STALLED_AFTER)
    )


@transaction.atomic
def factsheet_rebuild(*, by, factsheet: Factsheet) -> Factsheet:
    """Sends a failed or stalled factsheet to the worker again (the build is idempotent: a late redelivery of the
    first task only builds the same figures once more, and never touches a published one)."""
    require_manager(by)
    factsheet = Factsheet.objects.select_for_update().get(pk=factsheet.pk)
    if factsheet.status == FactsheetStatus.PUBLISHED:
        raise Conflict(MSG_PUBLISHED, code="already_published", rule=RULE)
    if factsheet.status != FactsheetStatus.FAILED and not is_stalled(factsheet):
        raise Conflict(MSG_NOT_STALLED, code="not_stalled", rule=RULE)
    Factsheet.objects.filter(pk=factsheet.pk).update(status=FactsheetStatus.QUEUED, error="")
    from .tasks import build_factsheet

    transaction.on_commit(lambda: build_factsheet.delay(factsheet.pk))
    factsheet.refresh_from_db()
    return factsheet


@transaction.atomic
def factsheet_explain(*, by, factsheet: Factsheet, section: str, explanation: str) -> FactsheetSection:
    """A manager's explanation of a section (R-55), until the factsheet is published (R-57: then it is final)."""
    require_manager(by)
    factsheet = Factsheet.objects.select_for_update().get(pk=factsheet.pk)
    if factsheet.status == FactsheetStatus.PUBLISHED:
        raise Conflict(MSG_PUBLISHED, code="already_published", rule=RULE)
    if section not in SECTION_KEYS:
        raise InvalidInput(MSG_SECTION, code="unknown_section", fields={"section": [MSG_SECTION]})
    text = clean_text(explanation)
    if len(text) > EXPLANATION_LIMIT:
        message = MSG_EXPLANATION_LONG % {"limit": EXPLANATION_LIMIT}
        raise InvalidInput(message, code="too_long", fields={"explanation": [message]})
    found, _created = FactsheetSection.objects.update_or_create(
        factsheet=factsheet, key=section, defaults={"explanation": text, "updated_by": by}
    )
    return found


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
