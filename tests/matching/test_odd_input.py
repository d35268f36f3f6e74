"""Odd input is a clear refusal or a sensible page, never a 500 and never a filter that silently means something else
(the review of issue 7): weeks and days beyond the calendar's reach (R-41, R-43), an end date of 9999-12-31 on a
placement (R-57), "1.5" as an id in a filter, and ids in paths that are no ids. Each refusal leaves the data as it was.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.choices import PlacementType
from matching.models import Placement
from matching.services import placements as placement_services
from tests.factories import CandidateFactory
from wsp.errors import InvalidInput

from .placement_helpers import book, hire, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

API = "/api/v1/"


# --- Weeks (R-41) ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1999-W52", "2101-W01", "2026-W99", "٢٠٢٦-W01"])
def test_a_week_beyond_the_years_shows_the_past_week_with_a_message_R41(client, adviser, week):
    client.force_login(adviser)
    response = client.get(reverse("weekly-overview"), {"week": week})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kies een week zoals 2026-W49" in page
    response = client.post(reverse("weekly-overview-email"), {"enabled": "on", "week": week})
    assert response.status_code == 302 and response.url == reverse("weekly-overview")


def test_the_first_and_last_weeks_of_the_years_are_shown_with_their_neighbours(client, adviser):
    client.force_login(adviser)
    for week in ("2000-W01", "2100-W52"):
        response = client.get(reverse("weekly-overview"), {"week": week})
        assert response.status_code == 200 and week in response.content.decode()


# --- Placement dates (R-57) -----------------------------------------------------------------------------------------


@pytest.fixture
def hired(adviser):
    vacancy = make_vacancy(adviser)
    return hire(vacancy, make_candidate(adviser, vacancy))


def test_an_end_date_far_beyond_the_start_is_a_field_error_and_nothing_is_booked_R57(
    adviser, adviser_client, hired, counts
):
    before = counts()
    for end in ("9999-12-31", (timezone.localdate() + timedelta(days=366 * 51)).isoformat()):
        response = adviser_client.post(
            f"{API}placements/",
            {"referral": hired.pk, "start_date": timezone.localdate().isoformat(), "end_date": end,
             "hours_per_week": "32", "placement_type": PlacementType.PERMANENT},
            format="json",
        )  # fmt: skip
        assert response.status_code == 400, response.content
        assert "end_date" in response.json()["fields"]
    assert counts() == before
    # Fifty years is the limit, and a sensible fixed end is fine.
    placement = book(adviser, hired, end_date=timezone.localdate() + timedelta(days=400))
    assert placement.end_date is not None


def test_a_correction_to_an_end_date_of_9999_is_refused_and_the_placement_stays_R57(adviser, hired, counts):
    placement = book(adviser, hired)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        placement_services.placement_correct(
            placement=placement, by=adviser, reason="Contract", end_date=date(9999, 12, 31)
        )
    assert "end_date" in refused.value.fields
    assert counts() == before
    placement.refresh_from_db()
    assert placement.end_date is None


def test_the_durability_outlook_of_a_start_at_the_end_of_the_calendar_is_no_500_R30(client, adviser):
    client.force_login(adviser)
    for params in (
        {"start_date": "9999-12-31", "hours_per_week": "20"},
        {"start_date": "2026-01-01", "hours_per_week": "20", "end_date": "9999-12-31"},
        {"start_date": "0001-01-01", "hours_per_week": "20"},
    ):
        response = client.get(reverse("placement-durability"), params)
        assert response.status_code == 200, params


def test_the_booking_form_shows_the_end_date_error_R57(client, adviser, hired):
    client.force_login(adviser)
    response = client.post(
        reverse("placement-book", args=[hired.pk]),
        {"placement_type": PlacementType.PERMANENT, "start_date": timezone.localdate().isoformat(),
         "end_date": "9999-12-31", "hours_per_week": "32"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Een plaatsing eindigt uiterlijk 50 jaar na de start" in response.content.decode()
    assert not Placement.objects.exists()


# --- Ids in filters and paths ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1.5", "abc", "99999999999", "0", "-1", "²"])
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("placements/", "vacancy"),
        ("placements/", "candidate"),
        ("placements/", "employer"),
        ("placements/", "organisation"),
        ("placements/", "booked_by"),
        ("referrals/", "vacancy"),
        ("referrals/", "candidate"),
        ("referrals/", "organisation"),
        ("referrals/", "referred_by"),
        ("candidates/", "organisation"),
        ("candidates/", "adviser"),
        ("candidates/", "skill"),
    ],
)
def test_an_id_filter_takes_only_an_id_R57(adviser_client, path, name, value):
    response = adviser_client.get(f"{API}{path}", {name: value})
    assert response.status_code == 400, (path, name, value, response.content)
    assert name in response.json()["fields"]


def test_an_id_filter_still_filters(adviser_client, adviser, hired):
    placement = book(adviser, hired)
    rows = adviser_client.get(f"{API}placements/", {"vacancy": placement.vacancy_id}).json()["results"]
    assert [row["id"] for row in rows] == [placement.pk]
    rows = adviser_client.get(f"{API}referrals/", {"vacancy": hired.vacancy_id}).json()["results"]
    assert [row["id"] for row in rows] == [hired.pk]


@pytest.mark.parametrize("value", ["²", "1.5", "99999999999"])
def test_ids_in_paths_that_are_no_ids_are_not_found(adviser_client, value):
    for path in (f"candidates/{value}/", f"candidates/{value}/matches/", f"vacancies/{value}/matches/"):
        response = adviser_client.get(f"{API}{path}")
        assert response.status_code == 404, (path, response.content)


@pytest.mark.parametrize("value", ["²", "abc", "1.5"])
def test_the_placement_figures_refuse_an_organisation_that_is_no_id(adviser_client, value):
    response = adviser_client.get(f"{API}stats/placements/", {"organisation": value})
    assert response.status_code == 400 and response.json()["code"] == "unknown_organisation"


def test_skills_in_the_candidate_form_that_are_no_ids_are_left_out(client, adviser):
    client.force_login(adviser)
    response = client.post(reverse("candidate-create"), {"first_name": "A", "skills": ["²", "1.5", "x"]})
    assert response.status_code == 200
    assert not CandidateFactory._meta.model.objects.exists()


def test_hours_as_a_decimal_string_are_still_booked(adviser, hired):
    placement = book(adviser, hired, hours_per_week=Decimal("24.5"))
    assert placement.hours_per_week == Decimal("24.5")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "٢٠٢٦"}, "year"),
        ({"year": "²"}, "year"),
        ({"quarter": "0"}, "quarter"),
        ({"quarter": "1.5"}, "quarter"),
    ],
)
def test_the_placement_figures_take_ascii_years_and_quarters_R55(adviser_client, params, field):
    response = adviser_client.get(f"{API}stats/placements/", params)
    assert response.status_code == 400 and field in response.json()["fields"]
