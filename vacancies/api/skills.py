"""The skills vocabulary (API.md `skills/`, R-42): read-only."""

import django_filters
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter

from ..filters import SkillFilter
from ..models import Skill
from .serializers import SkillSerializer


class SkillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-42: the shared vocabulary of occupations, skills and competences; vacancies and candidates refer to it
    by id. Read-only: the vocabulary is loaded from vacancies/data (`manage.py load_vocabulary`)."""

    queryset = Skill.objects.all()
    serializer_class = SkillSerializer
    filterset_class = SkillFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id", "name"]
