"""Serializers of the targets API: the fields of API.md `targets/` and `coverage/`, and the inputs of the writes."""

from rest_framework import serializers

from accounts.models import Organisation, Sector, User
from matching.choices import TargetGroup

from ..choices import Measure, TargetStatus
from ..models import Target, TargetChange


def _number(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=3, coerce_to_string=False, read_only=True, **kwargs)


class TargetChangeSerializer(serializers.ModelSerializer):
    date = serializers.DateTimeField(source="changed_at", read_only=True)
    old = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False, read_only=True)
    new = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False, read_only=True)

    class Meta:
        model = TargetChange
        fields = ["date", "old", "new", "reason"]


class TargetSerializer(serializers.ModelSerializer):
    """R-50: a target with its realisation counted live, the forecast to year end and the status."""

    target = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False, read_only=True)
    realised = _number(help_text="counted live from the records (reporting.targets.measures)")
    forecast = _number(
        help_text="year end at the current rate; with last year's monthly profile where last year has records"
    )
    status = serializers.ChoiceField(
        choices=TargetStatus.choices,
        read_only=True,
        help_text="on_track: forecast >= target; at_risk: forecast >= 90% of target; behind: otherwise",
    )
    changes = TargetChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "year",
            "measure",
            "organisation",
            "target_group",
            "sector",
            "adviser",
            "target",
            "realised",
            "forecast",
            "status",
            "changes",
        ]
        read_only_fields = fields


class TargetInput(serializers.Serializer):
    year = serializers.IntegerField()
    measure = serializers.ChoiceField(choices=Measure.choices)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    target_group = serializers.ChoiceField(choices=TargetGroup.choices, required=False, allow_blank=True, default="")
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), required=False, allow_null=True)
    adviser = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    target = serializers.DecimalField(max_digits=9, decimal_places=1)


class TargetChangeInput(serializers.Serializer):
    """R-50: a change of a target needs its reason (the service refuses an empty one with `reason_required`)."""

    target = serializers.DecimalField(max_digits=9, decimal_places=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CoverageRowSerializer(serializers.Serializer):
    """R-52: a sector's coverage ratio."""

    sector = serializers.IntegerField(source="sector.pk")
    sector_name = serializers.CharField(source="sector.name")
    employers_10_plus = serializers.IntegerField(allow_null=True, help_text="entered by a manager")
    source = serializers.CharField()
    in_contact = serializers.IntegerField(help_text="employers of the sector with 10+ staff in contact, 12 months")
    ratio = serializers.DecimalField(max_digits=6, decimal_places=3, coerce_to_string=False, allow_null=True)
    is_focus = serializers.BooleanField()
    ambition = serializers.DecimalField(max_digits=4, decimal_places=3, coerce_to_string=False, allow_null=True)


class CoverageInput(serializers.Serializer):
    year = serializers.IntegerField()
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all())
    employers_10_plus = serializers.IntegerField()
    source = serializers.CharField(required=False, allow_blank=True, default="")
    ambition = serializers.DecimalField(max_digits=4, decimal_places=3, required=False, allow_null=True, default=None)
