"""The admin pages of the vacancies app render (administrators only; rule-bound fields are read-only there)."""

import pytest

from tests.factories import UserFactory
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["vacancy", "skill", "vacancyhandover", "recruitmentplan"])
def test_changelists_render(client, uwv, vacancy, page):
    client.force_login(UserFactory(organisation=uwv, is_staff=True, is_superuser=True))
    assert client.get(f"/admin/vacancies/{page}/").status_code == 200


def test_vacancy_change_page_keeps_rule_fields_read_only_R20(client, uwv, vacancy):
    client.force_login(UserFactory(organisation=uwv, is_staff=True, is_superuser=True))
    response = client.get(f"/admin/vacancies/vacancy/{vacancy.pk}/change/")
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert {"title", "description"} <= set(form_fields)
    assert not {"positions", "owner", "status", "received_at", "registered_at"} & set(form_fields)
    assert client.get("/admin/vacancies/vacancy/add/").status_code == 403
    assert Vacancy.objects.count() == 1
