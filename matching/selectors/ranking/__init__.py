"""Matching candidates and vacancies on skills, and explaining the rank (R-17, R-18, R-40, R-41, R-42).

Who fits (hard requirements, the same in SQL and in `requirement_failures`):

* the candidate is available for mediation (status `available`) and work-ready: `work_ready_since` is set and not
  in the future (R-41). Candidates who are not work-ready yet are left out of "fitting" altogether rather than
  ranked last: they cannot be placed, and the list is what the owner proposes from;
* candidate and vacancy share at least one skill (R-42; `skills && skills`, answered by the GIN indexes
  `candidate_skills` / `vacancy_skills` with intarray's `gin__int_ops`). A vacancy without skills has no matches;
* the distance between the candidate's and the job's place (R-42, `wsp.geo`: kilometres over the great circle
  between the coordinates both carry) is not above the candidate's maximum travel distance, in whole km as shown.
  An unknown distance (a place not found, or no maximum given) does not exclude anyone: the reason says so;
* a target-group vacancy (R-14) only fits candidates of at least one of its flags (`candidate_flags`);
* an age requirement (R-15, only on target-group vacancies) only fits candidates with a birth date in its band.

Age is personal data (R-40). An age requirement is a band of at least 5 years (R-15, held by the database:
`vacancies_vacancy_age_band`), and for candidates of other organisations than the user's it is judged on their age
group of 5 years only (15-19, 20-24, ...; `requirements.age_group`): a candidate fits when that group overlaps the
band, so no combination of bands, however they are slid, tells more than the group. The user's own organisation's
candidates are judged on the exact age. The age flags (youth, 50+) follow the same rule. Where this makes a
difference (a band or flag not on group boundaries) the page and the API say so (`judged_on_age_groups`). A
candidate without a birth date is treated like one outside the band, with the same code (`age_requirement_not_met`),
so nothing tells the two apart; the code never carries the age or the band.

One module per part: `requirements` (who fits), `query` (the two SQL queries), `reasons` (why a match ranks where it
does) and `matches` (the selectors); every name is importable from here.

Everyone who fits is ranked, from every partner's caseload (R-18: nobody is left out for an organisation's own
targets). The score is 0-100 (`WEIGHTS`): the share of the vacancy's skills the candidate has (50), hours (15, in
proportion when the candidate has fewer hours than the vacancy asks), location (15: by distance when both places
are known, 15 at 0 km falling to 0 at `DISTANCE_SCALE_KM` and beyond; otherwise 15 same municipality, 12 same
postcode area PC4, 8 same region PC2, else 0), target-group fit (10; in proportion to the vacancy's flags the
candidate fits, everyone gets 10 when the vacancy has no flags) and availability (10: work-ready today, which every
fitting candidate is). Ties: score, then who has been work-ready longest, then id, so the order is stable.

Each side of the ranking is one SQL query (`matching_sql`, `vacancy_matching_sql`) and one query for the names of
the shared skills of the whole page. Personal data (R-40) is selected by the database only for candidates the user
may see personally; for the others it never leaves the database.
"""

from .matches import MATCH_PERSONAL_FIELDS, CandidateMatch, VacancyMatch, candidate_matches, vacancy_matches
from .query import (
    DEFAULT_LIMIT,
    DISTANCE_SCALE_KM,
    LOCATION_CODES,
    LOCATION_POINTS,
    MAX_LIMIT,
    WEIGHTS,
    distance_points,
    matching_sql,
    vacancy_matching_sql,
)
from .requirements import (
    AGE_FLAG_BANDS,
    AGE_GROUP_YEARS,
    OVER_50_FROM_AGE,
    YOUTH_BELOW_AGE,
    age_group,
    age_groups_message,
    age_on,
    beyond_travel_distance,
    born_between,
    candidate_flags,
    distance_between,
    has_age_requirement,
    in_age_band,
    is_own_candidate,
    is_work_ready,
    judged_band,
    judged_on_age_groups,
    requirement_failures,
    widened_band,
)

__all__ = [
    "AGE_FLAG_BANDS",
    "AGE_GROUP_YEARS",
    "DEFAULT_LIMIT",
    "DISTANCE_SCALE_KM",
    "LOCATION_CODES",
    "LOCATION_POINTS",
    "MATCH_PERSONAL_FIELDS",
    "MAX_LIMIT",
    "OVER_50_FROM_AGE",
    "WEIGHTS",
    "YOUTH_BELOW_AGE",
    "CandidateMatch",
    "VacancyMatch",
    "age_group",
    "age_groups_message",
    "age_on",
    "beyond_travel_distance",
    "born_between",
    "candidate_flags",
    "candidate_matches",
    "distance_between",
    "distance_points",
    "has_age_requirement",
    "in_age_band",
    "is_own_candidate",
    "is_work_ready",
    "judged_band",
    "judged_on_age_groups",
    "matching_sql",
    "requirement_failures",
    "vacancy_matches",
    "vacancy_matching_sql",
    "widened_band",
]
