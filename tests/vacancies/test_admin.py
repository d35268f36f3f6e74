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
    # Read-only for everyone, superusers too (issue 7 point 1; tests/admin): the page shows, nothing is editable.
    assert not response.context["adminform"].form.fields
    assert client.post(f"/admin/vacancies/vacancy/{vacancy.pk}/change/", {"title": "x"}).status_code == 403
    assert client.get("/admin/vacancies/vacancy/add/").status_code == 403
    assert Vacancy.objects.count() == 1


def test_vacancies_are_not_deleted_in_the_admin_R57(client, uwv, vacancy):
    """A vacancy is closed, never deleted: its referrals and placements make up the reported figures."""
    client.force_login(UserFactory(organisation=uwv, is_staff=True, is_superuser=True))
    assert client.get(f"/admin/vacancies/vacancy/{vacancy.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/vacancies/vacancy/", {"action": "delete_selected", "_selected_action": [vacancy.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert Vacancy.objects.filter(pk=vacancy.pk).exists()
