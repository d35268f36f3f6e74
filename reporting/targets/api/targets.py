"""`targets/` (API.md; R-50, R-51): GET for every staff member and organisation token, POST and PATCH for managers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from reporting.targets import selectors, services
from wsp.errors import InvalidInput

from .filters import TargetFilter
from .serializers import TargetChangeInput, TargetInput, TargetSerializer

KEY_FIELDS = {"year", "measure", "organisation", "target_group", "sector", "adviser"}
MSG_KEY_FIXED = _("Only the target can be changed; for another year, measure or key, add a new target.")


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-50: targets with their realisation counted live from the records, the forecast to year end and the status
    (on_track: forecast >= target; at_risk: forecast >= 90% of target; behind: otherwise). POST sets a target
    (managers; a second one for the same year, measure and key is a 409), PATCH changes `target` and needs a
    `reason` (managers); the change is listed under `changes`."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.targets_list()

    def list(self, request, *args, **kwargs):
        # Two queries for the page (targets, their changes) and one grouped query per measure and kind of key on
        # it: the same at 2 and at 200 targets.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.with_realisation(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        target = self.get_object()
        selectors.with_realisation([target])
        return Response(self.get_serializer(target).data)

    def _answer(self, pk, code):
        target = selectors.targets_list().get(pk=pk)
        selectors.with_realisation([target])
        return Response(TargetSerializer(target).data, status=code)

    @extend_schema(request=TargetInput, responses={201: TargetSerializer})
    def create(self, request):
        data = _valid(TargetInput, request.data)
        target = services.target_create(by=request.user, **data)
        return self._answer(target.pk, status.HTTP_201_CREATED)

    @extend_schema(request=TargetChangeInput, responses={200: TargetSerializer})
    def partial_update(self, request, pk=None):
        target = self.get_object()
        fixed = sorted(KEY_FIELDS & set(request.data))
        if fixed:
            # The key is what the target is for; a different key is a different target (POST it).
            raise InvalidInput(
                MSG_KEY_FIXED, code="key_not_changeable", rule="R-50", fields={f: [MSG_KEY_FIXED] for f in fixed}
            )
        data = _valid(TargetChangeInput, request.data)
        services.target_change(by=request.user, target=target, new=data["target"], reason=data["reason"])
        return self._answer(target.pk, status.HTTP_200_OK)
