"""R-09: ceased employers are marked, later purged, and the figures they contributed to survive."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from employers import services
from employers.choices import EmployerStatus, EmployerType, SizeClass
from employers.models import ContactMoment, Employer, EmployerMerge, PurgedEmployerTally
from tests.factories import ContactMomentFactory, EmployerFactory, SectorFactory, VacancyFactory
from wsp.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def test_cease_marks_the_employer_with_its_date_R09(employer, adviser):
    ceased = services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=date(2024, 3, 1))
    ceased.refresh_from_db()
    assert (ceased.status, ceased.ceased_on) == (EmployerStatus.CEASED, date(2024, 3, 1))


def test_cease_twice_or_in_the_future_is_refused_R09(employer, adviser, counts):
    before = counts()
    with pytest.raises(InvalidInput):
        services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=timezone.localdate() + timedelta(days=2))
    assert counts() == before
    services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=date(2024, 3, 1))
    before = counts()
    with pytest.raises(Conflict):
        services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=date(2024, 4, 1))
    employer.refresh_from_db()
    assert employer.ceased_on == date(2024, 3, 1)
    assert counts() == before


def test_reactivate_undoes_cease_R09(employer, adviser):
    services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=date(2024, 3, 1))
    services.employer_reactivate(employer_id=employer.pk, by=adviser)
    employer.refresh_from_db()
    assert (employer.status, employer.ceased_on) == (EmployerStatus.ACTIVE, None)


def test_purge_deletes_old_ceased_employers_and_keeps_their_figures_R09():
    sector = SectorFactory()
    common = {
        "sector": sector,
        "municipality": "Haarlem",
        "employer_type": EmployerType.MARKET,
        "status": EmployerStatus.CEASED,
    }
    old_a = EmployerFactory(**common, staff_count=12, ceased_on=date(2022, 2, 1))
    old_b = EmployerFactory(**common, staff_count=40, ceased_on=date(2022, 9, 1))  # same size class 10-49
    EmployerFactory(**common, staff_count=3, ceased_on=date(2022, 5, 1))
    recent = EmployerFactory(**common, staff_count=12, ceased_on=date(2024, 6, 1))
    active = EmployerFactory(sector=sector)
    ContactMomentFactory.create_batch(2, employer=old_a)
    ContactMomentFactory(employer=old_a, visit=True)
    ContactMomentFactory(employer=old_b, visit=True)
    ContactMomentFactory(employer=recent)

    purged = services.employers_purge_ceased(ceased_before=date(2024, 1, 1))

    assert (purged.deleted, purged.anonymised) == (3, 0)
    assert set(Employer.objects.values_list("pk", flat=True)) == {recent.pk, active.pk}
    assert not ContactMoment.objects.filter(employer_id__in=[old_a.pk, old_b.pk]).exists()
    tallies = {
        t.size_class: (t.year_ceased, t.sector_id, t.municipality, t.employers, t.contact_moments, t.visits)
        for t in PurgedEmployerTally.objects.all()
    }
    assert tallies == {
        SizeClass.SMALL: (2022, sector.pk, "Haarlem", 2, 4, 2),
        SizeClass.MICRO: (2022, sector.pk, "Haarlem", 1, 0, 0),
    }


def test_purge_adds_to_existing_tallies_and_is_idempotent_R09():
    common = {"status": EmployerStatus.CEASED, "municipality": "Velsen", "staff_count": 100, "sector": None}
    first = EmployerFactory(**common, ceased_on=date(2021, 1, 10))
    ContactMomentFactory(employer=first)
    services.employers_purge_ceased(ceased_before=date(2024, 1, 1))
    second = EmployerFactory(**common, ceased_on=date(2021, 6, 10))
    ContactMomentFactory.create_batch(2, employer=second)

    assert services.employers_purge_ceased(ceased_before=date(2024, 1, 1)).total == 1
    assert services.employers_purge_ceased(ceased_before=date(2024, 1, 1)).total == 0

    tally = PurgedEmployerTally.objects.get()
    assert (tally.year_ceased, tally.size_class, tally.employers, tally.contact_moments) == (2021, "50-249", 2, 3)


def test_purge_takes_merged_tombstones_along_R07_R09(manager):
    keep = EmployerFactory(status=EmployerStatus.CEASED, ceased_on=date(2020, 1, 1))
    duplicate = EmployerFactory()
    services.employer_merge(keep_id=keep.pk, merge_id=duplicate.pk, by=manager)

    assert services.employers_purge_ceased(ceased_before=date(2024, 1, 1)).deleted == 1

    assert not Employer.objects.filter(pk=keep.pk).exists()
    assert not EmployerMerge.objects.exists()
    # The duplicate was the same (ceased) employer: it must not reappear in the region's employer list.
    assert not Employer.objects.current().filter(pk=duplicate.pk).exists()


def test_purge_does_not_count_a_merged_duplicate_as_an_employer_R07_R09_R57():
    keep = EmployerFactory()
    # The tombstone of a duplicate that had been marked ceased before a manager merged it into `keep`.
    EmployerFactory(status=EmployerStatus.CEASED, ceased_on=date(2020, 1, 1), merged_into=keep)

    services.employers_purge_ceased(ceased_before=date(2024, 1, 1))

    assert sum(PurgedEmployerTally.objects.values_list("employers", flat=True)) == 0


def test_purge_keeps_a_ceased_employer_whose_vacancies_carry_figures_R09_R57():
    """Vacancy, referral and placement figures are reproduced from their records, so their employer stays (as an
    anonymised record, see test_purge_anonymisation.py)."""
    long_ago = date(2020, 1, 1)
    with_vacancy = EmployerFactory(status=EmployerStatus.CEASED, ceased_on=long_ago)
    VacancyFactory(employer=with_vacancy)
    without = EmployerFactory(status=EmployerStatus.CEASED, ceased_on=long_ago)
    result = services.employers_purge_ceased(ceased_before=date(2021, 1, 1))
    assert (result.deleted, result.anonymised) == (1, 1)
    assert list(Employer.objects.values_list("pk", flat=True)) == [with_vacancy.pk]
    assert not Employer.objects.filter(pk=without.pk).exists()
