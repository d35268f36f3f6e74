"""Serializers of the employers API: the typed input the services get and the representations returned (API.md)."""

from django.utils import timezone
from rest_framework import serializers

from accounts.models import Sector, User
from employers import services
from employers.choices import ContactChannel, ContactKind, EmployerType, FeedbackSource, Instrument
from employers.models import AccessRequest, ContactMoment, ContactRequest, Employer, EmployerFeedback


class EmployerSerializer(serializers.ModelSerializer):
    account_holders = serializers.SerializerMethodField()
    size_class = serializers.CharField(read_only=True)
    takeover_possible_from = serializers.SerializerMethodField()

    class Meta:
        model = Employer
        fields = [
            "id", "name", "kvk_number", "visiting_address", "postcode", "city", "municipality", "sector", "sbi_code",
            "staff_count", "size_class", "employer_type", "website", "contact_name", "contact_email", "contact_phone",
            "status", "ceased_on", "main_account_holder", "account_holders", "last_contact_at",
            "last_contact_source", "last_contact_by", "takeover_possible_from", "purged_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    # The fields are declared for the schema; the rows are built by hand, because the generic field machinery cost
    # about 0.5 ms per employer on a list of 50 (bench/run.py).
    PLAIN = (
        "id",
        "name",
        "kvk_number",
        "visiting_address",
        "postcode",
        "city",
        "municipality",
        "sbi_code",
        "staff_count",
        "employer_type",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "status",
        "last_contact_source",
    )
    TIMESTAMPS = ("last_contact_at", "purged_at", "created_at", "updated_at")

    def to_representation(self, employer):
        row = {name: getattr(employer, name) for name in self.PLAIN}
        row.update(
            sector=employer.sector_id,
            main_account_holder=employer.main_account_holder_id,
            last_contact_by=employer.last_contact_by_id,
            size_class=employer.size_class.value,
            ceased_on=employer.ceased_on.isoformat() if employer.ceased_on else None,
            account_holders=self.get_account_holders(employer),
            takeover_possible_from=self.get_takeover_possible_from(employer),
        )
        for name in self.TIMESTAMPS:
            value = getattr(employer, name)
            row[name] = timezone.localtime(value).isoformat() if value else None
        return {name: row[name] for name in self.Meta.fields}

    def get_account_holders(self, employer) -> list[int]:
        if hasattr(employer, "holder_ids"):  # annotated by the API's queryset (`selectors.account_holder_ids`)
            return list(employer.holder_ids)
        return [holder.user_id for holder in employer.account_holders.all()]

    def get_takeover_possible_from(self, employer) -> str | None:
        moment = services.takeover_possible_from(employer)
        return timezone.localdate(moment).isoformat() if moment else None


class EmployerFieldsInput(serializers.Serializer):
    """Typed input; the service runs the model validation (postcode, KvK) and the WBS rules."""

    name = serializers.CharField(max_length=200)
    kvk_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    visiting_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=20)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    municipality = serializers.CharField(max_length=100, required=False, allow_blank=True)
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), required=False, allow_null=True)
    sbi_code = serializers.CharField(max_length=8, required=False, allow_blank=True)
    staff_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    employer_type = serializers.ChoiceField(choices=EmployerType.choices, required=False)
    website = serializers.URLField(required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


class InstrumentsField(serializers.MultipleChoiceField):
    """R-33: a list of instruments from the one list (employers.choices.Instrument); given back as a list."""

    def __init__(self, **kwargs):
        super().__init__(choices=Instrument.choices, required=False, **kwargs)

    def to_internal_value(self, data):
        return sorted(super().to_internal_value(data), key=Instrument.values.index)


class VisitInput(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)
    company_activities = serializers.CharField(allow_blank=True)
    agreements = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    # Checked by the service, so an unknown value comes back as `first_visit.instruments_advised`.
    instruments_advised = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, help_text="R-33: instruments advised in the visit"
    )
    instruments_applied = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, help_text="R-33: instruments applied"
    )


class FirstVacancyInput(serializers.Serializer):
    """R-06: the vacancy that brings the employer in. Typed loosely here (employers does not depend on vacancies):
    vacancies.services.vacancy_register checks every field and rule, as on `vacancies/` POST."""

    title = serializers.CharField(max_length=200)
    hours_per_week = serializers.IntegerField(min_value=1, max_value=60)
    received_at = serializers.DateTimeField(help_text="when the employer reported it (R-12)")
    description = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField(required=False, help_text="an adviser; defaults to the caller")
    occupation = serializers.IntegerField(required=False, allow_null=True)
    skills = serializers.ListField(child=serializers.IntegerField(), required=False)
    requested_positions = serializers.IntegerField(min_value=1, max_value=999, required=False)
    positions = serializers.IntegerField(required=False, help_text="1 (R-20)")
    postcode = serializers.CharField(max_length=20, required=False, allow_blank=True)
    municipality = serializers.CharField(max_length=100, required=False, allow_blank=True)
    source = serializers.CharField(max_length=10, required=False)
    recruitment_request = serializers.BooleanField(required=False)
    visibility = serializers.CharField(max_length=10, required=False)
    blocked_reason = serializers.CharField(required=False, allow_blank=True)
    target_group_flags = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    min_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    max_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)


class EmployerCreateInput(EmployerFieldsInput):
    first_visit = VisitInput(required=False, help_text="R-06: the company visit that brings the employer in")
    first_vacancy = FirstVacancyInput(
        required=False, help_text="R-06: or the vacancy it reported (fields as on vacancies/ POST, without employer)"
    )
    main_account_holder = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, help_text="defaults to the caller (R-03)"
    )
    confirm_not_duplicate = serializers.BooleanField(
        default=False, help_text="R-07: set after checking the similar employers the 409 listed"
    )


class EmployerUpdateInput(EmployerFieldsInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    status = serializers.CharField()
    main_account_holder = serializers.IntegerField()
    score = serializers.FloatField()


class AccessRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "employer",
            "requester",
            "message",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MessageInput(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ContactMomentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactMoment
        fields = [
            "id",
            "employer",
            "adviser",
            "organisation",
            "kind",
            "occurred_at",
            "summary",
            "reason",
            "company_activities",
            "agreements",
            "instruments_advised",
            "instruments_applied",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ContactMomentInput(serializers.Serializer):
    employer = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    occurred_at = serializers.DateTimeField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    company_activities = serializers.CharField(required=False, allow_blank=True, default="")
    agreements = serializers.CharField(required=False, allow_blank=True, default="")
    instruments_advised = InstrumentsField(help_text="R-33: instruments advised in this contact")
    instruments_applied = InstrumentsField(help_text="R-33: instruments applied")


class ContactRequestSerializer(serializers.ModelSerializer):
    responded_within_24h = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="R-10: answered within 24 hours of receipt (the stated moment)"
    )
    response_stated_afterwards = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="R-10: the response moment was stated as earlier than when it was recorded",
    )
    due_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = ContactRequest
        fields = [
            "id",
            "employer",
            "received_at",
            "channel",
            "requested_by",
            "question",
            "assigned_to",
            "due_at",
            "responded_at",
            "response_recorded_at",
            "response_stated_afterwards",
            "responded_by",
            "response",
            "responded_within_24h",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ContactRequestInput(serializers.Serializer):
    employer = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    question = serializers.CharField()
    channel = serializers.ChoiceField(choices=ContactChannel.choices, default=ContactChannel.PHONE)
    requested_by = serializers.CharField(required=False, allow_blank=True, default="")


class ContactResponseInput(serializers.Serializer):
    response = serializers.CharField()
    responded_at = serializers.DateTimeField(
        required=False,
        help_text="R-10: only when answered earlier than now (e.g. by phone); never before receipt nor in the future. "
        "Omitted: the response moment is now.",
    )


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerFeedback
        fields = [
            "id", "employer", "adviser", "score", "comment", "source", "received_at", "external_id", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class FeedbackInput(serializers.Serializer):
    employer = serializers.IntegerField()
    adviser = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="the adviser it concerns")
    score = serializers.IntegerField(min_value=0, max_value=10)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=FeedbackSource.choices, default=FeedbackSource.SURVEY)
    received_at = serializers.DateTimeField(help_text="not in the future")
    external_id = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="the survey tool's id of the answer: the same answer sent again is stored once (R-11)",
    )


class FeedbackAggregateSerializer(serializers.Serializer):
    quarter = serializers.CharField(source="quarter_label", help_text="e.g. 2026-Q1")
    organisation = serializers.IntegerField(source="adviser__organisation_id")
    organisation_name = serializers.CharField(source="adviser__organisation__name")
    responses = serializers.IntegerField(source="count")
    average = serializers.FloatField()


class ReassignInput(serializers.Serializer):
    from_user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    to_users = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)


class MergeInput(serializers.Serializer):
    merge = serializers.IntegerField(help_text="id of the duplicate record that is merged into this one")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CeaseInput(serializers.Serializer):
    ceased_on = serializers.DateField()


def _valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
