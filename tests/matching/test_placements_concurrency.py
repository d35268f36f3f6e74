"""Two bookings of the last position at the same moment: exactly one wins (R-20).

Two threads, two database connections, one barrier, as in tests/employers/test_ownership.py. The vacancy row is
locked by the booking service, so the second booking waits, then finds the vacancy filled.
"""

import threading

import pytest
from django.db import connection

from matching.choices import PlacementStatus
from matching.models import Placement
from tests.factories import UserFactory
from wsp.errors import Conflict

from .placement_helpers import book, hire, make_candidate, make_vacancy


@pytest.mark.django_db(transaction=True)
def test_two_bookings_of_the_last_position_at_once_exactly_one_wins_R20(uwv):
    """Only the owner books (R-24), so the two bookers are the owner in two sessions (browser and integration),
    each booking another hired candidate: the lock is on the vacancy, whoever holds the session."""
    owner = UserFactory(organisation=uwv)
    vacancy = make_vacancy(owner, requested_positions=2)
    book(owner, hire(vacancy, make_candidate(owner, vacancy)))
    rivals = [hire(vacancy, make_candidate(UserFactory(organisation=uwv), vacancy)) for _ in range(2)]
    barrier = threading.Barrier(len(rivals))
    outcomes: dict[int, object] = {}

    def book_last(referral):
        try:
            barrier.wait(timeout=10)
            outcomes[referral.pk] = book(owner, referral)
        except Exception as exc:  # the refusal is the outcome under test
            outcomes[referral.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=book_last, args=(referral,)) for referral in rivals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [o for o in outcomes.values() if isinstance(o, Placement)]
    losers = [o for o in outcomes.values() if isinstance(o, Conflict)]
    assert len(winners) == 1, outcomes
    assert [(loser.code, loser.rule) for loser in losers] == [("no_positions_left", "R-20")]
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.positions) == ("filled", 2)
    assert Placement.objects.filter(vacancy=vacancy, status=PlacementStatus.BOOKED).count() == 2
