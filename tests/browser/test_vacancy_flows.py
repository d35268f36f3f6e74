"""The core business in a real browser: register a vacancy, see the fitting candidates, propose one, move the
referral to hired and book the placement (R-12, R-17, R-18, R-20, R-21, R-22, R-42)."""

import pytest
from django.utils import timezone

from matching.models import Placement, Referral, ReferralStatusChange
from tests.factories import CandidateFactory, SkillFactory, UserFactory
from vacancies.models import Skill, Vacancy

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _skill(code: str, name: str, kind: str = "skill") -> Skill:
    """The vocabulary's skill of that name: loaded by a migration, unless an earlier transactional test flushed it."""
    return Skill.objects.filter(name=name).first() or SkillFactory(code=code, kind=kind, name=name)


@pytest.fixture
def skills(db):
    return {
        "order": _skill("occ-orderpicker", "Orderpicker", kind="occupation"),
        "forklift": _skill("skl-heftruck", "Heftruckcertificaat"),
        "vca": _skill("skl-vca", "VCA-certificaat"),
    }


def test_register_match_propose_hire_and_book(login, adviser, colleague, municipality, employer, skills):
    # Two fitting candidates: one of the adviser's own organisation, one of a chain partner.
    own = CandidateFactory(
        adviser=colleague, first_name="Fatima", last_name="El Amrani",
        skills=[skills["order"].pk, skills["forklift"].pk, skills["vca"].pk],
    )  # fmt: skip
    partner_adviser = UserFactory(organisation=municipality, first_name="Pieter", last_name="Smit")
    partner = CandidateFactory(adviser=partner_adviser, target_group="pwet", skills=[skills["forklift"].pk])
    page = login(adviser)

    # Register the vacancy from the employer's page: the employer is already chosen.
    page.goto(f"{page.base_url}/werkgevers/{employer.pk}/")
    page.click("#main a[href*='/vacatures/nieuw/']")
    page.fill("#id_title", "Orderpicker dagdienst")
    page.fill("#id_hours_per_week", "32")
    page.fill("#skill_q", "heftruck")
    page.locator(f"#skill-found input[value='{skills['forklift'].pk}']").check()
    page.fill("#skill_q", "vca")
    page.locator(f"#skill-found input[value='{skills['vca'].pk}']").check()
    page.click("#main button[type=submit]")
    page.wait_for_url("**/vacatures/*/")
    vacancy = Vacancy.objects.get(title="Orderpicker dagdienst")
    assert vacancy.positions == 1 and not vacancy.registered_late
    assert set(vacancy.skills) == {skills["forklift"].pk, skills["vca"].pk}
    assert "Vacature geregistreerd" in page.locator(".messages").inner_text()

    # Matching: both partners' candidates, best fit first, with the reasons; the partner's without a name (R-40).
    matches = page.locator("#matches tbody tr")
    assert matches.count() == 2
    assert "Fatima El Amrani" in matches.nth(0).inner_text()
    assert f"#{partner.pk}" in matches.nth(1).inner_text()
    assert "Heftruckcertificaat" in matches.nth(0).inner_text()
    screenshot(page, "vacancy-matches")

    # Propose the own candidate: the register entry is written at that moment.
    matches.nth(0).locator("button[type=submit]").click()
    page.wait_for_selector(".kanban [data-status=proposed] .ticket")
    referral = Referral.objects.get(vacancy=vacancy, candidate=own)
    assert referral.referred_by == adviser
    assert "Fatima El Amrani" in page.locator(".kanban [data-status=proposed]").inner_text()

    # The employer hires her: move the card.
    page.select_option(f"#status-{referral.pk}", "hired")
    page.click(f"#referral-{referral.pk} button[type=submit]")
    page.wait_for_selector(".kanban [data-status=hired] .ticket")
    assert [c.to_status for c in ReferralStatusChange.objects.filter(referral=referral)] == ["proposed", "hired"]
    screenshot(page, "vacancy-pipeline")

    # Book the placement (R-22: recruitment request and referral by the owner).
    page.click(f"#referral-{referral.pk} a[href*='/plaatsing/']")
    page.select_option("#id_placement_type", "fixed_term")
    page.fill("#id_start_date", timezone.localdate().isoformat())
    page.fill("#id_hours_per_week", "32")
    page.click("#main button[type=submit]")
    page.wait_for_url("**/plaatsingen/*/")
    placement = Placement.objects.get(referral=referral)
    assert placement.booked_by == adviser and placement.target_group == "ww"
    assert "Plaatsing geboekt" in page.locator(".messages").inner_text()
    vacancy.refresh_from_db()
    assert vacancy.status == "filled" and vacancy.positions == 1
    screenshot(page, "placement")


def test_a_refused_registration_shows_the_rule_and_saves_nothing_R15(login, adviser, employer, skills):
    page = login(adviser)
    page.goto(f"{page.base_url}/vacatures/nieuw/?werkgever={employer.pk}")
    page.fill("#id_title", "Magazijnmedewerker")
    page.fill("#id_min_age", "18")
    page.fill("#id_max_age", "30")
    page.click("#main button[type=submit]")
    page.locator(".alert.error").wait_for(state="visible")  # waits for the page the click led to
    assert "leeftijd" in page.locator(".alert.error").inner_text().lower()
    assert not Vacancy.objects.exists()
