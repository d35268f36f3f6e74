"""R-11: feedback only for the adviser it concerns, aggregates for managers; the collision warning (WBS
"Werkgevers": one employer, one approach) for contact by another organisation within 30 days."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts.choices import Role
from employers import selectors
from tests.factories import ContactMomentFactory, EmployerFeedbackFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_feedback_for_gives_the_adviser_only_their_own_R11(employer, adviser, colleague):
    mine = EmployerFeedbackFactory(employer=employer, adviser=adviser)
    EmployerFeedbackFactory(employer=employer, adviser=colleague)
    assert list(selectors.feedback_for(user=adviser)) == [mine]


def _advisers(organisation, n: int) -> list:
    return [UserFactory(organisation=organisation, role=Role.ADVISER) for _ in range(n)]


def _answers(employer, advisers, scores, received_at, **extra) -> list:
    """One answer per score, about the advisers in turn."""
    return [
        EmployerFeedbackFactory(employer=employer, adviser=advisers[i % len(advisers)], score=score,
                                received_at=received_at, **extra)
        for i, score in enumerate(scores)
    ]  # fmt: skip


def test_feedback_aggregates_per_organisation_without_adviser_ids_R11(
    uwv, municipality, adviser, colleague, other_adviser, employer
):
    q3 = timezone.make_aware(datetime(2025, 8, 15, 12))
    for score in (6, 7, 8):
        EmployerFeedbackFactory(employer=employer, adviser=adviser, score=score, received_at=q3)
    for score in (9, 10):
        EmployerFeedbackFactory(employer=employer, adviser=colleague, score=score, received_at=q3)
    EmployerFeedbackFactory(employer=employer, adviser=_advisers(uwv, 1)[0], score=8, received_at=q3)
    _answers(employer, [other_adviser, *_advisers(municipality, 2)], (7, 7, 7, 7, 2), q3)

    rows = selectors.feedback_aggregates()

    for row in rows:
        # Aggregates only: nothing that points at an individual adviser, employer or comment.
        assert not {"adviser", "adviser_id", "adviser__id", "advisers", "comment", "employer", "employer_id"} & set(row)
    summary = {
        (timezone.localdate(row["quarter"]).month, row["adviser__organisation__name"]): (
            row["count"],
            float(row["average"]),
        )
        for row in rows
    }
    assert summary == {(7, "UWV"): (6, 8.0), (7, "Gemeente Haarlem"): (5, 6.0)}
    assert {row["quarter_label"] for row in rows} == {"2025-Q3"}


def test_a_group_of_4_responses_is_not_shown_to_managers_R11(uwv, municipality, adviser, other_adviser, employer):
    """Below 5 responses the group is left out altogether: not its count, not its average."""
    q1 = timezone.make_aware(datetime(2026, 2, 10, 12))
    _answers(employer, [adviser, *_advisers(uwv, 2)], (8, 8, 8, 8, 8), q1)
    _answers(employer, [other_adviser, *_advisers(municipality, 3)], (1, 2, 3, 4), q1)

    rows = selectors.feedback_aggregates()

    assert [(row["adviser__organisation__name"], row["count"]) for row in rows] == [("UWV", 5)]


@pytest.mark.parametrize("advisers", [1, 2])
def test_a_group_about_one_or_two_advisers_is_not_shown_however_large_R11(uwv, employer, advisers):
    """Before: 5 answers all about one adviser showed that adviser's average to the managers. A group is shown only
    when it holds answers about at least 3 different advisers, so no single adviser's feedback can be read."""
    q1 = timezone.make_aware(datetime(2026, 2, 10, 12))
    _answers(employer, _advisers(uwv, advisers), (3, 4, 5, 6, 7, 8, 9), q1)

    assert selectors.feedback_aggregates() == []

    # An answer about each further adviser, up to 3, makes the group showable.
    _answers(employer, _advisers(uwv, 3 - advisers), (9,) * (3 - advisers), q1)
    scores = [3, 4, 5, 6, 7, 8, 9] + [9] * (3 - advisers)
    assert [(row["count"], float(row["average"])) for row in selectors.feedback_aggregates()] == [
        (len(scores), sum(scores) / len(scores))
    ]


def test_aggregates_give_no_total_that_would_reveal_a_hidden_group_by_subtraction_R11(
    uwv, municipality, adviser, colleague, other_adviser, employer
):
    """The groups shown are disjoint and no total is given over them, so a hidden group (here one adviser's two
    answers) cannot be derived by subtracting what is shown from a total."""
    q2 = timezone.make_aware(datetime(2025, 5, 10, 12))
    EmployerFeedbackFactory.create_batch(3, employer=employer, adviser=adviser, score=9, received_at=q2)
    EmployerFeedbackFactory.create_batch(3, employer=employer, adviser=colleague, score=7, received_at=q2)
    EmployerFeedbackFactory.create_batch(2, employer=employer, adviser=_advisers(uwv, 1)[0], score=5, received_at=q2)
    EmployerFeedbackFactory.create_batch(2, employer=employer, adviser=other_adviser, score=2, received_at=q2)

    rows = selectors.feedback_aggregates()

    assert [(row["adviser__organisation__name"], row["count"], float(row["average"])) for row in rows] == [
        ("UWV", 8, 7.25)
    ]
    # Only the group keys and its two figures: no total, no count of what was left out.
    assert {key for row in rows for key in row} == {
        "quarter", "quarter_label", "adviser__organisation_id", "adviser__organisation__name", "count", "average",
    }  # fmt: skip


def test_the_running_quarter_is_shown_only_once_it_has_ended_R11(uwv, adviser, employer, now, ended_quarter):
    """Before: the running quarter's group grew answer by answer, so a manager who looked before and after one came
    in read its score from the difference (5 answers of 8 averaging 8.0, then 6 averaging 7.5: the new one is 5).
    A quarter is shown once it has ended and its group is complete."""
    advisers = [adviser, *_advisers(uwv, 2)]
    _answers(employer, advisers, (8,) * 5, now)
    assert selectors.feedback_aggregates() == []
    _answers(employer, advisers, (8,) * 5, ended_quarter)
    [row] = selectors.feedback_aggregates()
    assert (row["count"], float(row["average"])) == (5, 8.0)
    assert timezone.localtime(row["quarter"]) < timezone.localtime(now).replace(day=1)
    _answers(employer, advisers, (5,), now)  # a new answer in the running quarter changes nothing shown
    assert selectors.feedback_aggregates() == [row]


def test_aggregates_of_one_year_R11(uwv, adviser, employer):
    advisers = [adviser, *_advisers(uwv, 2)]
    for year in (2024, 2025):
        _answers(employer, advisers, (8,) * 5, timezone.make_aware(datetime(year, 3, 1, 12)))
    assert [row["quarter_label"] for row in selectors.feedback_aggregates(year=2025)] == ["2025-Q1"]


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
