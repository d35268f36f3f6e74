"""The purge of ceased employers reaches their vacancies (R-09, R-57).

An anonymised employer's vacancies stay, because the vacancy, referral and placement figures are reproduced from
them (R-57); what identifies the employer in them goes. The employers app sends `employers.signals.
employer_anonymised` from its purge (employers does not import vacancies); `on_employer_anonymised`, connected in
vacancies/apps.py, runs this in the purge's transaction and its named pghistory action "purge".
"""

from collections.abc import Iterable
from datetime import datetime

import pghistory
from django.conf import settings
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pghistory.models import Context

from ..models import (
    CORRECT_RECEIPT_ACTION,
    RecruitmentPlan,
    Skill,
    Vacancy,
    VacancyEvent,
    VacancyHandover,
    VacancyIntake,
)

# What the figures count by stays: employer, owner, organisation, occupation, skills, hours, positions, municipality
# (and the place's coordinates), source, visibility, target groups, ages, status and outcome, every date and flag.
# What an adviser or the employer wrote goes: the title becomes the occupation's name (or "Vacature"), the texts
# are emptied, and so is the postcode of the work location (a PC6 postcode points at the employer's door, and even
# its four digits narrow a small place down to a few companies; the municipality stays for the figures).
EMPTIED_TEXTS = ("description", "close_note", "partner_offer_note", "postcode")


def _in_region_language(text: str) -> str:
    """Stored text, so in the region's language whatever the request's."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(_(text))


def _text_removed(field_name: str, removed: str) -> Case:
    """An empty text stays empty; any other text is replaced (a blocked vacancy keeps a reason, R-16)."""
    return Case(When(**{field_name: ""}, then=Value("")), default=Value(removed))


def _anonymous_title(generic: str) -> Coalesce:
    return Coalesce(Subquery(Skill.objects.filter(pk=OuterRef("occupation_id")).values("name")[:1]), Value(generic))


def vacancies_anonymise_for_employers(*, employer_ids: Iterable[int], now: datetime | None = None) -> int:
    """R-09: remove what identifies the employers from their vacancies and everything about them, keeping what the
    figures count by (see EMPTIED_TEXTS): the vacancies themselves and the copies of their audit trail
    (`VacancyEvent`), the reasons of receipt corrections in that trail's context (R-12), the intakes noted for the
    employers (title "[verwijderd]", note and reason of setting aside removed), the handovers' notes (R-13) and the
    recruitment plans' notes (R-19). Runs inside the caller's transaction, under the pghistory action "purge";
    idempotent. Returns the number of vacancies anonymised."""
    now = now or timezone.now()
    employer_ids = list(employer_ids)
    vacancy_ids = list(Vacancy.objects.filter(employer_id__in=employer_ids).values_list("id", flat=True))
    removed = _in_region_language("[removed]")
    generic = _in_region_language("Vacancy")
    texts = {name: Value("") for name in EMPTIED_TEXTS}
    texts["title"] = _anonymous_title(generic)
    texts["blocked_reason"] = _text_removed("blocked_reason", removed)
    # A named action (also when called on its own): not contact, and visible as the purge.
    with pghistory.context(action="purge"):
        if vacancy_ids:
            Vacancy.objects.filter(pk__in=vacancy_ids).update(**texts, updated_at=now)
            # The audit trail's copies, also of the update just made (it wrote events with the new texts).
            VacancyEvent.objects.filter(pgh_obj_id__in=vacancy_ids).update(**texts)
            corrections = Context.objects.filter(
                pk__in=VacancyEvent.objects.filter(
                    pgh_obj_id__in=vacancy_ids, pgh_context__metadata__action=CORRECT_RECEIPT_ACTION
                ).values("pgh_context_id")
            ).exclude(metadata__reason=removed)
            for context in corrections:
                context.metadata = {**context.metadata, "reason": removed}
                context.save(update_fields=["metadata"])
            VacancyHandover.objects.filter(vacancy_id__in=vacancy_ids).exclude(note="").update(note="")
            plans = RecruitmentPlan.objects.filter(vacancy_id__in=vacancy_ids).exclude(notes="")
            plans.update(notes="", updated_at=now)
        VacancyIntake.objects.filter(employer_id__in=employer_ids).exclude(
            Q(title=removed) & Q(note="") & Q(dismiss_reason__in=["", removed])
        ).update(title=removed, note="", dismiss_reason=_text_removed("dismiss_reason", removed))
    return len(vacancy_ids)


def on_employer_anonymised(sender, *, employer_ids, now=None, **kwargs) -> None:
    """Receiver of `employers.signals.employer_anonymised` (connected in vacancies/apps.py)."""
    vacancies_anonymise_for_employers(employer_ids=employer_ids, now=now)
