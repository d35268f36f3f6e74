"""R-04: only the main account holder, admitted account holders and managers register vacancies at an employer.

Anyone else is refused (service and API: 403 `admission_required`, rule R-04, naming whom to ask and where the
one-click admission request goes) and, in the browser, told whom to ask and offered the admission request or to
note the vacancy as received for the main account holder (R-12: the 24-hour clock then runs there). The
exceptions: the creator of a new employer with its first vacancy (R-03, R-06), co-production children (R-19),
duplicates (R-25) and the chain partner's takeover (R-13) do not pass through the admission check.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import Role
from employers.choices import AccessRequestStatus
from employers.models import AccessRequest, Employer
from employers.services import access_request_decide, employer_create
from tests.factories import AccessRequestFactory, AccountHolderFactory, EmployerFactory, UserFactory
from vacancies import services
from vacancies.models import Vacancy, VacancyIntake
from wsp.errors import RuleRefused

pytestmark = pytest.mark.django_db

API = "/api/v1/vacancies/"


@pytest.fixture
def outsider(colleague):
    """An adviser of the main account holder's own organisation who is no account holder of the employer."""
    return colleague


def _register(by, employer, now, **extra):
    return services.vacancy_register(
        by=by, employer=employer, title="Orderpicker", hours_per_week=32, received_at=now - timedelta(hours=2), **extra
    )


# --- Service ---------------------------------------------------------------------------------------------------


def test_main_account_holder_admitted_account_holder_and_manager_register_R04(
    employer, adviser, other_adviser, manager, now
):
    AccountHolderFactory(employer=employer, user=other_adviser)
    assert _register(adviser, employer, now).owner == adviser  # the main account holder
    assert _register(other_adviser, employer, now).owner == other_adviser  # an admitted account holder
    # A manager registers for an adviser who may act there (the manager cannot own a vacancy: R-17).
    assert _register(manager, employer, now, owner=adviser).owner == adviser


@pytest.mark.parametrize("who", ["outsider", "other_adviser"])
def test_anyone_else_is_refused_with_whom_to_ask_R04(request, employer, adviser, counts, now, who):
    user = request.getfixturevalue(who)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        _register(user, employer, now)
    error = refused.value
    assert (error.status_code, error.code, error.rule) == (403, "admission_required", "R-04")
    assert error.extra["main_account_holder"] == adviser.pk
    assert error.extra["access_request"] == f"/api/v1/employers/{employer.pk}/access-requests/"
    assert adviser.full_name in str(error.detail)
    assert counts() == before


def test_an_account_manager_who_is_no_account_holder_is_refused_R04(employer, uwv, adviser, counts, now):
    acquirer = UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        _register(acquirer, employer, now, owner=adviser)
    assert (refused.value.code, refused.value.rule) == ("admission_required", "R-04")
    assert counts() == before


def test_a_pending_admission_request_is_no_admission_R04(employer, outsider, counts, now):
    AccessRequestFactory(employer=employer, requester=outsider)
    before = counts()
    with pytest.raises(RuleRefused):
        _register(outsider, employer, now)
    assert counts() == before


def test_after_approval_the_account_holder_registers_R04(employer, adviser, outsider, now):
    request = AccessRequestFactory(employer=employer, requester=outsider)
    access_request_decide(request_id=request.pk, by=adviser, approve=True)
    assert _register(outsider, employer, now).owner == outsider


def test_the_named_owner_must_be_an_account_holder_too_R04(employer, adviser, manager, outsider, counts, now):
    """The owner proposes candidates to the employer (R-17): that is acting towards it, so a caller who may act
    cannot hand the vacancy to someone who may not. Documented in vacancies.services.vacancy_register."""
    before = counts()
    for caller in (adviser, manager):
        with pytest.raises(RuleRefused) as refused:
            _register(caller, employer, now, owner=outsider)
        assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == (
            "admission_required",
            "R-04",
            ["owner"],
        )
        assert adviser.full_name in str(refused.value.fields["owner"][0])
    assert counts() == before
    AccountHolderFactory(employer=employer, user=outsider)
    assert _register(adviser, employer, now, owner=outsider).owner == outsider


def test_registering_from_an_intake_needs_admission_and_keeps_the_receipt_R04_R12(employer, adviser, outsider, now):
    intake = services.vacancy_intake_register(
        by=outsider, employer=employer, title="Kok", received_at=now - timedelta(hours=30), source="email"
    )
    assert intake.assigned_to == adviser  # the main account holder's clock
    with pytest.raises(RuleRefused):
        services.vacancy_register(
            by=outsider, employer=employer, intake=intake, title="Kok", hours_per_week=24, received_at=now
        )
    assert VacancyIntake.objects.waiting().get() == intake
    vacancy = services.vacancy_register(
        by=adviser, employer=employer, intake=intake, title="Kok", hours_per_week=24, received_at=now
    )
    vacancy.refresh_from_db()
    assert (vacancy.received_at, vacancy.registered_late) == (intake.received_at, True)


# --- Intake: open to everyone, to the main account holder by default -----------------------------------------


@pytest.mark.parametrize("role", [Role.ADVISER, Role.ACCOUNT_MANAGER, Role.MANAGER, Role.ADMIN])
def test_every_staff_member_notes_an_intake_for_the_main_account_holder_R04_R12(employer, adviser, municipality, role):
    user = UserFactory(organisation=municipality, role=role)
    intake = services.vacancy_intake_register(
        by=user, employer=employer, title="Schoonmaker", received_at=timezone.now() - timedelta(minutes=5)
    )
    assert (intake.received_by, intake.assigned_to) == (user, adviser)


def test_an_intake_goes_only_to_someone_who_may_register_it_R04(employer, adviser, outsider, other_adviser, counts):
    AccountHolderFactory(employer=employer, user=other_adviser)
    moment = timezone.now() - timedelta(minutes=5)
    intake = services.vacancy_intake_register(
        by=outsider, employer=employer, title="Kok", received_at=moment, assigned_to=other_adviser.pk
    )
    assert intake.assigned_to == other_adviser  # an admitted account holder
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_intake_register(
            by=adviser, employer=employer, title="Kok", received_at=moment, assigned_to=outsider.pk
        )
    assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == (
        "admission_required",
        "R-04",
        ["assigned_to"],
    )
    assert counts() == before


# --- The exceptions ---------------------------------------------------------------------------------------------


def test_the_creator_of_a_new_employer_registers_its_first_vacancy_R03_R06(uwv, adviser, now):
    """An account manager acquires an employer and names the adviser who owns the relation: the first vacancy is
    registered without admission and owned by the main account holder (R-03, R-04, R-06)."""
    acquirer = UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER)
    employer = employer_create(
        by=acquirer,
        data={"name": "Visserij Noordzee", "postcode": "1976 BA", "municipality": "Velsen"},
        main_account_holder=adviser,
        first_vacancy_register=lambda new: services.vacancy_register_for_new_employer(
            employer=new, by=acquirer, title="Visverwerker", hours_per_week=36, received_at=now - timedelta(hours=1)
        ),
    )
    vacancy = employer.vacancies.get()
    assert (vacancy.owner, vacancy.created_by, employer.main_account_holder) == (adviser, acquirer, adviser)


def test_the_first_vacancy_of_a_new_employer_is_not_owned_by_a_stranger_R04(uwv, adviser, outsider, counts, now):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        employer_create(
            by=adviser,
            data={"name": "Visserij Noordzee", "postcode": "1976 BA", "municipality": "Velsen"},
            first_vacancy_register=lambda new: services.vacancy_register_for_new_employer(
                employer=new,
                by=adviser,
                title="Visverwerker",
                hours_per_week=36,
                received_at=now - timedelta(hours=1),
                owner=outsider.pk,
            ),
        )
    assert (refused.value.code, list(refused.value.fields)) == ("admission_required", ["first_vacancy.owner"])
    assert counts() == before
    assert not Employer.objects.filter(name="Visserij Noordzee").exists()


def test_system_moves_need_no_admission_R19_R25(employer, adviser, other_adviser, now):
    """Co-production children are made by the owner's service for the partners, who are no account holders."""
    large = _register(adviser, employer, now, requested_positions=12)
    plan = services.co_production_start(
        vacancy=large,
        by=adviser,
        activities=["speed_meet"],
        partners=[other_adviser.organisation_id],
        partner_owners={other_adviser.organisation_id: other_adviser},
    )
    assert plan.vacancy.children.get().owner == other_adviser


# --- API ----------------------------------------------------------------------------------------------------------


def test_api_post_by_a_non_holder_is_403_R04(client_for, outsider, employer, adviser, counts, now):
    before = counts()
    response = client_for(outsider).post(
        API,
        {"employer": employer.pk, "title": "Kok", "hours_per_week": 24, "received_at": now.isoformat()},
        format="json",
    )
    assert response.status_code == 403, response.content
    body = response.json()
    assert (body["code"], body["rule"], body["main_account_holder"]) == ("admission_required", "R-04", adviser.pk)
    assert body["access_request"].endswith(f"/employers/{employer.pk}/access-requests/")
    assert counts() == before


def test_api_post_naming_an_owner_who_may_not_act_is_403_R04(adviser_client, outsider, employer, counts, now):
    before = counts()
    response = adviser_client.post(
        API,
        {
            "employer": employer.pk,
            "owner": outsider.pk,
            "title": "Kok",
            "hours_per_week": 24,
            "received_at": now.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 403
    assert (response.json()["code"], list(response.json()["fields"])) == ("admission_required", ["owner"])
    assert counts() == before


# --- Browser --------------------------------------------------------------------------------------------------


@pytest.fixture
def outsider_browser(client, outsider):
    client.force_login(outsider)
    return client


def test_registration_form_for_a_non_holder_says_whom_to_ask_and_offers_both_ways_R04(
    outsider_browser, employer, adviser
):
    html = outsider_browser.get(f"/vacatures/nieuw/?werkgever={employer.pk}").content.decode()
    assert "Je bent geen accounthouder van deze werkgever" in html
    assert adviser.full_name in html
    assert f'action="/werkgevers/{employer.pk}/toegang/"' in html  # the one-click admission request
    assert f'action="/werkgevers/{employer.pk}/vacature-ontvangen/"' in html  # note it for the main account holder
    assert 'name="intake-title"' in html
    assert "Vacature registreren" not in html  # the action they may not take is not offered


def test_a_posted_registration_by_a_non_holder_saves_nothing_and_keeps_what_was_typed_R04(
    outsider_browser, employer, counts
):
    before = counts()
    response = outsider_browser.post(
        "/vacatures/nieuw/",
        {
            "employer": employer.pk,
            "title": "Heftruckchauffeur",
            "hours_per_week": 32,
            "requested_positions": 1,
            "received_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "source": "email",
            "visibility": "open",
            "description": "Ploegendienst",
        },
    )
    assert response.status_code == 200
    assert counts() == before
    intake_form = response.context["intake_form"]
    assert (intake_form.initial["title"], intake_form.initial["source"], intake_form.initial["note"]) == (
        "Heftruckchauffeur",
        "email",
        "Ploegendienst",
    )


def test_the_offered_intake_goes_to_the_main_account_holder_R04_R12(outsider_browser, outsider, employer, adviser):
    received = (timezone.localtime() - timedelta(hours=1)).replace(second=0, microsecond=0)
    response = outsider_browser.post(
        f"/werkgevers/{employer.pk}/vacature-ontvangen/",
        {
            "intake-title": "Heftruckchauffeur",
            "intake-received_at": received.strftime("%Y-%m-%dT%H:%M"),
            "intake-source": "phone",
            "intake-note": "Belde mij rechtstreeks",
        },
    )
    assert response.status_code == 302
    intake = VacancyIntake.objects.get()
    assert (intake.received_by, intake.assigned_to, intake.received_at) == (outsider, adviser, received)
    # The main account holder sees it on the home page with the time left.
    outsider_browser.force_login(adviser)
    assert [i.pk for i in outsider_browser.get("/").context["vacancies"]["waiting"]] == [intake.pk]


def test_the_one_click_admission_request_is_sent_R04(outsider_browser, outsider, employer):
    outsider_browser.post(f"/werkgevers/{employer.pk}/toegang/")
    assert AccessRequest.objects.get(employer=employer, requester=outsider).status == AccessRequestStatus.PENDING
    html = outsider_browser.get(f"/vacatures/nieuw/?werkgever={employer.pk}").content.decode()
    assert "Je toegangsverzoek wacht" in html


def test_employer_search_marks_employers_the_user_may_not_register_at_R04(outsider_browser, outsider, employer):
    own = EmployerFactory(name="Bakkerij Jansen Zuid", main_account_holder=outsider)
    html = outsider_browser.get("/vacatures/werkgever-zoeken/?employer_q=bakkerij").content.decode()
    assert html.count("niet jouw werkgever") == 1
    assert own.name in html and employer.name in html


def test_the_holder_still_registers_from_the_form_R04(client, adviser, employer):
    client.force_login(adviser)
    response = client.post(
        "/vacatures/nieuw/",
        {
            "employer": employer.pk,
            "title": "Heftruckchauffeur",
            "hours_per_week": 32,
            "requested_positions": 1,
            "received_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "source": "email",
            "visibility": "open",
        },
    )
    assert response.status_code == 302
    assert Vacancy.objects.get().owner == adviser
