"""Who books a hired candidate, decided at the moment of the hire (R-19, R-23..R-25)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind, Role
from accounts.models import User
from accounts.services import notify
from matching.choices import TargetGroup
from matching.models import Candidate, Referral
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy
from wsp.errors import RuleRefused

# --- Who books (R-19, R-23..R-25) ----------------------------------------------------------------------------------


def is_two_to_nine_original(vacancy: Vacancy) -> bool:
    """R-25: a vacancy of 2 to 9 positions that is neither a partner's duplicate nor part of a co-production."""
    return (
        2 <= vacancy.requested_positions < settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]
        and vacancy.duplicated_from_id is None
        and vacancy.parent_id is None
    )


def _in_co_production(vacancy: Vacancy) -> bool:
    return vacancy.parent_id is not None or vacancy.is_co_production


def co_production_vacancy_of(vacancy: Vacancy, organisation_id: int) -> Vacancy | None:
    """R-19: the open vacancy of an organisation in the co-production that `vacancy` is part of, if it has one."""
    root = vacancy.parent_id or vacancy.pk
    return (
        Vacancy.objects.filter(Q(pk=root) | Q(parent_id=root), organisation_id=organisation_id)
        .filter(status=VacancyStatus.OPEN)
        .order_by("id")
        .first()
    )


def refuse_outside_own_vacancy(vacancy: Vacancy, candidate: Candidate) -> None:
    """Where each partner refers and books on a vacancy of its own, another organisation's candidate is not entered
    on this one, so that no hire is left without anyone who can book it:

    R-25: a chain partner's duplicate holds that partner's own hired candidates. R-19: in a co-production each
    partner proposes and books its own candidates on its own vacancy; a candidate of an organisation without a
    vacancy in it is proposed only on a vacancy of one position, which then moves to that organisation (R-24).
    """
    if candidate.organisation_id == vacancy.organisation_id:
        return
    if vacancy.duplicated_from_id is not None:
        raise RuleRefused(
            _(
                "A chain partner's duplicate is for that partner's own hired candidates (R-25): propose this "
                "candidate on the original vacancy or on a vacancy of their own organisation."
            ),
            code="duplicate_own_candidates_only",
            rule="R-25",
        )
    if not _in_co_production(vacancy):
        return
    own = co_production_vacancy_of(vacancy, candidate.organisation_id)
    organisation = candidate.organisation.name
    if own is not None:
        raise RuleRefused(
            _(
                "In a co-production each partner proposes and books its own candidates on its own vacancy (R-19): "
                "propose this candidate on the vacancy of %(organisation)s."
            )
            % {"organisation": organisation},
            code="co_production_own_vacancy",
            rule="R-19",
            extra={"vacancy": own.pk},
        )
    if vacancy.requested_positions > 1:
        raise RuleRefused(
            _(
                "%(organisation)s has no vacancy in this co-production, so nobody could book this candidate's "
                "placement here (R-19): only the partners of its recruitment plan propose and book on it."
            )
            % {"organisation": organisation},
            code="co_production_partners_only",
            rule="R-19",
        )


# The keys of the notices about booking a hire are `referral:<id>` followed by one of these (`_tell_about_the_hire`;
# `placements.booking.hires_of_departed_bookers_notify`).
BOOKER_LEFT_SUFFIX = ":booker_left"
HIRE_NOTICE_SUFFIXES = ("", BOOKER_LEFT_SUFFIX)


@dataclass(frozen=True)
class BookingPlan:
    """Who books the placement of a hired candidate, decided at the moment of the hire (R-23..R-25)."""

    booker: User
    # a chain partner's candidate hired on one position: the vacancy moves to the booker.
    hands_over: bool = False
    # a chain partner's candidate hired on a 2-9 original: the partner books on its duplicate of the vacancy,
    # which it gets when the owner closes the vacancy (`vacancy_close_with_placements`).
    waits_for_close: bool = False


def booking_plan(vacancy: Vacancy, candidate: Candidate) -> BookingPlan:
    """R-23: the candidate's own organisation books, so exactly one adviser books each hired candidate:

    - the candidate is of the vacancy's organisation (also a co-production partner's own vacancy, R-19, or a
      partner's duplicate, R-25): the vacancy owner;
    - a chain partner's candidate on a vacancy of one position: the partner's adviser (`partner_adviser`), to whom
      the vacancy moves (R-24);
    - a chain partner's candidate on a 2-9 original: the partner's adviser, on the partner's duplicate after the
      owner closed the vacancy (R-25).

    Refused before anything is written when no one could book: a candidate outside the partners' own vacancies of a
    co-production or a duplicate (`refuse_outside_own_vacancy`), a partner without an active adviser (R-24), or a
    target group the booking organisation does not book (R-23: correct the candidate's target group first).
    """
    refuse_outside_own_vacancy(vacancy, candidate)
    if candidate.organisation_id == vacancy.organisation_id:
        plan = BookingPlan(booker=vacancy.owner)
    elif vacancy.requested_positions == 1:
        plan = BookingPlan(booker=partner_adviser(candidate), hands_over=True)
    else:
        plan = BookingPlan(booker=partner_adviser(candidate), waits_for_close=True)
    organisation = plan.booker.organisation
    if not TargetGroup.may_book(candidate.target_group, organisation.kind):
        raise RuleRefused(
            _(
                "%(organisation)s would book this placement, but it does not book the target group %(group)s (R-23). "
                "The candidate's organisation corrects the target group first."
            )
            % {"organisation": organisation.name, "group": TargetGroup(candidate.target_group).label},
            code="no_booker_for_target_group",
            rule="R-23",
        )
    return plan


def _tell_about_the_hire(referral: Referral, vacancy: Vacancy, plan: BookingPlan, *, owner: User, by: User) -> None:
    """R-23..R-25: the vacancy owner and the booking adviser hear at once who books (a notice on the home page, and
    an e-mail to whoever did not make the change themself); the booker also finds it under "Plaatsing boeken".

    R-40: the notice is e-mailed, and an e-mail leaves the system: it names the candidate by number only (with the
    vacancy and the employer); the page behind the link shows the name to those who may see it."""
    booker = plan.booker
    names = {
        "candidate": referral.candidate_id,
        "vacancy": vacancy.title,
        "employer": vacancy.employer.name,
        "owner": owner.full_name,
        "booker": booker.full_name,
        "organisation": booker.organisation.name,
    }
    book_url = reverse("placement-book", args=[referral.pk])
    vacancy_url = reverse("vacancy-detail", args=[vacancy.pk])
    key = f"referral:{referral.pk}"
    if plan.hands_over:
        kind, url = NotificationKind.VACANCY_HANDED_OVER, book_url
        title = _("Vacancy %(vacancy)s is yours now: book the placement of candidate %(candidate)s") % names
        body = _(
            "%(owner)s hired candidate %(candidate)s of your organisation on this vacancy of one position at "
            "%(employer)s. The vacancy has moved to you and you book the placement (R-24)."
        )
    elif plan.waits_for_close:
        kind, url = NotificationKind.PLACEMENT_TO_BOOK, vacancy_url
        title = _("Candidate %(candidate)s hired on %(vacancy)s: book after %(owner)s closes the vacancy") % names
        body = _(
            "%(owner)s hired candidate %(candidate)s of your organisation at %(employer)s. The owner books its own "
            "candidates first and closes the vacancy; you then get a duplicate of it to book the placement on (R-25)."
        )
    else:
        kind, url = NotificationKind.PLACEMENT_TO_BOOK, book_url
        title = _("Book the placement of candidate %(candidate)s on %(vacancy)s") % names
        body = _(
            "Candidate %(candidate)s was hired at %(employer)s. Book the placement with its start date and hours "
            "(R-22)."
        )
    notify(users=[booker], kind=kind, key=key, title=title, body=body % names, url=url, email=booker.pk != by.pk)
    if owner.pk != booker.pk:
        notify(
            users=[owner],
            kind=NotificationKind.CANDIDATE_HIRED,
            key=key,
            title=_("Candidate %(candidate)s hired on %(vacancy)s: %(booker)s (%(organisation)s) books the placement")
            % names,
            body=(
                _("The candidate's own organisation books (R-23); the vacancy has moved to %(booker)s (R-24).")
                if plan.hands_over
                else _(
                    "The candidate's own organisation books (R-23): after you have booked your own candidates and "
                    "closed the vacancy, %(booker)s books on a duplicate of it (R-25)."
                )
            )
            % names,
            url=vacancy_url,
            email=owner.pk != by.pk,
        )


def partner_adviser(candidate: Candidate) -> User:
    """R-24, R-25: who takes a vacancy (or a duplicate) over for the candidate's organisation: the candidate's
    adviser when that is an active adviser (a vacancy owner is an active adviser, R-17), else the first active
    adviser of the candidate's organisation. Refused when the organisation has none."""
    adviser = candidate.adviser
    if adviser.is_active and adviser.role == Role.ADVISER:
        return adviser
    adviser = (
        User.objects.filter(organisation_id=candidate.organisation_id, role=Role.ADVISER, is_active=True)
        .order_by("id")
        .first()
    )
    if adviser is None:
        raise RuleRefused(
            _(
                "The candidate's organisation has no active adviser to take the vacancy over and book the placement "
                "(R-24). Ask the partner to appoint one first."
            ),
            code="no_partner_adviser",
            rule="R-24",
        )
    return adviser
