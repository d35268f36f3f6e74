"""Age is personal data (R-15, R-40): other organisations' candidates are matched on their age group of 5 years only.

The review found that sliding a vacancy's age band (48-52, 49-53, ... each a valid band of 5 years) and reading
`vacancies/{id}/matches/` after each pinned another organisation's candidate's exact age. Now a candidate of another
organisation than the caller's fits an age band when their age group (15-19, 20-24, ...) overlaps it: every age of
one group gives the same answer to every band, so no combination of bands tells more than the group. The caller's own
organisation's candidates keep the exact check. The same rule holds for the proposal refusal (`requirements_not_met`)
and for the candidate's side (`candidates/{id}/matches/`, which the owner of a vacancy a candidate is referred to
sees).
"""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from matching.api.candidates import match_notices
from matching.selectors import ranking
from tests.factories import CandidateFactory, ReferralFactory, SkillFactory, VacancyFactory
from wsp.errors import RuleRefused

from .placement_helpers import make_vacancy, propose

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def skill():
    return SkillFactory()


def _born(today, years: int, days: int = 10):
    """Born `years` years and some days ago (so exactly `years` old today, and not on a 29 February)."""
    return today - relativedelta(years=years) - timedelta(days=days)


def _aged(adviser, skill, today, ages, **fields):
    return {
        age: CandidateFactory(adviser=adviser, skills=[skill.pk], birth_date=_born(today, age), **fields)
        for age in ages
    }


def _shown_over_api(client, vacancy) -> set[int]:
    response = client.get(f"{API}vacancies/{vacancy.pk}/matches/", {"limit": 100})
    assert response.status_code == 200, response.content
    return {row["candidate"] for row in response.json()["results"]}


def test_sliding_bands_cannot_pin_another_organisations_candidate_below_the_age_group_R40(
    adviser, other_adviser, client_for, skill, today
):
    """The reviewer's attack (repro /tmp/rev/test_age.py): the owner PATCHes the band 5 to 8 years wide from 40 up
    to 64 and reads the matches each time. Another organisation's candidates of 50 to 54 are seen by exactly the
    same bands, so the answers tell "50-54" and nothing narrower; before the fix the 52-year-old was pinned."""
    vacancy = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["over_50"], min_age=50, max_age=54)
    theirs = _aged(other_adviser, skill, today, range(48, 58), target_group="pwet")
    client = client_for(adviser)
    seen: dict[int, list[bool]] = {age: [] for age in theirs}
    for width in (5, 6, 8):
        for low in range(40, 60):
            response = client.patch(f"{API}vacancies/{vacancy.pk}/", {"min_age": low, "max_age": low + width - 1},
                                    format="json")  # fmt: skip
            assert response.status_code == 200, response.content
            shown = _shown_over_api(client, vacancy)
            for age, candidate in theirs.items():
                seen[age].append(candidate.pk in shown)
            # A candidate fits when their group overlaps the band.
            for age, candidate in theirs.items():
                group_low = 15 + 5 * ((age - 15) // 5)
                overlaps = group_low <= low + width - 1 and group_low + 4 >= low
                assert (candidate.pk in shown) == (overlaps and age >= 50), (age, low, width)  # 50+ flag
    # Every age of one group answers every band the same: the answers cannot tell 52 from 50, 51, 53 or 54.
    assert seen[50] == seen[51] == seen[52] == seen[53] == seen[54]
    assert seen[55] == seen[56] == seen[57]
    assert seen[52] != seen[55]  # the groups themselves differ, as they may


def test_own_organisations_candidates_keep_the_exact_age_check_R15_R40(adviser, colleague, client_for, skill, today):
    vacancy = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["over_50"], min_age=50, max_age=54)
    ours = _aged(colleague, skill, today, range(48, 58), target_group="ww")
    client = client_for(adviser)
    for low in range(46, 56):
        client.patch(f"{API}vacancies/{vacancy.pk}/", {"min_age": low, "max_age": low + 4}, format="json")
        vacancy.refresh_from_db()
        shown = _shown_over_api(client, vacancy)
        assert {age for age, c in ours.items() if c.pk in shown} == {
            a for a in range(48, 58) if low <= a <= low + 4 and a >= 50
        }
        # And the Python check (the proposal's) agrees with the SQL, for the caller.
        for age, candidate in ours.items():
            fits = not ranking.requirement_failures(vacancy, candidate, user=adviser, today=today)
            assert fits == (candidate.pk in shown), (age, low)


@pytest.mark.parametrize("band", [(None, 26), (18, 22), (18, 27), (20, 24), (23, 29), (48, 52), (50, None), (None, 41)])
def test_sql_and_python_judge_ages_alike_for_own_and_other_candidates_R15_R40(
    adviser, colleague, other_adviser, skill, today, band
):
    """The ranking SQL and `requirement_failures` (the proposal's check) agree for every age from 15 to 69, exactly for
    the caller's own organisation and by age group for the others'."""
    vacancy = VacancyFactory(owner=adviser, skills=[skill.pk], target_group_flags=["youth", "over_50", "wajong"],
                             min_age=band[0], max_age=band[1])  # fmt: skip
    ages = range(15, 70)
    ours = _aged(colleague, skill, today, ages, target_group="wajong")
    theirs = _aged(other_adviser, skill, today, ages, target_group="nug")  # fits no non-age flag
    shown = {m.candidate_id for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser, limit=100, today=today)}
    shown |= {m.candidate_id for m in ranking.vacancy_matches(vacancy=vacancy, user=adviser, limit=100, offset=100,
                                                              today=today)}  # fmt: skip
    low, high = band
    for age in ages:
        assert (ours[age].pk in shown) == ((low is None or age >= low) and (high is None or age <= high)), age
        assert (ours[age].pk in shown) == (
            not ranking.requirement_failures(vacancy, ours[age], user=adviser, today=today)
        )
        group = ranking.age_group(age)
        in_band = (low is None or group[1] >= low) and (high is None or group[0] <= high)
        flags = group[0] <= 26 or group[1] >= 50  # youth (under 27) or 50+, on the group as well
        assert (theirs[age].pk in shown) == (in_band and flags), age
        failures = ranking.requirement_failures(vacancy, theirs[age], user=adviser, today=today)
        assert (theirs[age].pk in shown) == (not failures), age


def test_the_age_groups_are_five_years_from_15_and_the_band_widens_to_them_R40():
    assert [ranking.age_group(age) for age in (15, 19, 20, 27, 52, 54, 55, 67, 14)] == [
        (15, 19), (15, 19), (20, 24), (25, 29), (50, 54), (50, 54), (55, 59), (65, 69), (10, 14),
    ]  # fmt: skip
    assert ranking.widened_band(48, 52) == (45, 54)
    assert ranking.widened_band(50, 54) == (50, 54)
    assert ranking.widened_band(None, 26) == (None, 29) and ranking.widened_band(50, None) == (50, None)


def test_born_on_29_february_the_age_is_counted_as_the_sql_compares_birth_dates(today):
    assert ranking.age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert ranking.age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26
    assert ranking.age_on(date(2000, 3, 1), date(2026, 3, 1)) == 26


def test_the_proposal_refusal_tells_no_more_than_the_age_group_R17_R40(adviser, other_adviser, skill, today, counts):
    """`requirements_not_met` codes of a refused proposal used the exact age too. Another organisation's candidates
    of 53 and 54 (group 50-54) are both accepted on a band 48-52; one of 55 is refused, and the refusal changes
    nothing. The owner's own candidate of 53 is refused on the exact age."""
    vacancy = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["over_50"], min_age=48, max_age=52)
    theirs = _aged(other_adviser, skill, today, (53, 54, 55), target_group="pwet")
    ours = _aged(adviser, skill, today, (53,), target_group="ww")
    propose(vacancy, theirs[53])
    propose(vacancy, theirs[54])
    before = counts()
    for candidate in (theirs[55], ours[53]):
        with pytest.raises(RuleRefused) as refused:
            propose(vacancy, candidate)
        assert refused.value.code == "requirements_not_met"
        assert refused.value.extra["failures"] == ["age_requirement_not_met"]
        assert counts() == before


def test_the_proposal_refusal_over_the_api_gives_the_same_codes_R40(
    adviser, other_adviser, adviser_client, skill, today, counts
):
    vacancy = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["over_50"], min_age=48, max_age=52)
    theirs = _aged(other_adviser, skill, today, (54, 55), target_group="pwet")
    before = counts()
    refused = adviser_client.post(
        f"{API}referrals/", {"vacancy": vacancy.pk, "candidate": theirs[55].pk}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "requirements_not_met"
    assert counts() == before
    accepted = adviser_client.post(
        f"{API}referrals/", {"vacancy": vacancy.pk, "candidate": theirs[54].pk}, format="json"
    )
    assert accepted.status_code == 201, accepted.content


def test_the_candidates_side_judges_another_organisations_candidate_on_the_age_group_R40(
    adviser, other_adviser, adviser_client, client_for, skill, today
):
    """The owner of a vacancy a partner's candidate is referred to sees `candidates/{id}/matches/`: sliding the band of
    another vacancy of theirs there must not pin the age either. The candidate's own adviser sees the exact answer."""
    mine = make_vacancy(adviser, skills=[skill.pk])
    probe = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["over_50"], min_age=48, max_age=52)
    theirs = _aged(other_adviser, skill, today, (53, 54), target_group="pwet")
    for candidate in theirs.values():
        ReferralFactory(vacancy=mine, candidate=candidate)
    for age, candidate in theirs.items():
        response = adviser_client.get(f"{API}candidates/{candidate.pk}/matches/")
        assert response.status_code == 200, response.content
        assert probe.pk in {row["vacancy"] for row in response.json()["results"]}, age  # group 50-54 overlaps 48-52
        own_side = client_for(other_adviser).get(f"{API}candidates/{candidate.pk}/matches/").json()
        assert probe.pk not in {row["vacancy"] for row in own_side["results"]}, age  # 53 and 54 are not 48-52


def test_the_page_and_the_api_say_where_age_groups_apply_R40(adviser, adviser_client, client, skill):
    aligned = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["over_50"], min_age=50, max_age=54)
    sliding = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["over_50"], min_age=48, max_age=52)
    youth = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["youth"])
    plain = make_vacancy(adviser, skills=[skill.pk])
    assert match_notices(aligned) == [] and match_notices(plain) == []
    for vacancy in (sliding, youth):
        [notice] = adviser_client.get(f"{API}vacancies/{vacancy.pk}/matches/").json()["notices"]
        assert (notice["code"], notice["rule"]) == ("age_groups", "R-40")
    client.force_login(adviser)
    html = client.get(f"/vacatures/{sliding.pk}/").content.decode()
    assert 'id="age-groups-note"' in html and "leeftijdsgroep" in html
    assert 'id="age-groups-note"' not in client.get(f"/vacatures/{aligned.pk}/").content.decode()


def test_the_ranking_stays_one_query_with_the_age_groups_R40(adviser, other_adviser, skill, today,
                                                           django_assert_num_queries):  # fmt: skip
    vacancy = make_vacancy(adviser, skills=[skill.pk], target_group_flags=["youth", "over_50"], min_age=18, max_age=27)
    _aged(other_adviser, skill, today, (20, 25, 28), target_group="pwet")
    _aged(adviser, skill, today, (20, 25, 28), target_group="ww")
    sql, params = ranking.matching_sql(vacancy, user=adviser, today=today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert len(cursor.fetchall()) == 5  # the own 28-year-old falls outside 18-27; the partner's is of 25-29
    # 2 = the ranking + the names of the shared skills.
    with django_assert_num_queries(2):
        ranking.vacancy_matches(vacancy=vacancy, user=adviser, today=today)
