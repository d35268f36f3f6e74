"""Feedback (R-11): an employer's feedback on an adviser, from the survey tool (API) or a CSV file."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from accounts.models import User
from accounts.rules import require_administrator
from employers import feedback_csv
from employers.choices import FeedbackSource
from employers.models import Employer, EmployerFeedback
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import CLOCK_SLACK, MSG_CORRECT_FIELDS, clean_text

from .employers import EARLIEST_MOMENT, _employer_from_input, moment_errors

FEEDBACK_ADVISER_ROLES = (Role.ADVISER, Role.ACCOUNT_MANAGER)
MSG_FEEDBACK_FUTURE = gettext_lazy("Feedback cannot be received in the future.")
MSG_FEEDBACK_SCORE = gettext_lazy("A score is a whole number from 0 to 10.")


@dataclass(frozen=True)
class FeedbackInput:
    """One employer's feedback on an adviser, as the survey tool or a file brings it in (R-11)."""

    employer: Employer
    adviser: User
    score: int
    received_at: datetime
    comment: str = ""
    source: str = FeedbackSource.SURVEY
    external_id: str = ""

    def same_answer_as(self, feedback: EmployerFeedback) -> bool:
        return (
            feedback.employer_id == self.employer.pk
            and feedback.adviser_id == self.adviser.pk
            and feedback.score == self.score
            and feedback.received_at == self.received_at
            and feedback.comment == self.comment
        )


def _feedback_errors(*, score, received_at, source, adviser, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        errors["score"] = [MSG_FEEDBACK_SCORE]
    if received_at is None:
        errors["received_at"] = [_("This field is required.")]
    else:
        errors.update(moment_errors(received_at, field="received_at", future_message=MSG_FEEDBACK_FUTURE, now=now))
    if source not in FeedbackSource.values:
        errors["source"] = [_("Choose direct_feedback, survey or other.")]
    if adviser is not None and adviser.role not in FEEDBACK_ADVISER_ROLES:
        errors["adviser"] = [_("Feedback concerns an adviser or an account manager.")]
    return errors


@transaction.atomic
def feedback_register(
    *,
    employer_id: int,
    adviser: User,
    score: int,
    received_at: datetime,
    by: User,
    comment: str = "",
    source: str = FeedbackSource.SURVEY,
    external_id: str = "",
    now: datetime | None = None,
) -> tuple[EmployerFeedback, bool]:
    """R-11: store an employer's feedback on an adviser (only that adviser will see it); returns (feedback, created).

    Comes in from the survey tool's integration user: an administrator account, or a manager (403 `manager_only`
    for anyone else). What a manager brings in by hand is stored and shown to the adviser, but never counts in the
    managers' aggregates (`registered_by_manager`; selectors.feedback_aggregates): otherwise a manager could add
    answers of their own to a hidden group and read a single adviser's score from the difference. Score 0-10,
    received after 1 January 2000 and not in the future. Idempotent on `external_id` (per source): the same answer sent
    again is not stored twice (created is False); another answer under the same id is a conflict (409).
    """
    now = now or timezone.now()
    if not getattr(by, "is_manager", False):
        raise RuleRefused(
            _("Only a manager or an administrator (the survey tool's integration user) brings feedback in (R-11)."),
            code="manager_only",
            rule="R-11",
        )
    employer = _employer_from_input(employer_id)
    errors = _feedback_errors(score=score, received_at=received_at, source=source, adviser=adviser, now=now)
    external_id = clean_text(external_id)
    if len(external_id) > 100:
        errors["external_id"] = [_("At most 100 characters.")]
    if errors:
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-11", fields=errors)
    answer = FeedbackInput(
        employer=employer,
        adviser=adviser,
        score=score,
        received_at=received_at,
        comment=clean_text(comment),
        source=source,
        external_id=external_id,
    )
    if external_id:
        existing = EmployerFeedback.objects.filter(source=source, external_id=external_id).first()
        if existing is not None:
            return _replayed(existing, answer), False
    feedback = _feedback_from(answer, by=by)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        # The same answer arrived twice at once: the other request stored it.
        existing = EmployerFeedback.objects.get(source=source, external_id=external_id)
        return _replayed(existing, answer), False
    return feedback, True


def _replayed(existing: EmployerFeedback, answer: FeedbackInput) -> EmployerFeedback:
    if not answer.same_answer_as(existing):
        raise Conflict(
            _("Another answer was already stored under this external id; it was not changed (R-11)."),
            code="feedback_external_id_conflict",
            rule="R-11",
            fields={"external_id": [_("Already used for another answer.")]},
            extra={"feedback": existing.pk},
        )
    return existing


def _feedback_from(answer: FeedbackInput, *, by: User) -> EmployerFeedback:
    feedback = EmployerFeedback(
        employer=answer.employer,
        adviser=answer.adviser,
        score=answer.score,
        received_at=answer.received_at,
        comment=answer.comment,
        source=answer.source,
        external_id=answer.external_id,
        registered_by=by,
        # fixed at registration (a later change of role does not bring these answers into the aggregates).
        registered_by_manager=by.role == Role.MANAGER,
    )
    # Field validation only: the score range and dates were checked above, and a second answer under the same
    # external id is caught by its unique constraint (a constraint check per row would cost a query per row).
    try:
        feedback.clean_fields(exclude=["employer", "adviser", "registered_by"])
    except ValidationError as exc:
        raise InvalidInput(MSG_CORRECT_FIELDS, fields=exc.message_dict, rule="R-11") from exc
    return feedback


@dataclass
class FeedbackImportResult:
    """R-11: what a file import stored: `created` new answers, `already_present` answers it had stored before."""

    created: int = 0
    already_present: int = 0
    errors: dict[int, list[str]] = field(default_factory=dict)


MSG_IMPORT_REFUSED = gettext_lazy("Nothing was imported: correct the rows below and upload the file again.")


@transaction.atomic
def feedback_import(*, by: User, content: bytes | str, now: datetime | None = None) -> FeedbackImportResult:
    """R-11: an administrator imports employer feedback from a CSV file (the browser page under Beheer and the
    `import_feedback` command both call this).

    Columns: employer (its number, or its 8-digit KvK number), adviser (username), score (0-10), comment, source
    (direct_feedback, survey or other; empty = survey), received_at (e.g. 2026-03-12 14:30 or 12-03-2026), and
    optionally external_id. Every row is checked first; when any row is wrong nothing is saved and the refusal
    (400) lists the wrong rows by line number. An answer imported before (the same external id, or the same
    employer, adviser, moment, score and comment) is not stored again. A fixed number of queries per file.
    """
    now = now or timezone.now()
    require_administrator(by)
    parsed = feedback_csv.read(content)
    if parsed.file_errors:
        raise InvalidInput(MSG_IMPORT_REFUSED, code="feedback_import_invalid", rule="R-11",
                           fields={"file": parsed.file_errors})  # fmt: skip
    rows = parsed.rows
    current = Employer.objects.current().not_purged()
    employers_by_id = {e.pk: e for e in current.filter(pk__in={r.employer_id for r in rows if r.employer_id})}
    by_kvk: dict[str, list[Employer]] = defaultdict(list)
    for employer in current.filter(kvk_number__in={r.kvk for r in rows if r.kvk}):
        by_kvk[employer.kvk_number].append(employer)
    # Usernames as people type them in a spreadsheet: without regard to case.
    usernames = {r.adviser.lower() for r in rows if r.adviser}
    by_username = Q(pk__in=[])
    for username in usernames:
        by_username |= Q(username__iexact=username)
    advisers = {u.username.lower(): u for u in User.objects.filter(by_username)}
    keys = {(r.source, r.external_id) for r in rows if r.external_id}
    stored_by_key = {
        (f.source, f.external_id): f
        for f in EmployerFeedback.objects.filter(external_id__in={key for _source, key in keys})
        if (f.source, f.external_id) in keys
    }

    result = FeedbackImportResult()
    answers: list[FeedbackInput] = []
    first_line_of: dict[tuple[str, str], int] = {}
    for row in rows:
        errors = list(row.errors)
        employer = employers_by_id.get(row.employer_id) if row.employer_id else None
        if row.employer_id and employer is None:
            errors.append(_("employer %(value)s is not known") % {"value": row.employer_id})
        if row.kvk:
            matches = by_kvk.get(row.kvk, [])
            if len(matches) == 1:
                employer = matches[0]
            elif matches:
                errors.append(
                    _("KvK number %(value)s belongs to several establishments: give the employer's number")
                    % {"value": row.kvk}
                )
            else:
                errors.append(_("no employer has KvK number %(value)s") % {"value": row.kvk})
        adviser = advisers.get(row.adviser.lower()) if row.adviser else None
        if row.adviser and adviser is None:
            errors.append(_("no staff member has the username %(value)s") % {"value": row.adviser})
        elif adviser is not None and adviser.role not in FEEDBACK_ADVISER_ROLES:
            errors.append(_("%(value)s is not an adviser or account manager") % {"value": row.adviser})
        if row.received_at is not None and row.received_at < EARLIEST_MOMENT:
            errors.append(_("received_at lies before 2000"))
        elif row.received_at is not None and row.received_at > now + CLOCK_SLACK:
            errors.append(_("received_at lies in the future"))
        if row.external_id:
            key = (row.source, row.external_id)
            if key in first_line_of:
                errors.append(
                    _("external_id %(value)s is also on line %(line)d")
                    % {"value": row.external_id, "line": first_line_of[key]}
                )
            first_line_of.setdefault(key, row.line)
        answer = None
        if not errors:
            answer = FeedbackInput(
                employer=employer, adviser=adviser, score=row.score, received_at=row.received_at,
                comment=row.comment, source=row.source, external_id=row.external_id,
            )  # fmt: skip
            stored = stored_by_key.get((row.source, row.external_id)) if row.external_id else None
            if stored is not None and not answer.same_answer_as(stored):
                errors.append(
                    _("external_id %(value)s was imported before with another answer") % {"value": row.external_id}
                )
        if errors:
            result.errors[row.line] = errors
        else:
            answers.append(answer)
    if result.errors:
        rows_refused = sorted(result.errors.items())
        raise InvalidInput(
            MSG_IMPORT_REFUSED,
            code="feedback_import_invalid",
            rule="R-11",
            fields={
                "file": [
                    _("Line %(line)d: %(errors)s.") % {"line": line, "errors": "; ".join(errors)}
                    for line, errors in rows_refused
                ]
            },
            extra={"rows": [{"line": line, "errors": errors} for line, errors in rows_refused]},
        )
    already = _already_imported(answers, stored_by_key)
    new = [_feedback_from(answer, by=by) for index, answer in enumerate(answers) if index not in already]
    EmployerFeedback.objects.bulk_create(new)
    result.created, result.already_present = len(new), len(already)
    return result


def _already_imported(answers: list[FeedbackInput], existing_by_id: dict) -> set[int]:
    """Indexes of answers stored before: by external id, or, without one, the same employer, adviser, moment,
    score and comment (one query for the whole file)."""
    already = {i for i, a in enumerate(answers) if a.external_id and (a.source, a.external_id) in existing_by_id}
    plain = [(i, a) for i, a in enumerate(answers) if not a.external_id]
    if plain:
        match = Q()
        for _i, a in plain:
            match |= Q(employer_id=a.employer.pk, adviser_id=a.adviser.pk, received_at=a.received_at)
        stored = {
            (f.employer_id, f.adviser_id, f.received_at, f.score, f.comment)
            for f in EmployerFeedback.objects.filter(match).only(
                "employer_id", "adviser_id", "received_at", "score", "comment"
            )
        }
        already |= {i for i, a in plain if (a.employer.pk, a.adviser.pk, a.received_at, a.score, a.comment) in stored}
    return already
