"""Hire to placement without a dead end (R-19, R-23..R-25): when a referral goes to hired the system decides at once
who books (the candidate's own organisation), records it on the referral, moves the vacancy where R-24 says, tells
the vacancy owner and the booker, and puts "Plaatsing boeken" on the booker's home page. Every hired candidate has
exactly one booker who can book; a hire nobody could book is refused before anything is written."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import NotificationKind, OrganisationKind
from accounts.models import Notification
from matching.choices import PlacementStatus, ReferralStatus, TargetGroup
from matching.models import Placement, Referral
from matching.selectors import placements as selectors
from matching.services import placements as services
from matching.services import referrals as referral_services
from tests.factories import OrganisationFactory, UserFactory, before_r23
from vacancies import services as vacancy_services
from vacancies.choices import CloseReason, HandoverReason
from vacancies.models import VacancyHandover
from wsp.errors import RuleRefused

from .placement_helpers import book, hire, make_candidate, make_vacancy, propose

pytestmark = pytest.mark.django_db


def assert_refused(call, *, code: str, rule: str, counts):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        call()
    assert (refused.value.code, refused.value.rule) == (code, rule)
    assert counts() == before
    return refused.value


def to_book(user) -> list[int]:
    return [r.pk for r in selectors.placements_to_book(user=user).referrals]


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def only_the_booker_books(referral: Referral, booker, others) -> Placement:
    """Exactly one booker who can book: everyone else is refused and changes nothing; the booker books."""
    for other in others:
        with pytest.raises(RuleRefused):
            book(other, referral)
        assert not Placement.objects.filter(referral=referral).exists()
    return book(booker, referral)


# --- One position (R-24) --------------------------------------------------------------------------------------------


def test_own_candidate_on_one_position_the_owner_books_R23(adviser, colleague, other_adviser):
    vacancy = make_vacancy(adviser)

    referral = hire(vacancy, make_candidate(colleague, vacancy))

    assert referral.booker == adviser
    assert to_book(adviser) == [referral.pk]
    [notice] = Notification.objects.filter(user=adviser, kind=NotificationKind.PLACEMENT_TO_BOOK)
    assert notice.url == reverse("placement-book", args=[referral.pk])
    placement = only_the_booker_books(referral, adviser, [colleague, other_adviser])
    assert placement.booked_by == adviser
    assert to_book(adviser) == []


def test_partners_candidate_on_one_position_moves_the_vacancy_and_both_advisers_are_told_R24(
    adviser, other_adviser, colleague, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(adviser)
    candidate = make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)

    with django_capture_on_commit_callbacks(execute=True):
        referral = hire(vacancy, candidate)

    vacancy.refresh_from_db()
    assert (referral.booker, vacancy.owner) == (other_adviser, other_adviser)
    assert VacancyHandover.objects.get(vacancy=vacancy).reason == HandoverReason.PARTNER_HIRED
    handed = Notification.objects.get(user=other_adviser, kind=NotificationKind.VACANCY_HANDED_OVER)
    assert handed.key == f"referral:{referral.pk}"
    assert handed.url == reverse("placement-book", args=[referral.pk])
    told = Notification.objects.get(user=adviser, kind=NotificationKind.CANDIDATE_HIRED)
    assert other_adviser.full_name in told.title
    # The partner hears by e-mail too; the owner, who made the change, on the home page.
    assert [m.to for m in mail.outbox] == [[other_adviser.email]]
    assert to_book(other_adviser) == [referral.pk] and to_book(adviser) == []
    placement = only_the_booker_books(referral, other_adviser, [adviser, colleague])
    assert placement.organisation == other_adviser.organisation


def test_uwv_books_a_wajong_candidate_hired_on_a_municipal_vacancy_R23_R24(adviser, other_adviser):
    """The issue's dead end, the right way round: a Wajong candidate is in UWV's caseload (R-23), so UWV books."""
    vacancy = make_vacancy(other_adviser)
    referral = hire(vacancy, make_candidate(adviser, vacancy, target_group=TargetGroup.WAJONG))
    assert referral.booker == adviser
    assert only_the_booker_books(referral, adviser, [other_adviser]).target_group == TargetGroup.WAJONG


def test_a_wajong_candidate_in_a_municipal_caseload_is_never_a_hire_without_a_booker_R23(
    adviser, other_adviser, counts
):
    """Today an adviser who hires a Wajong candidate of a municipal caseload cannot book at all. Such a candidate
    (from before target groups had to fit the organisation's kind) is refused at the hire, with the way out named,
    and nothing changes: no handover, no notice, no booker."""
    vacancy = make_vacancy(adviser)
    with before_r23():
        referral = propose(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.WAJONG))
    refused = assert_refused(
        lambda: referral_services.referral_set_status(referral=referral, by=adviser, status=ReferralStatus.HIRED),
        code="no_booker_for_target_group",
        rule="R-23",
        counts=counts,
    )
    assert "Wajong" in str(refused.detail)
    vacancy.refresh_from_db()
    referral.refresh_from_db()
    assert (vacancy.owner, referral.status, referral.booker) == (adviser, ReferralStatus.PROPOSED, None)
    assert not Notification.objects.exists()


# --- Two to nine positions (R-25) -----------------------------------------------------------------------------------


@pytest.fixture
def three(adviser, other_adviser):
    """A UWV vacancy of three positions with a hired UWV candidate and a hired municipal candidate."""
    vacancy = make_vacancy(adviser, requested_positions=3)
    own = hire(vacancy, make_candidate(adviser, vacancy))
    partner = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    return vacancy, own, partner


def test_two_to_nine_owner_books_own_and_the_partner_books_on_its_duplicate_after_the_close_R25(
    client, adviser, other_adviser, three, counts
):
    vacancy, own, partner = three
    assert (own.booker, partner.booker) == (adviser, other_adviser)
    # The partner's home page says it waits for the owner; the owner's says partners wait for the close.
    page = home(client, other_adviser)
    assert f"wacht op afsluiten door {adviser.full_name}" in page
    assert reverse("placement-book", args=[partner.pk]) not in page
    page = home(client, adviser)
    assert reverse("placement-book", args=[own.pk]) in page
    assert reverse("vacancy-close-with-placements", args=[vacancy.pk]) in page

    # No dead end for the owner's own hire: the close waits until it is booked.
    refused = assert_refused(
        lambda: services.vacancy_close_with_placements(vacancy=vacancy, by=adviser),
        code="own_hires_unbooked",
        rule="R-25",
        counts=counts,
    )
    assert refused.extra == {"candidates": [own.candidate_id]}
    only_the_booker_books(own, adviser, [other_adviser])
    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    carried = Referral.objects.get(vacancy=duplicate)
    partner.refresh_from_db()
    assert (carried.booker, partner.booker) == (other_adviser, other_adviser)
    assert to_book(other_adviser) == [carried.pk]  # the original is not shown twice
    assert Notification.objects.filter(
        user=other_adviser, kind=NotificationKind.PLACEMENT_TO_BOOK, key=f"referral:{carried.pk}"
    ).exists()
    page = home(client, other_adviser)
    assert reverse("placement-book", args=[carried.pk]) in page
    assert "wacht op afsluiten" not in page
    assert selectors.placements_to_book(user=adviser).closes == []
    placement = only_the_booker_books(carried, other_adviser, [adviser])
    assert placement.vacancy == duplicate


def test_two_to_nine_with_only_partners_hires_closes_without_a_booking_of_its_own_R22_R25(adviser, other_adviser):
    """R-22: the employer's request and the owner's referral that led to a hire are the reciprocity; the partner
    books it on its duplicate. A vacancy filled only by partners is no dead end."""
    vacancy = make_vacancy(adviser, requested_positions=2)
    partner = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.NUG))

    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.close_reason) == ("closed", CloseReason.PLACEMENT)
    carried = Referral.objects.get(vacancy=duplicate, candidate=partner.candidate)
    placement = book(other_adviser, carried)
    # Cancelling the partner's placement does not reopen the original: its outcome rests on the duplicate.
    services.placement_cancel(placement=placement, by=other_adviser, reason="Niet begonnen")
    vacancy.refresh_from_db()
    assert vacancy.status == "closed"


def test_a_duplicate_holds_only_its_partners_own_candidates_R25(adviser, other_adviser, colleague, three, counts):
    vacancy, own, _ = three
    book(adviser, own)
    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    uwv_candidate = make_candidate(colleague, duplicate)
    assert_refused(
        lambda: referral_services.referral_propose(by=other_adviser, vacancy=duplicate, candidate=uwv_candidate),
        code="duplicate_own_candidates_only",
        rule="R-25",
        counts=counts,
    )


# --- Co-production (R-19) -------------------------------------------------------------------------------------------


@pytest.fixture
def co_production(adviser, other_adviser, municipality):
    parent = make_vacancy(adviser, requested_positions=12)
    vacancy_services.co_production_start(
        vacancy=parent,
        by=adviser,
        activities=["speed_meet"],
        partners=[municipality],
        partner_owners={municipality.pk: other_adviser},
    )
    [child] = parent.children.all()
    return parent, child


def test_co_production_each_partner_books_its_own_candidates_on_its_own_vacancy_R19(
    adviser, other_adviser, co_production
):
    parent, child = co_production
    own = hire(parent, make_candidate(adviser, parent))
    partner_own = hire(child, make_candidate(other_adviser, child, target_group=TargetGroup.PWET))

    assert (own.booker, partner_own.booker) == (adviser, other_adviser)
    assert only_the_booker_books(own, adviser, [other_adviser]).vacancy == parent
    assert only_the_booker_books(partner_own, other_adviser, [adviser]).vacancy == child


def test_co_production_a_partners_candidate_is_proposed_on_the_partners_own_vacancy_R19(
    adviser, other_adviser, co_production, counts
):
    parent, child = co_production
    partners, owners = (
        make_candidate(other_adviser, parent, target_group=TargetGroup.PWET),
        make_candidate(adviser, child),
    )
    refused = assert_refused(
        lambda: propose(parent, partners),
        code="co_production_own_vacancy",
        rule="R-19",
        counts=counts,
    )
    assert refused.extra == {"vacancy": child.pk}
    # The owner's candidate on the partner's vacancy likewise.
    assert_refused(
        lambda: propose(child, owners),
        code="co_production_own_vacancy",
        rule="R-19",
        counts=counts,
    )


def test_co_production_an_organisation_outside_it_is_not_proposed_where_nobody_could_book_R19(
    adviser, co_production, counts
):
    parent, _ = co_production
    outsider = UserFactory(organisation=OrganisationFactory(code="ijmond", kind=OrganisationKind.REINTEGRATION))
    candidate = make_candidate(outsider, parent, target_group=TargetGroup.PWET)
    assert_refused(
        lambda: propose(parent, candidate),
        code="co_production_partners_only",
        rule="R-19",
        counts=counts,
    )


# --- Home page ------------------------------------------------------------------------------------------------------


def _hires(adviser, other_adviser, n: int) -> None:
    """n hired, unbooked candidates the adviser books (own and partners' on one position) and n partner hires on
    2-9 vacancies of the adviser's that wait for the adviser's close."""
    for _ in range(n):
        vacancy = make_vacancy(adviser)
        hire(vacancy, make_candidate(adviser, vacancy))
        vacancy = make_vacancy(other_adviser)
        hire(vacancy, make_candidate(adviser, vacancy, target_group=TargetGroup.WIA))
        vacancy = make_vacancy(adviser, requested_positions=3)
        hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))


@pytest.mark.parametrize("n", [1, 10])
def test_placements_to_book_is_two_queries_R23_R24_R25(adviser, other_adviser, n, django_assert_num_queries):
    _hires(adviser, other_adviser, n)
    # Two queries: the ids of the hired referrals the user books or whose 2-9 vacancy the user closes, not booked,
    # not carried over (the union of one arm per reason, each limited to the section); then those referrals joined
    # to vacancy, employer, owner, candidate, organisation and booker.
    with django_assert_num_queries(2):
        found = selectors.placements_to_book(user=adviser)
    assert (len(found.referrals), len(found.closes)) == (2 * n, n)


def test_the_home_page_query_count_does_not_grow_with_the_hires_to_book(client, adviser, other_adviser):
    """The section costs two queries however many hires wait (same count at n and 10n)."""
    client.force_login(adviser)
    counts = []
    for n in (1, 9):  # 1 and then 10 in total
        _hires(adviser, other_adviser, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.content.decode().count("Plaatsing boeken") >= 20


def test_the_home_page_button_leads_straight_to_the_booking_form_R23(client, adviser, other_adviser):
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    page = home(client, other_adviser)
    assert f'id="to-book-{referral.pk}"' in page
    assert reverse("placement-book", args=[referral.pk]) in page
    response = client.get(reverse("placement-book", args=[referral.pk]))
    assert response.status_code == 200
    response = client.post(
        reverse("placement-book", args=[referral.pk]),
        {"placement_type": "permanent", "start_date": referral.referred_at.date().isoformat(), "hours_per_week": "32"},
    )
    assert response.status_code == 302, response.content.decode()
    placement = Placement.objects.get(referral=referral)
    assert (placement.booked_by, placement.hours_per_week, placement.status) == (
        other_adviser,
        Decimal("32"),
        PlacementStatus.BOOKED,
    )
    assert f'id="to-book-{referral.pk}"' not in home(client, other_adviser)


def test_the_owners_vacancy_page_offers_the_close_partners_wait_for_R25(client, adviser, other_adviser, three):
    vacancy, own, partner = three
    client.force_login(adviser)
    url = reverse("vacancy-detail", args=[vacancy.pk])
    page = client.get(url).content.decode()
    assert reverse("vacancy-close-with-placements", args=[vacancy.pk]) in page
    assert f"{other_adviser.full_name} ({other_adviser.organisation.name}) boekt op een kopie" in page
    book(adviser, own)
    response = client.post(reverse("vacancy-close-with-placements", args=[vacancy.pk]), follow=True)
    assert response.status_code == 200
    partner.refresh_from_db()
    assert Referral.objects.filter(vacancy__duplicated_from=vacancy, candidate=partner.candidate).exists()
    client.force_login(other_adviser)
    assert "Sluiten met plaatsingen" not in client.get(url).content.decode()


def test_the_migration_records_the_booker_of_hires_from_before_R23_R25(adviser, other_adviser, three):
    """matching.0004 fills `booker` for hired referrals of before, as `booking_plan` decides it now."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    migration = import_module("matching.migrations.0004_placement_booker_instruments_conditions")
    vacancy, own, partner = three
    single = make_vacancy(adviser)
    handed = hire(single, make_candidate(other_adviser, single, target_group=TargetGroup.PWET))
    Referral.objects.update(booker=None)

    with connection.schema_editor() as editor:
        migration.booker_of_hired_referrals(apps, editor)

    bookers = dict(Referral.objects.values_list("pk", "booker"))
    assert bookers == {own.pk: adviser.pk, partner.pk: other_adviser.pk, handed.pk: other_adviser.pk}
