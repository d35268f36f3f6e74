"""The vacancy pages in the browser: odd query values never crash a page, and editing goes through the owner (R-17)."""

import pytest

from vacancies.filters import int_or_none
from vacancies.models import Vacancy
from wsp import inputs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12), (12, 12), ("²", None), ("٣", None), ("-1", None), ("0", None), ("", None), (None, None),
        (" 12", 12), ("1.5", None), (str(2**31 - 1), 2**31 - 1), (str(2**31), None), (True, None),
        ("0" * 11 + "1", None),
    ],
)  # fmt: skip
def test_int_or_none_accepts_only_ascii_ids_in_range(value, expected):
    """vacancies.filters.int_or_none is the shared wsp.inputs.int_or_none (white space around an id is dropped)."""
    assert int_or_none(value) == expected
    assert int_or_none is inputs.int_or_none


@pytest.mark.parametrize(
    "url",
    [
        "/vacatures/vaardigheden/?occupation=²",
        "/vacatures/vaardigheden/?skills=²&skills=1",
        "/vacatures/vaardigheden/?occupation=99999999999999999999",
        "/vacatures/nieuw/?intake=²",
        "/vacatures/nieuw/?werkgever=²",
        "/vacatures/nieuw/?werkgever=99999999999999999999",
    ],
)
def test_unicode_digits_and_huge_numbers_in_the_query_do_not_crash_a_page(client, adviser, url):
    client.force_login(adviser)
    assert client.get(url).status_code in (200, 404)


def test_registration_post_with_a_unicode_digit_as_employer_asks_for_the_employer_R12(client, adviser, counts):
    client.force_login(adviser)
    before = counts()
    response = client.post("/vacatures/nieuw/", {"employer": "²", "intake": "²", "title": "Kok"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert counts() == before


# --- Editing (R-17) ---------------------------------------------------------------------------------------------


def _edit_data(vacancy: Vacancy, **changes) -> dict:
    data = {
        "title": vacancy.title, "hours_per_week": vacancy.hours_per_week,
        "requested_positions": vacancy.requested_positions, "recruitment_request": "on",
        "visibility": vacancy.visibility, "expires_on": vacancy.expires_on.isoformat(), "description": "",
        "postcode": "", "municipality": "",
    }  # fmt: skip
    return {**data, **changes}


def test_owner_edits_the_vacancy_in_the_browser_R17(client, adviser, vacancy, skills):
    Vacancy.objects.filter(pk=vacancy.pk).update(skills=[skills[0].pk])
    vacancy.refresh_from_db()
    client.force_login(adviser)

    page = client.get(f"/vacatures/{vacancy.pk}/wijzigen/")
    assert page.status_code == 200
    form = page.context["form"]
    # The form shows the vacancy as it is, and only for fields it has (received_at and source are not edited).
    assert set(form.initial) <= set(form.fields)
    assert (form.initial["title"], form.initial["skills"], form.initial["expires_on"]) == (
        "Heftruckchauffeur", [skills[0].pk], vacancy.expires_on,
    )  # fmt: skip
    assert "received_at" not in form.initial and "source" not in form.initial

    response = client.post(
        f"/vacatures/{vacancy.pk}/wijzigen/", _edit_data(vacancy, title="Reachtruckchauffeur", skills=[skills[1].pk])
    )
    assert response.status_code == 302 and response["Location"] == f"/vacatures/{vacancy.pk}/"
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.skills) == ("Reachtruckchauffeur", [skills[1].pk])


def test_non_owner_edit_shows_the_refusal_and_changes_nothing_R17(client, colleague, vacancy, counts):
    client.force_login(colleague)
    before = counts()
    response = client.post(f"/vacatures/{vacancy.pk}/wijzigen/", _edit_data(vacancy, title="Chef-kok"))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors and "R-17" in errors[0]
    assert "R-17" in response.content.decode()
    assert counts() == before
    vacancy.refresh_from_db()
    assert vacancy.title == "Heftruckchauffeur"
