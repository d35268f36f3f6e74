"""The candidate pages in the browser (Django's test client): the target groups offered (R-23), the BSN typed
with dots or spaces (R-40), and the weekly overview (R-41) with its e-mail toggle, its week choice, what it shows
of other organisations' candidates (R-40: nothing personal) and a query count that does not grow."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from matching.bsn import bsn_lookup_hash
from matching.models import Candidate
from matching.selectors.candidates import Week, last_complete_week
from tests.factories import CandidateFactory, SkillFactory, UserFactory, legacy_candidate

pytestmark = pytest.mark.django_db

NEW = "/kandidaten/nieuw/"
WEEKLY = "/kandidaten/weekoverzicht/"


@pytest.fixture
def browser_client(client, adviser):
    client.force_login(adviser)
    return client


def _form(**overrides) -> dict:
    data = {"first_name": "Jan", "last_name": "Test", "target_group": "ww", "hours_per_week": 32,
            "postcode": "2011 AB", "status": "available"}  # fmt: skip
    data.update(overrides)
    return data


def _options(html: str, name: str = "target_group") -> set[str]:
    start = html.index(f'name="{name}"')
    block = html[start : html.index("</select>", start)]
    return {part.split('"', 1)[0] for part in block.split('value="')[1:]}


# --- R-23 --------------------------------------------------------------------------------------------------------


def test_the_form_offers_only_the_target_groups_of_the_organisation_R23(client, adviser, other_adviser):
    client.force_login(adviser)
    assert _options(client.get(NEW).content.decode()) == {"ww", "wia", "wajong", "other"}
    client.force_login(other_adviser)
    assert _options(client.get(NEW).content.decode()) == {"pwet", "nug", "oekraine", "other"}


def test_a_target_group_of_the_other_kind_is_refused_and_nothing_is_saved_R23(client, other_adviser, counts):
    client.force_login(other_adviser)
    before = counts()
    with translation.override("nl"):
        response = client.post(NEW, _form(target_group="wajong"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert counts() == before
    assert 'name="target_group"' in response.content.decode()
    assert client.post(NEW, _form(target_group="pwet")).status_code == 302
    assert Candidate.objects.get().target_group == "pwet"


def test_a_profile_from_before_the_rule_is_shown_with_its_group_and_must_be_corrected_R23(client, counts):
    municipal = UserFactory()
    legacy = legacy_candidate(adviser=municipal, target_group="wajong")
    client.force_login(municipal)
    url = f"/kandidaten/{legacy.pk}/wijzigen/"
    assert "wajong" in _options(client.get(url).content.decode())  # shown as it is: nothing changes unseen
    before = counts()
    response = client.post(url, _form(target_group="wajong", first_name="Nieuw"))
    assert response.status_code == 200 and counts() == before
    assert "R-23" in response.content.decode()
    legacy.refresh_from_db()
    assert legacy.first_name != "Nieuw"
    assert client.post(url, _form(target_group="pwet", first_name="Nieuw")).status_code == 302
    legacy.refresh_from_db()
    assert (legacy.target_group, legacy.first_name) == ("pwet", "Nieuw")


# --- BSN with dots or spaces (R-40) -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["123.456.782", "123 456 782", "1234 56 782"])
def test_the_form_and_the_search_take_a_bsn_with_dots_or_spaces_R40(browser_client, typed):
    assert browser_client.post(NEW, _form(bsn=typed)).status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.bsn_hash == bsn_lookup_hash("123456782")
    html = browser_client.get("/kandidaten/", {"q": typed}).content.decode()
    assert f"/kandidaten/{candidate.pk}/" in html
    # The BSN is not written back into the search field or the page links; the page says it searched by it.
    assert f'value="{typed}"' not in html and "123456782" not in html and "******782" in html


# --- the weekly overview -----------------------------------------------------------------------------------


@pytest.fixture
def week():
    return last_complete_week()


def _fill(week: Week, adviser, other_adviser, n: int, skills) -> None:
    for i in range(n):
        day = week.monday + timedelta(days=i % 7)
        CandidateFactory(adviser=adviser, work_ready_since=day, skills=[skills[i % 3].pk])
        CandidateFactory(adviser=other_adviser, target_group="pwet", work_ready_since=day, skills=[skills[0].pk],
                         first_name=f"Partnernaam{i}", email=f"partner{i}@gemeente.nl", phone="06-55554444",
                         birth_date=date(1980, 1, 1) + timedelta(days=i))  # fmt: skip


def test_the_weekly_overview_is_linked_from_the_home_page_and_the_candidates_R41(browser_client):
    for page in ("/", "/kandidaten/"):
        assert f'href="{WEEKLY}"' in browser_client.get(page).content.decode(), page


@pytest.mark.parametrize("n", [2, 20])
def test_weekly_overview_query_count_does_not_grow_R41(
    browser_client, adviser, other_adviser, week, n, django_assert_num_queries
):
    skills = SkillFactory.create_batch(3)
    _fill(week, adviser, other_adviser, n, skills)
    # 5 = session + user (login) + the count of the week's candidates + the page of them (organisation and adviser
    # joined) + the names of the page's skills.
    with django_assert_num_queries(5):
        response = browser_client.get(WEEKLY)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2 * n


def test_weekly_overview_shows_other_organisations_without_personal_data_R40_R41(
    browser_client, adviser, other_adviser, week
):
    skills = SkillFactory.create_batch(3)
    _fill(week, adviser, other_adviser, 3, skills)
    mine = Candidate.objects.filter(organisation=adviser.organisation).first()
    html = browser_client.get(WEEKLY, {"week": week.key}).content.decode()
    # Own caseload: name (linked) and contact; other partners: organisation, group, hours, place, skills only.
    assert mine.first_name in html and mine.email in html and f"/kandidaten/{mine.pk}/" in html
    for theirs in Candidate.objects.filter(organisation=other_adviser.organisation):
        assert theirs.first_name not in html and theirs.email not in html, theirs.pk
        assert f"/kandidaten/{theirs.pk}/" not in html and f"#{theirs.pk}" in html
        assert theirs.birth_date.strftime("%d-%m-%Y") not in html
    assert "06-55554444" not in html
    assert other_adviser.organisation.name in html and skills[0].name in html


def test_any_week_can_be_chosen_and_a_bad_week_falls_back_to_the_past_week_R41(browser_client, adviser, week):
    CandidateFactory(adviser=adviser, work_ready_since=date(2025, 3, 5), first_name="Maart")
    response = browser_client.get(WEEKLY, {"week": "2025-W10"})
    assert response.context["week"].key == "2025-W10" and "Maart" in response.content.decode()
    assert response.context["next_week"].key == "2025-W11"
    for bad in ("volgende week", "2025-W99"):
        response = browser_client.get(WEEKLY, {"week": bad})
        assert response.status_code == 200 and response.context["week"] == week
    this_week = Week.containing(timezone.localdate())
    assert browser_client.get(WEEKLY, {"week": this_week.key}).context["next_week"] is None


def test_the_email_toggle_on_the_page_R41(browser_client, adviser, week):
    response = browser_client.post("/kandidaten/weekoverzicht/e-mail/", {"enabled": "on", "week": week.key})
    assert response.status_code == 302 and response["Location"].endswith(f"?week={week.key}")
    adviser.refresh_from_db()
    assert adviser.weekly_overview_email is True
    assert 'value="off"' in browser_client.get(WEEKLY).content.decode()
    browser_client.post("/kandidaten/weekoverzicht/e-mail/", {"enabled": "off"})
    adviser.refresh_from_db()
    assert adviser.weekly_overview_email is False
    assert browser_client.get("/kandidaten/weekoverzicht/e-mail/").status_code == 405


def test_the_weekly_overview_needs_a_login(client):
    response = client.get(WEEKLY)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
