"""Serializers of the vacancy API (API.md): typed input for the services, and the rows built by hand."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from ..choices import CloseReason, HandoverReason, RecruitmentActivity, TargetGroupFlag, VacancySource, Visibility
from ..models import RecruitmentPlan, Skill, Vacancy


class VacancySerializer(serializers.ModelSerializer):
    employer_name = serializers.CharField(read_only=True)
    registration_due_at = serializers.DateTimeField(read_only=True, help_text="received_at + 24 hours (R-12)")
    received_at_registered = serializers.DateTimeField(
        read_only=True, help_text="the moment of receipt the vacancy was registered with; it never changes (R-57)"
    )
    receipt_corrected = serializers.BooleanField(
        read_only=True, help_text="received_at was corrected after registration (R-12, R-57; see receipt-corrections/)"
    )
    late_as_registered = serializers.BooleanField(
        read_only=True, help_text="registered more than 24 hours after the receipt as registered (R-12, R-57)"
    )
    skills = serializers.ListField(child=serializers.IntegerField(), read_only=True, help_text="ids of skills/")

    class Meta:
        model = Vacancy
        fields = [
            "id", "employer", "employer_name", "owner", "organisation", "title", "description", "occupation", "skills",
            "requested_positions", "positions", "hours_per_week", "postcode", "municipality", "received_at",
            "registered_at", "registration_due_at", "registered_late", "received_at_registered", "receipt_corrected",
            "late_as_registered", "source", "recruitment_request", "visibility", "blocked_reason", "target_group_flags",
            "min_age", "max_age", "status", "close_reason", "closed_at", "expires_on", "parent", "duplicated_from",
            "partner_offer_at", "partner_offer_note", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "partner_offer_at": {"help_text": "offered to the chain partners since (R-13); null when not offered"},
        }

    # The fields are declared for the schema; the rows are built by hand like employers' (bench/run.py: the
    # generic field machinery costs about 0.5 ms a row on a page of 50).
    PLAIN = (
        "id", "title", "description", "requested_positions", "positions", "hours_per_week", "postcode",
        "municipality", "registered_late", "late_as_registered", "receipt_corrected", "source", "recruitment_request",
        "visibility", "blocked_reason", "min_age", "max_age", "status", "close_reason", "partner_offer_note",
    )  # fmt: skip
    IDS = ("employer", "owner", "organisation", "occupation", "parent", "duplicated_from")
    TIMESTAMPS = (
        "received_at", "registered_at", "registration_due_at", "received_at_registered", "closed_at",
        "partner_offer_at", "created_at", "updated_at",
    )  # fmt: skip

    def to_representation(self, vacancy):
        row = {name: getattr(vacancy, name) for name in self.PLAIN}
        row.update({name: getattr(vacancy, f"{name}_id") for name in self.IDS})
        for name in self.TIMESTAMPS:
            value = getattr(vacancy, name)
            row[name] = timezone.localtime(value).isoformat() if value else None
        row["employer_name"] = getattr(vacancy, "employer_name", None) or vacancy.employer.name
        row["skills"] = list(vacancy.skills)
        row["target_group_flags"] = list(vacancy.target_group_flags)
        row["expires_on"] = vacancy.expires_on.isoformat() if vacancy.expires_on else None
        return {name: row[name] for name in self.Meta.fields}


class VacancyFieldsInput(serializers.Serializer):
    """Typed input; the service runs the rules (R-12, R-15, R-16, R-20) and the model validation."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    occupation = serializers.IntegerField(required=False, allow_null=True, help_text="an occupation of skills/")
    skills = serializers.ListField(child=serializers.IntegerField(), required=False, help_text="ids of skills/")
    requested_positions = serializers.IntegerField(
        min_value=1, max_value=999, required=False, help_text="what the employer asks for (R-19, R-25)"
    )
    positions = serializers.IntegerField(required=False, help_text="registered positions: 1 at registration (R-20)")
    hours_per_week = serializers.IntegerField(min_value=1, max_value=60)
    postcode = serializers.CharField(max_length=20, required=False, allow_blank=True)
    municipality = serializers.CharField(max_length=100, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=VacancySource.choices, required=False)
    recruitment_request = serializers.BooleanField(required=False, help_text="R-22: the employer asked to recruit")
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    blocked_reason = serializers.CharField(required=False, allow_blank=True, help_text="required when blocked (R-16)")
    target_group_flags = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroupFlag.choices), required=False
    )
    min_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    max_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)


class VacancyCreateInput(VacancyFieldsInput):
    employer = serializers.IntegerField()
    owner = serializers.IntegerField(required=False, help_text="an adviser; defaults to the caller")
    received_at = serializers.DateTimeField(help_text="when the employer reported it (R-12)")


class VacancyUpdateInput(VacancyFieldsInput):
    expires_on = serializers.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class BlockInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="mandatory (R-16)")


class UnblockInput(serializers.Serializer):
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, required=False, help_text="open, anonymous or internal; defaults to the earlier one"
    )


class CloseInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CloseReason.choices, help_text="'placement' only by booking (R-22)")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReactivateInput(serializers.Serializer):
    expires_on = serializers.DateField(required=False, help_text="defaults to today + the validity period")


class ExtendInput(serializers.Serializer):
    expires_on = serializers.DateField()


class HandOverInput(serializers.Serializer):
    to_user = serializers.IntegerField(help_text="an adviser of a chain partner (R-13)")
    move_employer = serializers.BooleanField(default=False, help_text="the employer's ownership moves too (R-13)")
    reason = serializers.ChoiceField(
        choices=HandoverReason.choices,
        default=HandoverReason.CHAIN_PARTNER,
        help_text="chain_partner (R-13) or takeover by a colleague; partner_hired is the system's (R-24)",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_reason(self, value):
        if value == HandoverReason.PARTNER_HIRED:
            raise serializers.ValidationError(_("Recorded by the system when a partner's candidate is hired (R-24)."))
        return value


class DuplicateInput(serializers.Serializer):
    owner = serializers.IntegerField(help_text="the chain partner's adviser who owns the duplicate (R-25)")
    requested_positions = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="at most the partner's hired, unbooked candidates on the original; defaults to that number",
    )


class PartnerInput(serializers.Serializer):
    organisation = serializers.IntegerField()
    owner = serializers.IntegerField(help_text="the partner's adviser who owns its vacancy")


class CoProductionInput(serializers.Serializer):
    activities = serializers.ListField(child=serializers.ChoiceField(choices=RecruitmentActivity.choices))
    partners = PartnerInput(many=True)
    planned_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RecruitmentPlanSerializer(serializers.ModelSerializer):
    children = serializers.SerializerMethodField(help_text="the partners' vacancies (R-19)")

    class Meta:
        model = RecruitmentPlan
        fields = [
            "id", "vacancy", "activities", "planned_on", "notes", "partners", "children", "created_by", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_children(self, plan) -> list[int]:
        return [child.pk for child in plan.vacancy.children.all()]


class LateRegistrationSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    organisation_name = serializers.CharField()
    registered = serializers.IntegerField()
    late = serializers.IntegerField()
    late_share = serializers.FloatField()
    receipt_corrected = serializers.IntegerField(help_text="vacancies whose receipt was corrected afterwards (R-57)")
    late_as_registered = serializers.IntegerField(help_text="late by the moment of receipt as registered (R-57)")
    late_share_as_registered = serializers.FloatField()
    corrected_to_on_time = serializers.IntegerField(
        help_text="late as registered, on time after a correction of the receipt (R-12, R-57)"
    )


class CorrectReceiptInput(serializers.Serializer):
    received_at = serializers.DateTimeField(
        help_text="the corrected moment of receipt: not in the future, not after registration (R-12)"
    )
    reason = serializers.CharField(allow_blank=True, help_text="mandatory; kept in the audit trail (R-57)")


class ReceiptCorrectionSerializer(serializers.Serializer):
    corrected_at = serializers.DateTimeField()
    previous_received_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField()
    reason = serializers.CharField()
    corrected_by = serializers.CharField(help_text="the name of who corrected it")


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="optional")


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "code", "kind", "name", "name_en", "group", "esco_uri", "competentnl_code", "is_active"]
        read_only_fields = fields
