"""`referrals/funnel/` (API.md, R-43): per stage from vacancy registration its count and the median days from the
previous stage; the filters, the refusals (400 in the error format), a query count that does not grow, no candidate
data (R-40) and the schema that documents it. The figures themselves are checked on a hand-built example in
test_referrals_selectors.py."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from matching.choices import ReferralStatus, TargetGroup
from matching.models import Referral, ReferralStatusChange
from matching.services import placements as placement_services
from reporting.measures import funnel as referral_selectors
from tests.factories import CandidateFactory, PlacementFactory, ReferralFactory, SectorFactory, VacancyFactory
from tests.matching.placement_helpers import book, hire, make_candidate, make_vacancy, propose
from vacancies import services as vacancy_services
from wsp.errors import InvalidInput

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/funnel/"
STAGES = ["registered", "proposed", "invited", "hired", "booked", "durable"]


def _chain(adviser, other_adviser, n: int) -> None:
    """n vacancies registered at the start of today, each with a partner's candidate proposed and hired at that
    moment and booked now (starting today)."""
    midnight = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    for _ in range(n):
        vacancy = VacancyFactory(owner=adviser, received_at=midnight - timedelta(hours=1), registered_at=midnight)
        candidate = CandidateFactory(adviser=other_adviser, target_group="pwet", first_name="Zichtbaar",
                                     email="niet@hier.nl", birth_date=date(1977, 7, 7))  # fmt: skip
        referral = ReferralFactory(vacancy=vacancy, candidate=candidate, status="hired", referred_at=midnight,
                                   status_changed_at=midnight)  # fmt: skip
        ReferralStatusChange.objects.create(referral=referral, from_status="proposed", to_status="hired",
                                            changed_by=adviser, changed_at=midnight)  # fmt: skip
        PlacementFactory(referral=referral, vacancy=vacancy, candidate=candidate, employer=vacancy.employer,
                         booked_by=adviser, organisation=adviser.organisation,
                         start_date=timezone.localdate())  # fmt: skip


def test_funnel_gives_every_stage_with_count_and_median_days_R43(adviser_client, adviser, other_adviser):
    _chain(adviser, other_adviser, 3)
    response = adviser_client.get(URL)
    assert response.status_code == 200, response.content
    body = response.json()
    today = timezone.localdate()
    assert (body["date_from"], body["date_to"]) == (date(today.year, 1, 1).isoformat(), today.isoformat())
    assert body["stages"] == STAGES
    for stage in STAGES:
        assert set(body[stage]) == {"count", "median_days"}, stage
    assert [body[stage]["count"] for stage in STAGES] == [3, 3, 3, 3, 3, 0]
    assert body["registered"]["median_days"] is None and body["durable"]["median_days"] is None
    # Proposed and hired (without an invitation) at the moment of registration; booked some time later today.
    assert (body["proposed"]["median_days"], body["invited"]["median_days"], body["hired"]["median_days"]) == (
        0.0, 0.0, 0.0)  # fmt: skip
    assert 0 <= body["booked"]["median_days"] <= 1
    assert body["proposals_per_hire"] == "1.0"
    assert (body["organisation"], body["sector"]) == (None, None)


def test_funnel_shows_no_candidate_data_R40(adviser_client, adviser, other_adviser):
    _chain(adviser, other_adviser, 2)
    text = adviser_client.get(URL).content.decode()
    assert "Zichtbaar" not in text and "niet@hier.nl" not in text and "1977" not in text
    assert '"candidate' not in text


def test_funnel_filters_R43(adviser_client, adviser, other_adviser):
    _chain(adviser, other_adviser, 2)
    sector = SectorFactory()
    today = timezone.localdate().isoformat()
    mine = adviser_client.get(URL, {"organisation": adviser.organisation_id, "date_from": today, "date_to": today})
    assert mine.json()["registered"]["count"] == 2 and mine.json()["organisation"] == adviser.organisation_id
    theirs = adviser_client.get(URL, {"organisation": other_adviser.organisation_id}).json()
    assert theirs["registered"]["count"] == 0  # the partner's candidates were proposed on UWV's vacancies
    assert adviser_client.get(URL, {"sector": sector.pk}).json()["registered"]["count"] == 0
    last_year = adviser_client.get(URL, {"date_from": "2024-01-01", "date_to": "2024-12-31"}).json()
    assert [last_year[stage]["count"] for stage in STAGES] == [0] * 6
    assert last_year["proposals_per_hire"] is None


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"date_from": "gisteren"}, "invalid", "date_from"),
        ({"date_to": "2026-02-30"}, "invalid", "date_to"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "invalid", "date_from"),
        ({"organisation": "abc"}, "invalid", "organisation"),
        ({"organisation": 99999999999}, "invalid", "organisation"),
        ({"organisation": 999999}, "unknown_organisation", "organisation"),
        ({"sector": 999999}, "unknown_sector", "sector"),
        ({"sector": 0}, "invalid", "sector"),
        # Days beyond the years of the funnel (2000-2100) are a 400, never a 500 (the review: OverflowError).
        ({"date_to": "9999-12-31"}, "invalid", "date_to"),
        ({"date_from": "0001-01-01"}, "invalid", "date_from"),
        ({"date_from": "1999-12-31", "date_to": "2000-01-31"}, "invalid", "date_from"),
        ({"date_to": "2101-01-01"}, "invalid", "date_to"),
    ],
)
def test_bad_parameters_are_a_400_in_the_error_format(adviser_client, params, code, field):
    response = adviser_client.get(URL, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code and field in body["fields"]


def test_the_years_2000_to_2100_are_accepted_and_the_selector_refuses_others_R43(adviser_client):
    response = adviser_client.get(URL, {"date_from": "2000-01-01", "date_to": "2100-12-31"})
    assert response.status_code == 200, response.content
    for day in (date(9999, 12, 31), date(1, 1, 1)):
        with pytest.raises(InvalidInput) as refused:
            referral_selectors.referral_funnel(date_from=date(2026, 1, 1) if day.year > 2000 else day, date_to=day)
        assert refused.value.fields


def test_funnel_needs_credentials(api_client):
    assert api_client.get(URL).status_code == 401


@pytest.mark.parametrize("n", [2, 20])
def test_funnel_query_count_does_not_grow_R43(adviser_client, adviser, other_adviser, n, django_assert_num_queries):
    _chain(adviser, other_adviser, n)
    sector = SectorFactory()
    # A period from the 2nd of a month to the 14th of another, with whole months between them. 6 = the organisation
    # and the sector looked up + the cohort, the cells of the whole months (matching.summaries) and the records of
    # each broken month (every stage's count and days in one query).
    month = timezone.localdate().replace(day=1)
    period = {
        "date_from": (month - timedelta(days=40)).replace(day=2).isoformat(),
        "date_to": (month + timedelta(days=32)).replace(day=14).isoformat(),
    }
    with django_assert_num_queries(6):
        response = adviser_client.get(URL, {"organisation": adviser.organisation_id, "sector": sector.pk, **period})
    assert response.status_code == 200


def test_the_funnel_is_documented_in_the_schema_R43():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/referrals/funnel/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"date_from", "date_to", "organisation", "sector"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][ref]["properties"]
    assert set(properties) >= {*STAGES, "date_from", "date_to", "proposals_per_hire"}
    stage = schema["components"]["schemas"][properties["proposed"]["allOf"][0]["$ref"].rsplit("/", 1)[1]]
    assert set(stage["properties"]) == {"count", "median_days"}


# --- The cohort is the employers' requests (R-19, R-25, R-43) -----------------------------------------------------


def _funnel(vacancy, **filters) -> dict:
    day = timezone.localdate(vacancy.registered_at)
    return dict(referral_selectors.referral_funnel(date_from=day, date_to=day, **filters).counts())


def test_a_co_production_is_one_registered_request_with_its_partners_work_in_it_R19_R43(
    adviser, other_adviser, municipality
):
    """The review: one employer request of 12 people counted as 1 + N "registered" vacancies. It is one request; the
    partners' proposals, hires and bookings on their own vacancies under it count into its cohort (and into the
    request's organisation), days from the request's registration."""
    parent = make_vacancy(adviser, requested_positions=12)
    vacancy_services.co_production_start(
        vacancy=parent, by=adviser, activities=["speed_meet"], partners=[municipality],
        partner_owners={municipality.pk: other_adviser},
    )  # fmt: skip
    [child] = parent.children.all()
    own = hire(parent, make_candidate(adviser, parent))
    theirs = hire(child, make_candidate(other_adviser, child, target_group=TargetGroup.PWET))
    propose(child, make_candidate(other_adviser, child, target_group=TargetGroup.NUG))
    book(adviser, own)
    book(other_adviser, theirs)

    funnel = _funnel(parent)
    assert funnel == {"registered": 1, "proposed": 3, "invited": 2, "hired": 2, "booked": 2, "durable": 0}
    assert _funnel(parent, organisation=adviser.organisation) == funnel  # the request's organisation
    assert _funnel(parent, organisation=other_adviser.organisation)["registered"] == 0
    proposed = referral_selectors.funnel_querysets(
        date_from=timezone.localdate(parent.registered_at), date_to=timezone.localdate(parent.registered_at)
    )["proposed"]
    days = {row.pk: row.days for row in proposed}
    local = timezone.localdate
    expected = (local(Referral.objects.get(pk=theirs.pk).referred_at) - local(parent.registered_at)).days
    assert days[theirs.pk] == expected  # calendar days from the request's registration, not the partner vacancy's


def test_a_duplicate_is_no_new_request_and_its_carried_over_hire_is_not_counted_twice_R25_R43(adviser, other_adviser):
    vacancy = make_vacancy(adviser, requested_positions=3)
    partner = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    own = hire(vacancy, make_candidate(adviser, vacancy))
    book(adviser, own)
    [duplicate] = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    carried = Referral.objects.get(vacancy=duplicate, candidate=partner.candidate)
    # A fresh proposal of the partner's own candidate on its duplicate is work on the request too.
    propose(duplicate, make_candidate(other_adviser, duplicate, target_group=TargetGroup.PWET))
    book(other_adviser, carried)

    assert _funnel(vacancy) == {"registered": 1, "proposed": 3, "invited": 2, "hired": 2, "booked": 2, "durable": 0}
    assert carried.status == ReferralStatus.HIRED
