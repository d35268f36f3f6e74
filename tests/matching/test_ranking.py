"""Matching and ranking (R-17, R-18, R-41, R-42): who fits, in what order, and why.

The set below is made by hand so every score can be checked on paper. The vacancy asks 5 skills, 32 hours, in
Haarlem (2011 AB): a shared skill is worth 10 points, hours 15 (in proportion below 32), location 15 / 12 / 8,
target group 10 (no flags: everyone), availability 10 (every fitting candidate is work-ready).

Speed (measured by hand, not a test): 100,000 candidates with 5-10 skills each out of 400, a vacancy with
8 skills (about 12,000 candidates share one): the ranking SQL takes about 12-16 ms on the embedded PostgreSQL.
"""

import json
import re
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone, translation

from matching.choices import CandidateStatus, TargetGroup
from matching.selectors import ranking
from tests.factories import CandidateFactory, ReferralFactory, SkillFactory, VacancyFactory, legacy_candidate
from wsp import geo

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def skills():
    return SkillFactory.create_batch(7)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def vacancy(adviser, skills):
    return VacancyFactory(
        owner=adviser,
        skills=[s.pk for s in skills[:5]],
        hours_per_week=32,
        postcode="2011 AB",
        municipality="Haarlem",
    )


@pytest.fixture
def handmade(adviser, colleague, other_adviser, skills, today):
    """Candidates with known scores (see the module docstring), and some that do not fit at all."""
    a, b, c, d, e, f, z = (s.pk for s in skills)
    ready = today - timedelta(days=30)
    return {
        # 50 + 15 + 15 + 10 + 10
        "perfect": CandidateFactory(adviser=colleague, skills=[a, b, c, d, e], work_ready_since=ready),
        # another partner's candidate: 30 + 15 + 0 (Utrecht) + 10 + 10
        "partner": CandidateFactory(
            adviser=other_adviser, skills=[a, b, c, f], postcode="3511 AB", municipality="Utrecht"
        ),
        # 20 + 11.25 (24 of 32 hours) + 12 (same PC4) + 10 + 10 = 63.25
        "part_time": CandidateFactory(
            adviser=colleague, skills=[a, b], hours_per_week=24, postcode="2011 XY", municipality="Bloemendaal"
        ),
        # 10 + 15 + 8 (same PC2) + 10 + 10 = 53, work-ready longest: first of the tie
        "tie_early": CandidateFactory(
            adviser=adviser,
            skills=[e],
            postcode="2042 AB",
            municipality="Zandvoort",
            work_ready_since=today - timedelta(days=400),
        ),
        "tie_late": CandidateFactory(
            adviser=adviser, skills=[e], postcode="2042 AB", municipality="Zandvoort", work_ready_since=ready
        ),
        "tie_late_2": CandidateFactory(
            adviser=adviser, skills=[e], postcode="2042 AB", municipality="Zandvoort", work_ready_since=ready
        ),
        # Not fitting:
        "no_shared_skill": CandidateFactory(adviser=adviser, skills=[z, f]),
        "not_work_ready": CandidateFactory(adviser=adviser, skills=[a, b, c, d, e], work_ready_since=None),
        "work_ready_next_week": CandidateFactory(
            adviser=adviser, skills=[a, b, c, d, e], work_ready_since=today + timedelta(days=7)
        ),
        "placed": CandidateFactory(adviser=adviser, skills=[a, b, c, d, e], status=CandidateStatus.PLACED),
        "inactive": CandidateFactory(adviser=other_adviser, skills=[a], status=CandidateStatus.INACTIVE),
    }


def ranked(matches):
    return [(m.candidate_id, m.score) for m in matches]


# --- Order and reasons ------------------------------------------------------------------------------------------


def test_ranking_order_scores_and_ties_R42(vacancy, adviser, handmade):
    matches = ranking.vacancy_matches(vacancy=vacancy, user=adviser)
    h = handmade
    assert ranked(matches) == [
        (h["perfect"].pk, 100),
        (h["partner"].pk, 65),
        (h["part_time"].pk, 63),
        (h["tie_early"].pk, 53),
        (h["tie_late"].pk, 53),
        (h["tie_late_2"].pk, 53),
    ]


def test_not_work_ready_unavailable_and_unshared_candidates_do_not_fit_R41_R42(vacancy, adviser, handmade, today):
    shown = {m.candidate_id for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    for name in ("no_shared_skill", "not_work_ready", "work_ready_next_week", "placed", "inactive"):
        assert handmade[name].pk not in shown, name
        assert ranking.requirement_failures(vacancy, handmade[name], user=adviser, today=today), name
    failures = ranking.requirement_failures(vacancy, handmade["not_work_ready"], today=today)
    assert failures == ["candidate_not_work_ready"]
    assert ranking.requirement_failures(vacancy, handmade["no_shared_skill"], today=today) == ["no_shared_skill"]
    assert ranking.requirement_failures(vacancy, handmade["placed"], today=today) == ["candidate_not_available"]


def test_other_partners_candidates_are_ranked_too_R18(vacancy, other_adviser, adviser, handmade):
    matches = ranking.vacancy_matches(vacancy=vacancy, user=adviser)
    partner = next(m for m in matches if m.candidate_id == handmade["partner"].pk)
    assert partner.organisation_id == other_adviser.organisation_id
    assert partner.organisation_name == other_adviser.organisation.name
    assert (partner.adviser_id, partner.adviser_name) == (other_adviser.pk, "Chris Visser")


def test_reasons_are_data_and_text_R42(vacancy, adviser, handmade, skills, today):
    matches = {m.candidate_id: m for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    reasons = {r["code"]: r for r in matches[handmade["part_time"].pk].reasons}
    assert list(reasons) == ["skills", "hours", "location", "target_group", "availability"]
    assert reasons["skills"]["values"]["shared"] == [{"id": s.pk, "name": s.name} for s in skills[:2]]
    assert (reasons["skills"]["points"], reasons["skills"]["max_points"]) == (20.0, 50)
    assert reasons["skills"]["values"]["shared_count"] == 2 and reasons["skills"]["values"]["vacancy_count"] == 5
    assert skills[0].name in reasons["skills"]["text"]
    assert reasons["hours"]["values"] == {"candidate_hours": 24, "vacancy_hours": 32, "enough": False}
    assert reasons["location"]["values"]["match"] == "same_postcode_area"
    assert (reasons["location"]["points"], reasons["location"]["values"]["pc4"]) == (12, "2011")
    assert reasons["target_group"]["points"] == 10
    assert reasons["availability"]["values"] == {
        "work_ready_since": (today - timedelta(days=30)).isoformat(),
        "days": 30,
    }
    locations = {pk: {r["code"]: r for r in m.reasons}["location"]["values"]["match"] for pk, m in matches.items()}
    assert locations[handmade["perfect"].pk] == "same_municipality"
    assert locations[handmade["tie_early"].pk] == "same_region"
    assert locations[handmade["partner"].pk] == "other"
    assert all(isinstance(r["text"], str) and r["text"] for m in matches.values() for r in m.reasons)


def test_skill_names_follow_the_language(vacancy, adviser, handmade, skills):
    skills[0].name_en = "Forklift licence"
    skills[0].save()
    with translation.override("en"):
        matches = ranking.vacancy_matches(vacancy=vacancy, user=adviser)
    shared = {r["code"]: r for r in matches[0].reasons}["skills"]["values"]["shared"]
    assert shared[0] == {"id": skills[0].pk, "name": "Forklift licence"}


def test_personal_data_only_where_the_user_may_see_it_R40(vacancy, adviser, other_adviser, handmade):
    referred = CandidateFactory(adviser=other_adviser, skills=list(vacancy.skills))
    ReferralFactory(candidate=referred, vacancy=vacancy)
    matches = {m.candidate_id: m for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    own = matches[handmade["perfect"].pk]  # a colleague's candidate
    assert own.personal == {
        "first_name": handmade["perfect"].first_name,
        "last_name": "Jansen",
        "email": handmade["perfect"].email,
        "phone": "06-12345678",
        "postcode": "2011 AB",
    }
    assert matches[referred.pk].personal["first_name"] == referred.first_name
    assert matches[referred.pk].already_referred is True
    assert matches[handmade["partner"].pk].personal is None
    assert matches[handmade["partner"].pk].already_referred is False
    # The partner's adviser sees the reverse.
    theirs = {m.candidate_id: m for m in ranking.vacancy_matches(vacancy=vacancy, user=other_adviser)}
    assert theirs[handmade["partner"].pk].personal is not None
    assert theirs[handmade["perfect"].pk].personal is None


def test_limit_and_offset(vacancy, adviser, handmade):
    everything = ranked(ranking.vacancy_matches(vacancy=vacancy, user=adviser))
    assert ranked(ranking.vacancy_matches(vacancy=vacancy, user=adviser, limit=2)) == everything[:2]
    assert ranked(ranking.vacancy_matches(vacancy=vacancy, user=adviser, limit=2, offset=2)) == everything[2:4]


def test_matching_sql_is_the_query_the_selector_runs(vacancy, adviser, handmade):
    sql, params = ranking.matching_sql(vacancy, user=adviser)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    assert ids == [m.candidate_id for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)]


def test_vacancy_without_skills_has_no_matches(adviser, handmade, django_assert_num_queries):
    vacancy = VacancyFactory(owner=adviser, skills=[])
    with django_assert_num_queries(0):
        assert ranking.vacancy_matches(vacancy=vacancy, user=adviser) == []


# --- Hard requirements: target groups and ages (R-14, R-15) ----------------------------------------------------


def _born(today, years, days=0):
    return today - relativedelta(years=years) - timedelta(days=days)


@pytest.fixture
def people(adviser, skills, today):
    """One of each kind, all sharing a skill with the vacancies below, all in the adviser's own caseload so that ages
    are judged exactly (R-40; other caseloads on age groups: test_ranking_ages.py). UWV's and the municipalities'
    groups in one caseload are rows from before R-23 was enforced: the ranking reads them as they are."""
    skill = [skills[0].pk]

    def make(**fields):
        return legacy_candidate(adviser=adviser, skills=skill, **fields)

    return {
        "ww": make(target_group=TargetGroup.WW, birth_date=_born(today, 35)),
        "job_agreement": make(target_group=TargetGroup.WIA, job_agreement=True, birth_date=_born(today, 40)),
        "wajong": make(target_group=TargetGroup.WAJONG, birth_date=_born(today, 22)),
        "pwet": make(target_group=TargetGroup.PWET, birth_date=_born(today, 50)),
        "oekraine": make(target_group=TargetGroup.OEKRAINE, birth_date=_born(today, 49, days=364)),
        "nug": make(target_group=TargetGroup.NUG, birth_date=None),
        "age_17": make(target_group=TargetGroup.WW, birth_date=_born(today, 17)),
        "age_26": make(target_group=TargetGroup.WW, birth_date=_born(today, 27) + timedelta(days=1)),
        "age_27": make(target_group=TargetGroup.WW, birth_date=_born(today, 27)),
    }


@pytest.mark.parametrize(
    ("flags", "ages", "expected"),
    [
        ([], (None, None), {"ww", "job_agreement", "wajong", "pwet", "oekraine", "nug", "age_17", "age_26", "age_27"}),
        (["job_agreement"], (None, None), {"job_agreement"}),
        (["wajong"], (None, None), {"wajong"}),
        (["welfare_subsidy"], (None, None), {"pwet"}),
        (["status_holder"], (None, None), {"oekraine", "nug"}),
        (["youth"], (None, None), {"wajong", "age_17", "age_26"}),
        (["over_50"], (None, None), {"pwet"}),
        (["wajong", "over_50"], (None, None), {"wajong", "pwet"}),
        (["youth"], (18, 25), {"wajong"}),
        (["job_agreement", "youth"], (18, None), {"job_agreement", "wajong", "age_26"}),
        (["status_holder"], (None, 49), {"oekraine"}),  # without a birth date an age requirement fails
    ],
)
def test_hard_requirements_in_sql_and_python_agree_R14_R15(adviser, skills, people, today, flags, ages, expected):
    vacancy = VacancyFactory(
        owner=adviser, skills=[skills[0].pk], target_group_flags=flags, min_age=ages[0], max_age=ages[1]
    )
    shown = {m.candidate_id for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser, limit=100)}
    assert shown == {people[name].pk for name in expected}
    for name, candidate in people.items():
        fits = not ranking.requirement_failures(vacancy, candidate, user=adviser, today=today)
        assert fits == (name in expected), name


def test_target_group_points_follow_the_share_of_flags_fitted(adviser, skills, people):
    vacancy = VacancyFactory(owner=adviser, skills=[skills[0].pk], target_group_flags=["job_agreement", "over_50"])
    both = CandidateFactory(
        adviser=adviser, skills=[skills[0].pk], job_agreement=True, birth_date=people["pwet"].birth_date
    )
    matches = {m.candidate_id: m for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    flag_reason = {pk: {r["code"]: r for r in m.reasons}["target_group"] for pk, m in matches.items()}
    assert flag_reason[both.pk]["points"] == 10
    assert flag_reason[both.pk]["values"]["fitted_flags"] == ["job_agreement", "over_50"]
    assert flag_reason[people["pwet"].pk]["points"] == 5
    assert flag_reason[people["pwet"].pk]["values"]["fitted_flags"] == ["over_50"]
    assert matches[both.pk].score == matches[people["pwet"].pk].score + 5


# --- The candidate's side ------------------------------------------------------------------------------------


def test_candidate_side_lists_open_referable_vacancies_the_candidate_fits_R16_R42(adviser, other_adviser, skills):
    a, b, c = (s.pk for s in skills[:3])
    candidate = CandidateFactory(adviser=adviser, skills=[a, b], hours_per_week=32)
    best = VacancyFactory(owner=other_adviser, skills=[a, b], postcode="2011 AB", municipality="Haarlem")
    half = VacancyFactory(owner=adviser, skills=[a, c], postcode="9711 AB", municipality="Groningen")
    VacancyFactory(owner=adviser, skills=[a], visibility="blocked", blocked_reason="Werkgever wacht")
    VacancyFactory(owner=adviser, skills=[a], status="closed", closed_at=timezone.now())
    VacancyFactory(owner=adviser, skills=[a], target_group_flags=["wajong"])  # a WW candidate does not fit
    VacancyFactory(owner=adviser, skills=[c])  # nothing shared
    ReferralFactory(candidate=candidate, vacancy=half)
    matches = ranking.candidate_matches(candidate=candidate, user=adviser)
    assert [(m.vacancy_id, m.score) for m in matches] == [(best.pk, 100), (half.pk, 60)]
    assert (matches[0].owner_id, matches[0].already_referred, matches[1].already_referred) == (
        other_adviser.pk,
        False,
        True,
    )
    reasons = {r["code"]: r for r in matches[1].reasons}
    assert reasons["skills"]["values"]["shared"] == [{"id": a, "name": skills[0].name}]
    assert reasons["location"]["values"]["match"] == "other"
    for match in matches:
        vacancy = type(best).objects.get(pk=match.vacancy_id)
        assert ranking.requirement_failures(vacancy, candidate, user=adviser) == []


def test_candidate_side_is_empty_for_a_candidate_not_work_ready_R41(adviser, skills, django_assert_num_queries):
    VacancyFactory(owner=adviser, skills=[skills[0].pk])
    waiting = CandidateFactory(adviser=adviser, skills=[skills[0].pk], work_ready_since=None)
    with django_assert_num_queries(0):
        assert ranking.candidate_matches(candidate=waiting, user=adviser) == []


# --- Query counts -----------------------------------------------------------------------------------------------


def test_ranking_takes_two_queries_whatever_the_data(
    vacancy, adviser, other_adviser, skills, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            owner = adviser if i % 2 else other_adviser
            ReferralFactory(candidate=CandidateFactory(adviser=owner, skills=[skills[i % 5].pk]), vacancy=vacancy)

    add(3)
    # 2 = the ranking (with organisation, adviser and personal access joined) + the names of the shared skills.
    with django_assert_num_queries(2):
        small = ranking.vacancy_matches(vacancy=vacancy, user=adviser)
    add(30)
    with django_assert_num_queries(2):
        large = ranking.vacancy_matches(vacancy=vacancy, user=adviser)
    assert len(small) == 3 and len(large) == 20


# --- API ---------------------------------------------------------------------------------------------------------


def test_matches_api_lists_every_fitting_candidate_without_foreign_personal_data_R18_R40(
    adviser_client, vacancy, handmade
):
    response = adviser_client.get(f"{API}vacancies/{vacancy.pk}/matches/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["vacancy"] == vacancy.pk
    rows = {row["candidate"]: row for row in body["results"]}
    assert [row["candidate"] for row in body["results"]][:2] == [handmade["perfect"].pk, handmade["partner"].pk]
    partner = rows[handmade["partner"].pk]
    assert partner["personal_access"] is False
    assert not set(partner) & {"first_name", "last_name", "email", "phone", "postcode", "birth_date", "bsn"}
    assert handmade["partner"].first_name not in response.content.decode()
    assert set(partner) >= {
        "candidate", "score", "reasons", "organisation", "adviser", "adviser_name", "target_group", "hours_per_week",
        "municipality", "work_ready_since", "skills",
    }  # fmt: skip
    own = rows[handmade["perfect"].pk]
    assert own["personal_access"] is True and own["first_name"] == handmade["perfect"].first_name
    assert own["reasons"][0]["code"] == "skills"


def test_matches_api_limit_and_errors(adviser_client, vacancy, handmade):
    url = f"{API}vacancies/{vacancy.pk}/matches/"
    assert len(adviser_client.get(url, {"limit": 2}).json()["results"]) == 2
    for bad in ({"limit": 0}, {"limit": 101}, {"limit": "x"}, {"offset": -1}):
        assert adviser_client.get(url, bad).status_code == 400, bad
    for missing in ("999999", "abc"):
        response = adviser_client.get(f"{API}vacancies/{missing}/matches/")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_matches_api_query_count_is_constant(adviser_client, adviser, vacancy, skills, django_assert_num_queries):
    def add(n):
        for i in range(n):
            CandidateFactory(skills=[skills[i % 5].pk])  # each with its own adviser and organisation

    add(3)
    # 3 = the vacancy + the ranking + the names of the shared skills.
    with django_assert_num_queries(3):
        small = adviser_client.get(f"{API}vacancies/{vacancy.pk}/matches/")
    add(30)
    with django_assert_num_queries(3):
        large = adviser_client.get(f"{API}vacancies/{vacancy.pk}/matches/")
    assert len(small.json()["results"]) == 3 and len(large.json()["results"]) == 20


def test_candidate_matches_api(adviser_client, adviser, other_adviser, skills, django_assert_num_queries):
    candidate = CandidateFactory(adviser=adviser, skills=[skills[0].pk])
    foreign = CandidateFactory(adviser=other_adviser, skills=[skills[0].pk])
    for _ in range(3):
        VacancyFactory(skills=[skills[0].pk])
    # 3 = the candidate (visible to the caller, R-40) + the ranking + the names of the shared skills.
    with django_assert_num_queries(3):
        response = adviser_client.get(f"{API}candidates/{candidate.pk}/matches/")
    body = response.json()
    assert body["candidate"] == candidate.pk and len(body["results"]) == 3
    assert set(body["results"][0]) >= {"vacancy", "score", "reasons", "title", "employer", "owner", "expires_on"}
    assert adviser_client.get(f"{API}candidates/{foreign.pk}/matches/").status_code == 404


def test_organisation_token_sees_matches_with_its_own_candidates_personal_data_R40(token_client, vacancy, handmade):
    client, _token = token_client(organisation=handmade["partner"].organisation, read_only=True)
    rows = {row["candidate"]: row for row in client.get(f"{API}vacancies/{vacancy.pk}/matches/").json()["results"]}
    assert rows[handmade["partner"].pk]["personal_access"] is True
    assert rows[handmade["perfect"].pk]["personal_access"] is False
    assert "first_name" not in rows[handmade["perfect"].pk]


# --- Distance (R-42) -------------------------------------------------------------------------------------------


def _at(place: str) -> dict:
    latitude, longitude = geo.coordinates(place)
    assert latitude is not None, place
    return {"latitude": latitude, "longitude": longitude, "municipality": place}


@pytest.fixture
def placed(adviser, colleague, skills, today):
    """A vacancy in Haarlem and candidates at known distances (all skills, all hours: only location differs)."""
    ids = [s.pk for s in skills[:5]]
    vacancy = VacancyFactory(owner=adviser, skills=ids, hours_per_week=32, postcode="2011 AB", **_at("Haarlem"))

    def make(place=None, **fields):
        where = _at(place) if place else {"municipality": "Atlantis", "postcode": "9999 ZZ"}
        return CandidateFactory(adviser=colleague, skills=ids, work_ready_since=today - timedelta(days=5), **where,
                                **fields)  # fmt: skip

    people = {
        "here": make("Haarlem", max_travel_km=5),
        "heemstede": make("Heemstede", max_travel_km=10),
        "utrecht_limited": make("Utrecht", max_travel_km=25),
        "utrecht_free": make("Utrecht"),
        "unknown_place": make(None, max_travel_km=5),
    }
    return vacancy, people


def test_distance_in_km_decides_the_location_points_and_is_shown_R42(placed, adviser):
    vacancy, people = placed
    matches = {m.candidate_id: m for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    km = geo.distance_km(geo.coordinates("Haarlem"), geo.coordinates("Heemstede"))
    heemstede = matches[people["heemstede"].pk]
    location = {r["code"]: r for r in heemstede.reasons}["location"]
    assert heemstede.distance_km == round(km, 1) and heemstede.max_travel_km == 10
    assert location["values"]["match"] == "distance"
    assert location["values"]["distance_km"] == round(km, 1)
    assert location["points"] == round(15 * (1 - km / ranking.DISTANCE_SCALE_KM), 1)
    assert f"{geo.whole_km(km)} km" in location["text"] and "10 km" in location["text"]
    assert heemstede.score == round(50 + 15 + 15 * (1 - km / ranking.DISTANCE_SCALE_KM) + 10 + 10)
    # The same place: 0 km, full points; beyond DISTANCE_SCALE_KM (Utrecht, 46 km): none, still a match.
    assert matches[people["here"].pk].score == 100
    assert matches[people["here"].pk].distance_km == 0
    utrecht = {r["code"]: r for r in matches[people["utrecht_free"].pk].reasons}["location"]
    assert utrecht["points"] == 0 and "46 km" in utrecht["text"]
    assert [m.candidate_id for m in matches.values()][:2] == [people["here"].pk, people["heemstede"].pk]


def test_the_maximum_travel_distance_is_a_hard_requirement_R42(placed, adviser, today):
    vacancy, people = placed
    shown = {m.candidate_id for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    assert people["utrecht_limited"].pk not in shown
    assert ranking.requirement_failures(vacancy, people["utrecht_limited"], user=adviser, today=today) == [
        "beyond_max_travel_distance"
    ]
    for name in ("here", "heemstede", "utrecht_free", "unknown_place"):
        assert people[name].pk in shown, name
        assert ranking.requirement_failures(vacancy, people[name], user=adviser, today=today) == [], name


def test_the_maximum_is_compared_in_whole_km_as_shown_R42(placed, adviser, colleague, today):
    vacancy, people = placed
    km = geo.distance_km(geo.coordinates("Haarlem"), geo.coordinates("Heemstede"))
    exactly = CandidateFactory(
        adviser=colleague, skills=list(vacancy.skills), max_travel_km=geo.whole_km(km), **_at("Heemstede")
    )
    below = CandidateFactory(
        adviser=colleague, skills=list(vacancy.skills), max_travel_km=geo.whole_km(km) - 1, **_at("Heemstede")
    )
    shown = {m.candidate_id for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser, limit=100)}
    assert exactly.pk in shown and not ranking.requirement_failures(vacancy, exactly, user=adviser, today=today)
    assert below.pk not in shown and ranking.requirement_failures(vacancy, below, user=adviser, today=today)


def test_an_unknown_distance_does_not_exclude_and_is_said_R42(placed, adviser):
    vacancy, people = placed
    with translation.override("en"):
        matches = {m.candidate_id: m for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    unknown = matches[people["unknown_place"].pk]
    location = {r["code"]: r for r in unknown.reasons}["location"]
    assert unknown.distance_km is None
    assert location["values"]["distance_km"] is None and location["values"]["match"] == "other"
    assert "distance unknown" in location["text"]
    # A vacancy without a known place: nobody has a distance, nobody is excluded for it.
    nowhere = VacancyFactory(owner=adviser, skills=list(vacancy.skills), municipality="Atlantis", postcode="9999 ZZ")
    assert {m.candidate_id for m in ranking.vacancy_matches(vacancy=nowhere, user=adviser)} == {
        p.pk for p in people.values()
    }


def test_the_distance_in_dutch(placed, adviser):
    vacancy, people = placed
    with translation.override("nl"):
        matches = {m.candidate_id: m for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    text = {r["code"]: r for r in matches[people["utrecht_free"].pk].reasons}["location"]["text"]
    assert text == "46 km tussen woonplaats en werk"
    unknown = {r["code"]: r for r in matches[people["unknown_place"].pk].reasons}["location"]["text"]
    assert unknown.endswith("afstand onbekend")


def test_candidate_side_respects_the_maximum_travel_distance_R42(adviser, skills, today):
    ids = [skills[0].pk]
    candidate = CandidateFactory(adviser=adviser, skills=ids, max_travel_km=10, **_at("Haarlem"))
    near = VacancyFactory(owner=adviser, skills=ids, **_at("Heemstede"))
    far = VacancyFactory(owner=adviser, skills=ids, **_at("Utrecht"))
    unknown = VacancyFactory(owner=adviser, skills=ids, municipality="Atlantis", postcode="9999 ZZ")
    matches = {m.vacancy_id: m for m in ranking.candidate_matches(candidate=candidate, user=adviser)}
    assert set(matches) == {near.pk, unknown.pk}
    assert matches[near.pk].distance_km == round(geo.distance_km(_point(near), _point(candidate)), 1)
    assert matches[unknown.pk].distance_km is None
    assert ranking.requirement_failures(far, candidate, today=today) == ["beyond_max_travel_distance"]


def _point(obj):
    return (obj.latitude, obj.longitude)


def test_distance_adds_no_query_R42(placed, adviser, django_assert_num_queries):
    vacancy, _people = placed
    # 2 = the ranking (distance computed in it) + the names of the shared skills.
    with django_assert_num_queries(2):
        ranking.vacancy_matches(vacancy=vacancy, user=adviser)


def test_matches_api_gives_the_distance_R42(adviser_client, placed):
    vacancy, people = placed
    body = adviser_client.get(f"{API}vacancies/{vacancy.pk}/matches/").json()
    rows = {row["candidate"]: row for row in body["results"]}
    assert rows[people["here"].pk]["distance_km"] == 0 and rows[people["here"].pk]["max_travel_km"] == 5
    assert rows[people["unknown_place"].pk]["distance_km"] is None
    assert people["utrecht_limited"].pk not in rows
    assert body["notices"] == []


# --- Age is personal data (R-15, R-40) -------------------------------------------------------------------------


def test_outside_the_band_and_no_birth_date_give_the_same_code_and_no_age_R40(adviser, skills, today):
    vacancy = VacancyFactory(owner=adviser, skills=[skills[0].pk], target_group_flags=["youth"], min_age=18,
                             max_age=22)  # fmt: skip

    def make(birth_date):
        return CandidateFactory(adviser=adviser, skills=[skills[0].pk], birth_date=birth_date)

    inside = make(_born(today, 20))
    outside = make(_born(today, 24))  # still "youth" (under 27), but outside 18-22
    unknown = make(None)
    assert ranking.requirement_failures(vacancy, inside, user=adviser, today=today) == []
    assert ranking.requirement_failures(vacancy, outside, user=adviser, today=today) == ["age_requirement_not_met"]
    # No birth date: refused the same way (also on the flag, which needs an age), nothing tells the two apart.
    assert "age_requirement_not_met" in ranking.requirement_failures(vacancy, unknown, user=adviser, today=today)
    assert set(ranking.requirement_failures(vacancy, unknown, user=adviser, today=today)) <= {
        "age_requirement_not_met",
        "target_group_mismatch",
    }
    shown = {m.candidate_id for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser)}
    assert shown == {inside.pk}
    for codes in (ranking.requirement_failures(vacancy, c, user=adviser, today=today) for c in (outside, unknown)):
        assert not any(ch.isdigit() for code in codes for ch in code)


def test_matches_reveal_no_birth_date_or_age_R40(adviser_client, other_adviser, skills, today):
    vacancy = VacancyFactory(skills=[skills[0].pk], target_group_flags=["over_50"], min_age=50)
    theirs = CandidateFactory(
        adviser=other_adviser, skills=[skills[0].pk], target_group="pwet", birth_date=_born(today, 57, days=3)
    )
    response = adviser_client.get(f"{API}vacancies/{vacancy.pk}/matches/")
    [row] = response.json()["results"]
    assert row["candidate"] == theirs.pk and row["personal_access"] is False
    text = response.content.decode()
    assert "birth" not in text and theirs.birth_date.isoformat() not in text and '"age' not in text
    # No reason names the age (ids and dates may contain the digits 57 by chance).
    reasons = json.dumps(row["reasons"])
    assert not re.search(r"\b57 ?(jaar|years|jr)\b", reasons) and "age" not in {r["code"] for r in row["reasons"]}
