"""Fixtures of the projects tests: the DW2012 project of seed 004 and row counts of this app's tables."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from reporting.projects import services

PROJECT_MODELS = (
    "projects.Project",
    "projects.ProjectNumber",
    "projects.MaxSubsidyChange",
    "projects.Activity",
    "projects.TargetChange",
    "projects.ProjectPlacement",
    "projects.Event",
    "projects.EventReferral",
    "projects.EventPlacement",
    "projects.ChannelReach",
)


@pytest.fixture
def project_counts(db):
    def snapshot():
        return {label: apps.get_model(label).objects.count() for label in PROJECT_MODELS}

    return snapshot


def project_fields(**overrides):
    fields = {
        "numbers": ["2016DW2012"],
        "title": "Dienstverlening werkzoekenden corporatiesector 2.0",
        "applicant": "Stichting Fonds Leren en Ontwikkelen Wooncorporaties (FLOW)",
        "executors": "Stichting Fonds Leren en Ontwikkelen Wooncorporaties",
        "period_start": date(2016, 7, 15),
        "period_end": date(2018, 12, 31),
        "budgeted_direct_costs": Decimal("1245313"),
        "max_subsidy": Decimal("859265"),
        "requested_subsidy": Decimal("710781"),
        "activities": [
            {"code": "1", "description": "Landelijke events", "target": 2, "realised": "8"},
            {"code": "4", "description": "Begeleiding", "target": 700, "not_realised": True,
             "not_realised_reason": "Geen BSN"},
        ],
    }  # fmt: skip
    fields.update(overrides)
    return fields


@pytest.fixture
def project(manager):
    return services.project_create(by=manager, **project_fields())
