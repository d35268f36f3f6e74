"""Serializers of the projects API (API.md `projects/`, `events/`): typed input for the services and the rows."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reporting.projects import selectors
from reporting.projects.choices import Channel, EventKind
from reporting.projects.models import ChannelReach, Event, Project


# Inline (not a shared enum component): "kind" and "channel" name other choice sets of the schema too, and the
# settings' ENUM_NAME_OVERRIDES belong to the lead.
@extend_schema_field({"oneOf": [{"type": "string", "enum": EventKind.values}], "description": "Kind of event (R-19)"})
class EventKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=EventKind.choices, **kwargs)


@extend_schema_field({"oneOf": [{"type": "string", "enum": Channel.values}], "description": "Communication channel"})
class ChannelField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Channel.choices, **kwargs)


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ActivityInput(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    description = serializers.CharField(required=False, allow_blank=True)
    target = serializers.IntegerField(required=False, allow_null=True)
    target_unit = serializers.CharField(required=False, allow_blank=True, max_length=100)
    target_change_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    realised = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=30,
                                     help_text='A number ("67") or a range ("1800-1850").')  # fmt: skip
    realised_note = serializers.CharField(required=False, allow_blank=True)
    not_realised = serializers.BooleanField(required=False, default=False)
    not_realised_reason = serializers.CharField(required=False, allow_blank=True)


class ProjectInput(serializers.Serializer):
    numbers = serializers.ListField(child=serializers.CharField(max_length=30), min_length=1)
    title = serializers.CharField(max_length=200)
    applicant = serializers.CharField(max_length=200)
    applicant_organisation = serializers.IntegerField(required=False, allow_null=True)
    executors = serializers.CharField(required=False, allow_blank=True, max_length=300)
    executor_organisations = serializers.ListField(child=serializers.IntegerField(), required=False)
    signatories = serializers.CharField(required=False, allow_blank=True, max_length=300)
    signatory_organisations = serializers.ListField(child=serializers.IntegerField(), required=False)
    period = PeriodSerializer()
    budgeted_direct_costs = serializers.DecimalField(max_digits=14, decimal_places=2)
    budget_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    max_subsidy = serializers.DecimalField(max_digits=14, decimal_places=2)
    max_subsidy_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    max_subsidy_date = serializers.DateField(required=False)
    requested_subsidy = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    activities = ActivityInput(many=True, required=False)
    placements = serializers.ListField(child=serializers.IntegerField(), required=False)

    def to_service(self) -> dict:
        data = dict(self.validated_data)
        period = data.pop("period", None)
        if period is not None:
            data["period_start"], data["period_end"] = period["start"], period["end"]
            if "note" in period:
                data["period_note"] = period["note"]
        if "activities" in data:
            data["activities"] = [dict(item) for item in data["activities"]]
        return data


class ProjectSerializer(serializers.Serializer):
    """R-54: a project as API.md lists it; the rows are built by hand from the prefetched relations."""

    id = serializers.IntegerField()
    numbers = serializers.ListField(child=serializers.CharField())
    title = serializers.CharField()
    applicant = serializers.CharField()
    applicant_organisation = serializers.IntegerField(allow_null=True)
    executors = serializers.CharField()
    executor_organisations = serializers.ListField(child=serializers.IntegerField())
    signatories = serializers.CharField()
    signatory_organisations = serializers.ListField(child=serializers.IntegerField())
    period = PeriodSerializer()
    budgeted_direct_costs = serializers.CharField()
    max_subsidy = serializers.DictField(help_text="{initial, current, changes [{date, old, new, reason}]}")
    requested_subsidy = serializers.CharField(allow_null=True, help_text='null: "not yet known"')
    requested_share = serializers.IntegerField(allow_null=True, help_text="% of the current maximum")
    activities = serializers.ListField(child=serializers.DictField())
    placements = serializers.ListField(child=serializers.DictField())
    placements_by_type = serializers.DictField(child=serializers.IntegerField())
    events = serializers.ListField(child=serializers.IntegerField())
    updated_at = serializers.DateTimeField()

    def to_representation(self, project: Project):
        return {
            "id": project.pk,
            "numbers": [n.number for n in project.numbers.all()],
            "title": project.title,
            "applicant": project.applicant,
            "applicant_organisation": project.applicant_organisation_id,
            "executors": project.executors,
            "executor_organisations": [o.pk for o in project.executor_organisations.all()],
            "signatories": project.signatories,
            "signatory_organisations": [o.pk for o in project.signatory_organisations.all()],
            "period": {
                "start": project.period_start.isoformat(),
                "end": project.period_end.isoformat(),
                "note": project.period_note,
            },
            "budgeted_direct_costs": _money(project.budgeted_direct_costs),
            "budget_note": project.budget_note,
            "max_subsidy": {
                "initial": _money(project.initial_max_subsidy),
                "current": _money(project.max_subsidy),
                "changes": [
                    {"date": c.date.isoformat(), "old": _money(c.old), "new": _money(c.new), "reason": c.reason}
                    for c in project.max_subsidy_changes.all()
                ],
            },
            "requested_subsidy": _money(project.requested_subsidy),
            "requested_share": project.requested_share,
            "activities": [
                {
                    "code": a.code,
                    "description": a.description,
                    "target": a.target,
                    "target_unit": a.target_unit,
                    "target_changes": [
                        {"date": c.date.isoformat(), "old": c.old, "new": c.new, "reason": c.reason}
                        for c in a.target_changes.all()
                    ],
                    "realised": a.realised,
                    "realised_low": a.realised_low,
                    "realised_high": a.realised_high,
                    "realised_note": a.realised_note,
                    "not_realised_reason": a.not_realised_reason,
                }
                for a in project.activities.all()
            ],
            "placements": [
                {"id": link.placement_id, "placement_type": link.placement.placement_type}
                for link in project.project_placements.all()
            ],
            "placements_by_type": selectors.placements_by_type(project),
            "events": [e.pk for e in project.events.all()],
            "updated_at": project.updated_at.isoformat(),
        }


class EventInput(serializers.Serializer):
    kind = EventKindField()
    title = serializers.CharField(max_length=200)
    date = serializers.DateField()
    organisers = serializers.ListField(child=serializers.IntegerField(), required=False)
    employers = serializers.ListField(child=serializers.IntegerField(), required=False)
    participants = serializers.IntegerField(required=False, default=0)
    candidates = serializers.ListField(child=serializers.IntegerField(), required=False, write_only=True)
    referrals = serializers.ListField(child=serializers.IntegerField(), required=False)
    placements = serializers.ListField(child=serializers.IntegerField(), required=False)
    project = serializers.IntegerField(required=False, allow_null=True)


class EventSerializer(serializers.Serializer):
    """R-19: an event; candidates only as a count (R-40: no other organisation's personal data)."""

    id = serializers.IntegerField()
    kind = EventKindField()
    title = serializers.CharField()
    date = serializers.DateField()
    organisers = serializers.ListField(child=serializers.IntegerField())
    employers = serializers.ListField(child=serializers.IntegerField())
    participants = serializers.IntegerField()
    candidates_count = serializers.IntegerField()
    referrals = serializers.ListField(child=serializers.IntegerField())
    placements = serializers.ListField(child=serializers.IntegerField())
    project = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField()

    def to_representation(self, event: Event):
        count = getattr(event, "candidates_count", None)
        return {
            "id": event.pk,
            "kind": event.kind,
            "title": event.title,
            "date": event.date.isoformat(),
            "organisers": [o.pk for o in event.organisers.all()],
            "employers": [e.pk for e in event.employers.all()],
            "participants": event.participants,
            "candidates_count": count if count is not None else event.candidates.count(),
            "referrals": [link.referral_id for link in event.event_referrals.all()],
            "placements": [link.placement_id for link in event.event_placements.all()],
            "project": event.project_id,
            "updated_at": event.updated_at.isoformat(),
        }


class ReachSerializer(serializers.ModelSerializer):
    channel = ChannelField(read_only=True)

    class Meta:
        model = ChannelReach
        fields = ["id", "year", "quarter", "channel", "reach", "note", "updated_at"]
        read_only_fields = fields


class ReachInput(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    channel = ChannelField()
    reach = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
