"""Reads: the list and its filters, the vacancy page, the home worklist, late registrations per organisation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import Role
from tests.factories import EmployerFactory, UserFactory, VacancyFactory
from vacancies import selectors, services
from vacancies.choices import RecruitmentActivity, TargetGroupFlag, VacancyStatus, Visibility

pytestmark = pytest.mark.django_db


def late(**fields):
    """A vacancy registered 30 hours after receipt (R-12)."""
    now = timezone.now()
    return VacancyFactory(received_at=now - timedelta(hours=31), registered_at=now - timedelta(hours=1), **fields)


def test_late_registrations_are_counted_per_organisation_R12(adviser, colleague, other_adviser, uwv, municipality):
    late(employer=EmployerFactory(main_account_holder=adviser))
    late(employer=EmployerFactory(main_account_holder=colleague))
    VacancyFactory(employer=EmployerFactory(main_account_holder=adviser))
    VacancyFactory(employer=EmployerFactory(main_account_holder=other_adviser))
    last_year = VacancyFactory(employer=EmployerFactory(main_account_holder=other_adviser))
    last_year.__class__.objects.filter(pk=last_year.pk).update(
        received_at=timezone.now() - timedelta(days=400), registered_at=timezone.now() - timedelta(days=398)
    )

    rows = selectors.late_registration_counts(year=timezone.localdate().year)

    as_registered = {"receipt_corrected": 0, "corrected_to_on_time": 0}
    assert rows == [
        {"organisation": municipality.pk, "organisation_name": "Gemeente Haarlem", "registered": 1, "late": 0,
         "late_share": 0.0, "late_as_registered": 0, "late_share_as_registered": 0.0, **as_registered},
        {"organisation": uwv.pk, "organisation_name": "UWV", "registered": 3, "late": 2, "late_share": 0.667,
         "late_as_registered": 2, "late_share_as_registered": 0.667, **as_registered},
    ]  # fmt: skip


def test_vacancy_list_filters_R02_R12_R14_R42(adviser, other_adviser, employer, skills):
    mine = VacancyFactory(employer=employer, title="Heftruckchauffeur", skills=[skills[0].pk])
    flagged = VacancyFactory(
        employer=EmployerFactory(name="Zorggroep Kennemerland", main_account_holder=other_adviser),
        title="Helpende zorg",
        target_group_flags=[TargetGroupFlag.WAJONG],
        visibility=Visibility.INTERNAL,
    )
    overdue = late(employer=employer, title="Kok", status=VacancyStatus.EXPIRED)

    def ids(**filters):
        return {v.pk for v in selectors.vacancy_list(user=adviser, filters=filters)}

    assert ids() == {mine.pk, flagged.pk, overdue.pk}
    assert ids(q="heftruck") == {mine.pk}
    assert ids(q="zorggroep kennemerland") == {flagged.pk}
    assert ids(q="Bakkerij Jansen") == {mine.pk, overdue.pk}
    assert ids(status="expired") == {overdue.pk}
    assert ids(visibility="internal") == {flagged.pk}
    assert ids(owner=other_adviser.pk) == {flagged.pk}
    assert ids(organisation=other_adviser.organisation_id) == {flagged.pk}
    assert ids(employer=employer.pk) == {mine.pk, overdue.pk}
    assert ids(target_group="wajong") == {flagged.pk}
    assert ids(registered_late=True) == {overdue.pk}
    assert ids(skill=skills[0].pk) == {mine.pk}
    assert ids(mine=True) == {mine.pk, overdue.pk}


def test_vacancy_page_has_a_fixed_number_of_queries(
    django_assert_num_queries, employer, adviser, other_adviser, book, skills
):
    vacancy = VacancyFactory(employer=employer, requested_positions=12, skills=[skills[1].pk, skills[0].pk])
    services.co_production_start(
        vacancy=vacancy,
        by=adviser,
        activities=[RecruitmentActivity.JOB_FAIR],
        partners=[other_adviser.organisation],
        partner_owners={other_adviser.organisation_id: other_adviser},
    )
    book(vacancy)
    # 1 vacancy with its joins + skills + plan + its partners + booked count + handovers + children + duplicates.
    with django_assert_num_queries(8):
        page = selectors.vacancy_page(vacancy_id=vacancy.pk, user=other_adviser)
        assert [p.pk for p in page.recruitment_plan.partners.all()] == [other_adviser.organisation_id]
    assert (page.booked_placements, len(page.children), page.is_owner) == (1, 1, False)
    assert page.skills == [skills[1], skills[0]]
    assert selectors.vacancy_page(vacancy_id=987654321, user=adviser) is None


def test_home_shows_my_late_expiring_and_expired_vacancies_R12_R20(adviser, employer, now):
    today = timezone.localdate(now)
    registered_late = late(employer=employer)
    expiring = VacancyFactory(employer=employer, expires_on=today + timedelta(days=10))
    expired = VacancyFactory(employer=employer, status=VacancyStatus.EXPIRED)
    VacancyFactory(employer=employer, expires_on=today + timedelta(days=60))
    VacancyFactory(expires_on=today + timedelta(days=3), owner=UserFactory())  # someone else's

    home = selectors.vacancies_for_home(user=adviser, now=now)

    assert [v.pk for v in home["late_or_due"]] == [registered_late.pk]
    assert [v.pk for v in home["expiring"]] == [expiring.pk]
    assert [v.pk for v in home["expired"]] == [expired.pk]


def test_the_employer_search_of_registration_offers_administrators_no_registration_R04(adviser, manager, uwv):
    """R-04 as may_act_for_employer reads it: managers (role manager) act, administrators set up and do not."""
    EmployerFactory(name="Garage Zuid", main_account_holder=adviser)
    admin = UserFactory(username="beheer", role=Role.ADMIN, organisation=uwv)
    [for_admin] = selectors.employers_to_pick(query="Garage Zuid", user=admin, limit=5)
    [for_manager] = selectors.employers_to_pick(query="Garage Zuid", user=manager, limit=5)
    assert (for_admin.may_act, for_manager.may_act) == (False, True)
