"""Explicit FilterSets of the vacancy API (STYLE habit 7), each filter labelled and tested."""

import django_filters

from wsp.api.filters import SyncFilterSet

from . import selectors
from .choices import SkillKind, TargetGroupFlag, VacancySource, VacancyStatus, Visibility
from .models import Skill, Vacancy


class VacancyFilter(SyncFilterSet):
    q = django_filters.CharFilter(method="search", label="Search on job title or employer name")
    status = django_filters.ChoiceFilter(choices=VacancyStatus.choices, label="Status")
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices, label="Visibility (R-16)")
    owner = django_filters.NumberFilter(label="Owner (user id, R-17)")
    organisation = django_filters.NumberFilter(label="Organisation of the owner")
    employer = django_filters.NumberFilter(label="Employer id")
    target_group = django_filters.ChoiceFilter(
        choices=TargetGroupFlag.choices, method="with_flag", label="Carries this target-group flag (R-14)"
    )
    registered_late = django_filters.BooleanFilter(label="Registered more than 24 hours after receipt (R-12)")
    skill = django_filters.NumberFilter(method="with_skill", label="Asks for this skill (vocabulary id, R-42)")
    source = django_filters.ChoiceFilter(choices=VacancySource.choices, label="How the vacancy came in")
    parent = django_filters.NumberFilter(label="Partners' vacancies of this co-production (R-19)")
    duplicated_from = django_filters.NumberFilter(label="Partners' duplicates of this vacancy (R-25)")
    registered_after = django_filters.IsoDateTimeFilter(
        field_name="registered_at", lookup_expr="gte", label="Registered at or after this moment"
    )
    registered_before = django_filters.IsoDateTimeFilter(
        field_name="registered_at", lookup_expr="lt", label="Registered before this moment"
    )
    expires_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lt", label="Expires before this date"
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
        return queryset.filter(skills__contains=[int(value)])


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
