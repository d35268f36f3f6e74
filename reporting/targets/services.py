"""Writes of reporting.targets (R-50, R-51, R-52): only managers enter and change targets and employer counts.

Every refusal is raised before any write inside the transaction, so it leaves the data as it was.
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import Organisation, Sector, User
from accounts.rules import require_manager
from matching.choices import TargetGroup
from wsp.errors import Conflict, InvalidInput
from wsp.inputs import clean_text, full_clean

from .choices import Measure
from .measures import MEASURES
from .models import SectorEmployerCount, Target, TargetChange

MSG_DUPLICATE = _("There is already a target for this year, measure and key; change that one instead.")
MSG_ONE_KEY = _(
    "Give exactly one key: an organisation with a target group, an organisation with a sector, or an adviser."
)
MSG_NEGATIVE = _("A target cannot be negative.")
MSG_NUMBER = _("Enter a number.")
MSG_REASON = _("Give the reason for the change.")
MSG_UNCHANGED = _("The new target is the same as the current one.")
MSG_NO_TARGET_GROUP = _("This measure is not counted per target group.")
MSG_YEAR = _("Enter a year, such as 2025.")
MSG_MEASURE = _("Choose a measure.")
MSG_TARGET_GROUP = _("Choose a target group.")
MSG_ADVISER = _("An adviser or account manager of the region.")
MSG_COUNT_NEGATIVE = _("The number of employers cannot be negative.")
MSG_AMBITION = _("Enter the ambition as a share from 0 to 1, such as 0.35.")


def _invalid(field: str, message, code: str = "invalid"):
    return InvalidInput(message, code=code, rule="R-50", fields={field: [message]})


def _number(value, field: str, *, message=MSG_NEGATIVE, rule="R-50") -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise _invalid(field, MSG_NUMBER)
    if number < 0:
        raise InvalidInput(message, code="negative", rule=rule, fields={field: [message]})
    return number


def _year(year) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise _invalid("year", MSG_YEAR)
    return year


@transaction.atomic
def target_create(
    *,
    by: User,
    year: int,
    measure: str,
    target,
    organisation: Organisation | None = None,
    target_group: str = "",
    sector: Sector | None = None,
    adviser: User | None = None,
) -> Target:
    """R-50, R-51: a manager sets a target for a year and measure, for one key: (organisation, target group),
    (organisation, sector) or an adviser / account manager. A second target for the same key is a 409; a negative
    target a 400."""
    require_manager(by)
    year = _year(year)
    if measure not in Measure.values:
        raise _invalid("measure", MSG_MEASURE)
    value = _number(target, "target")
    target_group = target_group or ""
    if target_group and target_group not in TargetGroup.values:
        raise _invalid("target_group", MSG_TARGET_GROUP)
    keys = [organisation is not None and bool(target_group) and sector is None and adviser is None]
    keys.append(organisation is not None and sector is not None and not target_group and adviser is None)
    keys.append(adviser is not None and organisation is None and sector is None and not target_group)
    if sum(keys) != 1:
        raise InvalidInput(MSG_ONE_KEY, code="invalid_key", rule="R-50", fields={"non_field_errors": [MSG_ONE_KEY]})
    if target_group and not MEASURES[measure].has_target_group:
        raise _invalid("target_group", MSG_NO_TARGET_GROUP)
    if adviser is not None and adviser.role not in (Role.ADVISER, Role.ACCOUNT_MANAGER):
        raise _invalid("adviser", MSG_ADVISER)
    key = {"organisation": organisation, "target_group": target_group, "sector": sector, "adviser": adviser}
    existing = Target.objects.filter(year=year, measure=measure, **key).first()
    if existing is not None:
        raise Conflict(MSG_DUPLICATE, code="duplicate_target", rule="R-50", extra={"existing": existing.pk})
    item = Target(year=year, measure=measure, target=value, created_by=by, **key)
    full_clean(item, validate_constraints=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:  # a concurrent request stored the same key first
        raise Conflict(MSG_DUPLICATE, code="duplicate_target", rule="R-50") from exc
    return item


@transaction.atomic
def target_change(*, by: User, target: Target, new, reason: str) -> TargetChange:
    """R-50: a manager changes a target, giving the reason; the change is kept with date, old and new value,
    reason and who made it. Without a reason, or with a negative target, nothing changes."""
    require_manager(by)
    value = _number(new, "target")
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(MSG_REASON, code="reason_required", rule="R-50", fields={"reason": [MSG_REASON]})
    target = Target.objects.select_for_update().get(pk=target.pk)
    if value == target.target:
        raise _invalid("target", MSG_UNCHANGED, code="unchanged")
    change = TargetChange.objects.create(target=target, old=target.target, new=value, reason=reason, changed_by=by)
    target.target = value
    target.save(update_fields=["target", "updated_at"])
    return change


@transaction.atomic
def sector_employer_count_set(
    *, by: User, year: int, sector: Sector, employers_10_plus, source: str = "", ambition=None
) -> tuple[SectorEmployerCount, bool]:
    """R-52: a manager enters (or corrects) the number of employers with 10 or more staff in the region for a sector
    and year, with its source and, optionally, the coverage ambition (a share 0..1). Returns (count, created)."""
    require_manager(by)
    year = _year(year)
    number = _number(employers_10_plus, "employers_10_plus", message=MSG_COUNT_NEGATIVE, rule="R-52")
    if number != number.to_integral_value():
        raise InvalidInput(MSG_NUMBER, code="invalid", rule="R-52", fields={"employers_10_plus": [MSG_NUMBER]})
    share = None
    if ambition not in (None, ""):
        share = _number(ambition, "ambition", message=MSG_AMBITION, rule="R-52")
        if share > 1:
            raise InvalidInput(MSG_AMBITION, code="invalid", rule="R-52", fields={"ambition": [MSG_AMBITION]})
    item, created = SectorEmployerCount.objects.select_for_update().get_or_create(
        year=year,
        sector=sector,
        defaults={"employers_10_plus": int(number), "source": clean_text(source), "ambition": share, "updated_by": by},
    )
    if not created:
        item.employers_10_plus, item.source, item.ambition, item.updated_by = int(number), clean_text(source), share, by
        full_clean(item, validate_constraints=False)
        item.save()
    return item, created
