"""API for the referral register, placements and the placement figures (API.md). Thin: input is typed here, the
rules live in matching.services, the reads in matching.selectors.

Referrals and placements are region-wide data (R-02), but a candidate appears in them by id only: no personal
data of a candidate (R-40) is ever part of these responses.
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from employers.choices import Instrument
from matching.choices import PlacementStatus, PlacementType, ReferralStatus, RejectionReason, TargetGroup
from matching.models import AftercareContact, Candidate, Placement, Referral, ReferralStatusChange
from matching.selectors import placements as placement_selectors
from matching.selectors import referrals as referral_selectors
from matching.services import placements as placement_services
from matching.services import referrals as referral_services
from vacancies.filters import IdFilter
from vacancies.models import Vacancy
from wsp.api.filters import SyncFilterSet
from wsp.errors import InvalidInput

# --- Serializers ----------------------------------------------------------------------------------------------


def _text_visible(instance) -> bool:
    """R-40: set by the selectors (`text_visible`) or the view; without it the free text is left out."""
    return bool(getattr(instance, "text_visible", False))


class ReferralSerializer(serializers.ModelSerializer):
    """`note` is free text about the candidate: present only for the organisations that work with the candidate on
    this referral (R-40, `matching.selectors.referrals.text_visible`), absent for everyone else. `booker`: who books
    the placement of a hired referral, decided at the hire (R-23..R-25)."""

    class Meta:
        model = Referral
        fields = [
            "id", "vacancy", "candidate", "referred_by", "referred_at", "status", "pawa", "organisation",
            "status_changed_at", "rejection_reason", "note", "booker", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance):
        row = super().to_representation(instance)
        if not _text_visible(instance):
            row.pop("note", None)
        return row


class ReferralChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralStatusChange
        fields = ["from_status", "to_status", "changed_by", "changed_at", "reason"]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralSerializer):
    """One referral with its register lines, oldest first (R-21); the lines' `reason` follows the note (R-40)."""

    history = ReferralChangeSerializer(many=True, read_only=True, source="changes")

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "history"]
        read_only_fields = fields

    def to_representation(self, instance):
        row = super().to_representation(instance)
        if not _text_visible(instance):
            for line in row["history"]:
                line.pop("reason", None)
        return row


class ReferralCreateInput(serializers.Serializer):
    vacancy = serializers.IntegerField()
    candidate = serializers.IntegerField()
    pawa = serializers.BooleanField(default=False, help_text="R-21: for UWV staff only")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    rejection_reason = serializers.ChoiceField(
        choices=RejectionReason.choices, required=False, allow_blank=True, default="", help_text="needed for rejected"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="note in the register")


class PlacementSerializer(serializers.ModelSerializer):
    # computed by the database; a decimal string like every other decimal of the API.
    job_agreement_jobs = serializers.DecimalField(max_digits=7, decimal_places=3, read_only=True)
    # codes of employers.choices.Instrument.
    instruments_advised = serializers.ListField(
        child=serializers.ChoiceField(choices=Instrument.choices), read_only=True
    )
    instruments_applied = serializers.ListField(
        child=serializers.ChoiceField(choices=Instrument.choices), read_only=True
    )

    class Meta:
        model = Placement
        fields = [
            "id", "vacancy", "candidate", "referral", "booked_by", "organisation", "target_group", "start_date",
            "end_date", "hours_per_week", "placement_type", "is_durable", "job_agreement_jobs", "job_agreement",
            "instruments_advised", "instruments_applied", "conditions", "employer", "employer_type", "sector",
            "durable_after", "durability_checked_on", "status", "next_aftercare_on", "aftercare_ended_at",
            "correction_reason", "cancel_reason", "cancelled_at", "booked_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


INSTRUMENTS_HELP = "R-33: instrument codes (employers.choices.Instrument), each once"
CONDITIONS_HELP = (
    "R-30: the conditions agreed for a short placement (under 15 hours a week, or ending within the durable period); "
    "required for those"
)


class PlacementBookInput(serializers.Serializer):
    referral = serializers.IntegerField(help_text="R-22: the hired referral on the vacancy")
    start_date = serializers.DateField(
        help_text="R-22, R-57: not before the vacancy's receipt or the proposal, at most three months ahead"
    )
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)
    placement_type = serializers.ChoiceField(choices=PlacementType.choices)
    instruments_advised = serializers.ListField(
        child=serializers.ChoiceField(choices=Instrument.choices),
        required=False,
        default=list,
        help_text=INSTRUMENTS_HELP,
    )
    instruments_applied = serializers.ListField(
        child=serializers.ChoiceField(choices=Instrument.choices),
        required=False,
        default=list,
        help_text=INSTRUMENTS_HELP,
    )
    conditions = serializers.CharField(required=False, allow_blank=True, default="", help_text=CONDITIONS_HELP)


class PlacementCorrectInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="required: why the placement is corrected")
    start_date = serializers.DateField(
        required=False,
        help_text="R-22, R-57: not before the vacancy's receipt or the proposal, at most three months ahead",
    )
    end_date = serializers.DateField(required=False, allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    placement_type = serializers.ChoiceField(choices=PlacementType.choices, required=False)
    instruments_advised = serializers.ListField(
        child=serializers.ChoiceField(choices=Instrument.choices), required=False, help_text=INSTRUMENTS_HELP
    )
    instruments_applied = serializers.ListField(
        child=serializers.ChoiceField(choices=Instrument.choices), required=False, help_text=INSTRUMENTS_HELP
    )
    conditions = serializers.CharField(required=False, allow_blank=True, help_text=CONDITIONS_HELP)


class CloseVacancyInput(serializers.Serializer):
    vacancy = serializers.IntegerField(help_text="the 2-9 positions vacancy the owner closes after booking its own")


class CloseVacancyResult(serializers.Serializer):
    vacancy = serializers.IntegerField()
    status = serializers.CharField()
    duplicates = serializers.ListField(child=serializers.IntegerField(), help_text="one per chain partner (R-25)")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class AftercareContactSerializer(serializers.ModelSerializer):
    """`summary` is free text about the candidate: present only when the context says `text_visible` (R-40: the
    booking organisation, the vacancy owner's and the candidate's), absent otherwise."""

    class Meta:
        model = AftercareContact
        fields = [
            "id", "placement", "adviser", "occurred_at", "still_employed", "employment_ended_on", "summary",
            "ends_aftercare",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance):
        row = super().to_representation(instance)
        if not self.context.get("text_visible", False):
            row.pop("summary", None)
        return row


class AftercareInput(serializers.Serializer):
    occurred_at = serializers.DateTimeField(required=False, help_text="defaults to now")
    summary = serializers.CharField(allow_blank=True)
    still_employed = serializers.BooleanField(default=True)
    employment_ended_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "R-32: with still_employed false, the candidate's last day (not before the start, not after the contact); "
            "the placement ends on it. Defaults to the day of the contact."
        ),
    )
    ends_aftercare = serializers.BooleanField(default=False, help_text="R-32: the employer needs no more aftercare")


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _get_or_invalid(model, pk: int, field: str, code: str, message: str):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise InvalidInput(message, code=code, fields={field: [message]})
    return obj


# --- Filters --------------------------------------------------------------------------------------------------


# Ids are IdFilters: a whole number in the range of an integer column, anything else ("1.5", "x") a 400, never a
# filter that silently means something else.
class ReferralFilter(SyncFilterSet):
    vacancy = IdFilter(label="Vacancy id")
    candidate = IdFilter(label="Candidate id")
    organisation = IdFilter(label="Organisation that proposed")
    referred_by = IdFilter(label="Proposed by (user id)")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label="Status (R-43 stage)")
    pawa = django_filters.BooleanFilter(label="PAWA referrals (R-21)")
    referred_after = django_filters.IsoDateTimeFilter(field_name="referred_at", lookup_expr="gte", label="From")
    referred_before = django_filters.IsoDateTimeFilter(field_name="referred_at", lookup_expr="lt", label="Until")

    class Meta:
        model = Referral
        fields = []


class PlacementFilter(SyncFilterSet):
    vacancy = IdFilter(label="Vacancy id")
    candidate = IdFilter(label="Candidate id")
    employer = IdFilter(label="Employer id")
    organisation = IdFilter(label="Booking organisation (R-23)")
    booked_by = IdFilter(label="Booked by (user id)")
    target_group = django_filters.ChoiceFilter(choices=TargetGroup.choices, label="Target group at booking")
    status = django_filters.ChoiceFilter(choices=PlacementStatus.choices, label="Booked or cancelled")
    placement_type = django_filters.ChoiceFilter(choices=PlacementType.choices, label="Placement type (R-54)")
    is_durable = django_filters.BooleanFilter(label="Durable (R-30)")
    start_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label="Starts on or after")
    start_until = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label="Starts on or before")

    class Meta:
        model = Placement
        fields = []


# --- Viewsets -------------------------------------------------------------------------------------------------


class Filtered:
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id", "updated_at"]


class ReferralViewSet(Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The referral register (R-21): POST proposes a candidate (vacancy owner only, R-17); PATCH moves it through
    the funnel (R-43). The detail carries the register lines (`history`)."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    ordering_fields = ["id", "updated_at", "referred_at"]

    def get_queryset(self):
        # One query for a page: only ids of related rows are shown.
        return referral_selectors.referral_list(user=self.request.user)

    def get_serializer_class(self):
        return ReferralDetailSerializer if self.action == "retrieve" else ReferralSerializer

    def retrieve(self, request, pk=None):
        referral = referral_selectors.referral_with_history(referral_id=self.get_object().pk, user=request.user)
        return Response(ReferralDetailSerializer(referral).data)

    def _written(self, referral: Referral) -> dict:
        referral.text_visible = referral_selectors.referral_text_visible(user=self.request.user, referral=referral)
        return ReferralSerializer(referral).data

    @extend_schema(request=ReferralCreateInput, responses={201: ReferralSerializer})
    def create(self, request):
        data = _valid(ReferralCreateInput, request.data)
        vacancy = _get_or_invalid(Vacancy, data["vacancy"], "vacancy", "unknown_vacancy", _("Unknown vacancy."))
        candidate = _get_or_invalid(
            Candidate, data["candidate"], "candidate", "unknown_candidate", _("Unknown candidate.")
        )
        referral = referral_services.referral_propose(
            by=request.user, vacancy=vacancy, candidate=candidate, pawa=data["pawa"], note=data["note"]
        )
        return Response(self._written(referral), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralStatusInput, responses=ReferralSerializer)
    def partial_update(self, request, pk=None):
        data = _valid(ReferralStatusInput, request.data)
        referral = referral_services.referral_set_status(referral=self.get_object(), by=request.user, **data)
        return Response(self._written(referral))


class PlacementViewSet(Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Placements (R-22..R-25, R-30..R-32): POST books a hired referral; PATCH corrects with a `reason`; a
    placement is cancelled with a reason, never deleted (the history is kept)."""

    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    ordering_fields = ["id", "updated_at", "start_date", "booked_at"]

    def get_queryset(self):
        # One query for a page: only ids of related rows are shown; job_agreement_jobs is a stored column.
        qs = placement_selectors.placement_list(user=self.request.user)
        if self.action == "aftercare":
            # who reads the summaries depends on the vacancy's and the candidate's organisation.
            qs = qs.select_related("vacancy", "candidate")
        return qs

    @extend_schema(request=PlacementBookInput, responses={201: PlacementSerializer})
    def create(self, request):
        data = _valid(PlacementBookInput, request.data)
        referral = _get_or_invalid(
            Referral, data.pop("referral"), "referral", "unknown_referral", _("Unknown referral.")
        )
        placement = placement_services.placement_book(by=request.user, referral=referral, **data)
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlacementCorrectInput, responses=PlacementSerializer)
    def partial_update(self, request, pk=None):
        data = dict(_valid(PlacementCorrectInput, request.data))
        placement = placement_services.placement_correct(
            placement=self.get_object(), by=request.user, reason=data.pop("reason"), **data
        )
        return Response(PlacementSerializer(placement).data)

    @extend_schema(request=ReasonInput, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel with a reason; the placement stays, stops counting and gives its position back."""
        data = _valid(ReasonInput, request.data)
        placement = placement_services.placement_cancel(placement=self.get_object(), by=request.user, **data)
        return Response(PlacementSerializer(placement).data)

    @extend_schema(methods=["get"], request=None, responses=AftercareContactSerializer(many=True))
    @extend_schema(methods=["post"], request=AftercareInput, responses={201: AftercareContactSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def aftercare(self, request, pk=None):
        """R-32: the aftercare contacts of the placement (GET) or a new one (POST)."""
        placement = self.get_object()
        context = {"text_visible": placement_selectors.aftercare_text_visible(user=request.user, placement=placement)}
        if request.method == "GET":
            contacts = AftercareContact.objects.filter(placement=placement)
            return Response(AftercareContactSerializer(contacts, many=True, context=context).data)
        data = _valid(AftercareInput, request.data)
        occurred_at = data.get("occurred_at") or timezone.now()
        ended_on = data["employment_ended_on"]
        if not data["still_employed"] and ended_on is None:
            ended_on = timezone.localdate(occurred_at)  # as before this field: ended on the day it was found out
        contact = placement_services.aftercare_register(
            placement=placement,
            by=request.user,
            occurred_at=occurred_at,
            summary=data["summary"],
            still_employed=data["still_employed"],
            employment_ended_on=ended_on,
            ends_aftercare=data["ends_aftercare"],
        )
        return Response(AftercareContactSerializer(contact, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CloseVacancyInput, responses=CloseVacancyResult)
    @action(detail=False, methods=["post"], url_path="close-vacancy", pagination_class=None, filterset_class=None)
    def close_vacancy(self, request):
        """R-25: the owner closes a vacancy of 2 to 9 positions with outcome placement after booking its own
        candidates; each chain partner with hired candidates gets a duplicate to book them on. (Here, not under
        `vacancies/`, because the vacancies app does not depend on matching.)"""
        data = _valid(CloseVacancyInput, request.data)
        vacancy = _get_or_invalid(Vacancy, data["vacancy"], "vacancy", "unknown_vacancy", _("Unknown vacancy."))
        duplicates = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=request.user)
        vacancy.refresh_from_db(fields=["status"])
        body = {"vacancy": vacancy.pk, "status": vacancy.status, "duplicates": [d.pk for d in duplicates]}
        return Response(CloseVacancyResult(body).data)


ROUTES = [
    ("referrals", ReferralViewSet, "referral"),
    ("placements", PlacementViewSet, "placement"),
]
