"""Employers and admission requests: list and read (R-02), enter (R-06, R-07), change, admission (R-04), takeover
(R-05), cease and reactivate (R-09), merge (R-07) and a manager's reassignment (R-03).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from accounts.permissions import IsManager, IsStaffMemberOrReadOnlyToken
from accounts.principals import OrganisationPrincipal
from employers import selectors, services
from employers.models import AccessRequest, Employer
from wsp.errors import InvalidInput, NotVisible
from wsp.inputs import int_or_none

from .filters import AccessRequestFilter, EmployerFilter, Filtered
from .serializers import (
    AccessRequestSerializer,
    CeaseInput,
    DecisionInput,
    DuplicateSerializer,
    EmployerCreateInput,
    EmployerSerializer,
    EmployerUpdateInput,
    MergeInput,
    MessageInput,
    ReassignInput,
    _valid,
)


class EmployerViewSet(Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EmployerSerializer
    filterset_class = EmployerFilter
    ordering_fields = ["id", "updated_at", "name"]

    def get_queryset(self):
        # One query for the page, its account holders' ids in each row, whatever the page size.
        return Employer.objects.visible_to(self.request.user).annotate(holder_ids=selectors.account_holder_ids())

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
        pk = int_or_none(self.kwargs.get("pk"))
        if pk is None:
            raise NotVisible(_("Employer not found."))
        return pk

    @extend_schema(
        parameters=[OpenApiParameter("name", str), OpenApiParameter("postcode", str)],
        responses=DuplicateSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def duplicates(self, request):
        """R-07: possible duplicates, best first, each with a score."""
        name, postcode = request.query_params.get("name", ""), request.query_params.get("postcode", "")
        if not name.strip() and not postcode.strip():
            raise InvalidInput(
                _("Give a name, a postcode or both."), fields={"name": [_("Give a name or a postcode.")]}
            )
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
        request_id = int_or_none(self.kwargs.get("pk"))
        if request_id is None:
            raise NotVisible(_("Admission request not found."))
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
