"""R-15 (with R-40: age is personal data): an age requirement, on target-group vacancies only, is a band of at least
5 years ("50+", "18-27"), so a match never tells another organisation a candidate's exact age. The security defect
it fixes: with min_age = max_age, a match revealed the exact age of other organisations' candidates.

The service refuses a narrower band with a field error (403 `age_band_too_narrow`); a check constraint holds the
rule for every other path (a bulk update, an import).
"""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import VacancyFactory
from vacancies import services
from vacancies.choices import TargetGroupFlag
from vacancies.models import Vacancy
from wsp.errors import InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db

YOUTH = [TargetGroupFlag.YOUTH]
API = "/api/v1/vacancies/"


@pytest.mark.parametrize(
    ("min_age", "max_age"),
    [(18, 22), (18, 27), (50, None), (None, 27), (None, 19), (63, None), (16, 20)],
)
def test_bands_of_at_least_five_years_are_accepted_R15(register, min_age, max_age):
    vacancy = register(target_group_flags=YOUTH, min_age=min_age, max_age=max_age)
    assert (vacancy.min_age, vacancy.max_age) == (min_age, max_age)


@pytest.mark.parametrize(
    ("min_age", "max_age", "field"),
    [
        (30, 30, "max_age"),
        (18, 21, "max_age"),
        (25, 26, "max_age"),
        (None, 18, "max_age"),
        (None, 15, "max_age"),
        (64, None, "min_age"),
        (70, None, "min_age"),
    ],
)
def test_a_narrower_band_is_refused_with_a_field_error_R15(register, counts, min_age, max_age, field):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        register(target_group_flags=YOUTH, min_age=min_age, max_age=max_age)
    assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == (
        "age_band_too_narrow",
        "R-15",
        [field],
    )
    assert counts() == before


def test_a_band_upside_down_stays_a_field_error(register, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(target_group_flags=YOUTH, min_age=40, max_age=30)
    assert "max_age" in refused.value.fields
    assert counts() == before


def test_a_change_to_a_narrow_band_is_refused_and_the_vacancy_stays_R15(adviser, employer, counts):
    vacancy = VacancyFactory(employer=employer, target_group_flags=YOUTH, min_age=18, max_age=27)
    before = counts()
    with pytest.raises(RuleRefused):
        services.vacancy_update(vacancy=vacancy, by=adviser, min_age=25)
    vacancy.refresh_from_db()
    assert (vacancy.min_age, vacancy.max_age) == (18, 27)
    assert counts() == before


@pytest.mark.parametrize(
    ("min_age", "max_age"), [(30, 30), (30, 33), (None, 18), (64, None)], ids=["equal", "4y", "max-only", "min-only"]
)
def test_the_database_refuses_a_narrow_band_on_any_path_R15(vacancy, min_age, max_age):
    Vacancy.objects.filter(pk=vacancy.pk).update(target_group_flags=YOUTH)
    with pytest.raises(IntegrityError, match="vacancies_vacancy_age_band"), transaction.atomic():
        Vacancy.objects.filter(pk=vacancy.pk).update(min_age=min_age, max_age=max_age)
    vacancy.refresh_from_db()
    assert (vacancy.min_age, vacancy.max_age) == (None, None)


def test_api_refuses_a_narrow_band_with_the_field_R15(adviser_client, employer, counts, now):
    before = counts()
    response = adviser_client.post(
        API,
        {"employer": employer.pk, "title": "Starter", "hours_per_week": 32, "received_at": now.isoformat(),
         "target_group_flags": ["youth"], "min_age": 20, "max_age": 20},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403
    body = response.json()
    assert (body["code"], body["rule"], list(body["fields"])) == ("age_band_too_narrow", "R-15", ["max_age"])
    assert counts() == before


def test_the_browser_form_explains_the_band_R15(client, adviser, employer):
    client.force_login(adviser)
    html = client.get(f"/vacatures/nieuw/?werkgever={employer.pk}").content.decode()
    assert "band van minstens 5 jaar" in html
