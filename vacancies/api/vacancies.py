"""The vacancy endpoints (API.md `vacancies/`). Thin: input is typed here, rules live in services."""

from collections.abc import Mapping

import django_filters
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from wsp.errors import InvalidInput, NotVisible
from wsp.inputs import int_or_none

from .. import selectors, services
from ..filters import VacancyFilter
from ..models import Vacancy
from .serializers import (
    BlockInput,
    CloseInput,
    CoProductionInput,
    CorrectReceiptInput,
    DuplicateInput,
    ExtendInput,
    HandOverInput,
    LateRegistrationSerializer,
    NoteInput,
    ReactivateInput,
    ReceiptCorrectionSerializer,
    RecruitmentPlanSerializer,
    UnblockInput,
    VacancyCreateInput,
    VacancySerializer,
    VacancyUpdateInput,
)

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
        """R-12, R-57: correct the moment of receipt, with a reason. Earlier: the owner or a manager of the vacancy's
        organisation; later (it flatters the late-registration figure): only that manager (403
        `receipt_later_needs_manager`). Never in the future, after registration, after the receipt of the intake it
        was registered from, after the first proposal or placement start, nor more than a year before registration
        (400 with field errors). `registered_late` follows, `received_at_registered` and `late_as_registered` stay;
        the correction and its reason are in `receipt-corrections/`."""
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
        """Close with an outcome; outcome `placement` comes from booking placements (R-22) and is refused here, and
        so is closing while candidates are hired on the vacancy without a booked placement (409 `hires_unbooked` with
        their number: book the placements, or withdraw a hire that fell through, R-22)."""
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
        """R-12: per organisation, vacancies registered in the year and how many more than 24 hours after receipt.
        R-57: corrections of receipt show here: `receipt_corrected`, the late count as registered
        (`late_as_registered`, `late_share_as_registered`) and `corrected_to_on_time`."""
        raw = request.query_params.get("year")
        year = int_or_none(raw) if raw else timezone.localdate().year
        if year is None or not 2000 <= year <= 2100:
            message = _("Give a year such as 2025.")
            raise InvalidInput(message, fields={"year": [message]})
        return Response(selectors.late_registration_counts(year=year))
