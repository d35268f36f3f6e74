"""The pages and htmx work under the Content-Security-Policy (django-csp): no inline script or style, nothing from
elsewhere. Every browser test fails on a violation (tests/browser/conftest.py); this one walks the main pages, the
live search and the public vacancy pages, and proves that a violation is indeed noticed."""

import pytest
from playwright.sync_api import expect

from tests.factories import EmployerFactory, VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_violation_is_noticed(page):
    """The check itself works: an inline script the policy refuses is reported."""
    page.goto(page.base_url + "/inloggen/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.csp_violations
    page.csp_violations.clear()


def test_main_pages_and_live_search_pass_the_policy(login, adviser):
    employer = EmployerFactory(name="Bakkerij Zandvoort", postcode="2041 AB", main_account_holder=adviser)
    vacancy = VacancyFactory(employer=employer, title="Broodbakker")
    page = login(adviser)
    for path in (
        "/",
        "/werkgevers/",
        f"/werkgevers/{employer.pk}/",
        f"/werkgevers/{employer.pk}/contact/",
        "/vacatures/",
        f"/vacatures/{vacancy.pk}/",
        "/kandidaten/",
        "/kandidaten/nieuw/",
        "/api/docs/",
    ):
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
    page.goto(page.base_url + "/werkgevers/")
    page.fill("#id_q", "bakkerij")  # htmx live search swaps the results in
    expect(page.locator("#results")).to_contain_text("Bakkerij Zandvoort")
    page.goto(page.base_url + f"/werkgevers/{employer.pk}/contact/")
    page.select_option("#id_kind", "phone")  # the visit-report fields hide (static script, no inline code)
    assert page.locator("[data-show-when]").is_hidden()
    page.goto(page.base_url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")


def test_public_vacancy_pages_pass_the_policy(page):
    vacancy = VacancyFactory(title="Broodbakker", description="Vroeg op, lekker brood.")
    for path in ("/vacatures/openbaar/", f"/vacatures/openbaar/{vacancy.pk}/"):
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
