"""The likely duplicates among the current employers (R-07), for the managers' ownership health (R-55).

A pair is likely the same employer by the R-07 check's own score and threshold (`employers.selectors`): at the same
postcode, the name similarity of the normalised names (1 when equal) plus `POSTCODE_BONUS` reaches
`LIKELY_DUPLICATE`; or the two have the same KvK number. Names that merely look alike at different addresses are
left to the check at entry, where the adviser sees the candidates: across a region they are mostly the branches of
one chain, and comparing every name with every other is what no page can afford (at 100,000 seed employers:
42 million candidate pairs sharing a rare trigram, minutes of SQL; the same-postcode pairs take seconds).

Set-based SQL, answered by the B-tree indexes on postcode and KvK number; both directions are stored, so "has a
likely duplicate" is one indexed semi-join. Idempotent: a refresh replaces the pairs it covers.
"""

from django.db import connection, transaction

from employers.models import Employer, LikelyDuplicate
from employers.selectors import LIKELY_DUPLICATE, POSTCODE_BONUS

# The fields a pair depends on: a save that changes none of them leaves the pairs as they are.
DUPLICATE_FIELDS = frozenset({"name", "name_key", "postcode", "kvk_number", "merged_into", "purged_at"})

_CURRENT = "a.merged_into_id IS NULL AND a.purged_at IS NULL AND b.merged_into_id IS NULL AND b.purged_at IS NULL"
_SIMILARITY = "CASE WHEN a.name_key = b.name_key THEN 1.0 ELSE similarity(a.name_key, b.name_key) END"
_PAIRS = f"""
WITH pairs AS (
    SELECT a.id AS employer_id, b.id AS other_id, LEAST(1.0, {_SIMILARITY} + %(bonus)s) AS score
    FROM {{employer}} a JOIN {{employer}} b ON b.postcode = a.postcode AND b.id <> a.id
    WHERE a.postcode <> '' AND {_CURRENT} {{only_a}} AND {_SIMILARITY} + %(bonus)s >= %(likely)s
    UNION ALL
    SELECT a.id, b.id, 1.0
    FROM {{employer}} a JOIN {{employer}} b ON b.kvk_number = a.kvk_number AND b.id <> a.id
    WHERE a.kvk_number <> '' AND b.kvk_number <> '' AND {_CURRENT} {{only_a}}
),
both_ways AS (
    SELECT employer_id, other_id, score FROM pairs
    UNION ALL
    SELECT other_id, employer_id, score FROM pairs
)
INSERT INTO {{table}} (employer_id, other_id, score, found_at)
SELECT employer_id, other_id, max(score), now() FROM both_ways GROUP BY employer_id, other_id
"""


@transaction.atomic
def likely_duplicates_refresh(employer_ids: list[int] | None = None) -> int:
    """Replace the stored likely duplicates of `employer_ids` (None: of every employer, the nightly run) with the
    pairs as the records stand now; returns the number of rows stored."""
    if employer_ids is not None and not employer_ids:
        return 0
    stale = LikelyDuplicate.objects.all()
    if employer_ids is not None:
        stale = stale.filter(employer_id__in=employer_ids) | stale.filter(other_id__in=employer_ids)
    stale.delete()
    sql = _PAIRS.format(
        employer=Employer._meta.db_table,
        table=LikelyDuplicate._meta.db_table,
        only_a="" if employer_ids is None else "AND a.id = ANY(%(ids)s)",
    )
    params = {"bonus": POSTCODE_BONUS, "likely": LIKELY_DUPLICATE, "ids": list(employer_ids or [])}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
