"""R-13: a vacancy that cannot be filled from the owner's own target groups goes to a chain partner at once.

The owner offers it (with an optional note); it shows at once on the home pages of the advisers of the other
organisations; one of them takes it: owner of the vacancy and account holder of the employer, a handover with
reason chain_partner by the partner, the employer's main account holder unchanged, the former owner notified.
The owner may withdraw the offer; a direct handover stays possible. Refusals leave the data as it was.
"""

import pytest

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from employers.models import AccountHolder
from tests.factories import UserFactory, VacancyFactory
from vacancies import selectors, services
from vacancies.choices import HandoverReason, Visibility
from vacancies.models import Vacancy, VacancyHandover
from wsp.errors import Conflict, RuleRefused

pytestmark = pytest.mark.django_db

API = "/api/v1/vacancies/"


@pytest.fixture
def offered(vacancy, adviser):
    return services.vacancy_offer_to_partners(vacancy=vacancy, by=adviser, note="Past bij Wajong of P-wet")


def _row(vacancy):
    return (
        Vacancy.objects.filter(pk=vacancy.pk)
        .values("owner", "organisation", "partner_offer_at", "partner_offer_note", "status", "visibility")
        .get()
    )


# --- Offer and withdraw -----------------------------------------------------------------------------------------


def test_the_owner_offers_and_partners_see_it_at_once_R13(offered, other_adviser, colleague, third_adviser):
    assert offered.partner_offer_at is not None and offered.partner_offer_note == "Past bij Wajong of P-wet"
    assert selectors.vacancies_offered_to_partners(user=other_adviser) == [offered]
    assert selectors.vacancies_offered_to_partners(user=third_adviser) == [offered]
    # Not for the owner's own organisation: it is their vacancy already.
    assert selectors.vacancies_offered_to_partners(user=colleague) == []


@pytest.mark.parametrize("who", ["colleague", "other_adviser", "manager"])
def test_only_the_owner_offers_R13(request, vacancy, counts, who):
    before, row = counts(), _row(vacancy)
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_offer_to_partners(vacancy=vacancy, by=request.getfixturevalue(who))
    assert refused.value.rule == "R-13"
    assert (_row(vacancy), counts()) == (row, before)


def test_a_blocked_or_closed_vacancy_is_not_offered_and_an_offer_is_made_once_R13_R16(vacancy, adviser, counts):
    services.vacancy_block(vacancy=vacancy, by=adviser, reason="Werkgever twijfelt")
    before, row = counts(), _row(vacancy)
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_offer_to_partners(vacancy=vacancy, by=adviser)
    assert (refused.value.code, refused.value.rule) == ("vacancy_blocked", "R-16")
    assert (_row(vacancy), counts()) == (row, before)

    services.vacancy_unblock(vacancy=vacancy, by=adviser)
    services.vacancy_offer_to_partners(vacancy=vacancy, by=adviser)
    before, row = counts(), _row(vacancy)
    with pytest.raises(Conflict) as refused:
        services.vacancy_offer_to_partners(vacancy=vacancy, by=adviser)
    assert refused.value.code == "already_offered"
    assert (_row(vacancy), counts()) == (row, before)

    services.vacancy_withdraw_partner_offer(vacancy=vacancy, by=adviser)
    services.vacancy_close(vacancy=vacancy, by=adviser, reason="withdrawn")
    before, row = counts(), _row(vacancy)
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_offer_to_partners(vacancy=vacancy, by=adviser)
    assert (refused.value.code, refused.value.rule) == ("vacancy_not_open", "R-13")
    assert (_row(vacancy), counts()) == (row, before)


def test_the_owner_withdraws_the_offer_R13(offered, adviser, other_adviser, counts):
    services.vacancy_withdraw_partner_offer(vacancy=offered, by=adviser)
    offered.refresh_from_db()
    assert (offered.partner_offer_at, offered.partner_offer_note) == (None, "")
    assert selectors.vacancies_offered_to_partners(user=other_adviser) == []
    before = counts()
    with pytest.raises(Conflict) as refused:
        services.vacancy_withdraw_partner_offer(vacancy=offered, by=adviser)
    assert refused.value.code == "not_offered"
    assert counts() == before


# --- Take -------------------------------------------------------------------------------------------------------


def test_a_partner_takes_the_vacancy_and_becomes_owner_and_account_holder_R13(
    offered, adviser, other_adviser, employer
):
    taken = services.vacancy_take_from_partner(vacancy=offered, by=other_adviser, note="Wij hebben twee kandidaten")
    taken.refresh_from_db()
    employer.refresh_from_db()
    assert (taken.owner, taken.organisation) == (other_adviser, other_adviser.organisation)
    assert (taken.partner_offer_at, taken.partner_offer_note) == (None, "")
    assert employer.main_account_holder == adviser  # the employer itself does not move
    assert AccountHolder.objects.filter(employer=employer, user=other_adviser).exists()
    handover = VacancyHandover.objects.get(vacancy=taken)
    assert (handover.from_user, handover.to_user, handover.handed_over_by) == (adviser, other_adviser, other_adviser)
    assert (handover.reason, handover.employer_moved, handover.note) == (
        HandoverReason.CHAIN_PARTNER,
        False,
        "Wij hebben twee kandidaten",
    )
    notice = Notification.objects.get(user=adviser)
    assert notice.kind == NotificationKind.VACANCY_HANDED_OVER
    assert other_adviser.full_name in notice.title and notice.url == f"/vacatures/{taken.pk}/"
    assert selectors.vacancies_offered_to_partners(user=other_adviser) == []


def test_the_take_is_no_contact_with_the_employer_R05(offered, other_adviser, employer):
    employer.refresh_from_db()
    clock = (employer.last_contact_at, employer.last_contact_source)
    services.vacancy_take_from_partner(vacancy=offered, by=other_adviser)
    employer.refresh_from_db()
    assert (employer.last_contact_at, employer.last_contact_source) == clock


def test_a_taken_vacancy_cannot_be_taken_again_R13(offered, other_adviser, third_adviser, counts):
    services.vacancy_take_from_partner(vacancy=offered, by=other_adviser)
    before, row = counts(), _row(offered)
    with pytest.raises(Conflict) as refused:
        services.vacancy_take_from_partner(vacancy=offered, by=third_adviser)
    assert (refused.value.code, refused.value.rule, refused.value.extra["taken_by"]) == (
        "already_taken",
        "R-13",
        other_adviser.pk,
    )
    assert (_row(offered), counts()) == (row, before)


def test_a_vacancy_that_was_not_offered_is_not_taken_R13(vacancy, other_adviser, counts):
    before, row = counts(), _row(vacancy)
    with pytest.raises(Conflict) as refused:
        services.vacancy_take_from_partner(vacancy=vacancy, by=other_adviser)
    assert (refused.value.code, refused.value.rule) == ("not_offered", "R-13")
    assert (_row(vacancy), counts()) == (row, before)


def test_the_own_organisation_does_not_take_it_R13(offered, colleague, counts):
    before, row = counts(), _row(offered)
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_take_from_partner(vacancy=offered, by=colleague)
    assert (refused.value.code, refused.value.rule, refused.value.status_code) == ("own_organisation", "R-13", 403)
    assert (_row(offered), counts()) == (row, before)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ACCOUNT_MANAGER, Role.ADMIN, "inactive"])
def test_only_an_active_adviser_takes_it_R13(offered, municipality, counts, role):
    user = (
        UserFactory(organisation=municipality, is_active=False)
        if role == "inactive"
        else UserFactory(organisation=municipality, role=role)
    )
    before, row = counts(), _row(offered)
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_take_from_partner(vacancy=offered, by=user)
    assert (refused.value.code, refused.value.rule) == ("not_an_adviser", "R-13")
    assert (_row(offered), counts()) == (row, before)


def test_a_closed_or_blocked_offered_vacancy_is_not_taken_R13(offered, adviser, other_adviser, counts):
    services.vacancy_block(vacancy=offered, by=adviser, reason="Werkgever twijfelt")
    assert selectors.vacancies_offered_to_partners(user=other_adviser) == []
    before, row = counts(), _row(offered)
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_take_from_partner(vacancy=offered, by=other_adviser)
    assert refused.value.code == "vacancy_blocked"
    services.vacancy_unblock(vacancy=offered, by=adviser)
    services.vacancy_close(vacancy=offered, by=adviser, reason="withdrawn")
    before, row = counts(), _row(offered)
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_take_from_partner(vacancy=offered, by=other_adviser)
    assert (refused.value.code, refused.value.rule) == ("vacancy_not_open", "R-13")
    assert (_row(offered), counts()) == (row, before)


def test_a_direct_handover_stays_possible_and_ends_the_offer_R13(offered, adviser, other_adviser):
    services.vacancy_hand_over(vacancy=offered, by=adviser, to_user=other_adviser)
    offered.refresh_from_db()
    assert (offered.owner, offered.partner_offer_at) == (other_adviser, None)
    # The new owner hears of it.
    assert Notification.objects.get(user=other_adviser).kind == NotificationKind.VACANCY_HANDED_OVER


# --- Home page, API and browser --------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 20])
def test_the_home_section_has_a_fixed_query_count_R13(other_adviser, adviser, employer, n, django_assert_num_queries):
    for vacancy in VacancyFactory.create_batch(n, employer=employer):
        services.vacancy_offer_to_partners(vacancy=vacancy, by=adviser)
    VacancyFactory(employer=employer, visibility=Visibility.BLOCKED, blocked_reason="x")
    # One query: the offered vacancies of other organisations with employer, owner and organisation joined.
    with django_assert_num_queries(1):
        offers = selectors.vacancies_offered_to_partners(user=other_adviser)
        names = [(v.employer.name, v.owner.full_name, v.organisation.name) for v in offers]
    assert len(names) == min(n, selectors.HOME_LIMIT)


def test_staff_without_a_caseload_see_no_section_and_cost_no_query(manager, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.vacancies_offered_to_partners(user=manager) == []


def test_api_offer_take_and_refusals_R13(client_for, adviser, other_adviser, colleague, vacancy, counts):
    owner, partner = client_for(adviser), client_for(other_adviser)
    before = counts()
    response = partner.post(f"{API}{vacancy.pk}/take/", {}, format="json")
    assert (response.status_code, response.json()["code"], response.json()["rule"]) == (409, "not_offered", "R-13")
    response = partner.post(f"{API}{vacancy.pk}/offer-to-partners/", {}, format="json")
    assert (response.status_code, response.json()["rule"]) == (403, "R-13")
    assert counts() == before
    response = owner.post(f"{API}{vacancy.pk}/offer-to-partners/", {"note": "Geen WW-kandidaten"}, format="json")
    assert response.status_code == 200
    assert response.json()["partner_offer_note"] == "Geen WW-kandidaten" and response.json()["partner_offer_at"]
    listed = partner.get(f"{API}?offered_to_partners=true").json()["results"]
    assert [row["id"] for row in listed] == [vacancy.pk]
    response = client_for(colleague).post(f"{API}{vacancy.pk}/take/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "own_organisation")
    response = partner.post(f"{API}{vacancy.pk}/take/", {"note": "Neem ik"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["owner"], response.json()["partner_offer_at"]) == (other_adviser.pk, None)
    response = client_for(colleague).post(f"{API}{vacancy.pk}/take/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "already_taken")


def test_api_withdraw_offer_R13(adviser_client, vacancy, adviser):
    services.vacancy_offer_to_partners(vacancy=vacancy, by=adviser)
    response = adviser_client.post(f"{API}{vacancy.pk}/withdraw-offer/", {}, format="json")
    assert (response.status_code, response.json()["partner_offer_at"]) == (200, None)


def test_browser_buttons_offer_show_on_the_partners_home_page_and_take_R13(client, adviser, other_adviser, vacancy):
    client.force_login(adviser)
    html = client.get(f"/vacatures/{vacancy.pk}/").content.decode()
    assert f'action="/vacatures/{vacancy.pk}/aanbieden/"' in html
    client.post(f"/vacatures/{vacancy.pk}/aanbieden/", {"note": "Geen passende WW-kandidaten"})
    assert (
        f'action="/vacatures/{vacancy.pk}/aanbod-intrekken/"'
        in client.get(f"/vacatures/{vacancy.pk}/").content.decode()
    )

    client.force_login(other_adviser)
    home = client.get("/")
    assert [v.pk for v in home.context["partner_offers"]] == [vacancy.pk]
    html = home.content.decode()
    assert "Vacatures aangeboden door ketenpartners" in html and "Geen passende WW-kandidaten" in html
    assert f'action="/vacatures/{vacancy.pk}/overnemen/"' in html
    response = client.post(f"/vacatures/{vacancy.pk}/overnemen/", follow=True)
    assert "Je hebt de vacature overgenomen" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.owner == other_adviser
    assert client.get("/").context["partner_offers"] == []


def test_browser_refusal_shows_a_message_and_changes_nothing_R13(client, colleague, adviser, vacancy, counts):
    services.vacancy_offer_to_partners(vacancy=vacancy, by=adviser)
    client.force_login(colleague)
    assert f"/vacatures/{vacancy.pk}/overnemen/" not in client.get(f"/vacatures/{vacancy.pk}/").content.decode()
    before, row = counts(), _row(vacancy)
    response = client.post(f"/vacatures/{vacancy.pk}/overnemen/", follow=True)
    assert "eigen organisatie" in response.content.decode()
    assert (_row(vacancy), counts()) == (row, before)
