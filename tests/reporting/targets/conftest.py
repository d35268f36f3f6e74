"""Fixtures of the targets tests (R-50, R-51, R-52): placements, employers and visits placed in a year."""

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.choices import OrganisationKind
from matching.choices import TargetGroup
from reporting.targets.models import Target
from tests.factories import CandidateFactory, ContactMomentFactory, EmployerFactory, PlacementFactory

TARGET_MODELS = ("targets.Target", "targets.TargetChange", "targets.SectorEmployerCount")


@pytest.fixture
def target_counts(counts) -> Callable[[], dict]:
    """Row counts and the stored target values: equal before and after a refusal."""

    def snapshot():
        rows = counts()
        rows.update({label: apps.get_model(label).objects.count() for label in TARGET_MODELS})
        rows["values"] = sorted(Target.objects.values_list("id", "target"))
        return rows

    return snapshot


def make_placement(*, start: date, group=TargetGroup.WW, hours="32", job_agreement=False, employer=None, **fields):
    # the candidate is in a caseload of the side their target group belongs to.
    kind = OrganisationKind.UWV if group in TargetGroup.uwv_groups() else OrganisationKind.MUNICIPALITY
    candidate = CandidateFactory(target_group=group, job_agreement=job_agreement, adviser__organisation__kind=kind)
    return PlacementFactory(
        start_date=start,
        referral__candidate=candidate,
        referral__vacancy__employer=employer or EmployerFactory(),
        hours_per_week=Decimal(hours),
        job_agreement=job_agreement,
        **fields,
    )


def make_visit(*, when: date, employer=None, adviser=None):
    employer = employer or EmployerFactory()
    adviser = adviser or employer.main_account_holder
    moment = timezone.make_aware(datetime.combine(when, time(10)))
    return ContactMomentFactory(visit=True, employer=employer, adviser=adviser, occurred_at=moment)


@pytest.fixture
def client_for(client_for) -> Callable:
    """The shared fixture's API clients, sending JSON (the API's only parser)."""

    def make(user):
        client = client_for(user)
        client.default_format = "json"
        return client

    return make


@pytest.fixture
def token_client(token_client) -> Callable:
    def make(**owner):
        client, token = token_client(**owner)
        client.default_format = "json"
        return client, token

    return make
