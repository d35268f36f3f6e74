"""Writes for candidates (R-23, R-40, R-41, R-42, R-58) and the Monday overview of newly work-ready candidates (R-41).

R-23: a candidate's target group belongs to the kind of their organisation: UWV's caseload holds WW, WIA and
Wajong, the municipalities and their reintegration bodies P-wet, NUG and Oekraine, and "other / unknown" may be in
either (`TargetGroup.may_book`). Checked on every create and change, so every hired candidate has one booker.
R-42: the candidate's place (municipality) is turned into coordinates (`wsp.geo`, offline) on every write, for the
distance in km to a job.

Only staff of the candidate's own organisation write a candidate; for anyone else it does not exist (404), the
same answer the reads give (R-40). The BSN is optional (R-58); when given it is checked with the eleven-test,
stored encrypted with a keyed hash for uniqueness within the organisation's caseload (never region-wide: that would
tell anyone whether another partner knows a BSN), and never repeated in a message, an error or a log line.
A refusal is raised before anything is written, so it leaves the data as it was.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from accounts.choices import NotificationKind, Role
from accounts.models import Organisation, User
from accounts.rules import require_staff
from accounts.services import notify
from employers.normalize import normalise_postcode
from vacancies.models import Skill
from wsp import geo
from wsp.errors import Conflict, InvalidInput, NotVisible
from wsp.inputs import clean_text

from ..bsn import bsn_lookup_hash, is_valid_bsn, normalise_bsn
from ..choices import CandidateStatus, TargetGroup
from ..models import Candidate
from ..selectors.candidates import last_complete_week, weekly_overview_summary

# What an adviser fills in. `organisation` is always the creator's; `status` changes only on an existing profile.
CREATE_FIELDS = (
    "first_name", "last_name", "email", "phone", "birth_date", "health_notes", "bsn", "target_group",
    "job_agreement", "work_ready_since", "hours_per_week", "postcode", "municipality", "skills", "max_travel_km",
    "adviser",
)  # fmt: skip
UPDATE_FIELDS = (*CREATE_FIELDS, "status")
_TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "municipality", "health_notes")


def _bsn_invalid_message() -> str:
    return _("This is not a valid BSN: it must be 9 digits and pass the eleven-test.")


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"Unknown candidate fields: {', '.join(unknown)}")


def _bsn(value) -> tuple[str, str | None]:
    """R-40, R-58: (normalised BSN, lookup hash); ("", None) when no BSN is given. The value is never echoed."""
    if value is None or str(value).strip() == "":
        return "", None
    if not is_valid_bsn(value):
        raise InvalidInput(
            _bsn_invalid_message(), code="bsn_invalid", rule="R-40", fields={"bsn": [_bsn_invalid_message()]}
        )
    return normalise_bsn(value), bsn_lookup_hash(value)


def _bsn_conflict() -> Conflict:
    # Nothing about the other record: not its id.
    return Conflict(
        _("A candidate with this BSN is already in your organisation's caseload."),
        code="bsn_already_registered",
        rule="R-40",
    )


def _check_bsn_free(bsn_hash: str | None, *, organisation_id: int, exclude_pk: int | None = None) -> None:
    """R-40: a BSN is registered once per organisation's caseload. Only the caller's own caseload is looked at: a
    region-wide check would tell anyone whether a BSN is known to another partner (a BSN oracle)."""
    if bsn_hash is None:
        return
    taken = Candidate.objects.filter(organisation_id=organisation_id, bsn_hash=bsn_hash)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _bsn_conflict()


def _clean_skills(value, *, keep: frozenset[int] = frozenset()) -> list[int]:
    """Known vocabulary ids, sorted and without repeats (R-42). Ids the candidate already has may be retired
    entries; newly added ones must be in use."""
    try:
        ids = sorted({int(pk) for pk in (value or ())})
    except (TypeError, ValueError):
        raise InvalidInput(
            _("Please correct the marked fields."), fields={"skills": [_("Give skills as a list of ids.")]}
        ) from None
    new = set(ids) - keep
    if new:
        active = set(Skill.objects.filter(pk__in=new, is_active=True).values_list("pk", flat=True))
        if new - active:
            raise InvalidInput(
                _("Please correct the marked fields."),
                code="unknown_skill",
                fields={
                    "skills": [
                        _("Unknown or retired skill: %(ids)s") % {"ids": ", ".join(map(str, sorted(new - active)))}
                    ]
                },
            )
    return ids


def _adviser(value, *, by: User) -> User:
    """The candidate's adviser: an active staff member of the candidate's (= the caller's) organisation."""
    if value is None:
        return by
    adviser = value if isinstance(value, User) else User.objects.filter(pk=value).first()
    if adviser is None or adviser.organisation_id != by.organisation_id or not adviser.is_active:
        raise InvalidInput(
            _("Please correct the marked fields."),
            code="invalid_adviser",
            rule="R-40",
            fields={"adviser": [_("Choose an active colleague of your own organisation.")]},
        )
    return adviser


def _apply(candidate: Candidate, fields: dict) -> None:
    """Set the plain fields on the instance, cleaned; the BSN, skills and adviser are set by the callers."""
    for name, value in fields.items():
        if name in ("bsn", "skills", "adviser"):
            continue
        if name in _TEXT_FIELDS:
            value = clean_text(value)
        elif name == "postcode":
            value = normalise_postcode(value or "") or clean_text(value)
        setattr(candidate, name, value)


def target_groups_for(organisation: Organisation) -> list[str]:
    """R-23: the target groups a candidate of this organisation may have, in the order of the choices."""
    return [value for value in TargetGroup.values if TargetGroup.may_book(value, organisation.kind)]


def target_group_message(organisation: Organisation) -> str:
    labels = [str(TargetGroup(value).label) for value in target_groups_for(organisation)]
    return _("The caseload of %(organisation)s holds these target groups: %(groups)s (R-23).") % {
        "organisation": organisation.name,
        "groups": ", ".join(labels),
    }


def _check_target_group(candidate: Candidate, organisation: Organisation) -> None:
    """R-23: the target group fits the kind of the candidate's organisation; otherwise 400 with a field error."""
    if candidate.target_group in TargetGroup.values and not TargetGroup.may_book(
        candidate.target_group, organisation.kind
    ):
        message = target_group_message(organisation)
        raise InvalidInput(
            message, code="target_group_not_of_organisation", rule="R-23", fields={"target_group": [message]}
        )


def _place(candidate: Candidate) -> None:
    """R-42: the coordinates of the candidate's municipality (None, None when it is not a known place)."""
    candidate.latitude, candidate.longitude = geo.coordinates(candidate.municipality)


def _validate(candidate: Candidate, *, today) -> None:
    errors: dict[str, list[str]] = {}
    try:
        # The BSN is checked apart (its messages never hold the value); relations are set by the service itself.
        candidate.full_clean(exclude=["bsn", "bsn_hash", "organisation", "adviser", "created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if candidate.birth_date and candidate.birth_date > today:
        errors.setdefault("birth_date", []).append(_("A date of birth cannot lie in the future."))
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), code="invalid", fields=errors)


def _save(candidate: Candidate) -> None:
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        # Two registrations of one BSN in one caseload at the same moment: the unique constraint decides.
        if "bsn_once_per_organisation" in str(exc) or "bsn_hash" in str(exc):
            raise _bsn_conflict() from None
        raise


# `sensitive_variables()`: an error report of an unexpected exception (the admins' e-mail, the debug page) lists
# the local variables of every frame; below these services they are all starred, the BSN and the other personal
# data included (R-40: never in logs).
@sensitive_variables()
@transaction.atomic
def candidate_create(*, by: User, now: datetime | None = None, **fields) -> Candidate:
    """Register a candidate in the caller's organisation's caseload (R-40); the adviser defaults to the caller.

    Ask for the least data (R-58): names, target group, hours and postcode; everything else, the BSN included,
    is optional. A candidate is available for placement once work-ready (R-41: `work_ready_since`). The target
    group must belong to the organisation's kind (R-23).
    """
    now = now or timezone.now()
    require_staff(by)
    _check_fields(fields, CREATE_FIELDS)
    bsn, bsn_hash = _bsn(fields.get("bsn"))
    candidate = Candidate(
        organisation_id=by.organisation_id,
        adviser=_adviser(fields.get("adviser"), by=by),
        created_by=by,
        status=CandidateStatus.AVAILABLE,
        skills=_clean_skills(fields.get("skills")),
        bsn=bsn,
        bsn_hash=bsn_hash,
        profile_reviewed_at=now,
    )
    _apply(candidate, fields)
    _validate(candidate, today=timezone.localdate(now))
    _check_target_group(candidate, by.organisation)
    _check_bsn_free(bsn_hash, organisation_id=candidate.organisation_id)
    _place(candidate)
    _save(candidate)
    return candidate


def _lock_own(candidate: Candidate | int, *, by) -> Candidate:
    """The candidate, locked, when it belongs to the caller's organisation; otherwise it is not there (R-40)."""
    pk = candidate.pk if isinstance(candidate, Candidate) else candidate
    locked = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=pk, organisation_id=getattr(by, "organisation_id", None))
        .first()
    )
    if locked is None:
        raise NotVisible(_("Candidate not found."))
    return locked


@sensitive_variables()
@transaction.atomic
def candidate_update(*, candidate: Candidate | int, by: User, now: datetime | None = None, **fields) -> Candidate:
    """Change a candidate's profile; staff of the candidate's organisation only (others: 404, R-40).

    `bsn=""` removes the BSN (R-58); leaving `bsn` out keeps it. An edit by the adviser counts as a review of
    the profile (freshness). The target group must (still) belong to the organisation's kind (R-23), whichever
    field changes: a profile that breaks the rule is corrected, not kept.
    """
    now = now or timezone.now()
    require_staff(by)
    _check_fields(fields, UPDATE_FIELDS)
    candidate = _lock_own(candidate, by=by)
    if "bsn" in fields:
        candidate.bsn, candidate.bsn_hash = _bsn(fields["bsn"])
    if "skills" in fields:
        candidate.skills = _clean_skills(fields["skills"], keep=frozenset(candidate.skills or ()))
    if "adviser" in fields:
        candidate.adviser = _adviser(fields["adviser"], by=by)
    _apply(candidate, fields)
    candidate.profile_reviewed_at = now
    _validate(candidate, today=timezone.localdate(now))
    _check_target_group(candidate, candidate.organisation)
    if "bsn" in fields:
        _check_bsn_free(candidate.bsn_hash, organisation_id=candidate.organisation_id, exclude_pk=candidate.pk)
    _place(candidate)
    _save(candidate)
    return candidate


@transaction.atomic
def candidate_mark_reviewed(*, candidate: Candidate | int, by: User, now: datetime | None = None) -> Candidate:
    """The adviser checked the profile and it is still right: it is fresh again (worklist of stale profiles)."""
    require_staff(by)
    candidate = _lock_own(candidate, by=by)
    candidate.profile_reviewed_at = now or timezone.now()
    candidate.save(update_fields=["profile_reviewed_at", "updated_at"])
    return candidate


# --- The weekly overview (R-41) -----------------------------------------------------------------------------------


def _overview_text(week, summary: list[dict]) -> tuple[str, str]:
    """Title and body of the Monday notice and e-mail: counts per organisation and target group, no personal data
    at all (R-40: an e-mail leaves the system; the names of the own candidates are on the page, behind login)."""
    total = sum(row["count"] for row in summary)
    title = ngettext(
        "Weekly overview week %(week)d: %(count)d candidate became work-ready",
        "Weekly overview week %(week)d: %(count)d candidates became work-ready",
        total,
    ) % {"week": week.number, "count": total}
    per_organisation: dict[str, list[str]] = {}
    for row in summary:
        label = str(TargetGroup(row["target_group"]).label) if row["target_group"] in TargetGroup.values else ""
        per_organisation.setdefault(row["organisation__name"], []).append(f"{label} {row['count']}")
    period = _("Work-ready from %(monday)s to %(sunday)s, all partner organisations.") % {
        "monday": week.monday.strftime("%d-%m-%Y"),
        "sunday": week.sunday.strftime("%d-%m-%Y"),
    }
    lines = [period, ""]
    lines += [f"{name}: {', '.join(groups)}" for name, groups in per_organisation.items()]
    if not summary:
        lines.append(_("Nobody became work-ready this week."))
    lines += ["", _("The overview shows their target group, hours, place and skills; names only of your own caseload.")]
    return title, "\n".join(lines)


def weekly_overview_recipients():
    """R-41: every active adviser, and any other active staff member who asked for the e-mail."""
    return User.objects.filter(is_active=True).filter(Q(role=Role.ADVISER) | Q(weekly_overview_email=True))


@transaction.atomic
def weekly_overview_send(*, week=None, today=None) -> dict:
    """R-41, every Monday: tell each adviser which candidates became work-ready in the past week (Monday to Sunday),
    with a notice on the home page linking to the overview, and an e-mail to those who opted in
    (`User.weekly_overview_email`).

    Once per adviser and week: the notice's key is the ISO week ("2026-W49") and `accounts.services.notify` makes a
    (user, kind, key) once only, by a database constraint, so a repeated or retried run sends nothing twice. The
    notice and the e-mail carry counts only, no personal data (R-40). Returns what was done.
    """
    week = week or last_complete_week(today)
    summary = weekly_overview_summary(week=week)
    title, body = _overview_text(week, summary)
    url = f"{reverse('weekly-overview')}?week={week.key}"
    recipients = list(weekly_overview_recipients())
    common = {"kind": NotificationKind.WEEKLY_OVERVIEW, "key": week.key, "title": title, "body": body, "url": url}
    emailed = notify(users=[u for u in recipients if u.weekly_overview_email], email=True, **common)
    shown = notify(users=[u for u in recipients if not u.weekly_overview_email], email=False, **common)
    return {
        "week": week.key,
        "candidates": sum(row["count"] for row in summary),
        "notices": len(emailed) + len(shown),
        "emails": len(emailed),
    }


@transaction.atomic
def weekly_overview_email_set(*, user: User, enabled: bool) -> User:
    """R-41: the staff member turns the Monday e-mail of the weekly overview on or off (the page is always there).
    Only their own setting."""
    require_staff(user)
    User.objects.filter(pk=user.pk).update(weekly_overview_email=bool(enabled), updated_at=timezone.now())
    user.weekly_overview_email = bool(enabled)
    return user
