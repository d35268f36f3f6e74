"""The booking form (R-22..R-25, R-30, R-33): defaults from the referral, the vacancy and candidate summary, the
durability outlook before saving (neutral, also under 15 hours), the conditions of a short placement and the
instruments advised and applied, in the browser and the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from matching.models import Placement
from matching.services import placements as services
from wsp.errors import InvalidInput

from .placement_helpers import book, hire, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

API = "/api/v1/placements/"


@pytest.fixture
def referral(adviser):
    vacancy = make_vacancy(adviser, hours_per_week=32, title="Orderpicker")
    return hire(vacancy, make_candidate(adviser, vacancy, hours_per_week=24))


@pytest.fixture
def browser(client, adviser):
    client.force_login(adviser)
    return client


def test_the_form_takes_its_defaults_from_the_referral_and_shows_the_summary_R22_R30(browser, referral):
    response = browser.get(reverse("placement-book", args=[referral.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    today = timezone.localdate()
    assert form["hours_per_week"].initial == 24  # the candidate's hours, not the vacancy's 32
    assert form["start_date"].initial == today
    assert form["placement_type"].initial == "permanent"
    page = response.content.decode()
    assert "Orderpicker" in page and referral.vacancy.employer.name in page
    assert referral.candidate.full_name in page  # the own organisation's candidate
    # UWV books: durable after more than 6 months, said neutrally with its date.
    after = (today + relativedelta(months=6)).strftime("%d-%m-%Y")
    assert f"Telt als duurzaam na {after} (meer dan 6 maanden, ten minste 15 uur per week)." in page
    assert "Jobcoaching" in page and "Loonkostensubsidie en loondispensatie (LKS)" in page


def test_a_rebooking_after_a_cancel_starts_from_the_cancelled_values(browser, adviser, referral):
    cancelled = book(adviser, referral, hours_per_week="20", instruments_advised=["job_coaching"])
    services.placement_cancel(placement=cancelled, by=adviser, reason="Verkeerd geboekt")
    form = browser.get(reverse("placement-book", args=[referral.pk])).context["form"]
    assert (form["hours_per_week"].initial, form["instruments_advised"].initial) == (Decimal("20.0"), ["job_coaching"])


def test_the_durability_outlook_follows_the_values_typed_and_is_neutral_under_15_hours_R30(browser, referral):
    url = reverse("placement-durability")
    today = timezone.localdate()
    short = browser.get(url, {"kind": "municipality", "start_date": today.isoformat(), "hours_per_week": "12"})
    text = short.content.decode()
    assert "Telt niet als duurzame plaatsing: minder dan 15 uur per week (R-30)" in text
    assert 'data-counts="no"' in text
    assert "alert" not in text and "bad" not in text  # no alarm for a legitimate short placement
    lasting = browser.get(url, {"kind": "municipality", "start_date": today.isoformat(), "hours_per_week": "24"})
    after = (today + relativedelta(months=3)).strftime("%d-%m-%Y")
    assert f"Telt als duurzaam na {after} (meer dan 3 maanden" in lasting.content.decode()
    ends_early = browser.get(
        url,
        {
            "kind": "uwv",
            "start_date": today.isoformat(),
            "hours_per_week": "24",
            "end_date": (today + timedelta(days=60)).isoformat(),
        },
    )
    assert "telt alleen als het contract wordt verlengd" in ends_early.content.decode()


def test_a_short_placement_records_its_conditions_and_the_instruments_in_the_browser_R30_R33(
    browser, adviser, referral, counts
):
    url = reverse("placement-book", args=[referral.pk])
    data = {
        "placement_type": "fixed_term",
        "start_date": timezone.localdate().isoformat(),
        "hours_per_week": "12",
        "instruments_advised": ["lks", "job_coaching"],
        "instruments_applied": ["job_coaching"],
    }
    before = counts()
    response = browser.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["conditions"]
    assert counts() == before

    response = browser.post(url, {**data, "conditions": "Start met 12 uur, na 3 maanden naar 20 uur; jobcoach"})
    assert response.status_code == 302
    placement = Placement.objects.get(referral=referral)
    assert (placement.instruments_advised, placement.instruments_applied) == (["lks", "job_coaching"], ["job_coaching"])
    assert placement.conditions.startswith("Start met 12 uur")
    assert placement.is_durable is False
    page = browser.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert "Start met 12 uur" in page
    assert "Jobcoaching" in page and "Loonkostensubsidie en loondispensatie (LKS)" in page
    assert 'class="badge bad">niet duurzaam' not in page


def test_conditions_are_needed_for_a_fixed_end_within_the_durable_period_on_correction_too_R30(
    adviser, referral, counts
):
    placement = book(adviser, referral)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.placement_correct(
            placement=placement, by=adviser, reason="Tijdelijk", end_date=timezone.localdate() + timedelta(days=60)
        )
    assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == (
        "conditions_required",
        "R-30",
        ["conditions"],
    )
    assert counts() == before
    placement.refresh_from_db()
    assert placement.end_date is None


def test_the_correction_form_changes_only_what_changed_with_its_reason(browser, adviser, referral):
    placement = book(adviser, referral, instruments_advised=["lks"])
    url = reverse("placement-correct", args=[placement.pk])
    response = browser.get(url)
    assert response.context["form"]["instruments_advised"].initial == ["lks"]
    response = browser.post(
        url,
        {
            "placement_type": "permanent",
            "start_date": placement.start_date.isoformat(),
            "hours_per_week": "32.0",
            "instruments_advised": ["lks"],
            "instruments_applied": ["lks"],
            "reason": "LKS toegekend",
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.instruments_applied, placement.correction_reason) == (["lks"], "LKS toegekend")


# --- API (R-33) -----------------------------------------------------------------------------------------------------


def test_instruments_through_the_api_R33(adviser_client, referral, counts):
    payload = {
        "referral": referral.pk,
        "start_date": timezone.localdate().isoformat(),
        "hours_per_week": "32",
        "placement_type": "permanent",
    }
    before = counts()
    response = adviser_client.post(API, {**payload, "instruments_advised": ["subsidy_of_the_moon"]}, format="json")
    assert response.status_code == 400
    assert any(name.startswith("instruments_advised") for name in response.json()["fields"])
    assert counts() == before

    response = adviser_client.post(
        API,
        {**payload, "instruments_advised": ["job_coaching", "lks", "lks"], "instruments_applied": ["lks"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["instruments_advised"], body["instruments_applied"], body["conditions"]) == (
        ["lks", "job_coaching"],
        ["lks"],
        "",
    )
    response = adviser_client.patch(
        f"{API}{body['id']}/",
        {"instruments_applied": ["lks", "no_risk_policy"], "reason": "No-riskpolis"},
        format="json",
    )
    assert response.json()["instruments_applied"] == ["lks", "no_risk_policy"]


def test_a_short_placement_without_conditions_is_400_in_the_api_R30(adviser_client, referral, counts):
    before = counts()
    response = adviser_client.post(
        API,
        {
            "referral": referral.pk,
            "start_date": timezone.localdate().isoformat(),
            "hours_per_week": "10",
            "placement_type": "permanent",
        },
        format="json",
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["rule"]) == ("conditions_required", "R-30")
    assert counts() == before
    response = adviser_client.post(
        API,
        {
            "referral": referral.pk,
            "start_date": timezone.localdate().isoformat(),
            "hours_per_week": "10",
            "placement_type": "permanent",
            "conditions": "Tien uur naast dagbesteding",
        },
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["is_durable"], response.json()["conditions"]) == (False, "Tien uur naast dagbesteding")


def test_the_service_refuses_an_instrument_outside_the_list_on_every_path_R33(adviser, referral, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        book(adviser, referral, instruments_applied=["lks", "gratis_geld"])
    assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == (
        "unknown_instrument",
        "R-33",
        ["instruments_applied"],
    )
    assert counts() == before
