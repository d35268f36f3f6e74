"""`budgets/` (API.md; R-53): GET for every staff member and organisation token; POST (create a budget with its
lines) and PATCH (title and the lines as a whole) for managers; POST `budgets/{id}/spend/` (an extension) records
the realised spend of a line in a month."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reporting.budgets import selectors, services
from wsp.errors import InvalidInput

from ..models import BudgetLine
from .serializers import BudgetChangeInput, BudgetInput, BudgetSerializer, SpendInput

MSG_LINE = services.MSG_LINE_OTHER_BUDGET


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class BudgetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-53: budgets with lines, totals, result, cost per placement, burn and funding warnings (`?year=` filters)."""

    serializer_class = BudgetSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = selectors.budgets_list()
        year = self.request.query_params.get("year") if self.action == "list" else None
        if year not in (None, ""):
            qs = qs.filter(year=year) if str(year).isascii() and str(year).isdecimal() and len(year) == 4 else qs.none()
        return qs

    def list(self, request, *args, **kwargs):
        # Queries: budgets, their lines (with organisation and summed spend), spend per month, placements per year:
        # the same at 2 and at 20 budgets.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.with_figures(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        budget = self.get_object()
        selectors.with_figures([budget])
        return Response(self.get_serializer(budget).data)

    def _answer(self, pk, code):
        budget = selectors.with_figures(selectors.budgets_list().filter(pk=pk))[0]
        return Response(BudgetSerializer(budget).data, status=code)

    @extend_schema(request=BudgetInput, responses={201: BudgetSerializer})
    def create(self, request):
        data = _valid(BudgetInput, request.data)
        budget = services.budget_create(by=request.user, **data)
        return self._answer(budget.pk, status.HTTP_201_CREATED)

    @extend_schema(request=BudgetChangeInput, responses={200: BudgetSerializer})
    def partial_update(self, request, pk=None):
        budget = self.get_object()
        data = _valid(BudgetChangeInput, request.data)
        services.budget_update(by=request.user, budget=budget, **data)
        return self._answer(budget.pk, status.HTTP_200_OK)

    @extend_schema(request=SpendInput, responses={200: BudgetSerializer})
    @action(detail=True, methods=["post"])
    def spend(self, request, pk=None):
        budget = self.get_object()
        data = _valid(SpendInput, request.data)
        line = BudgetLine.objects.filter(budget=budget, pk=data["line"]).select_related("budget").first()
        if line is None:
            raise InvalidInput(MSG_LINE, code="line_not_in_budget", rule=services.RULE, fields={"line": [MSG_LINE]})
        services.budget_spend_record(by=request.user, line=line, month=data["month"], amount_spent=data["amount"])
        return self._answer(budget.pk, status.HTTP_200_OK)
