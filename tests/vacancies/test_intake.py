"""R-12: a vacancy is noted the moment it comes in and registered within 24 hours; the clock runs from receipt."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import Role
from tests.factories import EmployerFactory, UserFactory
from vacancies import services
from vacancies.models import VacancyIntake
from wsp.errors import Conflict, InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db


def _intake(adviser, employer, *, hours_ago: float):
    return services.vacancy_intake_register(
        by=adviser, employer=employer, title="Heftruckchauffeur",
        received_at=timezone.now() - timedelta(hours=hours_ago), source="email",
    )  # fmt: skip


def test_intake_goes_to_the_main_account_holder_and_waits_R12(colleague, adviser, employer):
    intake = _intake(colleague, employer, hours_ago=2)
    assert intake.assigned_to == adviser  # the employer's main account holder registers it
    assert list(VacancyIntake.objects.waiting()) == [intake]
    assert not intake.is_overdue


def test_registering_from_an_intake_keeps_the_moment_of_receipt_and_flags_late_R12(adviser, employer):
    intake = _intake(adviser, employer, hours_ago=30)
    other = EmployerFactory()
    vacancy = services.vacancy_register(
        by=adviser, employer=other, intake=intake, title="Heftruckchauffeur", hours_per_week=38,
        received_at=timezone.now(),
    )  # fmt: skip
    assert vacancy.employer == employer  # the intake's employer, whatever the form said
    assert vacancy.received_at == intake.received_at and vacancy.source == "email"
    vacancy.refresh_from_db()
    assert vacancy.registered_late
    assert not VacancyIntake.objects.waiting().exists()


def test_an_intake_is_registered_once(adviser, employer, counts):
    intake = _intake(adviser, employer, hours_ago=1)
    services.vacancy_register(by=adviser, intake=intake, employer=employer, title="A", hours_per_week=20,
                              received_at=timezone.now())  # fmt: skip
    before = counts()
    with pytest.raises(Conflict) as refused:
        services.vacancy_register(by=adviser, intake=intake, employer=employer, title="B", hours_per_week=20,
                                  received_at=timezone.now())  # fmt: skip
    assert refused.value.code == "intake_done"
    assert counts() == before


def test_intake_in_the_future_or_without_title_is_refused(adviser, employer):
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_intake_register(
            by=adviser, employer=employer, title=" ", received_at=timezone.now() + timedelta(days=1)
        )
    assert set(refused.value.fields) == {"title", "received_at"}
    assert not VacancyIntake.objects.exists()


def test_dismissed_intake_leaves_the_worklist_with_its_reason(adviser, employer):
    intake = _intake(adviser, employer, hours_ago=1)
    with pytest.raises(InvalidInput):
        services.vacancy_intake_dismiss(intake=intake, by=adviser, reason="")
    services.vacancy_intake_dismiss(intake=intake, by=adviser, reason="Werkgever trok de vacature in")
    intake.refresh_from_db()
    assert intake.dismissed_at and not VacancyIntake.objects.waiting().exists()


def test_home_page_lists_the_intakes_to_register_with_the_time_left(client, adviser, employer):
    _intake(adviser, employer, hours_ago=3)
    client.force_login(adviser)
    response = client.get("/")
    assert [i.title for i in response.context["vacancies"]["waiting"]] == ["Heftruckchauffeur"]
    assert "?intake=" in response.content.decode()


def test_intake_form_notes_the_vacancy(client, adviser, employer):
    client.force_login(adviser)
    response = client.post(
        f"/werkgevers/{employer.pk}/vacature-ontvangen/",
        {"title": "Kok", "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "source": "phone"},
    )
    assert response.status_code == 302
    assert VacancyIntake.objects.get().title == "Kok"


def test_only_the_assignee_the_receiver_or_a_manager_sets_an_intake_aside_R12(
    adviser, colleague, other_adviser, manager, employer, counts
):
    noted_by_colleague = _intake(colleague, employer, hours_ago=1)  # assigned to Anna, the main account holder
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_intake_dismiss(intake=noted_by_colleague, by=other_adviser, reason="Dubbel")
    assert (refused.value.code, refused.value.rule) == ("not_your_intake", "R-12")
    assert counts() == before
    assert VacancyIntake.objects.waiting().count() == 1

    for allowed in (adviser, colleague, manager):
        intake = _intake(colleague, employer, hours_ago=1)
        services.vacancy_intake_dismiss(intake=intake, by=allowed, reason=" Werkgever trok de vacature in ")
        intake.refresh_from_db()
        assert (bool(intake.dismissed_at), intake.dismiss_reason) == (True, "Werkgever trok de vacature in")


def test_setting_aside_someone_elses_intake_in_the_browser_shows_why_and_changes_nothing_R12(
    client, other_adviser, adviser, employer
):
    intake = _intake(adviser, employer, hours_ago=1)
    client.force_login(other_adviser)
    response = client.post(f"/ontvangen-vacatures/{intake.pk}/terzijde/", {"reason": "Dubbel"}, follow=True)
    assert response.status_code == 200
    assert any(message.level_tag == "error" for message in response.context["messages"])
    intake.refresh_from_db()
    assert intake.dismissed_at is None


@pytest.mark.parametrize("who", ["administrator", "other_manager"])
def test_an_administrator_or_another_organisations_manager_sets_no_intake_aside_R04_R12(
    colleague, employer, municipality, uwv, counts, who
):
    """R-04: "a manager" is a manager (role MANAGER) of the organisation whose clock runs (the assignee's, here
    UWV); before, any user with role manager of any organisation could set it aside."""
    user = (
        UserFactory(username="beheer", role=Role.ADMIN, organisation=uwv)
        if who == "administrator"
        else UserFactory(username="gemeentemanager", role=Role.MANAGER, organisation=municipality)
    )
    intake = _intake(colleague, employer, hours_ago=30)  # assigned to Anna (UWV), overdue
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_intake_dismiss(intake=intake, by=user, reason="Dubbel")
    assert (refused.value.code, refused.value.rule) == ("not_your_intake", "R-12")
    intake.refresh_from_db()
    assert (intake.dismissed_at, intake.dismiss_reason, counts()) == (None, "", before)
