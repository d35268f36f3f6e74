"""R-12, R-57: no backdating of a vacancy's receipt.

`received_at` decides the late-registration figure. It never lies in the future on any path (registration, intake,
API, an employer's first vacancy, a bulk update: the database refuses it too), it is not edited through a change or
a PATCH (nor is `registered_at`), and it is corrected only through `vacancy_correct_receipt`: by the owner or a
manager, with a reason that lands in the audit trail and shows in the vacancy's history, never into the future nor
after registration; `registered_late` follows.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from pghistory.models import Context

from accounts.choices import Role
from employers.services import employer_create
from tests.factories import PlacementFactory, ReferralFactory, UserFactory, VacancyFactory
from vacancies import selectors, services
from vacancies.models import Vacancy, VacancyEvent, VacancyIntake
from wsp.errors import Conflict, InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db

API = "/api/v1/vacancies/"


@pytest.fixture
def on_time(employer, now):
    """Received 3 hours before registration an hour ago: registered in time."""
    return VacancyFactory(
        employer=employer, received_at=now - timedelta(hours=4), registered_at=now - timedelta(hours=1)
    )


def _row(vacancy):
    return Vacancy.objects.filter(pk=vacancy.pk).values("received_at", "registered_at", "registered_late").get()


# --- Never in the future --------------------------------------------------------------------------------------


def test_api_post_with_a_receipt_in_the_future_is_400_R12(adviser_client, employer, counts, now):
    before = counts()
    response = adviser_client.post(
        API,
        {"employer": employer.pk, "title": "Kok", "hours_per_week": 24,
         "received_at": (now + timedelta(hours=3)).isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert (response.json()["rule"], list(response.json()["fields"])) == ("R-12", ["received_at"])
    assert counts() == before


def test_a_first_vacancy_received_in_the_future_is_refused_R06_R12(adviser, counts, now):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        employer_create(
            by=adviser,
            data={"name": "Strandpaviljoen Zee", "postcode": "2042 AA"},
            first_vacancy_register=lambda new: services.vacancy_register_for_new_employer(
                employer=new, by=adviser, title="Kok", hours_per_week=24, received_at=now + timedelta(days=1)
            ),
        )
    assert list(refused.value.fields) == ["first_vacancy.received_at"]
    assert counts() == before


def test_a_few_minutes_of_clock_slack_are_accepted_R12(register, now):
    assert register(received_at=now + timedelta(minutes=2), registered_at=now + timedelta(minutes=2)).pk


def test_the_database_refuses_a_receipt_in_the_future_on_any_path_R12(vacancy, employer, adviser):
    future = timezone.now() + timedelta(hours=1)
    with pytest.raises(IntegrityError, match="future"), transaction.atomic():
        Vacancy.objects.filter(pk=vacancy.pk).update(received_at=future, registered_at=future)
    intake = VacancyIntake.objects.create(
        employer=employer, title="Kok", received_at=timezone.now(), received_by=adviser, assigned_to=adviser
    )
    with pytest.raises(IntegrityError, match="future"), transaction.atomic():
        VacancyIntake.objects.filter(pk=intake.pk).update(received_at=future)


# --- Not edited through a change or a PATCH -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["received_at", "registered_at"])
def test_a_change_cannot_move_receipt_or_registration_R12(on_time, adviser, counts, now, field):
    before, row = counts(), _row(on_time)
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_update(vacancy=on_time, by=adviser, **{field: now - timedelta(days=3)})
    assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == ("not_editable", "R-12", [field])
    assert (_row(on_time), counts()) == (row, before)


@pytest.mark.parametrize("field", ["received_at", "registered_at"])
def test_a_patch_that_changes_receipt_or_registration_is_400_R12(adviser_client, on_time, counts, field):
    before, row = counts(), _row(on_time)
    response = adviser_client.patch(f"{API}{on_time.pk}/", {field: "2026-01-05T09:00:00+01:00"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["rule"], list(body["fields"])) == ("not_editable", "R-12", [field])
    assert (_row(on_time), counts()) == (row, before)


def test_a_patch_with_an_unreadable_moment_is_400(adviser_client, on_time, counts):
    before = counts()
    response = adviser_client.patch(f"{API}{on_time.pk}/", {"received_at": "yesterday"}, format="json")
    assert (response.status_code, list(response.json()["fields"])) == (400, ["received_at"])
    assert counts() == before


def test_a_patch_sending_back_the_same_moments_is_accepted(adviser_client, on_time):
    body = adviser_client.get(f"{API}{on_time.pk}/").json()
    response = adviser_client.patch(
        f"{API}{on_time.pk}/",
        {"received_at": body["received_at"], "registered_at": body["registered_at"], "title": "Kok"},
        format="json",
    )
    assert response.status_code == 200, response.content


# --- The correction, with a reason ------------------------------------------------------------------------------


def test_the_owner_corrects_the_receipt_with_a_reason_in_the_audit_trail_R12_R57(on_time, adviser, now):
    previous = on_time.received_at
    corrected = services.vacancy_correct_receipt(
        vacancy=on_time, by=adviser, received_at=now - timedelta(hours=30), reason="E-mail kwam eergisteren binnen"
    )
    assert corrected.registered_late is True  # the generated column followed
    assert _row(on_time)["received_at"] == now - timedelta(hours=30)
    event = VacancyEvent.objects.filter(pgh_obj_id=on_time.pk).latest("pgh_id")
    context = Context.objects.get(pk=event.pgh_context_id).metadata
    assert context["action"] == "correct_receipt"
    assert context["reason"] == "E-mail kwam eergisteren binnen"
    assert context["user"] == adviser.pk and context["corrected_by"] == adviser.full_name
    assert context["previous_received_at"] == previous.isoformat()
    [shown] = selectors.receipt_corrections(vacancy_id=on_time.pk)
    assert (shown.previous_received_at, shown.received_at) == (previous, now - timedelta(hours=30))
    assert (shown.reason, shown.corrected_by) == ("E-mail kwam eergisteren binnen", adviser.full_name)


def test_a_manager_corrects_and_a_correction_can_make_it_on_time_again_R12(employer, manager, now):
    late = VacancyFactory(employer=employer, received_at=now - timedelta(hours=40), registered_at=now)
    assert late.__class__.objects.get(pk=late.pk).registered_late
    corrected = services.vacancy_correct_receipt(
        vacancy=late, by=manager, received_at=now - timedelta(hours=5), reason="Datum verkeerd getypt (2 dagen)"
    )
    assert corrected.registered_late is False
    assert selectors.receipt_corrections(vacancy_id=late.pk)[0].corrected_by == manager.full_name


@pytest.fixture
def refused_unchanged(on_time, counts):
    """Asserts that a refused correction left the vacancy and every table as they were."""
    before, row = counts(), _row(on_time)
    yield
    assert (_row(on_time), counts()) == (row, before)


@pytest.mark.parametrize("who", ["colleague", "other_adviser"])
def test_only_the_owner_or_a_manager_corrects_R12(request, on_time, now, refused_unchanged, who):
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_correct_receipt(
            vacancy=on_time, by=request.getfixturevalue(who), received_at=now - timedelta(hours=6), reason="Typfout"
        )
    assert (refused.value.code, refused.value.rule) == ("not_vacancy_owner", "R-12")


@pytest.mark.parametrize(
    ("hours", "reason", "field"),
    [
        (-6, "  ", "reason"),  # a reason is mandatory
        (2, "Typfout", "received_at"),  # in the future
        (0.5, "Typfout", "received_at"),  # after the registration an hour ago
    ],
)
def test_a_correction_without_reason_in_the_future_or_after_registration_is_refused_R12(
    on_time, adviser, now, refused_unchanged, hours, reason, field
):
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_correct_receipt(
            vacancy=on_time, by=adviser, received_at=now + timedelta(hours=hours), reason=reason, now=now
        )
    assert (refused.value.rule, list(refused.value.fields)) == ("R-12", [field])


def test_a_correction_never_passes_the_first_proposal_R21(employer, adviser, now, counts):
    """Registration comes before any proposal, so the registration bound normally covers it; history entered
    otherwise (an import) is held too."""
    vacancy = VacancyFactory(
        employer=employer, received_at=now - timedelta(days=10), registered_at=now - timedelta(days=2)
    )
    ReferralFactory(vacancy=vacancy, referred_at=now - timedelta(days=8), status_changed_at=now - timedelta(days=8))
    before, row = counts(), _row(vacancy)
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_correct_receipt(
            vacancy=vacancy, by=adviser, received_at=now - timedelta(days=7), reason="Later ontvangen"
        )
    assert list(refused.value.fields) == ["received_at"]
    assert (_row(vacancy), counts()) == (row, before)


def test_a_correction_never_passes_a_placement_start_on_a_partners_duplicate_R22_R25(
    employer, adviser, other_adviser, now, counts
):
    """A duplicate's placement starts after the original's receipt (R-22, R-25: the original's is what counts)."""
    original = VacancyFactory(
        employer=employer, requested_positions=3, received_at=now - timedelta(days=20),
        registered_at=now - timedelta(days=1),
    )  # fmt: skip
    duplicate = VacancyFactory(
        employer=employer, owner=other_adviser, duplicated_from=original, received_at=now - timedelta(days=12),
        registered_at=now - timedelta(days=12),
    )  # fmt: skip
    PlacementFactory(
        referral__vacancy=duplicate,
        referral__referred_at=now - timedelta(days=11),
        start_date=timezone.localdate(now) - timedelta(days=10),
    )
    before, row = counts(), _row(original)
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_correct_receipt(
            vacancy=original, by=adviser, received_at=now - timedelta(days=5), reason="Later ontvangen"
        )
    assert list(refused.value.fields) == ["received_at"]
    assert (_row(original), counts()) == (row, before)


def test_an_unchanged_moment_is_a_conflict(on_time, adviser, refused_unchanged):
    with pytest.raises(Conflict) as refused:
        services.vacancy_correct_receipt(vacancy=on_time, by=adviser, received_at=on_time.received_at, reason="Nvt")
    assert refused.value.code == "receipt_unchanged"


# --- API and browser --------------------------------------------------------------------------------------------


def test_api_correct_receipt_and_the_list_of_corrections_R12_R57(adviser_client, other_client, on_time, now, counts):
    url = f"{API}{on_time.pk}/correct-receipt/"
    before = counts()
    assert other_client.post(url, {"received_at": now.isoformat(), "reason": "x"}, format="json").status_code == 403
    response = adviser_client.post(url, {"received_at": (now - timedelta(hours=2)).isoformat()}, format="json")
    assert (response.status_code, list(response.json()["fields"])) == (400, ["reason"])
    response = adviser_client.post(
        url, {"received_at": (now + timedelta(days=1)).isoformat(), "reason": "Typfout"}, format="json"
    )
    assert (response.status_code, response.json()["rule"], list(response.json()["fields"])) == (
        400,
        "R-12",
        ["received_at"],
    )
    assert counts() == before
    moment = now - timedelta(hours=26)
    response = adviser_client.post(
        url, {"received_at": moment.isoformat(), "reason": "Voicemail van vrijdag"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["registered_late"] is True
    corrections = adviser_client.get(f"{API}{on_time.pk}/receipt-corrections/").json()
    assert [c["reason"] for c in corrections] == ["Voicemail van vrijdag"]
    assert timezone.datetime.fromisoformat(corrections[0]["received_at"]) == moment
    assert adviser_client.get(f"{API}999999/receipt-corrections/").status_code == 404


def test_browser_correction_page_shows_field_errors_and_saves_with_the_reason_R12_R57(client, adviser, on_time, now):
    client.force_login(adviser)
    url = f"/vacatures/{on_time.pk}/ontvangst-corrigeren/"
    assert "Reden van de correctie" in client.get(url).content.decode()
    future = (timezone.localtime(now) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"received_at": future, "reason": "Typfout"})
    assert response.status_code == 200
    assert "niet in de toekomst" in response.context["form"].errors["received_at"][0]
    moment = (timezone.localtime(now) - timedelta(hours=30)).replace(second=0, microsecond=0)
    response = client.post(url, {"received_at": moment.strftime("%Y-%m-%dT%H:%M"), "reason": "Mail van eergisteren"})
    assert response.status_code == 302
    assert _row(on_time)["received_at"] == moment
    html = client.get(f"/vacatures/{on_time.pk}/").content.decode()
    assert "gecorrigeerd" in html and "Mail van eergisteren" in html


def test_the_correction_link_is_for_owner_and_manager_only(client, adviser, colleague, manager, on_time):
    url = f"/vacatures/{on_time.pk}/ontvangst-corrigeren/"
    for user, shown in ((adviser, True), (manager, True), (colleague, False)):
        client.force_login(user)
        assert (url in client.get(f"/vacatures/{on_time.pk}/").content.decode()) is shown


@pytest.mark.parametrize("corrections", [0, 5])
def test_the_vacancy_page_reads_the_corrections_without_extra_queries(
    on_time, adviser, now, corrections, django_assert_num_queries
):
    for hour in range(corrections):
        services.vacancy_correct_receipt(
            vacancy=on_time, by=adviser, received_at=now - timedelta(hours=5 + hour), reason=f"Correctie {hour}"
        )
    # The vacancy with its relations and its corrections (one array column), plan, booked count, handovers,
    # children, duplicates (it has no skills, so no skill query): as many queries with no corrections as with five.
    with django_assert_num_queries(6):
        page = selectors.vacancy_page(vacancy_id=on_time.pk, user=adviser)
    assert [c.reason for c in page.receipt_corrections] == [f"Correctie {hour}" for hour in range(corrections)]


# --- Who may move receipt which way, and within which bounds (R-04, R-12, R-57) ----------------------------------


@pytest.fixture
def late(employer, now):
    """Received 40 hours before its registration an hour ago: a late registration (R-12)."""
    return VacancyFactory(
        employer=employer, received_at=now - timedelta(hours=41), registered_at=now - timedelta(hours=1)
    )


@pytest.fixture
def refused_late_unchanged(late, counts):
    before, row = counts(), _row(late)
    yield
    assert (_row(late), counts()) == (row, before)
    assert not selectors.receipt_corrections(vacancy_id=late.pk)


def test_the_owner_cannot_move_receipt_later_to_make_a_late_registration_on_time_R12_R57(
    late, adviser, now, refused_late_unchanged
):
    """Before: any reason let the owner move receipt up to the registration, and `registered_late` became false."""
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_correct_receipt(
            vacancy=late, by=adviser, received_at=now - timedelta(hours=5), reason="Verkeerd getypt"
        )
    assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == (
        "receipt_later_needs_manager", "R-57", ["received_at"],
    )  # fmt: skip


@pytest.mark.parametrize("role", [Role.ADMIN, "other_manager"])
def test_an_administrator_or_another_organisations_manager_corrects_no_receipt_R04_R12(
    late, municipality, uwv, now, refused_late_unchanged, role
):
    """R-04: "a manager" is a manager (role MANAGER) of the vacancy's organisation; administrators do not act."""
    if role == Role.ADMIN:
        user = UserFactory(username="beheer", role=Role.ADMIN, organisation=uwv)
    else:
        user = UserFactory(username="gemeentemanager", role=Role.MANAGER, organisation=municipality)
    for moment in (now - timedelta(hours=50), now - timedelta(hours=5)):
        with pytest.raises(RuleRefused) as refused:
            services.vacancy_correct_receipt(vacancy=late, by=user, received_at=moment, reason="Correctie")
        assert (refused.value.code, refused.value.rule) == ("not_vacancy_owner", "R-12")


def test_a_manager_of_the_organisation_moves_receipt_later_and_the_figures_show_it_R12_R57(
    late, manager, adviser, now, manager_client, uwv
):
    registered_with = late.received_at
    corrected = services.vacancy_correct_receipt(
        vacancy=late, by=manager, received_at=now - timedelta(hours=5), reason="Werkgever belde pas gisteren"
    )
    assert (corrected.registered_late, corrected.late_as_registered) == (False, True)
    row = Vacancy.objects.filter(pk=late.pk).values("received_at", "received_at_registered").get()
    assert row == {"received_at": now - timedelta(hours=5), "received_at_registered": registered_with}
    [counted] = selectors.late_registration_counts(year=timezone.localdate(late.registered_at).year)
    assert (counted["late"], counted["late_as_registered"]) == (0, 1)
    assert (counted["receipt_corrected"], counted["corrected_to_on_time"]) == (1, 1)
    api = manager_client.get(f"{API}late-registrations/?year={timezone.localdate(late.registered_at).year}").json()
    assert api[0]["corrected_to_on_time"] == 1 and api[0]["late_share_as_registered"] == 1.0
    body = manager_client.get(f"{API}{late.pk}/").json()
    assert (body["registered_late"], body["late_as_registered"], body["receipt_corrected"]) == (False, True, True)
    assert timezone.datetime.fromisoformat(body["received_at_registered"]) == registered_with


def test_the_owner_moves_receipt_earlier_and_the_figure_gets_worse_not_better_R12_R57(on_time, adviser, now):
    corrected = services.vacancy_correct_receipt(
        vacancy=on_time, by=adviser, received_at=now - timedelta(days=3), reason="Mail lag in de gedeelde inbox"
    )
    assert (corrected.registered_late, corrected.late_as_registered, corrected.receipt_corrected) == (
        True, False, True,
    )  # fmt: skip


def test_receipt_never_moves_past_the_intake_it_was_registered_from_R12(adviser, employer, manager, now, counts):
    """Before: a manager (or the owner) could move receipt of a registered intake up to the registration."""
    intake = services.vacancy_intake_register(
        by=adviser, employer=employer, title="Kok", received_at=now - timedelta(hours=30), now=now
    )
    vacancy = services.vacancy_register(
        by=adviser, employer=employer, intake=intake, title="Kok", hours_per_week=24, received_at=now, now=now
    )
    assert vacancy.registered_late
    before, row = counts(), _row(vacancy)
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_correct_receipt(
            vacancy=vacancy, by=manager, received_at=now - timedelta(hours=10), reason="Eigenlijk later binnen"
        )
    assert (refused.value.rule, list(refused.value.fields)) == ("R-12", ["received_at"])
    assert "genoteerd" in str(refused.value.fields["received_at"][0]) or "noted" in str(
        refused.value.fields["received_at"][0]
    )
    assert (_row(vacancy), counts()) == (row, before)
    # Earlier than the intake's moment is possible (the employer reported it before it was noted).
    services.vacancy_correct_receipt(
        vacancy=vacancy, by=adviser, received_at=now - timedelta(hours=31), reason="Voicemail van een uur eerder"
    )


@pytest.mark.parametrize(
    "moment",
    [
        timezone.datetime(1, 1, 1, tzinfo=timezone.get_fixed_timezone(300)),
        timezone.datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(0)),
        "year_and_a_day",
    ],
)
def test_receipt_is_never_more_than_a_year_before_registration_R12(on_time, adviser, now, refused_unchanged, moment):
    if moment == "year_and_a_day":
        moment = on_time.registered_at - timedelta(days=366)
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_correct_receipt(vacancy=on_time, by=adviser, received_at=moment, reason="Typfout")
    assert (refused.value.rule, list(refused.value.fields)) == ("R-12", ["received_at"])


def test_api_receipt_of_year_one_is_a_400_R12(adviser_client, on_time, counts):
    before = counts()
    response = adviser_client.post(
        f"{API}{on_time.pk}/correct-receipt/",
        {"received_at": "0001-01-01T00:00:00Z", "reason": "x"},
        format="json",
    )
    assert (response.status_code, response.json()["rule"], list(response.json()["fields"])) == (
        400, "R-12", ["received_at"],
    )  # fmt: skip
    assert counts() == before


def test_registration_and_intake_with_a_receipt_of_more_than_a_year_ago_are_refused_R12(
    register, adviser, employer, now, counts
):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(received_at=now - timedelta(days=400))
    assert (refused.value.rule, list(refused.value.fields)) == ("R-12", ["received_at"])
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_intake_register(
            by=adviser, employer=employer, title="Kok", received_at=now - timedelta(days=400), now=now
        )
    assert list(refused.value.fields) == ["received_at"]
    assert counts() == before


def test_api_owner_moving_receipt_later_is_403_and_changes_nothing_R57(adviser_client, late, now, counts):
    before, row = counts(), _row(late)
    response = adviser_client.post(
        f"{API}{late.pk}/correct-receipt/",
        {"received_at": (now - timedelta(hours=5)).isoformat(), "reason": "Typfout"},
        format="json",
    )
    assert (response.status_code, response.json()["code"], response.json()["rule"]) == (
        403, "receipt_later_needs_manager", "R-57",
    )  # fmt: skip
    assert (_row(late), counts()) == (row, before)


def test_the_moment_as_registered_never_changes_on_any_path_R57(late, now):
    """The database sets it on insert and refuses a change; a correction of receipt leaves it."""
    row = Vacancy.objects.filter(pk=late.pk).values("received_at", "received_at_registered").get()
    assert row["received_at_registered"] == row["received_at"]
    with pytest.raises(IntegrityError, match="never changes"), transaction.atomic():
        Vacancy.objects.filter(pk=late.pk).update(received_at_registered=now - timedelta(hours=2))
    Vacancy.objects.filter(pk=late.pk).update(received_at=now - timedelta(hours=3))
    assert Vacancy.objects.get(pk=late.pk).received_at_registered == row["received_at"]
    fresh = VacancyFactory(employer=late.employer, received_at=now - timedelta(hours=2))
    assert fresh.received_at_registered == now - timedelta(hours=2)  # returned by the insert


def test_the_correction_page_says_who_moves_receipt_later_R57(client, adviser, manager, late):
    url = f"/vacatures/{late.pk}/ontvangst-corrigeren/"
    client.force_login(adviser)
    assert "alleen een manager" in client.get(url).content.decode().lower()
    client.force_login(manager)
    assert "als manager" in client.get(url).content.decode().lower()


def test_the_correction_link_is_not_for_administrators_or_other_managers_R04(client, late, uwv, municipality):
    url = f"/vacatures/{late.pk}/ontvangst-corrigeren/"
    for user in (
        UserFactory(username="beheer", role=Role.ADMIN, organisation=uwv),
        UserFactory(username="gemeentemanager", role=Role.MANAGER, organisation=municipality),
    ):
        client.force_login(user)
        assert url not in client.get(f"/vacatures/{late.pk}/").content.decode()


def test_home_page_keeps_a_late_registration_corrected_to_on_time_visible_R12_R57(client, late, manager, adviser, now):
    services.vacancy_correct_receipt(
        vacancy=late, by=manager, received_at=now - timedelta(hours=5), reason="Werkgever belde pas gisteren"
    )
    assert late.pk in {v.pk for v in selectors.vacancies_for_home(user=adviser)["late_or_due"]}
    client.force_login(adviser)
    html = client.get("/").content.decode()
    assert f"/vacatures/{late.pk}/" in html and "ontvangst gecorrigeerd" in html.lower()


def test_the_vacancy_list_marks_a_corrected_receipt_R57(client, late, manager, adviser, now):
    services.vacancy_correct_receipt(
        vacancy=late, by=manager, received_at=now - timedelta(hours=5), reason="Werkgever belde pas gisteren"
    )
    client.force_login(adviser)
    assert "ontvangst gecorrigeerd" in client.get("/vacatures/").content.decode().lower()


def test_the_migration_takes_the_moment_as_registered_from_the_audit_trail_R57(late, adviser, now):
    """vacancies 0006: existing vacancies get the moment before their first receipt correction (else their receipt)."""
    import importlib

    from django.db import connection

    migration = importlib.import_module("vacancies.migrations.0006_receipt_as_registered")
    registered_with = late.received_at
    for hours in (45, 50):
        services.vacancy_correct_receipt(
            vacancy=late, by=adviser, received_at=now - timedelta(hours=hours), reason="Eerder binnen"
        )
    untouched = VacancyFactory(employer=late.employer)
    with transaction.atomic(), connection.cursor() as cursor:
        # As before the migration: the column holds nothing that is known (triggers off to write it).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE vacancies_vacancy SET received_at_registered = registered_at")
        cursor.execute(migration.BACKFILL)
    rows = dict(Vacancy.objects.values_list("pk", "received_at_registered"))
    assert rows == {late.pk: registered_with, untouched.pk: untouched.received_at}
