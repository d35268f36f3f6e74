"""API for vacancies and the skills vocabulary (API.md). Thin: input is typed here, rules live in services."""

from collections.abc import Mapping

import django_filters
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from wsp.api.pagination import CursorPagination
from wsp.errors import InvalidInput, NotVisible

from . import public, selectors, services
from .choices import CloseReason, HandoverReason, RecruitmentActivity, TargetGroupFlag, VacancySource, Visibility
from .filters import PublicVacancyFilter, SkillFilter, VacancyFilter, int_or_none
from .models import RecruitmentPlan, Skill, Vacancy

# --- Serializers ----------------------------------------------------------------------------------------------


class VacancySerializer(serializers.ModelSerializer):
    employer_name = serializers.CharField(read_only=True)
    registration_due_at = serializers.DateTimeField(read_only=True, help_text="received_at + 24 hours (R-12)")
    skills = serializers.ListField(child=serializers.IntegerField(), read_only=True, help_text="ids of skills/")

    class Meta:
        model = Vacancy
        fields = [
            "id", "employer", "employer_name", "owner", "organisation", "title", "description", "occupation", "skills",
            "requested_positions", "positions", "hours_per_week", "postcode", "municipality", "received_at",
            "registered_at", "registration_due_at", "registered_late", "source", "recruitment_request", "visibility",
            "blocked_reason", "target_group_flags", "min_age", "max_age", "status", "close_reason", "closed_at",
            "expires_on", "parent", "duplicated_from", "partner_offer_at", "partner_offer_note", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "partner_offer_at": {"help_text": "offered to the chain partners since (R-13); null when not offered"},
        }

    # The fields are declared for the schema; the rows are built by hand like employers' (bench/run.py: the
    # generic field machinery costs about 0.5 ms a row on a page of 50).
    PLAIN = (
        "id", "title", "description", "requested_positions", "positions", "hours_per_week", "postcode",
        "municipality", "registered_late", "source", "recruitment_request", "visibility", "blocked_reason",
        "min_age", "max_age", "status", "close_reason", "partner_offer_note",
    )  # fmt: skip
    IDS = ("employer", "owner", "organisation", "occupation", "parent", "duplicated_from")
    TIMESTAMPS = (
        "received_at", "registered_at", "registration_due_at", "closed_at", "partner_offer_at", "created_at",
        "updated_at",
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


# Read-only in a PATCH, and refused when changed there: these move through the actions.
MOVED_BY_ACTIONS = ("employer", "owner", "organisation", "status")
# the moments of receipt and registration are never changed by a PATCH; a changed one is refused with a
# field error (receipt is corrected through correct-receipt/ with a reason), an unchanged one is accepted.
RECORDED_MOMENTS = ("received_at", "registered_at")


def _valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _keys(data) -> set[str]:
    return set(data) if isinstance(data, Mapping) else set()


def _moment(value):
    """A timestamp from a request body, to compare with the stored one; what cannot be read stays as given (and
    is then refused as changed)."""
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return value
        if parsed is not None:
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return value


# --- Viewsets -------------------------------------------------------------------------------------------------


class VacancyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-02: every vacancy of the region, for every staff member and partner organisation. Writes by staff;
    everything that changes a vacancy goes through vacancies.services."""

    serializer_class = VacancySerializer
    filterset_class = VacancyFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["registered_at", "id", "updated_at"]

    def get_queryset(self):
        # One query per page; owner, organisation, occupation and parent are ids. The employer's name is a scalar
        # subquery rather than a join: PostgreSQL evaluates it for the rows of the page only, after the sort and
        # limit, where a join is made for every match first (a search matching 38,000 of 200,000 vacancies: 38,000
        # index lookups with the join, 51 with the subquery).
        return Vacancy.objects.visible_to(self.request.user).annotate(employer_name=selectors.employer_name())

    def _pk(self) -> int:
        try:
            return int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise NotVisible(_("Vacancy not found.")) from None

    def _read(self, vacancy_id: int, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=vacancy_id)).data, status=status_code)

    @extend_schema(request=VacancyCreateInput, responses={201: VacancySerializer})
    def create(self, request):
        """Register a vacancy (R-12). The caller is the employer's main account holder, an admitted account holder
        or a manager, and so is a named owner (403 `admission_required`, R-04, with `main_account_holder` and the
        `access_request` URL). One position is registered (R-20); age requirements only on target-group vacancies,
        as a band of at least 5 years (R-15); the title and description of an ordinary vacancy set no requirement on
        age, sex or origin (403 `discriminating_text`, naming the phrases, R-15). A body with `sex`, `gender`,
        `origin`, `nationality` or `ethnicity` is refused with 403 `discriminating_requirement` (R-15): such a
        requirement is never allowed, and silently dropping the key would let the integrator believe it was stored."""
        services.refuse_discriminating_requirements(_keys(request.data))
        data = _valid(VacancyCreateInput, request.data)
        vacancy = services.vacancy_register(by=request.user, **data)
        return self._read(vacancy.pk, status.HTTP_201_CREATED)

    @extend_schema(request=VacancyUpdateInput, responses=VacancySerializer)
    def partial_update(self, request, pk=None):
        """The owner changes the vacancy (R-17); `positions` only per R-20. Other read-only fields are ignored, as
        everywhere in this API, except a changed employer, owner, organisation or status: those are refused with
        400 `not_editable`, because they move through hand-over/ (R-13), close/ and reactivate/. So are a changed
        `received_at` (corrected through correct-receipt/ with a reason, R-12, R-57) and `registered_at`.
        Title and description of an ordinary vacancy are screened: 403 `discriminating_text` (R-15)."""
        services.refuse_discriminating_requirements(_keys(request.data))
        data = dict(_valid(VacancyUpdateInput, request.data))
        moved = {name: request.data[name] for name in MOVED_BY_ACTIONS if name in _keys(request.data)}
        moments = {name: request.data[name] for name in RECORDED_MOMENTS if name in _keys(request.data)}
        if moved or moments:
            current = Vacancy.objects.filter(pk=self._pk()).values(*MOVED_BY_ACTIONS, *RECORDED_MOMENTS).first() or {}
            moved = {name: value for name, value in moved.items() if current.get(name) != value}
            moved.update({name: value for name, value in moments.items() if _moment(value) != current.get(name)})
        vacancy = services.vacancy_update(vacancy=self._pk(), by=request.user, **data, **moved)
        return self._read(vacancy.pk)

    @extend_schema(request=CorrectReceiptInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"], url_path="correct-receipt")
    def correct_receipt(self, request, pk=None):
        """R-12, R-57: correct the moment of receipt, with a reason, by the owner or a manager; never in the future
        or after registration (400 with field errors). `registered_late` follows; the correction and its reason are
        in `receipt-corrections/`."""
        data = _valid(CorrectReceiptInput, request.data)
        services.vacancy_correct_receipt(vacancy=self._pk(), by=request.user, **data)
        return self._read(self._pk())

    @extend_schema(responses=ReceiptCorrectionSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="receipt-corrections", pagination_class=None, filterset_class=None)
    def receipt_corrections(self, request, pk=None):
        """R-12, R-57: every correction of the vacancy's moment of receipt, oldest first, with its reason."""
        corrections = selectors.receipt_corrections(vacancy_id=self._pk())
        if corrections is None:
            raise NotVisible(_("Vacancy not found."))
        return Response(ReceiptCorrectionSerializer(corrections, many=True).data)

    @extend_schema(request=NoteInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"], url_path="offer-to-partners")
    def offer_to_partners(self, request, pk=None):
        """R-13: the owner marks the vacancy as not fillable from the own target groups; it shows at once on the
        home pages of the chain partners' advisers, who may `take/` it."""
        data = _valid(NoteInput, request.data)
        services.vacancy_offer_to_partners(vacancy=self._pk(), by=request.user, note=data["note"])
        return self._read(self._pk())

    @extend_schema(request=None, responses=VacancySerializer)
    @action(detail=True, methods=["post"], url_path="withdraw-offer")
    def withdraw_offer(self, request, pk=None):
        """R-13: the owner withdraws the offer to the chain partners."""
        services.vacancy_withdraw_partner_offer(vacancy=self._pk(), by=request.user)
        return self._read(self._pk())

    @extend_schema(request=NoteInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        """R-13: an adviser of a chain partner takes an offered vacancy: owner of the vacancy and account holder of
        the employer (the employer itself does not move); 403/409 with rule R-13 otherwise."""
        data = _valid(NoteInput, request.data)
        services.vacancy_take_from_partner(vacancy=self._pk(), by=request.user, note=data["note"])
        return self._read(self._pk())

    @extend_schema(request=BlockInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def block(self, request, pk=None):
        """R-16: block the vacancy (no new referrals); the reason is mandatory."""
        data = _valid(BlockInput, request.data)
        services.vacancy_block(vacancy=self._pk(), by=request.user, reason=data["reason"])
        return self._read(self._pk())

    @extend_schema(request=UnblockInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def unblock(self, request, pk=None):
        """R-16: lift the block; back to the earlier visibility unless another is given."""
        data = _valid(UnblockInput, request.data)
        services.vacancy_unblock(vacancy=self._pk(), by=request.user, visibility=data.get("visibility"))
        return self._read(self._pk())

    @extend_schema(request=CloseInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close with an outcome; outcome `placement` comes from booking placements (R-22) and is refused here."""
        data = _valid(CloseInput, request.data)
        services.vacancy_close(vacancy=self._pk(), by=request.user, reason=data["reason"], note=data["note"])
        return self._read(self._pk())

    @extend_schema(request=ReactivateInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """R-20: an expired vacancy is reactivated before positions move or placements are booked."""
        data = _valid(ReactivateInput, request.data)
        services.vacancy_reactivate(vacancy=self._pk(), by=request.user, expires_on=data.get("expires_on"))
        return self._read(self._pk())

    @extend_schema(request=ExtendInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Move the expiry date of an open vacancy."""
        data = _valid(ExtendInput, request.data)
        services.vacancy_extend(vacancy=self._pk(), by=request.user, expires_on=data["expires_on"])
        return self._read(self._pk())

    @extend_schema(request=HandOverInput, responses=VacancySerializer)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        """R-13: hand the vacancy to a chain partner's adviser, who becomes account holder of the employer; the
        employer's ownership moves too only when agreed (`move_employer`)."""
        data = _valid(HandOverInput, request.data)
        services.vacancy_hand_over(vacancy=self._pk(), by=request.user, **data)
        return self._read(self._pk())

    @extend_schema(request=DuplicateInput, responses={201: VacancySerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        """R-25: a chain partner duplicates a vacancy of 2-9 positions, closed with placements, to book its own hired
        candidates on it; 403 `nothing_to_duplicate` when it has none there."""
        data = _valid(DuplicateInput, request.data)
        duplicate = services.vacancy_duplicate(vacancy=self._pk(), by=request.user, **data)
        return self._read(duplicate.pk, status.HTTP_201_CREATED)

    @extend_schema(request=CoProductionInput, responses={201: RecruitmentPlanSerializer})
    @action(detail=True, methods=["post"], url_path="co-production")
    def co_production(self, request, pk=None):
        """R-19: start the co-production of a vacancy of 10 or more positions: the recruitment plan and one
        vacancy per chain partner under the same employer."""
        data = _valid(CoProductionInput, request.data)
        partners = [partner["organisation"] for partner in data["partners"]]
        plan = services.co_production_start(
            vacancy=self._pk(),
            by=request.user,
            activities=data["activities"],
            partners=partners,
            partner_owners={partner["organisation"]: partner["owner"] for partner in data["partners"]},
            planned_on=data.get("planned_on"),
            notes=data["notes"],
        )
        plan = selectors.recruitment_plan_with_children(plan_id=plan.pk)
        return Response(RecruitmentPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="defaults to the current year")],
        responses=LateRegistrationSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="late-registrations", pagination_class=None, filterset_class=None)
    def late_registrations(self, request):
        """R-12: per organisation, vacancies registered in the year and how many more than 24 hours after receipt."""
        raw = request.query_params.get("year")
        year = int_or_none(raw) if raw else timezone.localdate().year
        if year is None or not 2000 <= year <= 2100:
            message = _("Give a year such as 2025.")
            raise InvalidInput(message, fields={"year": [message]})
        return Response(selectors.late_registration_counts(year=year))


class SkillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-42: the shared vocabulary of occupations, skills and competences; vacancies and candidates refer to it
    by id. Read-only: the vocabulary is loaded from vacancies/data (`manage.py load_vocabulary`)."""

    queryset = Skill.objects.all()
    serializer_class = SkillSerializer
    filterset_class = SkillFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id", "name"]


# --- Published vacancies, without authentication (R-16) --------------------------------------------------------


class PublicErrorSerializer(serializers.Serializer):
    """The error format of API.md (400 for a wrong filter, 429 when throttled)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    rule = serializers.CharField(required=False)
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class PublicContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField(help_text="an e-mail address, or empty when none is known")
    phone = serializers.CharField()


class PublicVacancySerializer(serializers.Serializer):
    """R-16: what is published of a vacancy. `employer_name` only for `open` vacancies (null for anonymous ones);
    `contact` is the employer's contact person for open vacancies and the vacancy owner for anonymous ones."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    hours_per_week = serializers.IntegerField()
    municipality = serializers.CharField()
    visibility = serializers.ChoiceField(choices=[Visibility.OPEN, Visibility.ANONYMOUS])
    employer_name = serializers.CharField(allow_null=True, help_text="open vacancies only (R-16)")
    contact = PublicContactSerializer()
    registered_at = serializers.DateTimeField()
    expires_on = serializers.DateField()
    updated_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="the vacancy's public page, with its schema.org JobPosting data")

    def to_representation(self, vacancy):
        # By hand, like VacancySerializer: one dict per row, no field machinery.
        request = self.context["request"]
        return {
            "id": vacancy.pk,
            "title": vacancy.title,
            "description": vacancy.description,
            "hours_per_week": vacancy.hours_per_week,
            "municipality": vacancy.municipality,
            "visibility": vacancy.visibility,
            "employer_name": public.employer_name(vacancy),
            "contact": public.contact(vacancy),
            "registered_at": timezone.localtime(vacancy.registered_at).isoformat(),
            "expires_on": vacancy.expires_on.isoformat(),
            "updated_at": timezone.localtime(vacancy.updated_at).isoformat(),
            "url": request.build_absolute_uri(reverse("public-vacancy-detail", args=[vacancy.pk])),
        }


class PublicRateThrottle(AnonRateThrottle):
    """Callers of the public list are anonymous: throttled per address (429 `throttled`). The rate is
    `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"]` when set, else PUBLIC_RATE."""

    scope = "public"
    PUBLIC_RATE = "600/hour"

    def get_rate(self):
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope) or self.PUBLIC_RATE


class PublicPagination(CursorPagination):
    ordering = ("-registered_at", "-id")


@extend_schema(auth=[])
class PublicVacancyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """R-16: the region's published vacancies (visibility `open` or `anonymous`, open, not expired), without
    authentication, newest first, cursor-paginated, throttled per address. Internal and blocked vacancies and
    anything about candidates are never here. `?q=` searches the job title, `?municipality=` the place."""

    serializer_class = PublicVacancySerializer
    filterset_class = PublicVacancyFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    pagination_class = PublicPagination
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    def get_queryset(self):
        # One query per page: employer and owner (with organisation) joined for the contact of R-16.
        return selectors.public_vacancies()

    @extend_schema(
        responses={200: PublicVacancySerializer(many=True), 400: PublicErrorSerializer, 429: PublicErrorSerializer}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


ROUTES = [
    ("vacancies", VacancyViewSet, "vacancy"),
    ("skills", SkillViewSet, "skill"),
    ("public/vacancies", PublicVacancyViewSet, "public-vacancy"),
]
