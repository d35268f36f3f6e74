"""Hire to placement without a dead end, in a real browser (R-23, R-24): the vacancy owner hires a chain partner's
candidate on a vacancy of one position; the partner's adviser logs in, finds "Plaatsing boeken" on the home page,
follows it and books the placement."""

import pytest
from django.utils import timezone

from matching.models import Placement, Referral
from matching.services import referrals as referral_services
from tests.factories import CandidateFactory, SkillFactory, UserFactory, VacancyFactory
from vacancies.models import VacancyHandover

from .conftest import PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_hires_a_partners_candidate_and_the_partner_books_from_the_home_page_R23_R24(
    browser, page, login, live_server, adviser, municipality, employer
):
    skill = SkillFactory(code="occ-orderpicker", kind="occupation", name="Orderpicker")
    vacancy = VacancyFactory(employer=employer, owner=adviser, title="Orderpicker dagdienst", skills=[skill.pk])
    partner_adviser = UserFactory(organisation=municipality, first_name="Pieter", last_name="Smit")
    candidate = CandidateFactory(
        adviser=partner_adviser, first_name="Sanne", last_name="Visser", target_group="pwet", hours_per_week=24,
        skills=[skill.pk],
    )  # fmt: skip
    referral = referral_services.referral_propose(by=adviser, vacancy=vacancy, candidate=candidate)

    # The owner moves the partner's candidate to hired on the vacancy page.
    page = login(adviser)
    page.goto(f"{page.base_url}/vacatures/{vacancy.pk}/")
    page.select_option(f"#status-{referral.pk}", "hired")
    page.click(f"#referral-{referral.pk} button[type=submit]")
    page.wait_for_selector(".kanban [data-status=hired] .ticket")
    # the vacancy moved to the partner, who books; the card says so instead of offering the owner a button.
    assert "Pieter Smit (Gemeente Haarlem) boekt de plaatsing" in page.locator(f"#referral-{referral.pk}").inner_text()
    assert VacancyHandover.objects.filter(vacancy=vacancy, to_user=partner_adviser).exists()
    assert Referral.objects.get(pk=referral.pk).booker == partner_adviser

    # The partner's adviser logs in: "Plaatsing boeken" is on the home page, with a notice of the handover.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    partner = context.new_page()
    partner.set_default_timeout(10_000)
    partner.goto(live_server.url + "/inloggen/")
    partner.fill("#id_username", partner_adviser.username)
    partner.fill("#id_password", PASSWORD)
    partner.click("#main button[type=submit]")
    partner.wait_for_url(live_server.url + "/")
    section = partner.locator("#to-book")
    assert "Plaatsing boeken" in section.inner_text()
    assert "Sanne Visser" in section.inner_text() and "Orderpicker dagdienst" in section.inner_text()
    screenshot(partner, "home-placement-to-book")

    # Straight to the booking form: defaults from the referral, durability shown before saving.
    section.locator(f"#to-book-{referral.pk} a", has_text="Plaatsing boeken").click()
    partner.wait_for_url(f"**/verwijzingen/{referral.pk}/plaatsing/")
    assert partner.input_value("#id_hours_per_week") == "24"
    assert partner.input_value("#id_start_date") == timezone.localdate().isoformat()
    assert "Telt als duurzaam na" in partner.locator("#durability-outlook").inner_text()
    partner.select_option("#id_placement_type", "permanent")
    partner.locator("input[name=instruments_advised][value=job_coaching]").check()
    screenshot(partner, "placement-form")
    partner.click("#main form.card button[type=submit]")
    partner.wait_for_url("**/plaatsingen/*/")
    assert "Plaatsing geboekt" in partner.locator(".messages").inner_text()

    placement = Placement.objects.get(referral=referral)
    assert (placement.booked_by, placement.organisation, placement.target_group) == (
        partner_adviser,
        municipality,
        "pwet",
    )
    assert placement.instruments_advised == ["job_coaching"]
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.owner) == ("filled", partner_adviser)
    # Booked: it leaves the home page.
    partner.goto(live_server.url + "/")
    assert partner.locator(f"#to-book-{referral.pk}").count() == 0
    context.close()
