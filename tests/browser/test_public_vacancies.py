"""R-16 in a real browser, without logging in: the region's public vacancy page shows an open vacancy with the
employer's contact details and an anonymous vacancy with the vacancy owner's, and never an internal one."""

import json

import pytest

from tests.factories import EmployerFactory, UserFactory, VacancyFactory
from vacancies.choices import Visibility

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_page_shows_open_and_anonymous_vacancies_with_the_right_contact_and_no_internal_one_R16(page, uwv):
    owner = UserFactory(
        organisation=uwv, first_name="Sanne", last_name="Visser", email="sanne.visser@uwv.example.nl",
        phone="023-5551234",
    )  # fmt: skip
    bakery = EmployerFactory(
        name="Bakkerij Zoet", municipality="Haarlem", postcode="2011 AB", contact_name="Petra Zoet",
        contact_email="vacatures@bakkerijzoet.example.nl", contact_phone="023-5559876", main_account_holder=owner,
    )  # fmt: skip
    factory = EmployerFactory(
        name="Geheime Fabriek", municipality="Velsen", postcode="1971 XY", contact_name="Hans Geheim",
        contact_email="hans@geheim.example.nl", main_account_holder=owner,
    )  # fmt: skip
    open_vacancy = VacancyFactory(
        employer=bakery, title="Broodbakker", hours_per_week=36, visibility=Visibility.OPEN,
        description="Vroege dienst in een ambachtelijke bakkerij.",
    )  # fmt: skip
    anonymous = VacancyFactory(
        employer=factory, title="Procesoperator", hours_per_week=32, visibility=Visibility.ANONYMOUS,
        description="Ploegendienst in de procesindustrie.",
    )  # fmt: skip
    VacancyFactory(employer=bakery, title="Interne kassamedewerker", visibility=Visibility.INTERNAL)

    # The list, without logging in: both published vacancies, not the internal one, in Dutch, no staff menu.
    page.goto(f"{page.base_url}/vacatures/openbaar/")
    assert page.url == f"{page.base_url}/vacatures/openbaar/"  # no redirect to the login page
    listing = page.locator("#main").inner_text()
    assert "Broodbakker" in listing and "Procesoperator" in listing
    assert "Interne kassamedewerker" not in listing
    assert "Geheime Fabriek" not in listing and "via het WerkgeversServicepunt" in listing
    assert page.locator("nav.nav").count() == 0  # the staff menu is not there
    assert "Vacatures in Zuid-Kennemerland en IJmond" in page.locator("h1").inner_text()
    screenshot(page, "public-vacancies")

    # Search on the job title.
    page.fill("#id_q", "bakker")
    page.click("#main button[type=submit]")
    page.wait_for_url("**/vacatures/openbaar/?*")
    assert page.locator(".public-item").count() == 1

    # The open vacancy: the employer's contact person.
    page.click(f"a[href='/vacatures/openbaar/{open_vacancy.pk}/']")
    page.wait_for_url(f"**/vacatures/openbaar/{open_vacancy.pk}/")
    contact = page.locator(".public-contact").inner_text()
    assert "Petra Zoet" in contact and "vacatures@bakkerijzoet.example.nl" in contact and "023-5559876" in contact
    assert "Sanne Visser" not in contact
    posting = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert (posting["@type"], posting["hiringOrganization"]["name"]) == ("JobPosting", "Bakkerij Zoet")
    screenshot(page, "public-vacancy-open")

    # The anonymous vacancy: the owner's contact details, nothing of the employer.
    page.goto(f"{page.base_url}/vacatures/openbaar/{anonymous.pk}/")
    body = page.locator("body").inner_text()
    contact = page.locator(".public-contact").inner_text()
    assert "Sanne Visser" in contact and "sanne.visser@uwv.example.nl" in contact and "023-5551234" in contact
    assert "Geheime Fabriek" not in body and "Hans Geheim" not in body
    posting = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert posting["hiringOrganization"]["name"] == "WerkgeversServicepunt Zuid-Kennemerland en IJmond"
    screenshot(page, "public-vacancy-anonymous")
