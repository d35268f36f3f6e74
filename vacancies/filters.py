"""Explicit FilterSets of the vacancy API (STYLE habit 7), each filter labelled and tested."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from wsp.api.filters import SyncFilterSet
from wsp.inputs import MAX_ID, int_or_none

from . import selectors
from .choices import SkillKind, TargetGroupFlag, VacancySource, VacancyStatus, Visibility
from .models import Skill, Vacancy

# One definition of ids from query strings and forms (wsp.inputs); named here too because other apps import them from
# here (matching.views, tests).
__all__ = ["MAX_ID", "IdFilter", "PublicVacancyFilter", "SkillFilter", "VacancyFilter", "int_or_none"]


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number within the database's integer range, so a wrong one is a 400, never a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """`true`/`false` (or `1`/`0`); empty means "not filtered"; anything else is invalid rather than ignored, so
    `?registered_late=maybe` is a 400 instead of a list that silently is not filtered."""

    widget = forms.TextInput
    TRUE, FALSE = ("true", "1"), ("false", "0")

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class VacancyFilter(SyncFilterSet):
    q = django_filters.CharFilter(method="search", label="Search on job title or employer name")
    status = django_filters.ChoiceFilter(choices=VacancyStatus.choices, label="Status")
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices, label="Visibility (R-16)")
    owner = IdFilter(label="Owner (user id, R-17)")
    organisation = IdFilter(label="Organisation of the owner")
    employer = IdFilter(label="Employer id")
    target_group = django_filters.ChoiceFilter(
        choices=TargetGroupFlag.choices, method="with_flag", label="Carries this target-group flag (R-14)"
    )
    registered_late = StrictBooleanFilter(label="Registered more than 24 hours after receipt (R-12)")
    skill = IdFilter(method="with_skill", label="Asks for this skill (vocabulary id, R-42)")
    source = django_filters.ChoiceFilter(choices=VacancySource.choices, label="How the vacancy came in")
    parent = IdFilter(label="Partners' vacancies of this co-production (R-19)")
    duplicated_from = IdFilter(label="Partners' duplicates of this vacancy (R-25)")
    registered_after = django_filters.IsoDateTimeFilter(
        field_name="registered_at", lookup_expr="gte", label="Registered at or after this moment"
    )
    registered_before = django_filters.IsoDateTimeFilter(
        field_name="registered_at", lookup_expr="lt", label="Registered before this moment"
    )
    expires_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lt", label="Expires before this date"
    )
    offered_to_partners = StrictBooleanFilter(
        method="with_partner_offer", label="Offered to the chain partners by its owner (R-13)"
    )

    class Meta:
        model = Vacancy
        fields = []

    def search(self, queryset, name, value):
        return selectors.vacancy_search(queryset, value)

    def with_flag(self, queryset, name, value):
        return queryset.filter(target_group_flags__contains=[value])

    def with_skill(self, queryset, name, value):
        # `skills @> ARRAY[id]`, answered by the intarray GIN index `vacancy_skills`.
        return queryset.filter(skills__contains=[value])

    def with_partner_offer(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(partner_offer_at__isnull=not value)


class PublicVacancyFilter(SyncFilterSet):
    """R-16: the public list's filters. Search is on the job title only: a search on the employer's name would tell
    which employer is behind an anonymous vacancy."""

    q = django_filters.CharFilter(method="search", label="Search on job title")
    municipality = django_filters.CharFilter(
        field_name="municipality", lookup_expr="iexact", label="Municipality of the work"
    )

    class Meta:
        model = Vacancy
        fields = []

    def search(self, queryset, name, value):
        return selectors.public_vacancy_search(queryset, title=value)


class SkillFilter(SyncFilterSet):
    q = django_filters.CharFilter(method="search", label="Search on name (Dutch or English) or code")
    kind = django_filters.ChoiceFilter(choices=SkillKind.choices, label="Occupation, skill or competence (R-42)")
    group = django_filters.CharFilter(label="Group within the vocabulary")
    # The vocabulary has no change timestamp: `updated_since` returns every entry, so a sync never misses one.
    updated_since = django_filters.IsoDateTimeFilter(
        method="all_entries", label="Accepted for incremental sync; the vocabulary is returned whole"
    )

    class Meta:
        model = Skill
        fields = []

    def search(self, queryset, name, value):
        return selectors.skill_search(queryset, value)

    def all_entries(self, queryset, name, value):
        return queryset
