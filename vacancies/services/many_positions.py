"""Many positions: the chain partner's duplicate of a 2-9 positions vacancy (R-25) and the co-production of one of
10 or more (R-19)."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

import pghistory
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.rules import require_staff
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import MSG_CORRECT_FIELDS, clean_text, full_clean

from ..choices import CloseReason, RecruitmentActivity, VacancyStatus
from ..models import RecruitmentPlan, Vacancy
from .shared import (
    BOOKED,
    HIRED,
    MSG_NOT_OPEN,
    _default_expiry,
    _field_errors,
    _flags,
    _lock,
    _organisation_from_input,
    _owner_from_input,
    _require_owner,
)

# --- Many positions: duplicate and co-production (R-19) ----------------------------------------------------

# The descriptive fields a partner's vacancy copies from the original.
COPIED_FIELDS = (
    "employer_id", "title", "description", "occupation_id", "skills", "hours_per_week", "postcode", "municipality",
    "source", "recruitment_request", "visibility", "blocked_reason", "target_group_flags", "min_age", "max_age",
    "latitude", "longitude",
)  # fmt: skip


def _copy(vacancy: Vacancy, **fields) -> Vacancy:
    copied = {name: getattr(vacancy, name) for name in COPIED_FIELDS}
    copied["skills"] = list(vacancy.skills)
    copied["target_group_flags"] = list(vacancy.target_group_flags)
    return Vacancy(**copied, **fields)


def _two_to_nine(vacancy: Vacancy) -> bool:
    return 2 <= vacancy.requested_positions < settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]


def partner_hires_to_book(vacancy: Vacancy, *, organisation_id: int) -> int:
    """R-25: hired referrals on the vacancy of the organisation's candidates that have no booked placement yet: what
    a duplicate for that organisation is for. Reverse lookups keep vacancies free of matching imports."""
    return (
        vacancy.referrals.filter(status=HIRED, candidate__organisation_id=organisation_id)
        .exclude(placements__status=BOOKED)
        .count()
    )


@transaction.atomic
def vacancy_duplicate(
    *,
    vacancy: Vacancy | int,
    by: User,
    owner: User | int,
    requested_positions: int | None = None,
    now: datetime | None = None,
) -> Vacancy:
    """R-25: on a vacancy of 2 to 9 positions the owner books its own organisation's candidates first and closes the
    vacancy; a chain partner with hired candidates then duplicates it under the same employer, refers them again on
    the duplicate and books there.

    The caller is staff of the partner (or the original's owner, when the matching app duplicates for the partners
    while it closes). One duplicate per partner organisation. The duplicate starts with one position (R-20) and is
    received and registered now: it is not a new report by the employer, so it must not count as a late
    registration (R-12) for the partner.

    Only an original closed with outcome "placement" is duplicated, and only for a partner with hired candidates on
    it that are not booked (`partner_hires_to_book`); otherwise 403 `nothing_to_duplicate` (R-25, and R-22: never a
    vacancy only to book a placement). The duplicate asks for at most that many positions, by default exactly that.
    """
    now = now or timezone.now()
    require_staff(by)
    original = _lock(vacancy)
    owner = _owner_from_input(owner)
    if not _two_to_nine(original):
        raise RuleRefused(
            _("Only a vacancy of 2 to 9 positions is duplicated for a chain partner (R-25)."),
            code="not_a_two_to_nine_vacancy",
            rule="R-25",
        )
    if original.duplicated_from_id is not None:
        raise RuleRefused(
            _("This vacancy is itself a duplicate; duplicate the original vacancy (R-25)."),
            code="already_a_duplicate",
            rule="R-25",
        )
    if original.status not in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise RuleRefused(
            _("The owner books its own candidates and closes the vacancy first; then it can be duplicated (R-25)."),
            code="vacancy_not_closed",
            rule="R-25",
        )
    if owner.organisation_id == original.organisation_id:
        message = _("A duplicate is for an adviser of a chain partner, not of the vacancy's own organisation (R-25).")
        raise RuleRefused(message, code="not_a_chain_partner", rule="R-25", fields={"owner": [message]})
    if by.organisation_id != owner.organisation_id and by.pk != original.owner_id:
        raise RuleRefused(
            _("Only staff of the chain partner duplicate a vacancy for it (R-25)."),
            code="not_partner_staff",
            rule="R-25",
        )
    existing = original.duplicates.filter(organisation_id=owner.organisation_id).values_list("pk", flat=True).first()
    if existing is not None:
        raise Conflict(
            _("Your organisation already has a duplicate of this vacancy (R-25)."),
            code="already_duplicated",
            rule="R-25",
            extra={"duplicate": existing},
        )
    hired = (
        partner_hires_to_book(original, organisation_id=owner.organisation_id)
        if original.close_reason == CloseReason.PLACEMENT
        else 0
    )
    if not hired:
        raise RuleRefused(
            _(
                "Only a vacancy closed with placements is duplicated, for a chain partner with hired candidates on it "
                "that are not booked yet (R-25); never a vacancy only to book a placement (R-22)."
            ),
            code="nothing_to_duplicate",
            rule="R-25",
        )
    maximum = min(hired, original.requested_positions)
    if requested_positions is None:
        requested_positions = maximum
    if isinstance(requested_positions, bool) or not isinstance(requested_positions, int):
        requested_positions = 0
    if not 1 <= requested_positions <= maximum:
        message = _("Between 1 and your organisation's hired candidates on this vacancy (%(max)s).") % {"max": maximum}
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-25", fields={"requested_positions": [message]})
    duplicate = _copy(
        original,
        owner=owner,
        organisation_id=owner.organisation_id,
        requested_positions=requested_positions,
        positions=1,
        received_at=now,
        registered_at=now,
        expires_on=_default_expiry(now),
        duplicated_from=original,
        created_by=by,
    )
    _field_errors(duplicate, {})
    with pghistory.context(user=by.pk, action="duplicate", duplicated_from=original.pk):
        duplicate.save()
    return duplicate


@transaction.atomic
def co_production_start(
    *,
    vacancy: Vacancy | int,
    by: User,
    activities: Iterable[str],
    partners: Iterable[Organisation | int],
    partner_owners: Mapping[int, User | int],
    planned_on: date | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> RecruitmentPlan:
    """R-19: a vacancy of 10 or more positions is a co-production. Its owner makes the recruitment plan with the
    chain partners, and each partner gets its own vacancy under the same employer (never a new employer), owned by
    the partner's adviser, so each refers and books its own candidates. The employer's request is split evenly over
    the partners' vacancies; each registers one position (R-20). The partners' vacancies are received and
    registered now, like a duplicate (R-25): they are not a new report by the employer.
    """
    now = now or timezone.now()
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by, rule="R-19")
    if vacancy.parent_id is not None or not vacancy.is_co_production:
        raise RuleRefused(
            _("Only a vacancy of %(n)s or more positions is a co-production (R-19).")
            % {"n": settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]},
            code="not_a_co_production",
            rule="R-19",
        )
    if vacancy.status != VacancyStatus.OPEN:
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-19")
    if RecruitmentPlan.objects.filter(vacancy=vacancy).exists():
        raise Conflict(
            _("This co-production already has a recruitment plan."), code="co_production_exists", rule="R-19"
        )

    errors: dict[str, list] = {}
    activities = _flags(activities)
    if not activities or any(a not in RecruitmentActivity.values for a in activities):
        errors["activities"] = [_("Choose at least one activity from the list.")]
    organisations: list[Organisation] = []
    for index, partner in enumerate(partners or ()):
        organisation = _organisation_from_input(partner, field=f"partners.{index}")
        if organisation.pk == vacancy.organisation_id:
            errors[f"partners.{index}"] = [_("The owner's own organisation is not a chain partner here.")]
        elif organisation.pk in {o.pk for o in organisations}:
            errors[f"partners.{index}"] = [_("Each partner once.")]
        organisations.append(organisation)
    if not organisations:
        errors["partners"] = [_("Choose at least one chain partner.")]
    elif len(organisations) > vacancy.requested_positions:
        errors["partners"] = [_("More partners than positions asked for.")]
    owners: dict[int, User] = {}
    for organisation in organisations:
        given = partner_owners.get(organisation.pk) if partner_owners else None
        field = f"partner_owners.{organisation.pk}"
        if given is None:
            errors[field] = [_("Name the partner's adviser who owns its vacancy.")]
            continue
        owner = _owner_from_input(given, field=field)
        if owner.organisation_id != organisation.pk:
            errors[field] = [_("This adviser does not work for that partner.")]
        owners[organisation.pk] = owner
    if errors:
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-19", fields=errors)

    plan = RecruitmentPlan(
        vacancy=vacancy, activities=activities, planned_on=planned_on, notes=clean_text(notes), created_by=by
    )
    try:
        full_clean(plan, exclude=["vacancy", "created_by"])
    except InvalidInput as exc:
        exc.rule = "R-19"
        raise
    share, extra = divmod(vacancy.requested_positions, len(organisations))
    with pghistory.context(user=by.pk, action="co_production", parent=vacancy.pk):
        plan.save()
        plan.partners.set(organisations)
        for index, organisation in enumerate(organisations):
            child = _copy(
                vacancy,
                owner=owners[organisation.pk],
                organisation=organisation,
                requested_positions=share + (1 if index < extra else 0),
                positions=1,
                received_at=now,
                registered_at=now,
                expires_on=_default_expiry(now),
                parent=vacancy,
                created_by=by,
            )
            _field_errors(child, {})
            child.save()
    return plan
