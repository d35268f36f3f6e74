"""API for candidates and matches (API.md; R-17, R-18, R-40, R-41, R-42, R-58). Thin: input is typed here, the
rules live in matching.services.candidates, the reads in matching.selectors.

* `candidates/`: only the candidates the caller may see (R-40: the own organisation's caseload and candidates
  referred to a vacancy the caller owns); any other id is 404. Personal fields are present only with personal
  access, never as null placeholders; `bsn` is write-only and appears in no response or error.
* `vacancies/{id}/matches/`: every fitting candidate of every partner (R-18), ranked, with reasons (R-42);
  contact details only for candidates the caller may see personally.
* `candidates/{id}/matches/`: the open vacancies the candidate fits, ranked the same way.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from vacancies.filters import IdFilter
from vacancies.models import Vacancy
from wsp.api.filters import SyncFilterSet
from wsp.db.arms import Arms
from wsp.errors import NotVisible
from wsp.inputs import int_or_none

from ..bsn import mask_bsn
from ..choices import CandidateStatus, TargetGroup
from ..models import Candidate
from ..selectors import candidates as candidate_selectors
from ..selectors import ranking
from ..services import candidates as candidate_services

# --- Serializers ----------------------------------------------------------------------------------------------


def _timestamp(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _date(value) -> str | None:
    return value.isoformat() if value else None


class CandidateSerializer(serializers.ModelSerializer):
    """A candidate as the caller may see it (R-40). The fields below `personal_access` are present only with
    personal access: name and contact details for the owner of a vacancy the candidate is referred to, and also
    the birth date, health notes and `has_bsn`/`bsn_masked` for the candidate's own organisation."""

    completeness = serializers.IntegerField(read_only=True, help_text="0-100: how complete the profile is")
    completeness_missing = serializers.ListField(child=serializers.CharField(), read_only=True)
    is_stale = serializers.BooleanField(read_only=True, help_text="not reviewed for CANDIDATE_STALE_DAYS")
    days_since_review = serializers.IntegerField(read_only=True)
    personal_access = serializers.ChoiceField(
        choices=["full", "contact"], read_only=True, help_text="R-40: which personal fields follow"
    )
    # Present only with personal access, so not "required" in the schema; never null placeholders.
    first_name = serializers.CharField(required=False, help_text="personal access only (R-40)")
    last_name = serializers.CharField(required=False, help_text="personal access only (R-40)")
    email = serializers.CharField(required=False, help_text="personal access only (R-40)")
    phone = serializers.CharField(required=False, help_text="personal access only (R-40)")
    birth_date = serializers.DateField(required=False, allow_null=True, help_text="own organisation only (R-40)")
    health_notes = serializers.CharField(required=False, help_text="own organisation only (R-40)")
    has_bsn = serializers.BooleanField(required=False, help_text="own organisation only (R-40)")
    bsn_masked = serializers.CharField(required=False, help_text="own organisation only, e.g. ******782 (R-40)")

    class Meta:
        model = Candidate
        fields = [
            "id", "organisation", "adviser", "target_group", "job_agreement", "work_ready_since", "hours_per_week",
            "postcode", "municipality", "skills", "max_travel_km", "status", "profile_reviewed_at", "completeness",
            "completeness_missing", "is_stale", "days_since_review", "created_at", "updated_at", "personal_access",
            "first_name", "last_name", "email", "phone", "birth_date", "health_notes", "has_bsn", "bsn_masked",
        ]  # fmt: skip
        read_only_fields = fields[:20]

    PLAIN = (
        "id", "organisation_id", "adviser_id", "target_group", "job_agreement", "hours_per_week", "postcode",
        "municipality", "max_travel_km", "status",
    )  # fmt: skip

    def to_representation(self, candidate: Candidate) -> dict:
        # Built by hand: no relation is read, so a page is one query; the personal fields are added only when
        # the caller may see them (absent, not null, otherwise).
        user = self.context["request"].user
        # Every candidate served here comes from `candidates_visible_to`: not of the own organisation means it
        # is referred to a vacancy of the caller.
        level = candidate_selectors.access_level(user, candidate, referred_to_user=True)
        complete = candidate_selectors.completeness(candidate)
        fresh = candidate_selectors.freshness(candidate, now=self.context.get("now"))
        row = {name.removesuffix("_id"): getattr(candidate, name) for name in self.PLAIN}
        row.update(
            work_ready_since=_date(candidate.work_ready_since),
            skills=list(candidate.skills or []),
            profile_reviewed_at=_timestamp(candidate.profile_reviewed_at),
            completeness=complete.score,
            completeness_missing=list(complete.missing),
            is_stale=fresh.is_stale,
            days_since_review=fresh.days,
            created_at=_timestamp(candidate.created_at),
            updated_at=_timestamp(candidate.updated_at),
        )
        if level == candidate_selectors.PersonalAccess.NONE:
            return row
        row["personal_access"] = level.name.lower()
        for name in level.fields:
            value = getattr(candidate, name)
            row[name] = _date(value) if name == "birth_date" else value
        if level == candidate_selectors.PersonalAccess.FULL:
            row["has_bsn"] = candidate.bsn_hash is not None
            row["bsn_masked"] = mask_bsn(candidate.bsn) if candidate.bsn_hash else ""
        return row


class CandidateInput(serializers.Serializer):
    """Typed input; the service checks the BSN (R-40), the skills, the adviser and the model rules.

    R-58: only names, target group, hours and postcode are required; the BSN is optional and write-only.
    """

    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=120)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    health_notes = serializers.CharField(required=False, allow_blank=True, trim_whitespace=True)
    bsn = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=20,
        help_text="R-40: optional (R-58), 9 digits passing the eleven-test; stored encrypted, never returned",
    )
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    job_agreement = serializers.BooleanField(required=False)
    work_ready_since = serializers.DateField(required=False, allow_null=True, help_text="R-41")
    hours_per_week = serializers.IntegerField(min_value=1, max_value=60)
    postcode = serializers.CharField(max_length=20)
    municipality = serializers.CharField(max_length=100, required=False, allow_blank=True)
    skills = serializers.ListField(child=serializers.IntegerField(), required=False, help_text="vocabulary ids")
    max_travel_km = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    adviser = serializers.IntegerField(required=False, help_text="a colleague of your organisation; default: you")


class CandidateUpdateInput(CandidateInput):
    status = serializers.ChoiceField(choices=CandidateStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class ReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(ranking.WEIGHTS))
    points = serializers.FloatField()
    max_points = serializers.IntegerField()
    values = serializers.DictField(help_text="the data behind the reason, per code")
    text = serializers.CharField()


class CandidateMatchSerializer(serializers.Serializer):
    """One ranked candidate (R-18, R-42). The personal fields follow only with personal access (R-40)."""

    candidate = serializers.IntegerField()
    score = serializers.IntegerField(min_value=0, max_value=100)
    reasons = ReasonSerializer(many=True)
    organisation = serializers.IntegerField()
    organisation_name = serializers.CharField()
    adviser = serializers.IntegerField()
    adviser_name = serializers.CharField()
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    job_agreement = serializers.BooleanField()
    hours_per_week = serializers.IntegerField()
    municipality = serializers.CharField()
    work_ready_since = serializers.DateField()
    skills = serializers.ListField(child=serializers.IntegerField())
    already_referred = serializers.BooleanField()
    distance_km = serializers.FloatField(
        allow_null=True, help_text="R-42: km between the candidate's and the job's place; null when a place is unknown"
    )
    max_travel_km = serializers.IntegerField(allow_null=True, help_text="R-42: the candidate's maximum, a hard limit")
    personal_access = serializers.BooleanField()
    first_name = serializers.CharField(required=False)
    last_name = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    postcode = serializers.CharField(required=False)


class MatchNoticeSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="age_groups: other organisations' candidates are matched on their age group of 5 years (R-40)"
    )
    rule = serializers.CharField()
    detail = serializers.CharField()


class VacancyMatchesSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    results = CandidateMatchSerializer(many=True)
    notices = MatchNoticeSerializer(
        many=True, help_text="where the ranking applies the requirements differently, and why"
    )


class VacancyMatchSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    score = serializers.IntegerField(min_value=0, max_value=100)
    reasons = ReasonSerializer(many=True)
    title = serializers.CharField()
    employer = serializers.IntegerField()
    employer_name = serializers.CharField()
    owner = serializers.IntegerField()
    owner_name = serializers.CharField()
    organisation = serializers.IntegerField()
    hours_per_week = serializers.IntegerField()
    municipality = serializers.CharField()
    postcode = serializers.CharField()
    expires_on = serializers.DateField()
    target_group_flags = serializers.ListField(child=serializers.CharField())
    skills = serializers.ListField(child=serializers.IntegerField())
    already_referred = serializers.BooleanField()
    distance_km = serializers.FloatField(allow_null=True, help_text="R-42: km from the candidate's place")


class CandidateMatchesSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    results = VacancyMatchSerializer(many=True)


def candidate_match_row(match: ranking.CandidateMatch) -> dict:
    row = {
        "candidate": match.candidate_id,
        "score": match.score,
        "reasons": match.reasons,
        "organisation": match.organisation_id,
        "organisation_name": match.organisation_name,
        "adviser": match.adviser_id,
        "adviser_name": match.adviser_name,
        "target_group": match.target_group,
        "job_agreement": match.job_agreement,
        "hours_per_week": match.hours_per_week,
        "municipality": match.municipality,
        "work_ready_since": _date(match.work_ready_since),
        "skills": match.skills,
        "already_referred": match.already_referred,
        "distance_km": match.distance_km,
        "max_travel_km": match.max_travel_km,
        "personal_access": match.personal is not None,
    }
    if match.personal is not None:
        row.update(match.personal)
    return row


def vacancy_match_row(match: ranking.VacancyMatch) -> dict:
    return {
        "vacancy": match.vacancy_id,
        "score": match.score,
        "reasons": match.reasons,
        "title": match.title,
        "employer": match.employer_id,
        "employer_name": match.employer_name,
        "owner": match.owner_id,
        "owner_name": match.owner_name,
        "organisation": match.organisation_id,
        "hours_per_week": match.hours_per_week,
        "municipality": match.municipality,
        "postcode": match.postcode,
        "expires_on": _date(match.expires_on),
        "target_group_flags": match.target_group_flags,
        "skills": match.skills,
        "already_referred": match.already_referred,
        "distance_km": match.distance_km,
    }


def match_notices(vacancy) -> list[dict]:
    """Where the ranking applies a vacancy's requirements differently, said rather than silently done (R-40: other
    organisations' candidates on their age group, `ranking.judged_on_age_groups`)."""
    if ranking.judged_on_age_groups(vacancy):
        return [{"code": "age_groups", "rule": "R-40", "detail": ranking.age_groups_message()}]
    return []


class PageInput(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=ranking.MAX_LIMIT, default=ranking.DEFAULT_LIMIT)
    offset = serializers.IntegerField(min_value=0, max_value=10_000, default=0)


PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description=f"default {ranking.DEFAULT_LIMIT}, at most {ranking.MAX_LIMIT}"),
    OpenApiParameter("offset", int, description="skip this many matches"),
]


def _page(request) -> dict:
    serializer = PageInput(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Filters --------------------------------------------------------------------------------------------------


class CandidateFilter(SyncFilterSet):
    target_group = django_filters.ChoiceFilter(choices=TargetGroup.choices, label="Target group")
    status = django_filters.ChoiceFilter(choices=CandidateStatus.choices, label="Status")
    # Ids: whole numbers in the range of an integer column (IdFilter), anything else is a 400, never ignored and
    # never a database error.
    organisation = IdFilter(label="Organisation id")
    adviser = IdFilter(label="Adviser (user id)")
    skill = IdFilter(method="with_skill", label="Has this skill (vocabulary id, R-42)")
    work_ready = django_filters.BooleanFilter(method="filter_work_ready", label="Work-ready today (R-41)")
    stale = django_filters.BooleanFilter(method="filter_stale", label="Profile not reviewed for CANDIDATE_STALE_DAYS")

    class Meta:
        model = Candidate
        fields = []

    def with_skill(self, queryset, name, value):
        # `@>` on the integer array: answered by the GIN index `candidate_skills`.
        return queryset.filter(skills__contains=[int(value)])

    def filter_work_ready(self, queryset, name, value):
        ready = queryset.work_ready(timezone.localdate())
        return ready if value else queryset.exclude(pk__in=ready.values("pk"))

    def filter_stale(self, queryset, name, value):
        cutoff = candidate_selectors.stale_cutoff()
        return queryset.stale(cutoff) if value else queryset.fresh(cutoff)


# --- Viewsets -------------------------------------------------------------------------------------------------


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Candidates the caller may see (R-40). Writes by staff of the candidate's own organisation."""

    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        # One query per page: the representation reads no relation. A page of the list reads the page's rows from
        # each arm of the visibility and their union; one candidate is read with the single condition.
        if self.action == "list":
            return candidate_selectors.candidates_listed_for(self.request.user)
        return candidate_selectors.candidates_visible_to(self.request.user)

    def filter_queryset(self, queryset):
        # The list's filters (django-filter, ordering) go into each arm of the visibility.
        if isinstance(queryset, Arms):
            return queryset.map(super().filter_queryset)
        return super().filter_queryset(queryset)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _pk(self) -> int:
        pk = int_or_none(self.kwargs["pk"])
        if pk is None:
            raise NotVisible(_("Candidate not found."))
        return pk

    def get_object(self) -> Candidate:
        candidate = candidate_selectors.candidate_for(user=self.request.user, candidate_id=self._pk())
        if candidate is None:
            raise NotVisible(_("Candidate not found."))
        return candidate

    def _read(self, candidate: Candidate, status_code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(candidate).data, status=status_code)

    @extend_schema(request=CandidateInput, responses={201: CandidateSerializer})
    @sensitive_variables()
    def create(self, request):
        data = _valid(CandidateInput, request.data)
        candidate = candidate_services.candidate_create(by=request.user, **data)
        return self._read(candidate, status.HTTP_201_CREATED)

    @extend_schema(request=CandidateUpdateInput, responses=CandidateSerializer)
    @sensitive_variables()
    def partial_update(self, request, pk=None):
        data = _valid(CandidateUpdateInput, request.data)
        candidate = candidate_services.candidate_update(candidate=self._pk(), by=request.user, **data)
        return self._read(candidate)

    @extend_schema(request=None, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def reviewed(self, request, pk=None):
        """The adviser checked the profile: it is fresh again."""
        candidate = candidate_services.candidate_mark_reviewed(candidate=self._pk(), by=request.user)
        return self._read(candidate)

    @extend_schema(parameters=PAGE_PARAMETERS, responses=CandidateMatchesSerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None, filter_backends=[])
    def matches(self, request, pk=None):
        """The open vacancies the candidate fits (R-16, R-41, R-42), best first, with reasons."""
        page = _page(request)
        candidate = self.get_object()
        matches = ranking.candidate_matches(candidate=candidate, user=request.user, **page)
        return Response({"candidate": candidate.pk, "results": [vacancy_match_row(m) for m in matches]})


class _ObjectListSchema(AutoSchema):
    """The matches `list` answers one object ({vacancy, results}), not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class VacancyMatchViewSet(viewsets.GenericViewSet):
    """`vacancies/{id}/matches/`: every fitting candidate of the region, ranked (R-17, R-18, R-42)."""

    schema = _ObjectListSchema()
    serializer_class = VacancyMatchesSerializer
    pagination_class = None
    filter_backends = []
    # Only the fields the ranking reads: the vacancy is one small query.
    VACANCY_FIELDS = ("id", "skills", "hours_per_week", "postcode", "municipality", "target_group_flags",
                      "min_age", "max_age", "latitude", "longitude")  # fmt: skip

    @extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH), *PAGE_PARAMETERS],
        responses=VacancyMatchesSerializer,
    )
    def list(self, request, id=None):
        page = _page(request)
        vacancy_id = int_or_none(id)
        if vacancy_id is None:
            raise NotVisible(_("Vacancy not found."))
        vacancy = Vacancy.objects.visible_to(request.user).only(*self.VACANCY_FIELDS).filter(pk=vacancy_id).first()
        if vacancy is None:
            raise NotVisible(_("Vacancy not found."))
        matches = ranking.vacancy_matches(vacancy=vacancy, user=request.user, **page)
        return Response(
            {
                "vacancy": vacancy.pk,
                "results": [candidate_match_row(m) for m in matches],
                "notices": match_notices(vacancy),
            }
        )


# The path parameter is called `id`, as in API.md's `vacancies/{id}/matches/`.
ROUTES = [
    ("candidates", CandidateViewSet, "candidate"),
    (r"vacancies/(?P<id>[^/.]+)/matches", VacancyMatchViewSet, "vacancy-matches"),
]
