"""R-07 as an ownership-health figure: active employers that very likely are the same employer as another current
record, so a manager can have them merged. "Very likely" is the R-07 check's own threshold
(`employers.selectors.LIKELY_DUPLICATE`, with its postcode bonus), never a second one: the name similarity of the
normalised names reaches `LIKELY_DUPLICATE`, or, at the same postcode, `LIKELY_DUPLICATE - POSTCODE_BONUS`.

Fast at many employers: each branch is answered by an index per employer.
- By name: `name_key %> outer.name_key` (pg_trgm's word-similarity operator, default threshold 0.6) is answered by the
  trigram GIN index `employers_name_key_trgm`. The word similarity of two keys is never below their similarity, so
  it lets through every pair the exact `similarity >= LIKELY_DUPLICATE` test (done next) keeps, while the index
  already drops the many names that only share a trade word ("...bedrijf"). The plain `%` operator (threshold 0.3)
  let those through and made the figure quadratic in practice.
- By postcode: the same postcode (B-tree index `employers_postcode`), then the similarity.
"""

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from employers.models import Employer
from employers.selectors import LIKELY_DUPLICATE, POSTCODE_BONUS

from .scope import Scope


def _others() -> QuerySet:
    """The other current, not anonymised employers, with their name similarity to the outer employer."""
    return (
        Employer.objects.current()
        .not_purged()
        .exclude(pk=OuterRef("pk"))  # an employer is never its own duplicate
        .annotate(similarity=TrigramSimilarity("name_key", OuterRef("name_key")))
        .order_by(F("similarity").desc(), "pk")
    )


def _by_name() -> QuerySet:
    return _others().filter(name_key__trigram_word_similar=OuterRef("name_key"), similarity__gte=LIKELY_DUPLICATE)


def _by_postcode() -> QuerySet:
    return _others().filter(postcode=OuterRef("postcode"), similarity__gte=LIKELY_DUPLICATE - POSTCODE_BONUS)


def near_duplicate_employers(scope: Scope) -> QuerySet[Employer]:
    """R-07: active employers (not merged, not purged) with at least one likely duplicate among the current
    employers; `duplicate_id` and `duplicate_name` name one (the most similar by name, else the most similar at the
    same postcode). The organisation and sector filters apply through the employer's main account holder and its
    sector (as the other ownership-health figures)."""
    qs = (
        Employer.objects.active()
        .not_purged()
        .filter(Exists(_by_name()) | Exists(_by_postcode()))
        .annotate(
            duplicate_id=Coalesce(Subquery(_by_name().values("pk")[:1]), Subquery(_by_postcode().values("pk")[:1])),
            duplicate_name=Coalesce(
                Subquery(_by_name().values("name")[:1]), Subquery(_by_postcode().values("name")[:1])
            ),
        )
    )
    return scope.narrow(qs, organisation="main_account_holder__organisation", sector="sector")
