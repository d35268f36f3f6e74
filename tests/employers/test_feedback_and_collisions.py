"""R-11: feedback only for the adviser it concerns, aggregates for managers; the collision warning (WBS
"Werkgevers": one employer, one approach) for contact by another organisation within 30 days."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from employers import selectors, services
from tests.factories import ContactMomentFactory, EmployerFeedbackFactory, UserFactory
from wsp.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_feedback_for_gives_the_adviser_only_their_own_R11(employer, adviser, colleague):
    mine = EmployerFeedbackFactory(employer=employer, adviser=adviser)
    EmployerFeedbackFactory(employer=employer, adviser=colleague)
    assert list(selectors.feedback_for(user=adviser)) == [mine]


def test_feedback_aggregates_per_organisation_without_adviser_ids_R11(
    uwv, municipality, adviser, colleague, other_adviser, employer
):
    q3 = timezone.make_aware(datetime(2025, 8, 15, 12))
    EmployerFeedbackFactory(employer=employer, adviser=adviser, score=6, received_at=q3)
    EmployerFeedbackFactory(employer=employer, adviser=colleague, score=9, received_at=q3)
    EmployerFeedbackFactory(employer=employer, adviser=other_adviser, score=7, received_at=q3)
    EmployerFeedbackFactory(employer=employer, adviser=adviser, score=10, received_at=q3 - timedelta(days=90))

    rows = selectors.feedback_aggregates()

    for row in rows:
        # Aggregates only: nothing that points at an individual adviser, employer or comment.
        assert not {"adviser", "adviser_id", "adviser__id", "comment", "employer", "employer_id"} & set(row)
    summary = {
        (timezone.localdate(row["quarter"]).month, row["adviser__organisation__name"]): (
            row["count"],
            float(row["average"]),
        )
        for row in rows
    }
    assert summary == {(7, "UWV"): (2, 7.5), (7, "Gemeente Haarlem"): (1, 7.0), (4, "UWV"): (1, 10.0)}


def test_feedback_score_outside_1_to_10_is_refused_R11(employer, adviser, now):
    with pytest.raises(InvalidInput):
        services.feedback_register(employer_id=employer.pk, adviser=adviser, score=11, received_at=now)
    assert services.feedback_register(employer_id=employer.pk, adviser=adviser, score=10, received_at=now).pk


def test_collision_is_contact_by_another_organisation_within_30_days(
    employer, adviser, colleague, other_adviser, municipality, now
):
    theirs = ContactMomentFactory(employer=employer, adviser=other_adviser, occurred_at=now - timedelta(days=10))
    ContactMomentFactory(employer=employer, adviser=other_adviser, occurred_at=now - timedelta(days=31))
    ContactMomentFactory(employer=employer, adviser=colleague, occurred_at=now - timedelta(days=1))

    assert selectors.collisions(employer=employer, user=adviser, now=now) == [theirs]
    # The other organisation sees the UWV colleague's contact as its collision.
    warned = selectors.collisions(employer=employer, user=UserFactory(organisation=municipality), now=now)
    assert [m.adviser for m in warned] == [colleague]
