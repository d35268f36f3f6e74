"""Serializers of the budgets API (API.md `budgets/`; R-53): the budget with its lines and figures, and the inputs
of the writes. Amounts are numbers in euros (two decimals), never strings."""

from rest_framework import serializers

from accounts.models import Organisation

from ..choices import LineKind
from ..models import Budget, BudgetLine


def _amount(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, **kwargs)


def _share(**kwargs):
    return serializers.DecimalField(max_digits=7, decimal_places=3, coerce_to_string=False, read_only=True, **kwargs)


class BudgetLineSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=LineKind.choices, read_only=True)
    planned = _amount(read_only=True)
    realised = _amount(read_only=True, help_text="realised spend (or income received) recorded for the line")
    uncovered = _amount(read_only=True, help_text="the amount still not covered (R-53)")
    burn = _share(allow_null=True, help_text="realised / planned")
    warning = serializers.BooleanField(
        read_only=True, help_text="funding ends within three months (or has ended) with an amount still uncovered"
    )

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "kind",
            "label",
            "organisation",
            "planned",
            "realised",
            "funded_from",
            "funded_until",
            "uncovered",
            "note",
            "burn",
            "warning",
        ]
        read_only_fields = fields


class SubtotalsSerializer(serializers.Serializer):
    contributions = _amount(read_only=True)
    balance = _amount(read_only=True, help_text="expected out-of-pocket balance carried over")
    incidental_income = _amount(read_only=True)
    personnel = _amount(read_only=True)
    other_cost = _amount(read_only=True)


class BurnSerializer(serializers.Serializer):
    realised_cost = _amount(read_only=True)
    burn = _share(allow_null=True, help_text="realised cost / planned cost")
    year_elapsed = _share(help_text="share of the year elapsed")
    ahead = serializers.BooleanField(source="burn_ahead", read_only=True, help_text="burn > year_elapsed")


class SpendMonthSerializer(serializers.Serializer):
    month = serializers.DateField(read_only=True)
    amount = _amount(read_only=True)

    def to_representation(self, instance):
        month, amount = instance
        return {"month": month.isoformat(), "amount": amount}


class WarningSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="line.pk", read_only=True)
    label = serializers.CharField(source="line.label", read_only=True)
    funded_until = serializers.DateField(read_only=True)
    uncovered = _amount(read_only=True)
    ended = serializers.BooleanField(read_only=True)


class BudgetSerializer(serializers.ModelSerializer):
    """R-53: a budget with its lines and figures: total_income = contributions + balance + incidental income,
    total_cost = personnel + other costs, result = total_income - total_cost; cost_per_placement = spend / booked
    placements starting in the year (realised spend once recorded, else the planned cost: see
    cost_per_placement_basis)."""

    lines = BudgetLineSerializer(many=True, read_only=True)
    total_income = _amount(source="figures.total_income", read_only=True)
    total_cost = _amount(source="figures.total_cost", read_only=True)
    result = _amount(source="figures.result", read_only=True)
    cost_per_placement = _amount(source="figures.cost_per_placement", read_only=True, allow_null=True)
    cost_per_placement_basis = serializers.CharField(source="figures.cost_per_placement_basis", read_only=True)
    placements = serializers.IntegerField(source="figures.placements", read_only=True)
    subtotals = SubtotalsSerializer(source="figures.subtotals", read_only=True)
    uncovered = _amount(source="figures.uncovered", read_only=True)
    burn = BurnSerializer(source="figures", read_only=True)
    spend_per_month = SpendMonthSerializer(source="figures.spend_per_month", many=True, read_only=True)
    warnings = WarningSerializer(source="figures.warnings", many=True, read_only=True)

    class Meta:
        model = Budget
        fields = [
            "id",
            "year",
            "title",
            "lines",
            "total_income",
            "total_cost",
            "result",
            "cost_per_placement",
            "cost_per_placement_basis",
            "placements",
            "subtotals",
            "uncovered",
            "burn",
            "spend_per_month",
            "warnings",
        ]
        read_only_fields = fields


class LineInput(serializers.Serializer):
    """One line to write. Amounts are checked by the service (negative: 400 `negative`, rule R-53)."""

    id = serializers.IntegerField(required=False, help_text="PATCH: the line to change; without: a new line")
    # A plain string here (the service refuses another kind with 400 `invalid`, rule R-53): the enum is documented
    # once, on BudgetLine, so its schema name does not collide with other resources' `kind`.
    kind = serializers.CharField(
        required=False, help_text="contribution, incidental_income, balance, personnel or other_cost (R-53)"
    )
    label = serializers.CharField(required=False, allow_blank=True, max_length=200)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    planned = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    funded_from = serializers.DateField(required=False, allow_null=True)
    funded_until = serializers.DateField(required=False, allow_null=True)
    uncovered = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class BudgetInput(serializers.Serializer):
    year = serializers.IntegerField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    lines = LineInput(many=True, required=False)


class BudgetChangeInput(serializers.Serializer):
    """PATCH: `lines`, when given, is the whole list: listed ids are changed, lines without id added, lines not
    listed removed (refused when they have realised spend)."""

    title = serializers.CharField(required=False, max_length=200)
    lines = LineInput(many=True, required=False)


class SpendInput(serializers.Serializer):
    line = serializers.IntegerField()
    month = serializers.DateField(help_text="any day of the month; stored as its first day")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
