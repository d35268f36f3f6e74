"""The adviser's main flows in a real browser: log in, search, create with the duplicate warning, visit report,
admission request and approval, takeover (R-04, R-05, R-06, R-07, R-08)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from employers.models import AccessRequest, AccountHolder, ContactMoment, Employer
from tests.factories import ContactMomentFactory, EmployerFactory

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_is_dutch_and_refuses_a_wrong_password(page, adviser):
    page.goto(page.base_url + "/inloggen/")
    assert page.locator("h1").inner_text() == "Inloggen"
    page.fill("#id_username", adviser.username)
    page.fill("#id_password", "wrong-password")
    page.click("#main button[type=submit]")
    page.locator(".alert.error").wait_for(state="visible")  # waits for the page the click led to
    assert page.url.endswith("/inloggen/")


def test_login_shows_my_employers_home(login, adviser, employer):
    page = login(adviser)
    assert "Mijn werk" in page.locator("nav").inner_text()
    assert employer.name in page.locator("#main").inner_text()
    screenshot(page, "home")


def test_search_narrows_the_employer_list_as_you_type(login, adviser):
    EmployerFactory(name="Bakkerij Zandvoort", postcode="2041 AB", main_account_holder=adviser)
    EmployerFactory(name="Installatiebedrijf Velsen", postcode="1971 CD", main_account_holder=adviser)
    page = login(adviser)
    page.goto(page.base_url + "/werkgevers/")
    page.fill("#id_q", "bakkerij")
    # A locator assertion, not a string evaluated in the page: the Content-Security-Policy forbids eval there.
    expect(page.locator("#results")).not_to_contain_text("Installatiebedrijf")
    results = page.locator("#results").inner_text()
    assert "Bakkerij Zandvoort" in results
    assert "?q=bakkerij" in page.url
    screenshot(page, "employer-list")


def _fill_new_employer(page, name: str, postcode: str) -> None:
    page.goto(page.base_url + "/werkgevers/nieuw/")
    page.fill("#id_employer-name", name)
    page.fill("#id_employer-postcode", postcode)
    page.fill("#id_visit-reason", "Kennismaking na aanmelding via de website")
    page.fill("#id_visit-company_activities", "Aannemer in woningbouw en renovatie")
    page.fill("#id_visit-agreements", "Twee vacatures voor timmerman aanmelden")


def test_create_employer_warns_about_a_duplicate_and_refuses_it_R07(login, adviser):
    existing = EmployerFactory(name="De Vries Bouw B.V.", postcode="2011 AB", main_account_holder=adviser)
    page = login(adviser)
    _fill_new_employer(page, "DeVries-bouw", "2011AB")
    # As the adviser types, "did you mean" lists the existing record with a link (htmx).
    page.locator(".did-you-mean").wait_for()
    page.locator(f".did-you-mean a[href='/werkgevers/{existing.pk}/']").wait_for(state="visible")
    screenshot(page, "create-duplicate-warning")
    page.click("#main form[method=post] button[type=submit]")
    page.locator(".alert.error").wait_for(state="visible")  # waits for the page the click led to
    assert Employer.objects.count() == 1


def test_create_employer_with_its_first_visit_report_R06_R08(login, adviser):
    EmployerFactory(name="Vries Installaties", postcode="1971 AB", main_account_holder=adviser)
    page = login(adviser)
    _fill_new_employer(page, "Vries Bouw Haarlem", "2031 CD")
    page.click("#main form[method=post] button[type=submit]")
    if page.locator("#id_employer-confirm_not_duplicate").count():
        # A similar name elsewhere: the adviser checks it and confirms this is another employer.
        page.check("#id_employer-confirm_not_duplicate")
        page.click("#main form[method=post] button[type=submit]")
    page.wait_for_url("**/werkgevers/*/")
    created = Employer.objects.get(name="Vries Bouw Haarlem")
    assert created.main_account_holder == adviser
    assert "Kennismaking na aanmelding" in page.locator("#main").inner_text()
    assert ContactMoment.objects.filter(employer=created, kind="visit").count() == 1


def test_visit_report_needs_its_three_parts_and_lands_in_the_timeline_R08(login, adviser, employer):
    page = login(adviser)
    page.goto(page.base_url + f"/werkgevers/{employer.pk}/contact/?kind=visit")
    page.fill("#id_reason", "Nieuwe vestiging")
    page.click("#main form[method=post] button[type=submit]")
    assert page.locator(".errorlist").first.is_visible()
    assert not ContactMoment.objects.filter(employer=employer).exists()
    page.fill("#id_company_activities", "Brood en banket, 40 medewerkers")
    page.fill("#id_agreements", "Leerwerkplek bakker bespreken in januari")
    page.click("#main form[method=post] button[type=submit]")
    page.wait_for_url(f"**/werkgevers/{employer.pk}/")
    assert "Leerwerkplek bakker" in page.locator("#main").inner_text()
    screenshot(page, "employer-page")


def test_admission_request_and_approval_by_the_main_account_holder_R04(
    browser, live_server, adviser, other_adviser, employer
):
    from .conftest import PASSWORD

    def session(user):
        context = browser.new_context(locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server.url + "/inloggen/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("#main form[method=post] button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        return context, page

    context, requester = session(other_adviser)
    requester.goto(live_server.url + f"/werkgevers/{employer.pk}/")
    requester.fill("#id_message", "Ik heb een kandidaat voor hun vacature")
    requester.click("form[action$='/toegang/'] button[type=submit]")
    assert requester.locator(".alert.success").is_visible()
    assert AccessRequest.objects.filter(employer=employer, requester=other_adviser, status="pending").exists()
    context.close()

    context, owner = session(adviser)
    assert other_adviser.full_name in owner.locator("#access-requests").inner_text()
    owner.click("#access-requests form[action$='/goedkeuren/'] button")
    assert owner.locator(".alert.success").is_visible()
    assert AccountHolder.objects.filter(employer=employer, user=other_adviser).exists()
    context.close()


def test_takeover_after_12_months_and_refusal_before_R05(login, adviser, other_adviser):
    quiet = EmployerFactory(name="Stil Bedrijf", postcode="2012 AB", main_account_holder=adviser)
    busy = EmployerFactory(name="Druk Bedrijf", postcode="2013 AB", main_account_holder=adviser)
    Employer.objects.filter(pk=quiet.pk).update(last_contact_at=timezone.now() - timedelta(days=400))
    ContactMomentFactory(employer=busy, occurred_at=timezone.now() - timedelta(days=30))
    page = login(other_adviser)

    page.goto(page.base_url + f"/werkgevers/{busy.pk}/")
    page.click("form[action$='/overnemen/'] button")
    assert "R-05" in page.locator(".alert.error").inner_text()
    busy.refresh_from_db()
    assert busy.main_account_holder == adviser

    page.goto(page.base_url + f"/werkgevers/{quiet.pk}/")
    page.click("form[action$='/overnemen/'] button")
    page.locator(".alert.success").wait_for(state="visible")  # waits for the page the click led to
    quiet.refresh_from_db()
    assert quiet.main_account_holder == other_adviser
    assert AccountHolder.objects.filter(employer=quiet, user=adviser).exists()
