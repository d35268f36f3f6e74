"""What the referral services share: the vacancy lock and the register line (R-20, R-21)."""

from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import User
from matching.models import Referral, ReferralStatusChange
from vacancies.models import Vacancy
from wsp.errors import NotVisible


def lock_vacancy(vacancy_id: int) -> Vacancy:
    """The vacancy row, locked until the end of the transaction: bookings and status changes on one vacancy queue
    behind each other (R-20: two advisers booking the last position, exactly one wins)."""
    vacancy = (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("organisation", "employer")
        .filter(pk=vacancy_id)
        .first()
    )
    if vacancy is None:
        raise NotVisible(_("Vacancy not found."))
    return vacancy


def _record_change(referral: Referral, *, from_status: str, by: User, at: datetime, reason: str = "") -> None:
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=referral.status,
        changed_by=by,
        changed_at=at,
        reason=reason,
    )
