"""A hire that falls through is no dead end (R-21, R-23..R-25, R-43), and a hire whose booker left is seen.

The review found that `hired` had no way out: a hire whose candidate never started could neither be booked nor
removed, so the owner of a 2-9 vacancy could never close it (`own_hires_unbooked`) and a chain partner never got its
duplicate (repro /tmp/rev/test_deadend.py). Now the vacancy owner or the organisation that books the hire withdraws it
with a reason while no placement is booked for it (a timestamped register line; the funnel counts it as hired, never
as booked), and the other advisers of the hire are told. And a hire whose recorded booker has left is shown to, and
booked by, the active advisers of the booker's organisation, who are told once.
"""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from matching import tasks
from matching.choices import ReferralStatus, TargetGroup
from matching.models import Referral, ReferralStatusChange
from matching.selectors import placements as placement_selectors
from matching.services import placements as placement_services
from matching.services import referrals as referral_services
from reporting.measures import funnel as funnel_measures
from tests.factories import UserFactory
from wsp.errors import Conflict, InvalidInput, RuleRefused

from .placement_helpers import book, hire, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

API = "/api/v1/"
FELL_THROUGH = "Kandidaat is niet begonnen"


def withdraw(referral, by, reason=FELL_THROUGH, **fields):
    return referral_services.referral_set_status(
        referral=referral, by=by, status=ReferralStatus.WITHDRAWN, reason=reason, **fields
    )


def lines(referral) -> list[tuple[str, str, str]]:
    return [
        (c.from_status, c.to_status, c.reason)
        for c in ReferralStatusChange.objects.filter(referral=referral).order_by("changed_at", "id")
    ]


@pytest.fixture
def three(adviser, other_adviser):
    """The reviewer's situation: 3 positions, one own hire booked, one own hire that fell through, one partner's."""
    vacancy = make_vacancy(adviser, requested_positions=3)
    booked = hire(vacancy, make_candidate(adviser, vacancy))
    book(adviser, booked)
    fell_through = hire(vacancy, make_candidate(adviser, vacancy))
    partner = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    return vacancy, fell_through, partner


def test_an_own_hire_that_fell_through_is_withdrawn_and_the_vacancy_closes_for_the_partner_R21_R25(
    adviser, other_adviser, three
):
    vacancy, fell_through, partner = three
    with pytest.raises(RuleRefused) as refused:
        placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    assert refused.value.code == "own_hires_unbooked"

    withdraw(fell_through, adviser)

    fell_through.refresh_from_db()
    assert (fell_through.status, fell_through.booker) == (ReferralStatus.WITHDRAWN, None)
    assert lines(fell_through) == [
        ("", "proposed", ""),
        ("proposed", "hired", ""),
        ("hired", "withdrawn", FELL_THROUGH),
    ]
    [duplicate] = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    carried = Referral.objects.get(vacancy=duplicate)
    assert carried.candidate_id == partner.candidate_id and carried.booker == other_adviser


def test_a_hire_is_withdrawn_only_with_a_reason_and_the_data_stays_as_it_was_R21(adviser, three, counts):
    _vacancy, fell_through, _partner = three
    before = counts()
    for reason in ("", "   "):
        with pytest.raises(InvalidInput) as refused:
            withdraw(fell_through, adviser, reason=reason)
        assert (refused.value.code, refused.value.rule) == ("reason_required", "R-21")
        assert "reason" in refused.value.fields
    assert counts() == before
    fell_through.refresh_from_db()
    assert (fell_through.status, fell_through.booker_id) == (ReferralStatus.HIRED, fell_through.vacancy.owner_id)


def test_a_booked_hire_is_withdrawn_only_after_the_placement_is_cancelled_R21_R57(adviser, counts):
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    placement = book(adviser, referral)
    before = counts()
    with pytest.raises(Conflict) as refused:
        withdraw(referral, adviser)
    assert (refused.value.code, refused.value.extra) == ("hire_booked", {"placement": placement.pk})
    assert counts() == before
    placement_services.placement_cancel(placement=placement, by=adviser, reason="Niet begonnen")
    withdraw(referral, adviser)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


def test_who_withdraws_a_hire_the_owner_and_the_booking_organisation_R17_R23(municipality, three, counts):
    """The partner's hire on the 2-9 original waits for the close; the partner (who books it) may withdraw it too,
    as may the owner; a third organisation may not, and its refusal changes nothing."""
    _vacancy, _fell_through, partner = three
    stranger = UserFactory(username="sam", role=Role.ADVISER)  # an adviser of a third organisation
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        withdraw(partner, stranger)
    assert refused.value.code == "not_vacancy_owner"
    assert counts() == before
    partner_colleague = UserFactory(username="pim", role=Role.ADVISER, organisation=municipality)
    withdraw(partner, partner_colleague)  # the booker's organisation
    partner.refresh_from_db()
    assert partner.status == ReferralStatus.WITHDRAWN


def test_only_a_hire_goes_back_to_withdrawn_and_nothing_else_reopens_R21(adviser, counts):
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    withdraw(referral, adviser)
    before = counts()
    for status in (ReferralStatus.HIRED, ReferralStatus.INVITED, ReferralStatus.WITHDRAWN):
        with pytest.raises(Conflict) as refused:
            referral_services.referral_set_status(referral=referral, by=adviser, status=status, reason="x")
        assert refused.value.code == "status_transition_not_allowed"
    assert counts() == before


def test_the_funnel_counts_a_withdrawn_hire_as_hired_and_not_as_booked_R43(adviser):
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    day = timezone.localdate(vacancy.registered_at)
    before = funnel_measures.referral_funnel(date_from=day, date_to=day)
    withdraw(referral, adviser)
    after = funnel_measures.referral_funnel(date_from=day, date_to=day)
    assert before.counts() == after.counts()
    assert dict(after.counts()) == {
        "registered": 1, "proposed": 1, "invited": 1, "hired": 1, "booked": 0, "durable": 0,
    }  # fmt: skip
    assert after.proposals_per_hire == before.proposals_per_hire


def test_the_other_advisers_are_told_by_number_and_the_hire_notices_are_read_R21_R40(
    adviser, other_adviser, django_capture_on_commit_callbacks
):
    """R-24: the partner's candidate hired on one position moved the vacancy to the partner, who books. The partner
    withdraws the hire: the former owner (who recorded the hire) hears of it by notice and e-mail, which name the
    candidate by number and carry neither the name nor the reason; the notices to book it are marked read."""
    vacancy = make_vacancy(adviser)
    candidate = make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)
    referral = hire(vacancy, candidate)
    assert Notification.objects.filter(key=f"referral:{referral.pk}", read_at=None).count() == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(referral, other_adviser)
    [told] = Notification.objects.filter(key=f"referral:{referral.pk}:withdrawn")
    assert (told.user, told.kind) == (adviser, NotificationKind.OTHER)
    assert str(candidate.pk) in told.title and told.url == reverse("vacancy-detail", args=[vacancy.pk])
    [message] = mail.outbox
    assert message.to == [adviser.email]
    for text in (told.title, told.body, message.subject, message.body):
        assert candidate.first_name not in text and candidate.last_name not in text and FELL_THROUGH not in text
    assert not Notification.objects.filter(key=f"referral:{referral.pk}", read_at=None).exists()


def test_a_hire_carried_over_to_a_duplicate_is_withdrawn_with_its_original_R25_R43(adviser, other_adviser):
    vacancy = make_vacancy(adviser, requested_positions=2)
    original = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.NUG))
    [duplicate] = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    carried = Referral.objects.get(vacancy=duplicate)

    withdraw(carried, other_adviser)

    for referral in (original, carried):
        referral.refresh_from_db()
        assert (referral.status, referral.booker) == (ReferralStatus.WITHDRAWN, None)
        assert lines(referral)[-1] == ("hired", "withdrawn", FELL_THROUGH)
    assert placement_selectors.placements_to_book(user=other_adviser).referrals == []
    day = timezone.localdate(vacancy.registered_at)
    funnel = dict(funnel_measures.referral_funnel(date_from=day, date_to=day).counts())
    assert (funnel["registered"], funnel["proposed"], funnel["hired"], funnel["booked"]) == (1, 1, 1, 0)


def test_a_booked_duplicate_keeps_its_original_hire_R25(adviser, other_adviser, counts):
    vacancy = make_vacancy(adviser, requested_positions=2)
    original = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.NUG))
    [duplicate] = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    book(other_adviser, Referral.objects.get(vacancy=duplicate))
    before = counts()
    with pytest.raises(Conflict) as refused:
        withdraw(original, adviser)
    assert refused.value.code == "hire_booked"
    assert counts() == before


def test_the_vacancy_page_offers_the_withdrawal_to_the_owner_and_it_works_R21(client, adviser, other_adviser, three):
    vacancy, fell_through, partner = three
    client.force_login(other_adviser)  # the partner books its hire (after the close): it may withdraw it
    page = client.get(reverse("vacancy-detail", args=[vacancy.pk])).content.decode()
    assert f'id="withdraw-{partner.pk}"' in page and f'id="withdraw-{fell_through.pk}"' not in page
    client.force_login(adviser)
    page = client.get(reverse("vacancy-detail", args=[vacancy.pk])).content.decode()
    assert f'id="withdraw-{fell_through.pk}"' in page and "Aanname ging niet door?" in page
    response = client.post(
        reverse("referral-status", args=[fell_through.pk]), {"status": "withdrawn", "reason": FELL_THROUGH}
    )
    assert response.status_code == 302
    fell_through.refresh_from_db()
    assert fell_through.status == ReferralStatus.WITHDRAWN
    # Without a reason: the page says so and nothing changes.
    response = client.post(reverse("referral-status", args=[partner.pk]), {"status": "withdrawn"}, follow=True)
    assert "Geef aan waarom de aanname wordt ingetrokken" in response.content.decode()
    partner.refresh_from_db()
    assert partner.status == ReferralStatus.HIRED


def test_the_api_withdraws_a_hire_with_its_reason_R21(adviser_client, adviser, counts):
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    before = counts()
    refused = adviser_client.patch(f"{API}referrals/{referral.pk}/", {"status": "withdrawn"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    assert counts() == before
    done = adviser_client.patch(f"{API}referrals/{referral.pk}/", {"status": "withdrawn", "reason": FELL_THROUGH},
                                format="json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "withdrawn" and done.json()["booker"] is None


# --- The booker has left (R-23..R-25) -----------------------------------------------------------------------------


def test_a_hire_whose_booker_left_goes_to_the_active_advisers_of_that_organisation_R23(
    client, adviser, colleague, other_adviser, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(colleague, vacancy))
    assert referral.booker == adviser
    adviser.is_active = False
    adviser.save()
    manager = UserFactory(username="mia", role=Role.MANAGER, organisation=colleague.organisation)

    [shown] = placement_selectors.placements_to_book(user=colleague).referrals
    assert shown.pk == referral.pk and shown.booker_left
    for nobody in (other_adviser, manager):
        assert placement_selectors.placements_to_book(user=nobody).referrals == []

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tell_about_hires_of_departed_bookers() == 1
        assert tasks.tell_about_hires_of_departed_bookers() == 0  # once
    [told] = Notification.objects.filter(user=colleague, kind=NotificationKind.PLACEMENT_TO_BOOK)
    assert told.url == reverse("placement-book", args=[referral.pk]) and adviser.full_name in told.title
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert referral.candidate.last_name not in told.title + told.body

    client.force_login(colleague)
    page = client.get("/").content.decode()
    assert reverse("placement-book", args=[referral.pk]) in page and "is vertrokken" in page
    page = client.get(reverse("vacancy-detail", args=[vacancy.pk])).content.decode()
    assert reverse("placement-book", args=[referral.pk]) in page
    placement = book(colleague, referral)
    assert placement.booked_by == colleague
    assert tasks.tell_about_hires_of_departed_bookers() == 0


def test_the_departed_bookers_task_runs_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["tell-about-hires-of-departed-bookers"]
    assert entry["task"] == "matching.tasks.tell_about_hires_of_departed_bookers"


def test_a_partners_hire_waiting_for_the_close_is_left_to_the_close_R25(adviser, other_adviser, municipality):
    vacancy = make_vacancy(adviser, requested_positions=3)
    partner = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    other_adviser.is_active = False
    other_adviser.save()
    successor = UserFactory(username="pim", role=Role.ADVISER, organisation=municipality)
    assert placement_services.hires_of_departed_bookers_notify() == 0  # nothing to book before the close
    [shown] = placement_selectors.placements_to_book(user=successor).referrals
    assert shown.pk == partner.pk and shown.waits_for_close
    [duplicate] = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    assert duplicate.owner == successor
