"""R-07 as an ownership-health figure: active employers that very likely are the same employer as another current
record, so a manager can have them merged.

"Very likely" is the R-07 check's own score and threshold (`employers.selectors.LIKELY_DUPLICATE`, with its postcode
bonus), applied to the employers at the same postcode, plus the same KvK number: the pairs
`employers.services.duplicates` keeps in `LikelyDuplicate` (on every save of a name, postcode or KvK number, and
every night). Counting them is one indexed semi-join, whatever the number of employers; comparing every name with
every other on each page view is what no dashboard can afford at 100,000 employers (see that module).
"""

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from employers.models import Employer, LikelyDuplicate

from .scope import Scope


def _likely_duplicates_of_outer() -> QuerySet:
    """The employers stored as a likely duplicate of the outer employer, best first. Only current, not anonymised
    employers are stored: a merge and a purge take theirs out in the same transaction."""
    return LikelyDuplicate.objects.filter(employer=OuterRef("pk")).order_by("-score", "other_id")


def near_duplicate_employers(scope: Scope) -> QuerySet[Employer]:
    """R-07: active employers (not merged, not purged) with at least one likely duplicate among the current
    employers; `duplicate_id` and `duplicate_name` name the most likely one. The organisation and sector filters
    apply through the employer's main account holder and its sector (as the other ownership-health figures)."""
    others = _likely_duplicates_of_outer()
    qs = (
        Employer.objects.active()
        .not_purged()
        .filter(Exists(others))
        .annotate(
            duplicate_id=Subquery(others.values("other_id")[:1]),
            duplicate_name=Subquery(others.values("other__name")[:1]),
        )
    )
    return scope.narrow(qs, organisation="main_account_holder__organisation", sector="sector")
