"""API for vacancies and the skills vocabulary (API.md). Thin: input is typed here, rules live in services.

One module per part: `serializers`, `vacancies` (the staff endpoints), `skills` (the vocabulary) and `public` (the
published vacancies, R-16). `ROUTES` is what wsp/api/urls.py registers.
"""

from .public import (
    PublicContactSerializer,
    PublicErrorSerializer,
    PublicPagination,
    PublicRateThrottle,
    PublicVacancySerializer,
    PublicVacancyViewSet,
)
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
    PartnerInput,
    ReactivateInput,
    ReceiptCorrectionSerializer,
    RecruitmentPlanSerializer,
    SkillSerializer,
    UnblockInput,
    VacancyCreateInput,
    VacancyFieldsInput,
    VacancySerializer,
    VacancyUpdateInput,
)
from .skills import SkillViewSet
from .vacancies import MOVED_BY_ACTIONS, RECORDED_MOMENTS, VacancyViewSet

ROUTES = [
    ("vacancies", VacancyViewSet, "vacancy"),
    ("skills", SkillViewSet, "skill"),
    ("public/vacancies", PublicVacancyViewSet, "public-vacancy"),
]


__all__ = [
    "ROUTES",
    "BlockInput",
    "CloseInput",
    "CoProductionInput",
    "CorrectReceiptInput",
    "DuplicateInput",
    "ExtendInput",
    "HandOverInput",
    "LateRegistrationSerializer",
    "MOVED_BY_ACTIONS",
    "NoteInput",
    "PartnerInput",
    "PublicContactSerializer",
    "PublicErrorSerializer",
    "PublicPagination",
    "PublicRateThrottle",
    "PublicVacancySerializer",
    "PublicVacancyViewSet",
    "RECORDED_MOMENTS",
    "ReactivateInput",
    "ReceiptCorrectionSerializer",
    "RecruitmentPlanSerializer",
    "SkillSerializer",
    "SkillViewSet",
    "UnblockInput",
    "VacancyCreateInput",
    "VacancyFieldsInput",
    "VacancySerializer",
    "VacancyUpdateInput",
    "VacancyViewSet",
]
