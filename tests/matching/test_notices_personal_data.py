"""R-40: a notice is e-mailed, and an e-mail leaves the system, so the notices matching sends name a candidate by
number (with the vacancy and the employer), never by name; the page behind the link shows the name to those allowed.

The review found the candidate's full name in the hire notices (`_tell_about_the_hire`) and in the duplicate notice
(`_tell_duplicate_owner`). Every notice matching makes is covered here: the hire (own candidate, a partner's on one
position, a partner's on 2-9 positions), the duplicate after the close, the withdrawn hire, the hire whose booker left,
the aftercare reminder and the weekly overview.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notification
from matching import tasks
from matching.choices import ReferralStatus, TargetGroup
from matching.models import Candidate, Placement, Referral
from matching.services import candidates as candidate_services
from matching.services import placements as placement_services
from matching.services import referrals as referral_services

from .placement_helpers import book, hire, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db


def _named(adviser, vacancy, **fields) -> Candidate:
    return make_candidate(adviser, vacancy, first_name="Geheimnaam", last_name="Verborgen", **fields)


def _assert_no_names(candidates) -> None:
    texts = [f"{n.title}\n{n.body}" for n in Notification.objects.all()]
    texts += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert texts
    for text in texts:
        assert "Geheimnaam" not in text and "Verborgen" not in text, text
        for candidate in candidates:
            assert candidate.email not in text and candidate.phone not in text, text


def test_hire_notices_name_the_candidate_by_number_R40(adviser, colleague, other_adviser,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    own_vacancy = make_vacancy(adviser)
    one = make_vacancy(adviser)
    three = make_vacancy(adviser, requested_positions=3)
    own = _named(colleague, own_vacancy)
    partner_one = _named(other_adviser, one, target_group=TargetGroup.PWET)
    partner_three = _named(other_adviser, three, target_group=TargetGroup.NUG)
    with django_capture_on_commit_callbacks(execute=True):
        hire(own_vacancy, own)
        hire(one, partner_one)  # the vacancy moves to the partner
        referral = hire(three, partner_three)  # the partner books on its duplicate after the close
    told = Notification.objects.filter(key=f"referral:{referral.pk}")
    assert told.count() == 2 and all(str(partner_three.pk) in n.title for n in told)
    _assert_no_names([own, partner_one, partner_three])


def test_the_duplicate_notice_names_the_candidate_by_number_R25_R40(adviser, other_adviser,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    vacancy = make_vacancy(adviser, requested_positions=2)
    candidate = _named(other_adviser, vacancy, target_group=TargetGroup.NUG)
    hire(vacancy, candidate)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        [duplicate] = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    carried = Referral.objects.get(vacancy=duplicate)
    [told] = Notification.objects.filter(key=f"referral:{carried.pk}")
    assert str(candidate.pk) in told.title and [m.to for m in mail.outbox] == [[other_adviser.email]]
    _assert_no_names([candidate])


def test_withdrawn_hires_departed_bookers_aftercare_and_the_weekly_overview_name_nobody_R40(
    adviser, colleague, other_adviser, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(adviser)
    other = make_vacancy(adviser)
    booked_vacancy = make_vacancy(adviser)
    withdrawn = _named(other_adviser, vacancy, target_group=TargetGroup.PWET)
    left = _named(colleague, other)
    placed = _named(colleague, booked_vacancy, work_ready_since=timezone.localdate() - timedelta(days=3))
    adviser.weekly_overview_email = True
    adviser.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = hire(vacancy, withdrawn)
        referral_services.referral_set_status(
            referral=referral, by=other_adviser, status=ReferralStatus.WITHDRAWN, reason="Geheimnaam ziek"
        )
        hire(other, left)
        placement = book(adviser, hire(booked_vacancy, placed))
    adviser.is_active = False
    adviser.save()
    colleague.weekly_overview_email = True
    colleague.save()
    due = timezone.localdate()
    Placement.objects.filter(pk=placement.pk).update(next_aftercare_on=due, booked_by=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tell_about_hires_of_departed_bookers() == 1
        assert tasks.check_placement_durability(today=due.isoformat())["reminders"] == 1
        assert candidate_services.weekly_overview_send(today=due + timedelta(days=7 - due.weekday()))["notices"]
    _assert_no_names([withdrawn, left, placed])
    assert not any("ziek" in f"{n.title} {n.body}" for n in Notification.objects.all())
