"""R-54 and R-19: the project and event forms for managers in the browser: a new project, its change, a new maximum
subsidy, a new activity, a target change and a realisation, and the change of an event. Every refusal shows the
service's Dutch message on the form and changes nothing; advisers are sent away (R-01)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.projects import services
from reporting.projects.models import Activity, Event, MaxSubsidyChange, Project, TargetChange
from tests.factories import CandidateFactory

from .conftest import project_fields

pytestmark = pytest.mark.django_db

NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
NEGATIVE = "Een bedrag of aantal kan niet negatief zijn."
REASON = "Geef de reden van deze wijziging op."
RANGE = "Geef de realisatie als aantal of als bereik zoals 1800-1850"


def _no_inline(html: str) -> None:
    assert "style=" not in html and "<style" not in html
    assert "<script>" not in html.replace("<script src", "") and "onclick=" not in html


def _project_post(**overrides) -> dict:
    data = {
        "numbers": "2016DW2015, 2016DW2016",
        "title": "Werkgeversdienstverlening zorg",
        "applicant": "Stichting Zorgplein",
        "applicant_organisation": "",
        "executors": "Zorgplein, WSP",
        "signatories": "Gemeente Haarlem",
        "period_start": "2016-07-15",
        "period_end": "2018-12-31",
        "period_note": "verlengd tot eind 2018",
        "budgeted_direct_costs": "1245313",
        "budget_note": "",
        "max_subsidy": "859265",
        "requested_subsidy": "710781",
    }
    data.update(overrides)
    return data


def _activity(project, code="1") -> Activity:
    return project.activities.get(code=code)


def _activity_url(activity) -> str:
    return reverse("project-activity", args=[activity.project_id, activity.pk])


# -- a new project and its change -------------------------------------------------------------------------------------


def test_r54_manager_adds_a_project(client, manager, uwv, municipality):
    client.force_login(manager)
    page = client.get(reverse("project-create"), **NL)
    assert page.status_code == 200
    _no_inline(page.content.decode())
    response = client.post(
        reverse("project-create"),
        _project_post(executor_organisations=[uwv.pk], signatory_organisations=[municipality.pk]),
        **NL,
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == reverse("project-detail", args=[project.pk])
    assert sorted(project.number_list) == ["2016DW2015", "2016DW2016"]
    assert (project.max_subsidy, project.initial_max_subsidy) == (Decimal("859265"), Decimal("859265"))
    assert list(project.executor_organisations.all()) == [uwv]
    assert list(project.signatory_organisations.all()) == [municipality]
    html = client.get(response.url, **NL).content.decode()
    assert "Werkgeversdienstverlening zorg" in html and "83%" in html


def test_r54_a_project_with_unknown_requested_subsidy(client, manager):
    client.force_login(manager)
    client.post(reverse("project-create"), _project_post(requested_subsidy=""), **NL)
    assert Project.objects.get().requested_subsidy is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"period_end": "2016-01-01"},
            "period_end",
            "Het einde van de subsidieperiode kan niet voor het begin liggen.",
        ),
        ({"numbers": "2016DW2012"}, "numbers", "Projectnummer 2016DW2012 hoort al bij een ander project."),
        ({"numbers": "DW-12"}, "numbers", "Gebruik een projectnummer zoals 2016DW2012."),
        ({"numbers": ""}, "numbers", "Geef minstens één projectnummer."),
        ({"max_subsidy": "-1"}, "max_subsidy", NEGATIVE),
        ({"budgeted_direct_costs": ""}, "budgeted_direct_costs", "Dit bedrag of aantal is verplicht."),
    ],
)
def test_r54_a_wrong_project_is_refused_on_the_form(
    client, manager, project, project_counts, overrides, field, message
):
    client.force_login(manager)
    before = project_counts()
    response = client.post(reverse("project-create"), _project_post(**overrides), **NL)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert project_counts() == before


def test_r54_manager_changes_a_project(client, manager, project, uwv):
    client.force_login(manager)
    url = reverse("project-edit", args=[project.pk])
    page = client.get(url, **NL)
    assert page.status_code == 200 and page.context["form"]["numbers"].value() == "2016DW2012"
    assert "max_subsidy" not in page.context["form"].fields  # changed only by a decision with date and reason
    response = client.post(
        url,
        _project_post(numbers="2016DW2012 2016DW2013", title="Corporatiesector 2.0", requested_subsidy="",
                      applicant_organisation=uwv.pk),
        **NL,
    )  # fmt: skip
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Corporatiesector 2.0" and project.requested_subsidy is None
    assert project.applicant_organisation == uwv
    assert sorted(project.number_list) == ["2016DW2012", "2016DW2013"]
    assert project.max_subsidy == Decimal("859265")
    assert "nog niet bekend" in client.get(response.url, **NL).content.decode()


def test_r54_a_wrong_change_of_a_project_changes_nothing(client, manager, project, project_counts):
    other = services.project_create(by=manager, **project_fields(numbers=["2016DW3000"], activities=[]))
    client.force_login(manager)
    before = project_counts()
    url = reverse("project-edit", args=[project.pk])
    response = client.post(url, _project_post(numbers="2016DW3000", title="Anders"), **NL)
    assert "Projectnummer 2016DW3000 hoort al bij een ander project." in response.content.decode()
    response = client.post(url, _project_post(period_start="2019-01-01", title="Anders"), **NL)
    assert "Het einde van de subsidieperiode kan niet voor het begin liggen." in response.content.decode()
    response = client.post(url, _project_post(requested_subsidy="-3", title="Anders"), **NL)
    assert response.context["form"].errors["requested_subsidy"] == [NEGATIVE]
    assert project_counts() == before
    project.refresh_from_db()
    assert project.title == project_fields()["title"] and other.number_list == ["2016DW3000"]


# -- the maximum subsidy ------------------------------------------------------------------------------------------


def test_r54_manager_records_a_new_maximum_subsidy(client, manager, project):
    client.force_login(manager)
    url = reverse("project-max-subsidy", args=[project.pk])
    assert client.get(url, **NL).status_code == 200
    response = client.post(url, {"date": "2017-03-01", "new": "800000", "reason": "wijzigingsverzoek goedgekeurd"})
    assert response.status_code == 302
    change = MaxSubsidyChange.objects.get()
    assert (change.date, change.old, change.new) == (date(2017, 3, 1), Decimal("859265"), Decimal("800000"))
    project.refresh_from_db()
    assert project.max_subsidy == Decimal("800000")
    assert "wijzigingsverzoek goedgekeurd" in client.get(response.url, **NL).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2017-03-01", "new": "800000", "reason": " "}, "reason", REASON),
        ({"date": "2017-03-01", "new": "-1", "reason": "korting"}, "new", NEGATIVE),
        ({"date": "2017-03-01", "new": "", "reason": "korting"}, "new", "Dit bedrag of aantal is verplicht."),
    ],
)
def test_r54_a_wrong_maximum_subsidy_is_refused(client, manager, project, project_counts, data, field, message):
    client.force_login(manager)
    before = project_counts()
    response = client.post(reverse("project-max-subsidy", args=[project.pk]), data, **NL)
    assert response.status_code == 200 and response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert project_counts() == before


def test_r54_a_maximum_subsidy_without_date_is_refused(client, manager, project, project_counts):
    client.force_login(manager)
    before = project_counts()
    response = client.post(reverse("project-max-subsidy", args=[project.pk]), {"new": "1", "reason": "x"}, **NL)
    assert response.status_code == 200 and response.context["form"].errors["date"]
    assert project_counts() == before


# -- activities -----------------------------------------------------------------------------------------------------


def test_r54_manager_adds_an_activity(client, manager, project):
    client.force_login(manager)
    url = reverse("project-activity-add", args=[project.pk])
    assert client.get(url, **NL).status_code == 200
    data = {"code": "7", "description": "Banenmarkt corporaties", "target": "3", "target_unit": "events"}
    response = client.post(url, data, **NL)
    assert response.status_code == 302
    activity = _activity(project, "7")
    assert (activity.description, activity.target, activity.target_unit) == ("Banenmarkt corporaties", 3, "events")
    assert activity.position == 2  # after the two activities of the fixture
    assert "Banenmarkt corporaties" in client.get(response.url, **NL).content.decode()


def test_r54_a_wrong_activity_is_refused(client, manager, project, project_counts):
    client.force_login(manager)
    before = project_counts()
    url = reverse("project-activity-add", args=[project.pk])
    response = client.post(url, {"code": "", "description": "Zonder code", "target": "3"}, **NL)
    assert response.context["form"].errors["code"] == ["Geef de activiteit een code."]
    response = client.post(url, {"code": "8", "description": "Negatief", "target": "-3"}, **NL)
    assert NEGATIVE in response.content.decode()
    # An existing code would change that activity instead of adding one: refused before the service is called.
    response = client.post(url, {"code": "1", "description": "Dubbel", "target": "99"}, **NL)
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert project_counts() == before
    assert _activity(project, "1").description == "Landelijke events"


def test_r54_manager_changes_a_target_with_date_and_reason(client, manager, project):
    activity = _activity(project)
    client.force_login(manager)
    page = client.get(_activity_url(activity), **NL)
    assert page.status_code == 200
    _no_inline(page.content.decode())
    data = {"form": "target", "target-date": "2017-05-01", "target-new": "1", "target-reason": "korting tot 50%"}
    response = client.post(_activity_url(activity), data, **NL)
    assert response.status_code == 302
    change = TargetChange.objects.get()
    assert (change.date, change.old, change.new, change.reason) == (date(2017, 5, 1), 2, 1, "korting tot 50%")
    assert "korting tot 50%" in client.get(response.url, **NL).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"target-date": "2017-05-01", "target-new": "5", "target-reason": ""}, "reason", REASON),
        ({"target-date": "2017-05-01", "target-new": "-5", "target-reason": "x"}, "new", NEGATIVE),
        (
            {"target-date": "2017-05-01", "target-new": "", "target-reason": "x"},
            "new",
            "Dit bedrag of aantal is verplicht.",
        ),
    ],
)
def test_r54_a_wrong_target_change_is_refused(client, manager, project, project_counts, data, field, message):
    activity = _activity(project)
    client.force_login(manager)
    before = project_counts()
    response = client.post(_activity_url(activity), {"form": "target", **data}, **NL)
    assert response.status_code == 200 and response.context["target_form"].errors[field] == [message]
    assert message in response.content.decode()
    assert project_counts() == before
    assert _activity(project).target == 2


@pytest.mark.parametrize(
    ("data", "low", "high", "reason"),
    [
        ({"realisation-realised": "67"}, 67, None, ""),
        ({"realisation-realised": "1800-1850", "realisation-note": "schatting"}, 1800, 1850, ""),
        ({"realisation-not_realised": "on", "realisation-not_realised_reason": "Geen BSN"}, None, None, "Geen BSN"),
    ],
)
def test_r54_manager_records_a_realisation(client, manager, project, data, low, high, reason):
    activity = _activity(project)
    client.force_login(manager)
    response = client.post(_activity_url(activity), {"form": "realisation", **data}, **NL)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.realised_low, activity.realised_high, activity.not_realised_reason) == (low, high, reason)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"realisation-realised": "1850-1800"}, "realised", RANGE),
        ({"realisation-realised": "veel"}, "realised", RANGE),
        ({"realisation-not_realised": "on"}, "not_realised_reason",
         "Geef de reden waarom de activiteit niet is gerealiseerd."),
        ({"realisation-realised": "5", "realisation-not_realised_reason": "Geen BSN"}, "not_realised_reason",
         "Een activiteit is gerealiseerd of niet gerealiseerd met een reden, niet allebei."),
    ],
)  # fmt: skip
def test_r54_a_wrong_realisation_is_refused(client, manager, project, project_counts, data, field, message):
    activity = _activity(project)
    client.force_login(manager)
    before = project_counts()
    response = client.post(_activity_url(activity), {"form": "realisation", **data}, **NL)
    assert response.status_code == 200
    assert response.context["realisation_form"].errors[field][0].startswith(message)
    assert project_counts() == before
    activity.refresh_from_db()
    assert (activity.realised_low, activity.not_realised_reason) == (8, "")


def test_r54_an_activity_of_another_project_is_not_found(client, manager, project):
    other = services.project_create(by=manager, **project_fields(numbers=["2016DW3001"]))
    client.force_login(manager)
    url = reverse("project-activity", args=[other.pk, _activity(project).pk])
    assert client.get(url).status_code == 404


# -- events -------------------------------------------------------------------------------------------------------


@pytest.fixture
def event(manager, uwv):
    return services.event_create(by=manager, kind="job_fair", title="Banenmarkt", date=date(2024, 4, 11),
                                 participants=50, organisers=[uwv.pk])  # fmt: skip


def test_r19_manager_changes_an_event(client, manager, event, municipality, project):
    client.force_login(manager)
    url = reverse("event-edit", args=[event.pk])
    page = client.get(url, **NL)
    assert page.status_code == 200 and page.context["form"]["title"].value() == "Banenmarkt"
    _no_inline(page.content.decode())
    assert url in client.get(reverse("events"), **NL).content.decode()
    data = {"kind": "speed_meet", "title": "Speed meet zorg", "date": "2024-04-12", "participants": "60"}
    response = client.post(url, {**data, "organisers": [municipality.pk], "project": project.pk})
    assert response.status_code == 302 and response.url == reverse("events")
    event.refresh_from_db()
    assert (event.kind, event.title, event.date, event.participants) == ("speed_meet", "Speed meet zorg",
                                                                         date(2024, 4, 12), 60)  # fmt: skip
    assert list(event.organisers.all()) == [municipality] and event.project == project


def test_r19_a_wrong_event_change_is_refused(client, manager, event, project_counts):
    event.candidates.set(CandidateFactory.create_batch(3))
    client.force_login(manager)
    before = project_counts()
    url = reverse("event-edit", args=[event.pk])
    base = {"kind": "job_fair", "title": "Banenmarkt", "date": "2024-04-11"}
    response = client.post(url, {**base, "participants": "-1"}, **NL)
    assert response.context["form"].errors["participants"] == [NEGATIVE]
    response = client.post(url, {**base, "participants": "2"}, **NL)
    assert response.context["form"].errors["participants"] == [
        "Er kunnen niet minder deelnemers zijn dan kandidaten die aan het evenement gekoppeld zijn."
    ]
    response = client.post(url, {**base, "kind": "party", "participants": "80"}, **NL)
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert project_counts() == before
    event.refresh_from_db()
    assert event.participants == 50


# -- managers only ------------------------------------------------------------------------------------------------


def test_r01_advisers_are_sent_away_from_every_project_form(client, adviser, project, event, project_counts):
    activity = _activity(project)
    client.force_login(adviser)
    before = project_counts()
    posts = [
        (reverse("project-create"), _project_post()),
        (reverse("project-edit", args=[project.pk]), _project_post(numbers="2016DW2012", title="Anders")),
        (reverse("project-max-subsidy", args=[project.pk]), {"date": "2017-01-01", "new": "1", "reason": "x"}),
        (reverse("project-activity-add", args=[project.pk]), {"code": "9", "description": "x"}),
        (_activity_url(activity), {"form": "target", "target-date": "2017-01-01", "target-new": "9",
                                   "target-reason": "x"}),
        (_activity_url(activity), {"form": "realisation", "realisation-realised": "99"}),
        (reverse("event-edit", args=[event.pk]), {"kind": "job_fair", "title": "x", "date": "2024-01-01",
                                                  "participants": "1"}),
    ]  # fmt: skip
    for url, data in posts:
        assert client.get(url).status_code == 302
        response = client.post(url, data)
        assert response.status_code == 302 and response.url == reverse("home")
    assert project_counts() == before
    assert Event.objects.get().title == "Banenmarkt"


# -- query counts ---------------------------------------------------------------------------------------------------


def test_r54_project_detail_queries_do_not_grow_with_activities(client, manager, project):
    client.force_login(manager)
    url = reverse("project-detail", args=[project.pk])

    def add_activities(start, n):
        for i in range(start, start + n):
            item = {"code": f"A{i}", "description": f"Activiteit {i}", "target": 10}
            services.project_update(by=manager, project=project, activities=[item])
            activity = _activity(project, f"A{i}")
            services.activity_target_change(
                by=manager, activity=activity, date=date(2017, 1, 1), new=5, reason="korting"
            )
            services.activity_realisation_record(by=manager, activity=activity, realised="1800-1850")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # session, user, project, numbers, executors, signatories, subsidy changes, activities, target changes,
    # placement links, events: the same at 2 and at 20 activities (each row's link needs no query).
    add_activities(0, 2)
    at_few = queries()
    add_activities(2, 18)
    assert queries() == at_few
