"""The employer pages in the browser (Django's test client): R-04 actions offered only to those who may act, with
whom to ask otherwise; polite refusals instead of forms that would fail; R-05's last contact explained; R-10's
stated response moments; R-33's instruments; R-11's feedback page and import; reassignment within the organisation.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.choices import Role
from employers import selectors, services
from employers.choices import ContactKind
from employers.models import AccessRequest, ContactMoment, ContactRequest, Employer, EmployerFeedback
from tests.factories import (
    AccountHolderFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    EmployerFeedbackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _page(client, employer) -> str:
    response = client.get(f"/werkgevers/{employer.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _actions(employer) -> dict[str, str]:
    return {
        "new vacancy": f"/vacatures/nieuw/?werkgever={employer.pk}",
        "visit": f"/werkgevers/{employer.pk}/contact/?kind=visit",
        "contact moment": f"/werkgevers/{employer.pk}/contact/?kind=phone",
        "edit": f"/werkgevers/{employer.pk}/wijzigen/",
        "cease": f"/werkgevers/{employer.pk}/gestaakt/",
    }


# --- what the page offers ----------------------------------------------------------------------------------


def test_someone_not_admitted_is_offered_no_actions_but_whom_to_ask_and_the_admission_button_R04(
    as_user, adviser, other_adviser, employer
):
    adviser.phone = "06-12345678"
    adviser.save()
    request = ContactRequestFactory(employer=employer)
    page = _page(as_user(other_adviser), employer)

    for name, url in _actions(employer).items():
        assert f'href="{url}"' not in page and f'action="{url}"' not in page, name
    assert f"/contactverzoeken/{request.pk}/beantwoorden/" not in page
    # Open to everyone: a vacancy the employer reported to them and a contact request.
    assert f"/werkgevers/{employer.pk}/vacature-ontvangen/" in page or "Vacature ontvangen" in page
    assert f"/werkgevers/{employer.pk}/contactverzoek/" in page
    # Whom to ask: the main account holder, their organisation, phone and e-mail, and the one-click request.
    assert "Je bent niet toegelaten tot deze werkgever" in page
    for detail in ("Anna de Jong", "UWV", "06-12345678", adviser.email):
        assert detail in page
    assert f'action="/werkgevers/{employer.pk}/toegang/"' in page
    assert "Toegang aanvragen" in page


def test_the_admission_request_is_one_click_and_then_shown_as_pending_R04(as_user, other_adviser, employer):
    client = as_user(other_adviser)
    response = client.post(f"/werkgevers/{employer.pk}/toegang/", follow=True)  # no message needed
    assert AccessRequest.objects.filter(employer=employer, requester=other_adviser, status="pending").exists()
    page = response.content.decode()
    assert 'id="admission-pending"' in page and "wacht op Anna de Jong" in page
    assert f'action="/werkgevers/{employer.pk}/toegang/"' not in page


@pytest.mark.parametrize("who", ["main account holder", "admitted account holder", "manager"])
def test_those_who_may_act_are_offered_every_action_R04(as_user, adviser, other_adviser, manager, employer, who):
    user = {"main account holder": adviser, "admitted account holder": other_adviser, "manager": manager}[who]
    if who == "admitted account holder":
        AccountHolderFactory(employer=employer, user=other_adviser)
    request = ContactRequestFactory(employer=employer)
    page = _page(as_user(user), employer)
    for name, url in _actions(employer).items():
        assert url in page, name
    assert f"/contactverzoeken/{request.pk}/beantwoorden/" in page
    assert "Je bent niet toegelaten" not in page


@pytest.mark.parametrize("n", [2, 20])
def test_the_employer_page_of_someone_not_admitted_has_a_fixed_query_count_R04(
    as_user, adviser, other_adviser, employer, n, django_assert_num_queries
):
    ContactMomentFactory.create_batch(n, employer=employer)
    AccountHolderFactory.create_batch(n, employer=employer)
    ContactRequestFactory.create_batch(n, employer=employer)
    client = as_user(other_adviser)
    # session + user, employer (with main holder, sector, creator, last-contact author), holders, timeline, contact
    # requests, pending admission requests, audit trail, merged records, own feedback, vacancies
    with django_assert_num_queries(11):
        client.get(f"/werkgevers/{employer.pk}/")


# --- the pages that act refuse politely ---------------------------------------------------------------------


def test_edit_page_refuses_someone_not_admitted_politely_and_changes_nothing_R04(as_user, other_adviser, employer):
    client = as_user(other_adviser)
    for method in ("get", "post"):
        response = getattr(client, method)(
            f"/werkgevers/{employer.pk}/wijzigen/", {"name": "Overgenomen", "postcode": "2011 AB"}, follow=True
        )
        assert response.redirect_chain[-1][0] == f"/werkgevers/{employer.pk}/"
        assert "Vraag Anna de Jong eerst om toegang (R-04)" in response.content.decode()
    employer.refresh_from_db()
    assert employer.name == "Bakkerij Jansen"


def test_contact_page_refuses_someone_not_admitted_politely_and_saves_nothing_R04(
    as_user, other_adviser, employer, counts
):
    client = as_user(other_adviser)
    before = counts()
    for method in ("get", "post"):
        body = {"kind": "phone", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "summary": "Gebeld"}
        response = getattr(client, method)(f"/werkgevers/{employer.pk}/contact/", body, follow=True)
        assert response.redirect_chain[-1][0] == f"/werkgevers/{employer.pk}/"
        assert "R-04" in response.content.decode()
    assert counts() == before


def test_response_page_refuses_someone_not_admitted_politely_and_changes_nothing_R04_R10(
    as_user, other_adviser, employer, counts
):
    request = ContactRequestFactory(employer=employer)
    client = as_user(other_adviser)
    before = counts()
    for method in ("get", "post"):
        response = getattr(client, method)(
            f"/contactverzoeken/{request.pk}/beantwoorden/", {"response": "Ik bel wel"}, follow=True
        )
        assert response.redirect_chain[-1][0] == f"/werkgevers/{employer.pk}/"
    request.refresh_from_db()
    assert (request.responded_at, request.response) == (None, "")
    assert counts() == before


def test_cease_by_someone_not_admitted_is_refused_with_a_message_R04(as_user, other_adviser, employer):
    response = as_user(other_adviser).post(
        f"/werkgevers/{employer.pk}/gestaakt/", {"ceased_on": timezone.localdate().isoformat()}, follow=True
    )
    assert "R-04" in response.content.decode()
    assert Employer.objects.get(pk=employer.pk).status == "active"


def test_a_contact_request_is_registered_by_anyone_for_the_main_account_holder_R10(as_user, other_adviser, employer):
    response = as_user(other_adviser).post(
        f"/werkgevers/{employer.pk}/contactverzoek/",
        {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "question": "Bel terug over stageplek",
        },
    )
    assert response.status_code == 302
    assert ContactRequest.objects.get(employer=employer).assigned_to == employer.main_account_holder


# --- which entry set the last contact -----------------------------------------------------------------------


def test_the_page_says_which_entry_set_the_last_contact_and_links_to_it_R05(
    as_user, adviser, employer, set_last_contact, now
):
    set_last_contact(employer, now - timedelta(days=400))
    visit = services.contact_moment_register(
        employer_id=employer.pk, by=adviser, kind=ContactKind.VISIT, occurred_at=now - timedelta(days=2),
        reason="Kennismaking", company_activities="Bakkerij", agreements="Vacature melden",
    )  # fmt: skip
    page = _page(as_user(adviser), employer)
    day = timezone.localtime(visit.occurred_at).strftime("%d-%m-%Y")
    assert f'{day}: <a href="#contact-{visit.pk}">bezoek door Anna de Jong</a>' in page
    assert f'id="contact-{visit.pk}"' in page


def test_a_takeover_says_it_started_the_12_months_R05(as_user, employer, other_adviser, set_last_contact, now):
    set_last_contact(employer, now - timedelta(days=400))
    services.employer_take_over(employer_id=employer.pk, by=other_adviser)
    page = _page(as_user(other_adviser), employer)
    assert "overgenomen door Chris Visser; daarmee begonnen de 12 maanden" in page


# --- the response form and the badge ------------------------------------------------------------------------


def test_an_answer_given_earlier_is_entered_and_shown_as_stated_afterwards_R10(as_user, adviser, employer, now):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=30))
    client = as_user(adviser)
    form = client.get(f"/contactverzoeken/{request.pk}/beantwoorden/").content.decode()
    assert "Eerder beantwoord op" in form and 'name="responded_at"' in form
    assert 'name="responded_at" value=' not in form  # empty unless given: the moment is when it is saved
    phoned = timezone.localtime(request.received_at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")

    client.post(f"/contactverzoeken/{request.pk}/beantwoorden/", {"response": "Gebeld", "responded_at": phoned})

    request.refresh_from_db()
    assert request.response_stated_afterwards and request.responded_within_24h
    assert "achteraf opgegeven" in _page(client, employer)


def test_an_answer_stated_before_the_request_is_refused_on_the_form_in_dutch_R10(as_user, adviser, employer, now):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=3))
    before = timezone.localtime(request.received_at - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(adviser).post(
        f"/contactverzoeken/{request.pk}/beantwoorden/", {"response": "Gebeld", "responded_at": before}
    )
    assert response.status_code == 200
    assert "vóór de ontvangst" in " ".join(response.context["form"].errors["responded_at"])
    request.refresh_from_db()
    assert request.responded_at is None


# --- instruments in the forms and on the timeline -----------------------------------------------------------


def test_contact_form_offers_the_instruments_with_dutch_names_and_the_timeline_shows_them_R33(
    as_user, adviser, employer
):
    client = as_user(adviser)
    form = client.get(f"/werkgevers/{employer.pk}/contact/?kind=visit").content.decode()
    assert 'type="checkbox" name="instruments_advised" value="no_risk_policy"' in form
    assert "No-riskpolis" in form and "Geadviseerde instrumenten" in form
    client.post(
        f"/werkgevers/{employer.pk}/contact/",
        {
            "kind": "visit", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "reason": "Kennismaking", "company_activities": "Bakkerij", "agreements": "Jobcoach regelen",
            "instruments_advised": ["job_coaching", "no_risk_policy"], "instruments_applied": ["job_coaching"],
        },
    )  # fmt: skip
    moment = ContactMoment.objects.get(employer=employer)
    assert (moment.instruments_advised, moment.instruments_applied) == (
        ["no_risk_policy", "job_coaching"], ["job_coaching"]
    )  # fmt: skip
    page = _page(client, employer)
    assert "Ingezette instrumenten" in page and "Jobcoaching" in page


def test_the_new_employer_form_offers_instruments_for_the_first_visit_R06_R33(as_user, adviser):
    form = as_user(adviser).get("/werkgevers/nieuw/").content.decode()
    assert 'name="visit-instruments_applied"' in form


# --- The home page offers only requests the adviser may answer (R-10, R-04) ---------------------------------------


def test_home_lists_only_contact_requests_the_adviser_may_answer_R10(as_user, adviser, colleague, employer):
    mine = ContactRequestFactory(employer=employer)
    elsewhere = EmployerFactory(main_account_holder=colleague)
    stale = ContactRequestFactory(employer=elsewhere, assigned_to=adviser)  # assigned to me, but not my employer
    admitted = EmployerFactory(main_account_holder=colleague)
    AccountHolderFactory(employer=admitted, user=adviser)
    mine_there = ContactRequestFactory(employer=admitted, assigned_to=adviser)

    home = selectors.adviser_home(user=adviser)

    assert {r.pk for r in home.open_contact_requests} == {mine.pk, mine_there.pk}
    assert stale.pk not in {r.pk for r in home.open_contact_requests}


# --- the feedback page and the import -----------------------------------------------------------------------


def test_managers_feedback_page_shows_groups_of_5_or_more_and_no_totals_R11(
    as_user, manager, uwv, adviser, colleague, other_adviser, employer, ended_quarter
):
    advisers = [adviser, colleague, UserFactory(organisation=uwv, role=Role.ADVISER)]
    for i in range(5):
        EmployerFeedbackFactory(employer=employer, adviser=advisers[i % 3], score=8, received_at=ended_quarter)
    EmployerFeedbackFactory.create_batch(
        4, employer=employer, adviser=other_adviser, score=3, received_at=ended_quarter
    )
    response = as_user(manager).get("/feedback/")
    section = response.content.decode().split('id="feedback-aggregates"')[1]
    assert "UWV" in section and "Gemeente Haarlem" not in section
    assert "Totaal" not in section and ">9<" not in section
    assert "minstens 5 reacties over minstens 3 adviseurs" in section
    # the page says that what a manager enters by hand is not counted.
    assert "Antwoorden die een manager zelf invoert" in section


@pytest.mark.parametrize("n", [5, 50])
def test_feedback_page_query_count_does_not_grow_R11(as_user, manager, adviser, employer, now, n,
                                                     django_assert_num_queries):  # fmt: skip
    EmployerFeedbackFactory.create_batch(n, employer=employer, adviser=adviser, received_at=now)
    client = as_user(manager)
    # session + user, own feedback (with employer), the aggregates, unread notices (base page)
    with django_assert_num_queries(4):
        client.get("/feedback/")


@pytest.fixture
def administrator(uwv):
    return UserFactory(username="beheer", organisation=uwv, role=Role.ADMIN)


def test_the_import_page_is_for_administrators_only_R11(as_user, manager):
    assert as_user(manager).get("/beheer/feedback-importeren/").status_code == 302


def test_the_import_page_names_the_bad_rows_in_dutch_and_saves_nothing_R11(as_user, administrator, employer, counts):
    content = (
        "employer;adviser;score;comment;source;received_at\n"
        f"{employer.pk};anna;8;Goed;survey;2026-03-12\n"
        f"{employer.pk};anna;12;Te hoog;survey;2026-03-12\n"
    ).encode()
    before = counts()
    response = as_user(administrator).post(
        "/beheer/feedback-importeren/", {"file": SimpleUploadedFile("feedback.csv", content, "text/csv")}
    )
    page = response.content.decode()
    assert "Er is niets geïmporteerd" in page
    assert "Regel 3: score 12 is geen heel getal van 0 tot en met 10." in page
    assert counts() == before


def test_the_import_page_imports_a_good_file_R11(as_user, administrator, employer):
    content = f"employer,adviser,score,comment,source,received_at\n{employer.pk},anna,9,Top,,2026-03-12 10:00\n"
    response = as_user(administrator).post(
        "/beheer/feedback-importeren/",
        {"file": SimpleUploadedFile("feedback.csv", content.encode(), "text/csv")},
        follow=True,
    )
    assert "1 reacties geïmporteerd" in response.content.decode()
    assert EmployerFeedback.objects.get().score == 9


# --- Reassignment offers only the manager's own organisation (R-01, R-03) -----------------------------------------


def test_reassign_form_offers_only_advisers_of_the_managers_organisation_R01(
    as_user, manager, adviser, colleague, other_adviser, counts
):
    client = as_user(manager)
    form = client.get("/beheer/herverdelen/").context["form"]
    assert set(form.fields["from_user"].queryset) == {adviser, colleague}
    assert set(form.fields["to_users"].queryset) == {adviser, colleague}
    EmployerFactory.create_batch(2, main_account_holder=other_adviser)
    before = counts()
    response = client.post("/beheer/herverdelen/", {"from_user": other_adviser.pk, "to_users": [colleague.pk]})
    assert response.status_code == 200 and response.context["form"].errors["from_user"]
    assert Employer.objects.filter(main_account_holder=other_adviser).count() == 2
    assert counts() == before


# --- Odd input on the manager pages, and the administrator on an employer page -----------------------------------


@pytest.mark.parametrize("query", ["keep=²", "keep=٣&merge=²", "merge=99999999999999", "keep=+1"])
def test_the_merge_page_with_an_odd_number_is_no_500_R07(as_user, manager, employer, query):
    """Before: "²".isdigit() is True and the preview's filter(pk__in=["²"]) raised a ValueError."""
    response = as_user(manager).get(f"/beheer/samenvoegen/?{query}")
    assert response.status_code == 200
    assert response.context["preview"].count() == 0


def test_the_merge_page_previews_the_numbers_given_R07(as_user, manager, employer):
    response = as_user(manager).get(f"/beheer/samenvoegen/?keep={employer.pk}")
    assert list(response.context["preview"]) == [employer]


def test_an_administrator_is_offered_no_actions_and_no_admission_request_R04(as_user, uwv, employer):
    administrator = UserFactory(organisation=uwv, role=Role.ADMIN)
    page = _page(as_user(administrator), employer)
    assert 'id="administrator-note"' in page
    assert f'action="/werkgevers/{employer.pk}/toegang/' not in page and 'id="admission"' not in page
    assert f"/werkgevers/{employer.pk}/contact/" not in page
