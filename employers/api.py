"""API for employers, ownership and contacts (API.md). Thin: input is typed here, rules live in services."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from accounts.models import Sector, User
from accounts.permissions import IsManager, IsStaffMemberOrReadOnlyToken
from accounts.principals import OrganisationPrincipal
from wsp.api.filters import SyncFilterSet
from wsp.errors import InvalidInput, NotVisible

from . import selectors, services
from .choices import ContactChannel, ContactKind, EmployerStatus, EmployerType, FeedbackSource, Instrument
from .models import AccessRequest, ContactMoment, ContactRequest, Employer, EmployerFeedback

# --- Serializers ----------------------------------------------------------------------------------------------


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


# --- Filters --------------------------------------------------------------------------------------------------


class EmployerFilter(SyncFilterSet):
    q = django_filters.CharFilter(method="search", label="Search on name, postcode or KvK number")
    status = django_filters.ChoiceFilter(choices=EmployerStatus.choices, label="Status (R-09)")
    employer_type = django_filters.ChoiceFilter(choices=EmployerType.choices, label="Market or government")
    municipality = django_filters.CharFilter(label="Municipality")
    postcode = django_filters.CharFilter(label="Postcode, as 2011 AB")
    kvk_number = django_filters.CharFilter(label="KvK number")
    sector = django_filters.NumberFilter(label="Sector id")
    main_account_holder = django_filters.NumberFilter(label="Main account holder (user id)")
    last_contact_before = django_filters.IsoDateTimeFilter(
        field_name="last_contact_at", lookup_expr="lt", label="Last contact before this moment (R-05)"
    )
    staff_count_min = django_filters.NumberFilter(field_name="staff_count", lookup_expr="gte", label="At least staff")

    class Meta:
        model = Employer
        fields = []

    def search(self, queryset, name, value):
        return queryset.search(value)


class ContactMomentFilter(SyncFilterSet):
    employer = django_filters.NumberFilter(label="Employer id")
    adviser = django_filters.NumberFilter(label="Adviser (user id)")
    organisation = django_filters.NumberFilter(label="Organisation of the adviser")
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices, label="Kind of contact (R-08)")
    occurred_after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte", label="From")
    occurred_before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt", label="Until")

    class Meta:
        model = ContactMoment
        fields = []


class ContactRequestFilter(SyncFilterSet):
    employer = django_filters.NumberFilter(label="Employer id")
    assigned_to = django_filters.NumberFilter(label="Assigned adviser (user id)")
    open = django_filters.BooleanFilter(field_name="responded_at", lookup_expr="isnull", label="Not yet answered")

    class Meta:
        model = ContactRequest
        fields = []


class AccessRequestFilter(SyncFilterSet):
    status = django_filters.CharFilter(label="pending, approved or declined")
    employer = django_filters.NumberFilter(label="Employer id")

    class Meta:
        model = AccessRequest
        fields = []


# --- Viewsets -------------------------------------------------------------------------------------------------


class Filtered:
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id", "updated_at"]


class EmployerViewSet(Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EmployerSerializer
    filterset_class = EmployerFilter
    ordering_fields = ["id", "updated_at", "name"]

    def get_queryset(self):
        # One query for the page plus one for all its account holders, whatever the page size.
        return Employer.objects.visible_to(self.request.user).prefetch_related(selectors.account_holders_prefetch())

    def _read(self, employer_id: int, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=employer_id)).data, status=status_code)

    @extend_schema(request=EmployerCreateInput, responses={201: EmployerSerializer})
    def create(self, request):
        # R-06 ties the two apps: an employer comes in with its first visit or its first vacancy. The import is
        # local so employers never imports vacancies at load time (vacancies depends on employers, not back).
        from vacancies.services import refuse_discriminating_requirements, vacancy_register_for_new_employer

        raw_vacancy = request.data.get("first_vacancy") if isinstance(request.data, dict) else None
        if isinstance(raw_vacancy, dict):
            refuse_discriminating_requirements(raw_vacancy)  # R-15, as on vacancies/ POST
        data = _valid(EmployerCreateInput, request.data)
        visit = data.pop("first_visit", None)
        vacancy = data.pop("first_vacancy", None)
        employer = services.employer_create(
            by=request.user,
            data=data,
            first_visit=services.VisitReport(**visit) if visit else None,
            first_vacancy_register=(
                (lambda new: vacancy_register_for_new_employer(employer=new, by=request.user, **vacancy))
                if vacancy is not None
                else None
            ),
            main_account_holder=data.pop("main_account_holder", None),
            confirm_not_duplicate=data.pop("confirm_not_duplicate"),
        )
        return self._read(employer.pk, status.HTTP_201_CREATED)

    @extend_schema(request=EmployerUpdateInput, responses=EmployerSerializer)
    def partial_update(self, request, pk=None):
        employer = services.employer_update(
            employer_id=self._pk(), by=request.user, data=_valid(EmployerUpdateInput, request.data)
        )
        return self._read(employer.pk)

    def _pk(self) -> int:
        try:
            return int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise NotVisible("Employer not found.") from None

    @extend_schema(
        parameters=[OpenApiParameter("name", str), OpenApiParameter("postcode", str)],
        responses=DuplicateSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def duplicates(self, request):
        """R-07: possible duplicates, best first, each with a score."""
        name, postcode = request.query_params.get("name", ""), request.query_params.get("postcode", "")
        if not name.strip() and not postcode.strip():
            raise InvalidInput("Give a name, a postcode or both.", fields={"name": ["Give a name or a postcode."]})
        return Response(selectors.duplicate_candidates(name=name, postcode=postcode))

    @extend_schema(request=MessageInput, responses={201: AccessRequestSerializer})
    @action(detail=True, methods=["post"], url_path="access-requests")
    def access_requests(self, request, pk=None):
        """R-04: ask the main account holder for admission."""
        data = _valid(MessageInput, request.data)
        access = services.access_request_create(employer_id=self._pk(), by=request.user, message=data["message"])
        return Response(AccessRequestSerializer(access).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=EmployerSerializer)
    @action(detail=True, methods=["post"], url_path="take-over")
    def take_over(self, request, pk=None):
        """R-05: become main account holder after 12 months without contact; 403 with `possible_from` before."""
        employer = services.employer_take_over(employer_id=self._pk(), by=request.user)
        return self._read(employer.pk)

    @extend_schema(request=CeaseInput, responses=EmployerSerializer)
    @action(detail=True, methods=["post"])
    def cease(self, request, pk=None):
        """R-09: mark the employer as ceased (R-04: its main account holder, an account holder or a manager)."""
        data = _valid(CeaseInput, request.data)
        employer = services.employer_cease(employer_id=self._pk(), by=request.user, ceased_on=data["ceased_on"])
        return self._read(employer.pk)

    @extend_schema(request=None, responses=EmployerSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """R-09: a ceased employer trades again (R-04: its main account holder, an account holder or a manager)."""
        employer = services.employer_reactivate(employer_id=self._pk(), by=request.user)
        return self._read(employer.pk)

    @extend_schema(request=MergeInput, responses=EmployerSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMemberOrReadOnlyToken, IsManager])
    def merge(self, request, pk=None):
        """R-07: a manager merges a duplicate record into this one; all history moves along."""
        data = _valid(MergeInput, request.data)
        services.employer_merge(keep_id=self._pk(), merge_id=data["merge"], by=request.user, note=data["note"])
        return self._read(self._pk())

    @extend_schema(
        request=ReassignInput, responses=inline_serializer("Reassigned", {"reassigned": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], permission_classes=[IsStaffMemberOrReadOnlyToken, IsManager])
    def reassign(self, request):
        """A manager moves all employers of a departing adviser to other advisers (R-03)."""
        data = _valid(ReassignInput, request.data)
        count = services.employers_reassign(from_user=data["from_user"], to_users=data["to_users"], by=request.user)
        return Response({"reassigned": count})


class AccessRequestViewSet(Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Admission requests the caller made or must answer (R-04). An organisation token sees those of its own staff:
    made by them or to be answered by them, as each of its advisers sees their own."""

    serializer_class = AccessRequestSerializer
    filterset_class = AccessRequestFilter

    def get_queryset(self):
        user = self.request.user
        if isinstance(user, OrganisationPrincipal):
            own = user.organisation_id
            return AccessRequest.objects.filter(
                Q(requester__organisation_id=own) | Q(employer__main_account_holder__organisation_id=own)
            )
        if not isinstance(user, User):
            return AccessRequest.objects.none()
        return AccessRequest.objects.filter(requester=user) | AccessRequest.objects.filter(
            employer__main_account_holder=user
        )

    def _decide(self, request, approve: bool):
        data = _valid(DecisionInput, request.data)
        try:
            request_id = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise NotVisible("Admission request not found.") from None
        access = services.access_request_decide(
            request_id=request_id, by=request.user, approve=approve, note=data["note"]
        )
        return Response(self.get_serializer(access).data)

    @extend_schema(request=DecisionInput, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, approve=True)

    @extend_schema(request=DecisionInput, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, approve=False)


class ContactMomentViewSet(
    Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ContactMomentSerializer
    filterset_class = ContactMomentFilter
    ordering_fields = ["id", "updated_at", "occurred_at"]

    def get_queryset(self):
        return ContactMoment.objects.filter(employer__merged_into__isnull=True)

    @extend_schema(request=ContactMomentInput, responses={201: ContactMomentSerializer})
    def create(self, request):
        data = _valid(ContactMomentInput, request.data)
        moment = services.contact_moment_register(employer_id=data.pop("employer"), by=request.user, **data)
        body = self.get_serializer(moment).data
        # Warn when an adviser of another organisation was in touch recently: one employer, one approach.
        body["collisions"] = [
            {"id": m.pk, "adviser": m.adviser_id, "organisation": m.organisation_id, "occurred_at": m.occurred_at}
            for m in selectors.collisions(employer=moment.employer, user=request.user)
        ]
        return Response(body, status=status.HTTP_201_CREATED)


class ContactRequestViewSet(
    Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """R-10: employers' requests for contact and the 24-hour response clock. PATCH records the response."""

    serializer_class = ContactRequestSerializer
    filterset_class = ContactRequestFilter
    ordering_fields = ["id", "updated_at", "received_at"]

    def get_queryset(self):
        return ContactRequest.objects.filter(employer__merged_into__isnull=True)

    @extend_schema(request=ContactRequestInput, responses={201: ContactRequestSerializer})
    def create(self, request):
        data = _valid(ContactRequestInput, request.data)
        contact = services.contact_request_register(employer_id=data.pop("employer"), by=request.user, **data)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactResponseInput, responses=ContactRequestSerializer)
    def partial_update(self, request, pk=None):
        data = _valid(ContactResponseInput, request.data)
        contact = services.contact_request_respond(request_id=self.get_object().pk, by=request.user, **data)
        return Response(self.get_serializer(contact).data)


class FeedbackFilter(SyncFilterSet):
    employer = django_filters.NumberFilter(label="Employer id")

    class Meta:
        model = EmployerFeedback
        fields = []


class FeedbackViewSet(Filtered, mixins.ListModelMixin, viewsets.GenericViewSet):
    """R-11: GET lists the caller's own employer feedback, nobody else's. POST brings feedback in from the survey
    tool, for a manager or an administrator (its integration user): 201 when stored; with an `external_id` already
    stored for the same answer, 200 with that record and nothing stored again; under another answer, 409."""

    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter

    def get_queryset(self):
        if not isinstance(self.request.user, User):
            return EmployerFeedback.objects.none()
        return selectors.feedback_for(user=self.request.user)

    @extend_schema(request=FeedbackInput, responses={201: FeedbackSerializer, 200: FeedbackSerializer})
    def create(self, request):
        data = _valid(FeedbackInput, request.data)
        feedback, created = services.feedback_register(by=request.user, employer_id=data.pop("employer"), **data)
        return Response(
            FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="only feedback received in this year")],
        responses=FeedbackAggregateSerializer(many=True),
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        filterset_class=None,
        permission_classes=[IsStaffMemberOrReadOnlyToken, IsManager],
    )
    def aggregates(self, request):
        """R-11: for managers, per organisation and quarter, only groups of at least 5 responses and no totals."""
        year = request.query_params.get("year")
        if year is not None and not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise InvalidInput("Give a year such as 2026.", fields={"year": ["Give a year such as 2026."]})
        rows = selectors.feedback_aggregates(year=int(year) if year else None)
        return Response(FeedbackAggregateSerializer(rows, many=True).data)
