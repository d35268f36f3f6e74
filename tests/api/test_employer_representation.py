"""The employer rows are built by hand for speed; they must say exactly what DRF's generic fields would say."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

from employers.api import EmployerSerializer
from employers.choices import LastContactSource
from employers.models import Employer
from tests.factories import AccountHolderFactory, EmployerFactory, SectorFactory

pytestmark = pytest.mark.django_db


class GenericEmployerSerializer(EmployerSerializer):
    """The same declared fields, rendered by DRF's field machinery."""

    account_holders = serializers.SerializerMethodField()
    takeover_possible_from = serializers.SerializerMethodField()
    to_representation = serializers.ModelSerializer.to_representation


@pytest.mark.parametrize("ceased", [False, True])
def test_hand_built_row_equals_the_generic_serializer(ceased):
    """Including the R-05 fields that say which entry set the last contact, and R-09's purged_at."""
    employer = EmployerFactory(
        sector=SectorFactory(),
        kvk_number="12345678",
        staff_count=120,
        website="https://example.org",
        contact_email="hr@example.org",
    )
    AccountHolderFactory(employer=employer)
    if ceased:
        Employer.objects.filter(pk=employer.pk).update(status="ceased", ceased_on=date(2026, 1, 31))
    Employer.objects.filter(pk=employer.pk).update(
        last_contact_at=timezone.now() - timedelta(days=30),
        last_contact_source=LastContactSource.VISIT,
        last_contact_by=employer.main_account_holder,
    )
    if ceased:
        Employer.objects.filter(pk=employer.pk).update(purged_at=timezone.now())
    employer = Employer.objects.prefetch_related("account_holders").get(pk=employer.pk)

    fast, generic = EmployerSerializer(employer).data, GenericEmployerSerializer(employer).data
    assert list(fast) == list(generic)
    assert fast == generic
    assert (fast["last_contact_source"], fast["last_contact_by"]) == ("visit", employer.main_account_holder_id)
