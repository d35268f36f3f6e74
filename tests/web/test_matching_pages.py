"""The part-2 browser pages through Django's test client: vacancies, candidates, referrals and placements. What
they show, what they refuse, and query counts that stay the same when the data grows (STYLE habit 10)."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

from matching.choices import ReferralStatus
from matching.models import AftercareContact, Candidate, Placement, Referral
from tests.factories import (
    CandidateFactory,
    OrganisationFactory,
    PlacementFactory,
    ReferralFactory,
    SkillFactory,
    UserFactory,
    VacancyFactory,
)
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client(client, adviser):
    client.force_login(adviser)
    return client


@pytest.fixture
def skills():
    return [SkillFactory() for _ in range(4)]


def _grow(adviser, colleague, other_adviser, employer, skills, n: int) -> Vacancy:
    """n vacancies of the adviser at the employer, each with referrals of own and partner candidates and a
    placement; returns one vacancy whose matches and pipeline are full."""
    ids = [s.pk for s in skills]
    vacancies = VacancyFactory.create_batch(n, employer=employer, owner=adviser, skills=ids, requested_positions=5)
    own = CandidateFactory.create_batch(n, adviser=colleague, skills=ids)
    partner = CandidateFactory.create_batch(n, adviser=other_adviser, skills=ids[:2], target_group="pwet")
    weeks_ago = timezone.now() - timedelta(days=20)
    for vacancy, a, b in zip(vacancies, own, partner, strict=True):
        ReferralFactory(vacancy=vacancy, candidate=b, status_changed_at=weeks_ago, referred_at=weeks_ago)
        PlacementFactory(
            referral=ReferralFactory(vacancy=vacancy, candidate=a, status=ReferralStatus.HIRED),
            start_date=timezone.localdate() - timedelta(days=180),
            durable_after=timezone.localdate() + timedelta(days=3),
        )
    return vacancies[0]


@pytest.mark.parametrize("n", [2, 12])
def test_home_page_query_count_does_not_grow(
    browser_client, adviser, colleague, other_adviser, employer, skills, n, django_assert_num_queries
):
    _grow(adviser, colleague, other_adviser, employer, skills, n)
    # session + user, the part-1 worklists (caseload, count, contact requests, nearing takeover, admission requests
    # to answer, own pending requests), vacancies to register, registered late, expiring, expired, referrals waiting,
    # placements due for a durability check; the unread notices; vacancies offered by chain partners; hired
    # candidates whose placement this adviser books (R-23..R-25)
    with django_assert_num_queries(17):
        response = browser_client.get("/")
    assert response.status_code == 200
    assert len(response.context["referrals_waiting"]) == n
    assert len(response.context["durability_due"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_vacancy_list_query_count_does_not_grow(
    browser_client, adviser, colleague, other_adviser, employer, skills, n, django_assert_num_queries
):
    _grow(adviser, colleague, other_adviser, employer, skills, n)
    # session + user, organisations for the filter form, count, one page with employer, owner and organisation
    with django_assert_num_queries(5):
        response = browser_client.get("/vacatures/?q=medewerker")
    assert response.status_code == 200
    assert response.context["page"].count == n


@pytest.mark.parametrize("n", [2, 12])
def test_vacancy_page_query_count_does_not_grow(
    browser_client, adviser, colleague, other_adviser, employer, skills, n, django_assert_num_queries
):
    vacancy = _grow(adviser, colleague, other_adviser, employer, skills, n)
    # session + user, vacancy with its relations, skills, plan, booked count, handovers, children, duplicates,
    # ranking, shared skill names, pipeline, placements
    with django_assert_num_queries(13):
        response = browser_client.get(f"/vacatures/{vacancy.pk}/")
    assert response.status_code == 200
    assert len(response.context["matches"]) == min(2 * n, 20)  # the top 20


def test_vacancy_page_names_own_candidates_and_hides_partners_personal_data_R40(
    browser_client, adviser, colleague, other_adviser, employer, skills
):
    vacancy = VacancyFactory(employer=employer, owner=adviser, skills=[s.pk for s in skills])
    CandidateFactory(adviser=colleague, first_name="Fatima", last_name="Own", skills=vacancy.skills)
    partner = CandidateFactory(adviser=other_adviser, first_name="Secret", last_name="Partner", skills=vacancy.skills)
    html = browser_client.get(f"/vacatures/{vacancy.pk}/").content.decode()
    assert "Fatima Own" in html
    assert f"#{partner.pk}" in html
    assert "Secret" not in html and partner.email not in html


@pytest.mark.parametrize("n", [3, 30])
def test_candidate_list_query_count_does_not_grow(
    browser_client, adviser, colleague, other_adviser, n, django_assert_num_queries
):
    CandidateFactory.create_batch(n, adviser=colleague)
    CandidateFactory.create_batch(n, adviser=other_adviser)  # another organisation's caseload: not listed
    # session + user, count, one page with the adviser joined
    with django_assert_num_queries(4):
        response = browser_client.get("/kandidaten/")
    assert response.status_code == 200
    assert response.context["page"].count == n


def test_another_organisations_candidate_page_is_not_found_R40(browser_client, other_adviser):
    candidate = CandidateFactory(adviser=other_adviser)
    assert browser_client.get(f"/kandidaten/{candidate.pk}/").status_code == 404
    assert browser_client.get(f"/kandidaten/{candidate.pk}/wijzigen/").status_code == 404


def test_candidate_form_refuses_an_invalid_bsn_without_echoing_it_R40(browser_client, adviser):
    response = browser_client.post(
        "/kandidaten/nieuw/",
        {"first_name": "Jan", "last_name": "Test", "target_group": "ww", "hours_per_week": 32,
         "postcode": "2011 AB", "status": "available", "bsn": "123456789"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "123456789" not in response.content.decode()
    assert not Candidate.objects.exists()


def test_candidate_page_masks_the_bsn_for_the_own_organisation(browser_client, adviser):
    response = browser_client.post(
        "/kandidaten/nieuw/",
        {"first_name": "Jan", "last_name": "Test", "target_group": "ww", "hours_per_week": 32,
         "postcode": "2011 AB", "status": "available", "bsn": "111222333"},
    )  # fmt: skip
    candidate = Candidate.objects.get()
    assert response.status_code == 302
    html = browser_client.get(f"/kandidaten/{candidate.pk}/").content.decode()
    assert "******333" in html and "111222333" not in html


def test_proposal_by_someone_other_than_the_owner_is_refused_with_a_message_R17(
    client, colleague, adviser, employer, skills
):
    vacancy = VacancyFactory(employer=employer, owner=adviser, skills=[s.pk for s in skills])
    candidate = CandidateFactory(adviser=colleague, skills=vacancy.skills)
    client.force_login(colleague)
    response = client.post(f"/vacatures/{vacancy.pk}/voorstellen/", {"candidate": candidate.pk}, follow=True)
    assert not Referral.objects.exists()
    assert "error" in [m.tags for m in response.context["messages"]]


def test_booking_form_shows_the_refusal_and_books_nothing_R23(client, adviser, other_adviser, employer):
    referral = ReferralFactory(
        vacancy=VacancyFactory(employer=employer, owner=adviser),
        candidate=CandidateFactory(adviser=other_adviser, target_group="pwet"),
        status=ReferralStatus.HIRED,
    )
    client.force_login(adviser)
    response = client.post(
        f"/verwijzingen/{referral.pk}/plaatsing/",
        {"placement_type": "permanent", "start_date": timezone.localdate().isoformat(), "hours_per_week": "32"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Placement.objects.exists()


def test_placement_page_shows_history_and_aftercare(browser_client, adviser, employer):
    placement = PlacementFactory(referral=ReferralFactory(vacancy=VacancyFactory(employer=employer, owner=adviser),
                                                          status=ReferralStatus.HIRED))  # fmt: skip
    response = browser_client.get(f"/plaatsingen/{placement.pk}/")
    assert response.status_code == 200
    assert response.context["history"]


def test_vacancy_registration_page_with_the_employer_chosen(browser_client, employer):
    response = browser_client.get(f"/vacatures/nieuw/?werkgever={employer.pk}")
    assert response.status_code == 200
    assert employer.name in response.content.decode()


def test_employer_pick_and_skill_suggestions(browser_client, employer, skills):
    assert employer.name in browser_client.get("/vacatures/werkgever-zoeken/?employer_q=bakkerij").content.decode()
    html = browser_client.get(f"/vacatures/vaardigheden/?skill_q={skills[0].name}").content.decode()
    assert f'value="{skills[0].pk}"' in html


def test_other_adviser_cannot_edit_the_vacancy_R17(client, other_adviser, adviser, employer):
    vacancy = VacancyFactory(employer=employer, owner=adviser, title="Kok")
    client.force_login(other_adviser)
    client.post(f"/vacatures/{vacancy.pk}/wijzigen/", {"title": "Chef-kok", "hours_per_week": 32,
                                                       "requested_positions": 1, "visibility": "open",
                                                       "expires_on": vacancy.expires_on.isoformat()})  # fmt: skip
    vacancy.refresh_from_db()
    assert vacancy.title == "Kok"


def test_a_partner_candidate_referred_to_my_vacancy_shows_contact_details_only_and_is_not_mine_to_change_R40(
    browser_client, adviser, other_adviser, employer
):
    """R-40: the vacancy owner sees the contact details of a partner's candidate referred to the vacancy, not the
    birth date, BSN or health notes; editing and reviewing are for the candidate's own organisation (404)."""
    candidate = CandidateFactory(
        adviser=other_adviser, first_name="Petra", birth_date=date(1987, 6, 5), health_notes="Rugklachten"
    )
    ReferralFactory(candidate=candidate, vacancy=VacancyFactory(employer=employer, owner=adviser))
    reviewed_at = candidate.profile_reviewed_at

    response = browser_client.get(f"/kandidaten/{candidate.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Petra" in html and candidate.email in html
    assert "05-06-1987" not in html and "Rugklachten" not in html
    assert f"/kandidaten/{candidate.pk}/wijzigen/" not in html
    assert browser_client.get(f"/kandidaten/{candidate.pk}/wijzigen/").status_code == 404
    assert browser_client.post(f"/kandidaten/{candidate.pk}/wijzigen/", {"first_name": "X"}).status_code == 404
    assert browser_client.post(f"/kandidaten/{candidate.pk}/gecontroleerd/").status_code == 404
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.profile_reviewed_at) == ("Petra", reviewed_at)


def test_the_own_organisation_edits_and_reviews_its_candidate_R40(browser_client, colleague):
    candidate = CandidateFactory(adviser=colleague, birth_date=date(1987, 6, 5))
    html = browser_client.get(f"/kandidaten/{candidate.pk}/").content.decode()
    assert "05-06-1987" in html
    assert browser_client.get(f"/kandidaten/{candidate.pk}/wijzigen/").status_code == 200
    assert browser_client.post(f"/kandidaten/{candidate.pk}/gecontroleerd/").status_code == 302


@pytest.mark.parametrize("skills", [["²"], ["٣"], ["99999999999"], ["-1", "abc", ""]])
def test_odd_skill_values_in_the_candidate_form_are_no_server_error(browser_client, adviser, skills):
    response = browser_client.post(
        "/kandidaten/nieuw/",
        {"first_name": "Jan", "last_name": "Test", "target_group": "ww", "hours_per_week": 32,
         "postcode": "2011 AB", "status": "available", "skills": skills},
    )  # fmt: skip
    assert response.status_code in (200, 302)
    assert response.status_code == 200 or Candidate.objects.exists()


@pytest.mark.parametrize("url", ["/kandidaten/nieuw/", "/kandidaten/{pk}/wijzigen/"])
def test_the_bsn_is_hidden_from_error_reports_R40(browser_client, adviser, url):
    candidate = CandidateFactory(adviser=adviser)
    response = browser_client.post(url.format(pk=candidate.pk), {"first_name": "Jan", "bsn": "111222333"})
    assert response.status_code == 200
    request = response.wsgi_request
    assert list(request.sensitive_post_parameters) == ["bsn"]
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed["bsn"] != "111222333" and cleansed["first_name"] == "Jan"


def test_the_pipeline_actions_are_for_the_owner_with_labels_not_codes_R17(
    client, adviser, colleague, other_adviser, employer, skills
):
    """R-17, R-24, R-25: only the vacancy owner moves referrals and books placements, so only the owner gets the
    forms; reasons and target groups are shown by their names, not their codes."""
    vacancy = VacancyFactory(employer=employer, owner=adviser, skills=[s.pk for s in skills])
    ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=colleague, skills=vacancy.skills))
    ReferralFactory(vacancy=vacancy, status=ReferralStatus.HIRED, candidate=CandidateFactory(adviser=colleague))
    ReferralFactory(
        vacancy=vacancy,
        status=ReferralStatus.REJECTED,
        rejection_reason="other_candidate",
        candidate=CandidateFactory(adviser=colleague),
    )
    CandidateFactory(adviser=other_adviser, target_group="oekraine", skills=vacancy.skills)  # a match
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    client.force_login(adviser)
    html = client.get(f"/vacatures/{vacancy.pk}/").content.decode()
    assert "/status/" in html and "/plaatsing/" in html
    assert " · Another candidate was chosen</div>" in html and " · other_candidate" not in html
    assert "Ukraine" in html and "OEKRAINE" not in html
    for user in (colleague, other_adviser):
        client.force_login(user)
        html = client.get(f"/vacatures/{vacancy.pk}/").content.decode()
        assert "/status/" not in html and "/plaatsing/" not in html


def test_aftercare_summaries_on_the_placement_page_are_for_the_organisations_on_it_R40(
    client, adviser, other_adviser, employer
):
    placement = PlacementFactory(
        referral=ReferralFactory(
            vacancy=VacancyFactory(employer=employer, owner=adviser),
            candidate=CandidateFactory(adviser=other_adviser),
            status=ReferralStatus.HIRED,
        )
    )
    AftercareContact.objects.create(
        placement=placement, adviser=adviser, occurred_at=timezone.now(), summary="Ziek gemeld, gaat beter"
    )
    for reader in (adviser, other_adviser):
        client.force_login(reader)
        assert "Ziek gemeld" in client.get(f"/plaatsingen/{placement.pk}/").content.decode()
    client.force_login(UserFactory(organisation=OrganisationFactory(kind="municipality")))
    response = client.get(f"/plaatsingen/{placement.pk}/")
    assert response.status_code == 200
    assert "Ziek gemeld" not in response.content.decode()
    assert len(response.context["aftercare"]) == 1


def test_show_more_lists_further_fitting_candidates_R18(browser_client, adviser, colleague, employer, skills):
    vacancy = VacancyFactory(employer=employer, owner=adviser, skills=[s.pk for s in skills])
    CandidateFactory.create_batch(25, adviser=colleague, skills=vacancy.skills)
    first = browser_client.get(f"/vacatures/{vacancy.pk}/")
    assert len(first.context["matches"]) == 20 and first.context["more_matches"] == 40
    more = browser_client.get(f"/vacatures/{vacancy.pk}/?meer=40")
    assert len(more.context["matches"]) == 25 and more.context["more_matches"] is None
    assert browser_client.get(f"/vacatures/{vacancy.pk}/?meer=²").status_code == 200
