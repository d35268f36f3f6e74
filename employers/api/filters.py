"""FilterSets of the employers API, each filter with a label (STYLE habit 7), and the backends the viewsets share."""

import django_filters
from rest_framework.filters import OrderingFilter

from employers.choices import ContactKind, EmployerStatus, EmployerType
from employers.models import AccessRequest, ContactMoment, ContactRequest, Employer, EmployerFeedback
from wsp.api.filters import SyncFilterSet


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


class FeedbackFilter(SyncFilterSet):
    employer = django_filters.NumberFilter(label="Employer id")

    class Meta:
        model = EmployerFeedback
        fields = []


class Filtered:
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id", "updated_at"]
