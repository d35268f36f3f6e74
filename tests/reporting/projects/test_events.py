"""Events (issue 8 point 6, R-19) and the reach per channel and quarter, written by managers only (R-01)."""

from datetime import date

import pytest

from reporting.projects import services
from reporting.projects.models import ChannelReach, Event
from tests.factories import CandidateFactory, EmployerFactory, PlacementFactory
from wsp.errors import InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db


def test_r19_event_with_organisers_employers_and_results(manager, uwv, municipality, project):
    placement = PlacementFactory()
    employer = EmployerFactory()
    event = services.event_create(
        by=manager, kind="speed_meet", title="Speed meet zorg", date=date(2024, 3, 14), participants=40,
        organisers=[uwv.pk, municipality.pk], employers=[employer.pk], candidates=[CandidateFactory().pk],
        referrals=[placement.referral_id], placements=[placement.pk], project=project.pk,
    )  # fmt: skip
    assert set(event.organisers.all()) == {uwv, municipality}
    assert list(event.employers.all()) == [employer]
    assert event.event_placements.get().placement == placement
    assert event.event_referrals.get().referral_id == placement.referral_id
    assert event.project == project and event.candidates.count() == 1


def test_r19_event_update_replaces_links(manager):
    first, second = PlacementFactory(), PlacementFactory()
    event = services.event_create(by=manager, kind="job_fair", title="Banenmarkt", date=date(2024, 5, 1),
                                  placements=[first.pk])  # fmt: skip
    services.event_update(by=manager, event=event, placements=[second.pk], participants=120)
    event.refresh_from_db()
    assert [link.placement for link in event.event_placements.all()] == [second]
    assert event.participants == 120


def test_r40_participants_not_below_linked_candidates_refused(manager, project_counts):
    before = project_counts()
    with pytest.raises(InvalidInput) as refused:
        services.event_create(by=manager, kind="other", title="x", date=date(2024, 1, 1), participants=0,
                              candidates=[CandidateFactory().pk])  # fmt: skip
    assert refused.value.code == "participants_below_candidates"
    assert project_counts() == before


def test_r19_negative_participants_refused(manager, project_counts):
    before = project_counts()
    with pytest.raises(InvalidInput) as refused:
        services.event_create(by=manager, kind="other", title="x", date=date(2024, 1, 1), participants=-1)
    assert refused.value.code == "negative_amount"
    assert project_counts() == before


def test_r01_only_managers_write_events(adviser, project_counts):
    before = project_counts()
    with pytest.raises(RuleRefused) as refused:
        services.event_create(by=adviser, kind="other", title="x", date=date(2024, 1, 1))
    assert refused.value.rule == "R-01"
    with pytest.raises(RuleRefused):
        services.reach_record(by=adviser, year=2024, quarter=1, channel="website", reach=10)
    assert project_counts() == before and not Event.objects.exists()


def test_reach_recorded_once_per_year_quarter_channel(manager):
    services.reach_record(by=manager, year=2024, quarter=1, channel="linkedin", reach=1200)
    services.reach_record(by=manager, year=2024, quarter=1, channel="linkedin", reach=1300)
    row = ChannelReach.objects.get()
    assert (row.reach, row.entered_by) == (1300, manager)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"reach": -1}, "negative_amount"),
        ({"quarter": 5}, "invalid_quarter"),
        ({"channel": "pigeon"}, "invalid_channel"),
        ({"year": 1999}, "invalid_year"),
    ],
)
def test_reach_refused_data_unchanged(manager, project_counts, fields, code):
    before = project_counts()
    values = {"year": 2024, "quarter": 1, "channel": "website", "reach": 10, **fields}
    with pytest.raises(InvalidInput) as refused:
        services.reach_record(by=manager, **values)
    assert refused.value.code == code
    assert project_counts() == before


def test_r07_a_merge_moves_event_participation_and_the_employer_is_counted_once_R56(manager):
    """A duplicate and the record kept both took part in one event, the duplicate alone in another: after the merge
    the kept record takes part in both, once each, and the event-employers figure counts it once (R-07, R-56)."""
    from employers.services.lifecycle import employer_merge
    from reporting.measures.registry import MEASURES
    from reporting.measures.scope import Scope

    keep = EmployerFactory(name="De Vries Bouw", postcode="2511 AA")
    gone = EmployerFactory(name="DeVries-bouw", postcode="2511 AA")
    both = services.event_create(by=manager, kind="job_fair", title="Banenmarkt", date=date(2025, 5, 1),
                                 employers=[keep.pk, gone.pk])  # fmt: skip
    alone = services.event_create(by=manager, kind="speed_meet", title="Speed meet", date=date(2025, 5, 8),
                                  employers=[gone.pk])  # fmt: skip
    figure = MEASURES["event-employers"]
    assert figure.value(Scope(year=2025, quarter=2)) == 2
    merge = employer_merge(keep_id=keep.pk, merge_id=gone.pk, by=manager, note="dubbel")
    assert list(both.employers.all()) == [keep] and list(alone.employers.all()) == [keep]
    assert merge.moved["event_employers"] == 1
    assert figure.value(Scope(year=2025, quarter=2)) == 1
    assert list(figure.records(Scope(year=2025, quarter=2))) == [keep]
