"""Writes of reporting.projects (STYLE habit 2): projects (R-54), events (R-19) and reach, by managers only (R-01).

Every refusal is raised before the first write inside `transaction.atomic`, so the data stays as it was; each
carries a stable code and the rule. A change users see (maximum subsidy, target) is written as its own row with
date and reason.
"""

import re
from datetime import date as Date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.rules import require_manager
from employers.models import Employer
from matching.models import Candidate, Placement, Referral
from wsp.errors import Conflict, InvalidInput
from wsp.inputs import clean_text, full_clean

from .choices import Channel
from .models import (
    Activity,
    ChannelReach,
    Event,
    EventPlacement,
    EventReferral,
    MaxSubsidyChange,
    Project,
    ProjectNumber,
    ProjectPlacement,
    TargetChange,
)

MSG_NEGATIVE = _("An amount or number cannot be negative.")
MSG_PERIOD = _("The end of the subsidy period cannot lie before its start.")
MSG_REASON = _("Give the reason for this change.")
MSG_DUPLICATE_NUMBER = _("Project number {number} already belongs to another project.")
MSG_NUMBER_REQUIRED = _("Give at least one project number.")
MSG_NUMBER_FORMAT = _("Use a project number such as 2016DW2012.")
MSG_RANGE = _("Give the realisation as a number or a range such as 1800-1850, the lower number first.")
MSG_NOT_REALISED_REASON = _("Give the reason why the activity was not realised.")
MSG_REALISED_AND_NOT = _("An activity is either realised or not realised with a reason, not both.")
MSG_DUPLICATE_CODE = _("Activity code {code} is used twice in this project.")
MSG_UNKNOWN = _("Unknown {what}: {ids}.")
MSG_PLACEMENT_TAKEN = _("Placement {id} already belongs to another project.")
MSG_PARTICIPANTS = _("There cannot be fewer participants than candidates linked to the event.")
MSG_QUARTER = _("A quarter is 1, 2, 3 or 4.")
MSG_YEAR = _("Give a year such as 2026.")
MSG_CHANNEL = _("Unknown channel.")

NUMBER_RE = re.compile(r"^[0-9]{4}[A-Z]{2,5}[0-9]{1,8}$")
RANGE_RE = re.compile(r"^\s*(\d{1,9})\s*(?:[-\u2013]\s*(\d{1,9})\s*)?$")


def _refuse(message, *, code: str, field: str, rule: str = "R-54", cls=InvalidInput):
    raise cls(message, code=code, rule=rule, fields={field: [message]})


def _amount(value, *, field: str, required: bool = True) -> Decimal | None:
    """R-54: money as a non-negative decimal; None only where the figure may be "not yet known"."""
    if value is None or value == "":
        if required:
            _refuse(_("This figure is required."), code="required", field=field)
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        _refuse(_("Give an amount such as 859265 or 859265.00."), code="invalid", field=field)
    if not amount.is_finite():
        _refuse(_("Give an amount such as 859265 or 859265.00."), code="invalid", field=field)
    if amount < 0:
        _refuse(MSG_NEGATIVE, code="negative_amount", field=field)
    return amount


def _count(value, *, field: str, allow_none: bool = True) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        _refuse(_("This figure is required."), code="required", field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        _refuse(_("Give a whole number."), code="invalid", field=field)
    if number < 0:
        _refuse(MSG_NEGATIVE, code="negative_amount", field=field)
    return number


def _reason(value, *, field: str) -> str:
    reason = clean_text(value)
    if not reason:
        _refuse(MSG_REASON, code="reason_required", field=field)
    return reason


def _period(start: Date, end: Date) -> None:
    if start and end and end < start:
        _refuse(MSG_PERIOD, code="period_end_before_start", field="period")


def parse_realised(value) -> tuple[int | None, int | None]:
    """R-54: "8" -> (8, None), "1800-1850" -> (1800, 1850), None or "" -> (None, None); low > high is refused."""
    if value is None or value == "":
        return None, None
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            _refuse(MSG_NEGATIVE, code="negative_amount", field="realised")
        return value, None
    match = RANGE_RE.match(str(value))
    if not match:
        if str(value).strip().startswith("-"):
            _refuse(MSG_NEGATIVE, code="negative_amount", field="realised")
        _refuse(MSG_RANGE, code="invalid_realised", field="realised")
    low, high = int(match[1]), int(match[2]) if match[2] else None
    if high is not None and low > high:
        _refuse(MSG_RANGE, code="realised_range_reversed", field="realised")
    return low, high


def _numbers(numbers, *, project: Project | None = None) -> list[str]:
    cleaned = []
    for raw in numbers or []:
        number = clean_text(raw).upper().replace(" ", "")
        if not NUMBER_RE.match(number):
            _refuse(MSG_NUMBER_FORMAT, code="invalid_project_number", field="numbers")
        if number in cleaned:
            _refuse(MSG_DUPLICATE_NUMBER.format(number=number), code="duplicate_project_number", field="numbers",
                    cls=Conflict)  # fmt: skip
        cleaned.append(number)
    if not cleaned:
        _refuse(MSG_NUMBER_REQUIRED, code="required", field="numbers")
    taken = ProjectNumber.objects.filter(number__in=cleaned)
    if project is not None:
        taken = taken.exclude(project=project)
    taken = list(taken.values_list("number", flat=True))
    if taken:
        _refuse(MSG_DUPLICATE_NUMBER.format(number=", ".join(sorted(taken))), code="duplicate_project_number",
                field="numbers", cls=Conflict)  # fmt: skip
    return cleaned


def _existing(model, ids, *, field: str, what: str) -> list:
    ids = list(dict.fromkeys(int(i) for i in ids or []))
    found = list(model.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {obj.pk for obj in found})
    if missing:
        message = MSG_UNKNOWN.format(what=what, ids=", ".join(map(str, missing)))
        raise InvalidInput(message, code="unknown_reference", fields={field: [message]})
    return found


def _placements_free(placements, *, project: Project | None) -> None:
    taken = ProjectPlacement.objects.filter(placement__in=placements)
    if project is not None:
        taken = taken.exclude(project=project)
    first = taken.first()
    if first:
        _refuse(MSG_PLACEMENT_TAKEN.format(id=first.placement_id), code="placement_in_other_project",
                field="placements", cls=Conflict)  # fmt: skip


def _activity_values(item: dict, *, index: int) -> dict:
    """One activity's input checked: code, description, target, realisation (R-54)."""
    code = clean_text(item.get("code"))
    if not code:
        _refuse(_("Give the activity a code."), code="required", field=f"activities[{index}].code")
    low, high = parse_realised(item.get("realised"))
    reason = clean_text(item.get("not_realised_reason"))
    if item.get("not_realised") and not reason:
        _refuse(MSG_NOT_REALISED_REASON, code="not_realised_reason_required", field="not_realised_reason")
    if reason and low is not None:
        _refuse(MSG_REALISED_AND_NOT, code="realised_and_not_realised", field="not_realised_reason")
    return {
        "code": code,
        "description": clean_text(item.get("description")),
        "target": _count(item.get("target"), field="target"),
        "target_unit": clean_text(item.get("target_unit")),
        "realised_low": low,
        "realised_high": high,
        "realised_note": clean_text(item.get("realised_note")),
        "not_realised_reason": reason,
    }


def _check_activities(activities) -> list[dict]:
    checked = [_activity_values(item, index=i) for i, item in enumerate(activities or [])]
    codes = [a["code"] for a in checked]
    for code in codes:
        if codes.count(code) > 1:
            _refuse(MSG_DUPLICATE_CODE.format(code=code), code="duplicate_activity_code", field="activities")
    return checked


@transaction.atomic
def project_create(
    *,
    by,
    numbers: list[str],
    title: str,
    applicant: str,
    period_start: Date,
    period_end: Date,
    budgeted_direct_costs,
    max_subsidy,
    requested_subsidy=None,
    applicant_organisation: int | None = None,
    executors: str = "",
    executor_organisations=(),
    signatories: str = "",
    signatory_organisations=(),
    period_note: str = "",
    budget_note: str = "",
    activities=(),
    placements=(),
) -> Project:
    """R-54: a project with its numbers, parties, period, figures and activities; by a manager (R-01)."""
    require_manager(by)
    numbers = _numbers(numbers)
    _period(period_start, period_end)
    costs = _amount(budgeted_direct_costs, field="budgeted_direct_costs")
    maximum = _amount(max_subsidy, field="max_subsidy")
    requested = _amount(requested_subsidy, field="requested_subsidy", required=False)
    checked = _check_activities(activities)
    executors_found = _existing(Organisation, executor_organisations, field="executors", what="organisations")
    signatories_found = _existing(Organisation, signatory_organisations, field="signatories", what="organisations")
    placements_found = _existing(Placement, placements, field="placements", what="placements")
    _placements_free(placements_found, project=None)
    applicant_found = (
        _existing(Organisation, [applicant_organisation], field="applicant", what="organisations")[0]
        if applicant_organisation
        else None
    )
    project = Project(
        applicant_organisation=applicant_found,
        title=clean_text(title),
        applicant=clean_text(applicant),
        executors=clean_text(executors),
        signatories=clean_text(signatories),
        period_start=period_start,
        period_end=period_end,
        period_note=clean_text(period_note),
        budgeted_direct_costs=costs,
        budget_note=clean_text(budget_note),
        initial_max_subsidy=maximum,
        max_subsidy=maximum,
        requested_subsidy=requested,
    )
    full_clean(project)
    project.save()
    ProjectNumber.objects.bulk_create([ProjectNumber(project=project, number=n) for n in numbers])
    project.executor_organisations.set(executors_found)
    project.signatory_organisations.set(signatories_found)
    for position, values in enumerate(checked):
        activity = Activity(project=project, position=position, **values)
        full_clean(activity, exclude=["project"])
        activity.save()
    ProjectPlacement.objects.bulk_create([ProjectPlacement(project=project, placement=p) for p in placements_found])
    return project


PLAIN_TEXT = ("title", "applicant", "executors", "signatories", "period_note", "budget_note")


@transaction.atomic
def project_update(*, by, project: Project, **fields) -> Project:
    """R-54: a change of a project. A new `max_subsidy` needs `max_subsidy_reason` (and optionally
    `max_subsidy_date`) and becomes a MaxSubsidyChange row; `activities` are matched on code: a new code is added,
    a changed target of an existing one needs its `target_change_reason` and becomes a TargetChange row."""
    require_manager(by)
    project = Project.objects.select_for_update().get(pk=project.pk)
    numbers = _numbers(fields["numbers"], project=project) if "numbers" in fields else None
    start = fields.get("period_start", project.period_start)
    end = fields.get("period_end", project.period_end)
    _period(start, end)
    changes = {}
    if "budgeted_direct_costs" in fields:
        changes["budgeted_direct_costs"] = _amount(fields["budgeted_direct_costs"], field="budgeted_direct_costs")
    if "requested_subsidy" in fields:
        changes["requested_subsidy"] = _amount(fields["requested_subsidy"], field="requested_subsidy", required=False)
    new_max = None
    if "max_subsidy" in fields:
        new_max = _amount(fields["max_subsidy"], field="max_subsidy")
        if new_max != project.max_subsidy:
            max_reason = _reason(fields.get("max_subsidy_reason"), field="max_subsidy_reason")
        else:
            new_max = None
    checked = _check_activities(fields["activities"]) if "activities" in fields else []
    current = {a.code: a for a in project.activities.all()}
    target_reasons = {}
    for item, values in zip(fields.get("activities") or [], checked, strict=False):
        existing = current.get(values["code"])
        if existing is not None and values["target"] != existing.target:
            target_reasons[values["code"]] = _reason(item.get("target_change_reason"), field="target_change_reason")
    executors_found = signatories_found = placements_found = None
    if "executor_organisations" in fields:
        executors_found = _existing(Organisation, fields["executor_organisations"], field="executors",
                                    what="organisations")  # fmt: skip
    if "signatory_organisations" in fields:
        signatories_found = _existing(Organisation, fields["signatory_organisations"], field="signatories",
                                      what="organisations")  # fmt: skip
    if "placements" in fields:
        placements_found = _existing(Placement, fields["placements"], field="placements", what="placements")
        _placements_free(placements_found, project=project)
    if fields.get("applicant_organisation"):
        project.applicant_organisation = _existing(
            Organisation, [fields["applicant_organisation"]], field="applicant", what="organisations"
        )[0]
    elif "applicant_organisation" in fields:
        project.applicant_organisation = None

    # Every check passed: write.
    for name in PLAIN_TEXT:
        if name in fields:
            setattr(project, name, clean_text(fields[name]))
    project.period_start, project.period_end = start, end
    for name, value in changes.items():
        setattr(project, name, value)
    today = timezone.localdate()
    if new_max is not None:
        MaxSubsidyChange.objects.create(
            project=project, date=fields.get("max_subsidy_date") or today, old=project.max_subsidy, new=new_max,
            reason=max_reason, changed_by=by,
        )  # fmt: skip
        project.max_subsidy = new_max
    full_clean(project)
    project.save()
    if numbers is not None:
        project.numbers.exclude(number__in=numbers).delete()
        have = set(project.numbers.values_list("number", flat=True))
        ProjectNumber.objects.bulk_create([ProjectNumber(project=project, number=n) for n in numbers if n not in have])
    if executors_found is not None:
        project.executor_organisations.set(executors_found)
    if signatories_found is not None:
        project.signatory_organisations.set(signatories_found)
    if placements_found is not None:
        project.project_placements.exclude(placement__in=placements_found).delete()
        have = set(project.project_placements.values_list("placement_id", flat=True))
        ProjectPlacement.objects.bulk_create(
            [ProjectPlacement(project=project, placement=p) for p in placements_found if p.pk not in have]
        )
    position = len(current)
    for values in checked:
        activity = current.get(values["code"])
        if activity is None:
            activity = Activity(project=project, position=position, **values)
            position += 1
        else:
            if values["code"] in target_reasons:
                TargetChange.objects.create(
                    activity=activity, date=today, old=activity.target, new=values["target"],
                    reason=target_reasons[values["code"]], changed_by=by,
                )  # fmt: skip
            for name, value in values.items():
                setattr(activity, name, value)
        full_clean(activity, exclude=["project"])
        activity.save()
    return project


@transaction.atomic
def max_subsidy_change(*, by, project: Project, date: Date, new, reason: str) -> MaxSubsidyChange:
    """R-54: a later decision changes the maximum subsidy; the latest change is the current maximum."""
    require_manager(by)
    amount = _amount(new, field="new")
    reason = _reason(reason, field="reason")
    project = Project.objects.select_for_update().get(pk=project.pk)
    change = MaxSubsidyChange.objects.create(
        project=project, date=date, old=project.max_subsidy, new=amount, reason=reason, changed_by=by
    )
    project.max_subsidy = amount
    project.save(update_fields=["max_subsidy", "updated_at"])
    return change


@transaction.atomic
def activity_target_change(*, by, activity: Activity, date: Date, new, reason: str) -> TargetChange:
    """R-54: a target change with its date and reason ("change request approved", "cut to 50%")."""
    require_manager(by)
    target = _count(new, field="new", allow_none=False)
    reason = _reason(reason, field="reason")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    change = TargetChange.objects.create(
        activity=activity, date=date, old=activity.target, new=target, reason=reason, changed_by=by
    )
    activity.target = target
    activity.save(update_fields=["target"])
    Project.objects.filter(pk=activity.project_id).update(updated_at=timezone.now())
    return change


@transaction.atomic
def activity_realisation_record(
    *, by, activity: Activity, realised=None, note: str = "", not_realised: bool = False, reason: str = ""
) -> Activity:
    """R-54: a realisation is a number, a range such as "1800-1850", or not realised with the reason."""
    require_manager(by)
    values = _activity_values(
        {"code": activity.code, "realised": realised, "realised_note": note, "not_realised": not_realised,
         "not_realised_reason": reason},
        index=0,
    )  # fmt: skip
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    for name in ("realised_low", "realised_high", "realised_note", "not_realised_reason"):
        setattr(activity, name, values[name])
    full_clean(activity, exclude=["project"])
    activity.save()
    Project.objects.filter(pk=activity.project_id).update(updated_at=timezone.now())
    return activity


def _event_references(fields: dict) -> dict:
    found = {}
    if "organisers" in fields:
        found["organisers"] = _existing(Organisation, fields["organisers"], field="organisers", what="organisations")
    if "employers" in fields:
        found["employers"] = _existing(Employer, fields["employers"], field="employers", what="employers")
    if "candidates" in fields:
        found["candidates"] = _existing(Candidate, fields["candidates"], field="candidates", what="candidates")
    if "referrals" in fields:
        found["referrals"] = _existing(Referral, fields["referrals"], field="referrals", what="referrals")
    if "placements" in fields:
        found["placements"] = _existing(Placement, fields["placements"], field="placements", what="placements")
    if fields.get("project") is not None:
        found["project"] = _existing(Project, [fields["project"]], field="project", what="project")[0]
    elif "project" in fields:
        found["project"] = None
    return found


def _event_write(event: Event, fields: dict, found: dict) -> Event:
    for name in ("kind", "date"):
        if name in fields:
            setattr(event, name, fields[name])
    if "title" in fields:
        event.title = clean_text(fields["title"])
    if "participants" in fields:
        event.participants = _count(fields["participants"], field="participants", allow_none=False)
    if "project" in found:
        event.project = found["project"]
    candidates = found.get("candidates")
    linked = len(candidates) if candidates is not None else (event.candidates.count() if event.pk else 0)
    if event.participants < linked:
        _refuse(MSG_PARTICIPANTS, code="participants_below_candidates", field="participants", rule="R-40")
    full_clean(event)
    event.save()
    for name in ("organisers", "employers", "candidates"):
        if name in found:
            getattr(event, name).set(found[name])
    if "referrals" in found:
        event.event_referrals.exclude(referral__in=found["referrals"]).delete()
        have = set(event.event_referrals.values_list("referral_id", flat=True))
        EventReferral.objects.bulk_create([EventReferral(event=event, referral=r) for r in found["referrals"]
                                           if r.pk not in have])  # fmt: skip
    if "placements" in found:
        event.event_placements.exclude(placement__in=found["placements"]).delete()
        have = set(event.event_placements.values_list("placement_id", flat=True))
        EventPlacement.objects.bulk_create([EventPlacement(event=event, placement=p) for p in found["placements"]
                                            if p.pk not in have])  # fmt: skip
    return event


@transaction.atomic
def event_create(*, by, kind: str, title: str, date: Date, participants: int = 0, **fields) -> Event:
    """Issue 8 point 6, R-19: an event with its organisers, employers, participants and what came from it."""
    require_manager(by)
    fields.update(kind=kind, title=title, date=date, participants=participants)
    _count(participants, field="participants", allow_none=False)
    found = _event_references(fields)
    return _event_write(Event(), fields, found)


@transaction.atomic
def event_update(*, by, event: Event, **fields) -> Event:
    require_manager(by)
    if "participants" in fields:
        _count(fields["participants"], field="participants", allow_none=False)
    found = _event_references(fields)
    event = Event.objects.select_for_update().get(pk=event.pk)
    return _event_write(event, fields, found)


@transaction.atomic
def reach_record(*, by, year: int, quarter: int, channel: str, reach: int, note: str = "") -> ChannelReach:
    """ZKIJ plan 3.4 and 5.3: the reach of a channel in a quarter, entered (or corrected) by a manager."""
    require_manager(by)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        _refuse(MSG_YEAR, code="invalid_year", field="year", rule=None)
    if quarter not in (1, 2, 3, 4):
        _refuse(MSG_QUARTER, code="invalid_quarter", field="quarter", rule=None)
    if channel not in Channel.values:
        _refuse(MSG_CHANNEL, code="invalid_channel", field="channel", rule=None)
    reach = _count(reach, field="reach", allow_none=False)
    row, _created = ChannelReach.objects.update_or_create(
        year=year, quarter=quarter, channel=channel,
        defaults={"reach": reach, "note": clean_text(note), "entered_by": by},
    )  # fmt: skip
    return row
