"""FilterSet of the targets API (STYLE habit 7), each filter with a label."""

import django_filters

from wsp.api.filters import SyncFilterSet

from ..choices import Measure
from ..models import Target


class TargetFilter(SyncFilterSet):
    year = django_filters.NumberFilter(label="Year")
    measure = django_filters.ChoiceFilter(choices=Measure.choices, label="Measure (R-50)")
    organisation = django_filters.NumberFilter(label="Organisation id")

    class Meta:
        model = Target
        fields = []
