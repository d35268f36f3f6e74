"""`stats/{measure}/` (API.md): a measure's records counted per group, in rows that add up exactly to the total,
each row naming the records it counted (R-55, R-57). The groups of a measure are paths to the grouping column and
its label; the rows are one query, and the records of a row are the measure's queryset filtered on that key.

Cells that concern candidates (referrals) under 5 are not shown to organisation tokens (R-40): they are merged into
one row "smaller groups", itself left out when under 5, and the response says so (`suppressed`).
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _

from matching.choices import ReferralStatus, TargetGroup
from matching.models import ReferralMonth
from wsp.errors import InvalidInput
from wsp.inputs import int_or_none
from wsp.periods import local_midnight, month_of

from .cells import merge_small
from .registry import MEASURES, Measure
from .scope import Scope


@dataclass(frozen=True)
class Group:
    key: str  # the path to the grouping column (or "month": the month of `moment`)
    label: str | None = None  # the path to its label, when it lives in another table


@dataclass(frozen=True)
class Summary:
    """Where the database keeps a stat's figures per month (`matching.summaries`): the model, the paths the scope
    narrows it by, its groups (as `Stat.groups`) and the columns holding the number of records and each extra."""

    model: type
    organisation: str
    sector: str
    groups: dict
    records: str
    extra: dict  # name -> the column holding it


@dataclass(frozen=True)
class Stat:
    """One of the `stats/{measure}/` figures: a registry measure, its groups, and what else each row counts."""

    name: str
    measure: str
    moment: str  # the date that places a record in a month
    groups: dict
    extra: dict  # name -> Q counted besides the number of records
    about_candidates: bool = False
    # The same rows from the months the database keeps (read instead of the records for whole months).
    summary: Summary | None = None

    @property
    def base(self) -> Measure:
        return MEASURES[self.measure]


STATS = {
    s.name: s
    for s in (
        Stat(
            "vacancies",
            "vacancies-received",
            "received_at",
            {
                "organisation": Group("organisation_id", "organisation__name"),
                "sector": Group("employer__sector_id", "employer__sector__name"),
                "month": Group("month"),
            },
            {"late": Q(registered_late=True) | Q(late_as_registered=True)},
        ),
        Stat(
            "employers",
            "employers-new",
            "created_at",
            {
                "organisation": Group("created_by__organisation_id", "created_by__organisation__name"),
                "sector": Group("sector_id", "sector__name"),
                "month": Group("month"),
            },
            {},
        ),
        Stat(
            "referrals",
            "referrals-proposed",
            "referred_at",
            {
                "organisation": Group("candidate__organisation_id", "candidate__organisation__name"),
                "sector": Group("vacancy__employer__sector_id", "vacancy__employer__sector__name"),
                "target_group": Group("candidate__target_group"),
                "month": Group("month"),
            },
            {"hired": Q(status=ReferralStatus.HIRED)},
            about_candidates=True,
            summary=Summary(
                ReferralMonth,
                organisation="vacancy_organisation",
                sector="sector",
                groups={
                    "organisation": Group("candidate_organisation_id", "candidate_organisation__name"),
                    "sector": Group("sector_id", "sector__name"),
                    "target_group": Group("target_group"),
                    "month": Group("month"),
                },
                records="records",
                extra={"hired": "hired"},
            ),
        ),
        Stat(
            "contact-requests",
            "contact-requests",
            "received_at",
            {
                "organisation": Group("assigned_to__organisation_id", "assigned_to__organisation__name"),
                "sector": Group("employer__sector_id", "employer__sector__name"),
                "month": Group("month"),
            },
            {"answered": Q(responded_at__isnull=False)},
        ),
    )
}


@dataclass
class StatRow:
    key: object
    label: str
    value: int
    extra: dict


@dataclass
class StatTable:
    stat: Stat
    group_by: str
    scope: Scope
    rows: list
    total: StatRow
    suppressed: bool = False


def _group(stat: Stat, group_by: str) -> Group:
    if group_by not in stat.groups:
        message = _("Choose one of: %(choices)s.") % {"choices": ", ".join(stat.groups)}
        raise InvalidInput(message, code="invalid_group_by", fields={"group_by": [message]})
    return stat.groups[group_by]


def _with_month(stat: Stat, qs: QuerySet, group_by: str) -> QuerySet:
    return qs.annotate(month=TruncMonth(stat.moment)) if group_by == "month" else qs


def _label(group_by: str, key, name) -> str:
    if group_by == "target_group":
        return str(TargetGroup(key).label) if key in TargetGroup.values else str(key or "")
    if group_by == "month":
        return formats.date_format(key, "YEAR_MONTH_FORMAT") if key else ""
    if key is None:
        return _("Not known")
    return name or str(key)


def _key(group_by: str, key):
    return key.strftime("%Y-%m") if group_by == "month" and key else key


def stat_table(*, name: str, group_by: str, scope: Scope, for_token: bool = False) -> StatTable:
    """The rows of one figure: one query, the total their sum (so the rows add up to it exactly)."""
    stat = STATS[name]
    group = _group(stat, group_by)
    if stat.summary is not None:
        # A scope is whole months (a year or a quarter): read from the months the database keeps.
        summary = stat.summary
        group = summary.groups[group_by]
        qs = scope.narrow(
            summary.model.objects.filter(month__gte=scope.first, month__lte=scope.last),
            organisation=summary.organisation,
            sector=summary.sector,
        )
        counted = {"n": Sum(summary.records)} | {extra: Sum(column) for extra, column in summary.extra.items()}
    else:
        qs = _with_month(stat, stat.base.records(scope), group_by)
        counted = {"n": Count("pk")} | {extra: Count("pk", filter=q) for extra, q in stat.extra.items()}
    columns = [group.key] + ([group.label] if group.label else [])
    rows = [
        StatRow(
            key=_key(group_by, row[group.key]),
            label=_label(group_by, row[group.key], row.get(group.label) if group.label else None),
            value=row["n"],
            extra={extra: row[extra] for extra in stat.extra},
        )
        for row in qs.values(*columns).annotate(**counted).order_by(group.key)
    ]
    suppressed = False
    if for_token and stat.about_candidates:
        rows, suppressed = merge_small(
            rows,
            lambda row: row.value,
            lambda small: StatRow(
                key=None,
                label=_("Smaller groups together"),
                value=sum(row.value for row in small),
                extra={extra: sum(row.extra[extra] for row in small) for extra in stat.extra},
            ),
        )
    total = StatRow(
        key=None,
        label=_("Total"),
        value=sum(row.value for row in rows),
        extra={extra: sum(row.extra[extra] for row in rows) for extra in stat.extra},
    )
    return StatTable(stat=stat, group_by=group_by, scope=scope, rows=rows, total=total, suppressed=suppressed)


def stat_records(*, name: str, group_by: str, key, scope: Scope) -> QuerySet:
    """The records of one row (`key` as the row gives it; none: the records without a key)."""
    stat = STATS[name]
    group = _group(stat, group_by)
    qs = stat.base.rows(scope)
    if key in (None, ""):
        # Every record has its moment, so no record is without a month.
        return qs.none() if group_by == "month" else qs.filter(**{f"{group.key}__isnull": True})
    if group_by == "month":
        first, after = month_of(key)
        return qs.filter(**{f"{stat.moment}__gte": local_midnight(first), f"{stat.moment}__lt": local_midnight(after)})
    if group.key.endswith("_id"):
        key = int_or_none(key)
        if key is None:
            message = _("Unknown key.")
            raise InvalidInput(message, code="invalid", fields={"key": [message]})
    return qs.filter(**{group.key: key})
