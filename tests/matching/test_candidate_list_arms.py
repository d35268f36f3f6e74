"""The candidate list as the union of the visibility's arms (R-40; `wsp.db.arms`): page by page it lists exactly the
candidates `visible_to` gives, in the same order, without a duplicate or a gap, with every filter and ordering in
each arm; and the union's own answers (count, exists, first, iteration) are the single queryset's."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils import timezone

from matching.choices import CandidateStatus
from matching.models import Candidate
from tests.factories import CandidateFactory, OrganisationFactory, ReferralFactory, UserFactory, VacancyFactory
from wsp.db.arms import Arms

pytestmark = pytest.mark.django_db

API = "/api/v1/candidates/"


@pytest.fixture
def caseload(adviser, other_adviser):
    """The adviser's organisation's five candidates, four of another organisation referred to the adviser's vacancy
    (one of them twice: two vacancies), one own candidate also referred, and three others never referred."""
    vacancy, second = VacancyFactory(owner=adviser), VacancyFactory(owner=adviser)
    own = [CandidateFactory(adviser=adviser) for _ in range(5)]
    referred = [CandidateFactory(adviser=other_adviser) for _ in range(4)]
    for candidate in referred:
        ReferralFactory(vacancy=vacancy, candidate=candidate)
    ReferralFactory(vacancy=second, candidate=referred[0])
    ReferralFactory(vacancy=vacancy, candidate=own[2])
    unseen = [CandidateFactory(adviser=other_adviser) for _ in range(3)]
    return {"own": own, "referred": referred, "unseen": unseen}


def _pages(client, params) -> list[int]:
    ids, url = [], API
    while url:
        body = client.get(url, params if url == API else None).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


@pytest.mark.parametrize("page_size", [1, 2, 3, 50])
def test_pages_list_exactly_the_visible_candidates_in_order_R40(adviser_client, adviser, caseload, page_size):
    ids = _pages(adviser_client, {"page_size": page_size})

    expected = list(Candidate.objects.visible_to(adviser).order_by("-pk").values_list("pk", flat=True))
    assert ids == expected
    assert len(ids) == len(set(ids)) == 9  # the own candidate also referred, and the one referred twice, once
    assert not {c.pk for c in caseload["unseen"]} & set(ids)


def test_going_back_by_the_previous_link_gives_the_same_pages(adviser_client, caseload):
    first = adviser_client.get(API, {"page_size": 4}).json()
    second = adviser_client.get(first["next"]).json()
    back = adviser_client.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]


def test_filters_and_ordering_apply_in_every_arm(adviser_client, adviser, caseload):
    own, referred = caseload["own"], caseload["referred"]
    for candidate in (own[0], referred[1]):
        candidate.status = CandidateStatus.PLACED
        candidate.save()
    placed = _pages(adviser_client, {"status": "placed", "page_size": 1})
    assert sorted(placed) == sorted([own[0].pk, referred[1].pk])

    since = timezone.now() - timedelta(minutes=1)
    Candidate.objects.filter(pk__in=[own[3].pk, referred[2].pk]).update(updated_at=timezone.now() + timedelta(hours=1))
    Candidate.objects.exclude(pk__in=[own[3].pk, referred[2].pk]).update(updated_at=since - timedelta(days=1))
    recent = _pages(adviser_client, {"updated_since": since.isoformat(), "page_size": 1})
    assert sorted(recent) == sorted([own[3].pk, referred[2].pk])

    oldest_first = _pages(adviser_client, {"ordering": "id", "page_size": 2})
    assert oldest_first == sorted(oldest_first) and len(oldest_first) == 9


def test_a_user_without_referrals_anonymous_and_a_token(adviser_client, token_client, adviser, caseload):
    loner = UserFactory(organisation=OrganisationFactory())
    assert list(Candidate.objects.visible_list(loner)) == []
    assert Candidate.objects.visible_list(AnonymousUser()).count() == 0  # no organisation: nothing

    client, _token = token_client(organisation=adviser.organisation, read_only=True)
    listed = _pages(client, {"page_size": 2})
    assert sorted(listed) == sorted(c.pk for c in caseload["own"])  # a token: its own caseload only


def test_the_union_answers_as_the_single_queryset(adviser, caseload):
    arms = Candidate.objects.visible_list(adviser)
    single = Candidate.objects.visible_to(adviser)
    assert isinstance(arms, Arms)
    assert arms.count() == single.count() == len(arms) == 9
    assert arms.exists()
    assert arms.order_by("pk").first() == single.order_by("pk").first()
    assert sorted(c.pk for c in arms) == sorted(single.values_list("pk", flat=True))
    assert [c.pk for c in arms.order_by("-pk")[2:5]] == list(single.order_by("-pk").values_list("pk", flat=True)[2:5])
    # A model's own queryset methods go into each arm.
    assert arms.available().count() == single.available().count()


def test_the_union_refuses_what_it_cannot_answer(adviser, caseload):
    arms = Candidate.objects.visible_list(adviser)
    with pytest.raises(TypeError):  # an aggregate of each arm is no aggregate of the union
        arms.aggregate(n=Count("pk"))
    with pytest.raises(TypeError):
        arms[3]
    with pytest.raises(TypeError):
        arms[2:]


def test_a_page_is_one_query_however_many_are_referred(
    adviser_client, adviser, other_adviser, django_assert_num_queries
):
    vacancy = VacancyFactory(owner=adviser)
    CandidateFactory(adviser=adviser)
    with django_assert_num_queries(1):
        small = adviser_client.get(API, {"page_size": 5})
    for _ in range(12):
        ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=other_adviser))
    with django_assert_num_queries(1):
        large = adviser_client.get(API, {"page_size": 5})
    assert len(small.json()["results"]) == 1
    assert len(large.json()["results"]) == 5
