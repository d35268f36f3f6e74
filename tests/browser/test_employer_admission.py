"""R-04 in a real browser: someone not admitted to an employer is not offered the actions they may not take, sees
whom to ask, asks for admission in one click and sees the request pending."""

import pytest

from employers.models import AccessRequest, ContactMoment, Employer

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_non_holder_is_offered_admission_instead_of_the_actions_R04(login, adviser, other_adviser, employer):
    adviser.phone = "023-5551234"
    adviser.save(update_fields=["phone"])
    page = login(other_adviser)
    page.goto(page.base_url + f"/werkgevers/{employer.pk}/")
    main = page.locator("#main")

    # No contact moment, visit report, edit, cease or new-vacancy action is offered.
    for href in (
        f"/werkgevers/{employer.pk}/contact/",
        f"/werkgevers/{employer.pk}/wijzigen/",
        f"/vacatures/nieuw/?werkgever={employer.pk}",
    ):
        assert main.locator(f"a[href^='{href}']").count() == 0, href
    assert main.locator(f"form[action='/werkgevers/{employer.pk}/gestaakt/']").count() == 0
    # What anyone may do stays: note a vacancy the employer reported and register a contact request.
    assert main.get_by_role("link", name="Contactverzoek").is_visible()

    # Whom to ask: the main account holder with organisation, phone and e-mail.
    admission = page.locator("#admission")
    text = admission.inner_text()
    assert "Je bent niet toegelaten tot deze werkgever" in text
    for detail in ("Anna de Jong", "UWV", "023-5551234", adviser.email):
        assert detail in text
    screenshot(page, "employer-not-admitted")

    # One click asks for admission.
    admission.get_by_role("button", name="Toegang aanvragen").click()
    page.wait_for_url(f"**/werkgevers/{employer.pk}/")
    page.locator(".alert.success").wait_for(state="visible")  # waits for the page the click led to
    assert AccessRequest.objects.filter(employer=employer, requester=other_adviser, status="pending").exists()
    pending = page.locator("#admission-pending")
    assert "wacht op Anna de Jong" in pending.inner_text()
    assert page.locator("#admission").get_by_role("button", name="Toegang aanvragen").count() == 0
    screenshot(page, "employer-admission-pending")

    # Typing the address of a form they may not use leads back to the employer page with the reason.
    page.goto(page.base_url + f"/werkgevers/{employer.pk}/contact/?kind=visit")
    page.wait_for_url(f"**/werkgevers/{employer.pk}/")
    assert "R-04" in page.locator(".alert").first.inner_text()
    assert not ContactMoment.objects.filter(employer=employer).exists()
    assert Employer.objects.get(pk=employer.pk).main_account_holder == adviser
