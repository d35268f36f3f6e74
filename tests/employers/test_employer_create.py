"""Entering and editing employers through the services: R-03, R-06, R-07, R-08, R-08a."""

from datetime import timedelta

import pytest

from accounts.choices import Role
from employers import services
from employers.choices import ContactKind
from employers.models import ContactMoment, Employer
from tests.factories import AccountHolderFactory, EmployerFactory, UserFactory
from wsp.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def visit(now, **overrides) -> services.VisitReport:
    fields = {
        "occurred_at": now - timedelta(days=2),
        "reason": "Kennismaking",
        "company_activities": "Groothandel in bouwmaterialen",
        "agreements": "Vacature heftruckchauffeur aanmelden",
    }
    return services.VisitReport(**{**fields, **overrides})


def test_employer_enters_with_its_first_visit_and_the_adviser_as_main_account_holder_R03_R06(adviser, now):
    employer = services.employer_create(
        by=adviser,
        data={"name": "  Zuiderzee Logistiek ", "postcode": "1234ab", "kvk_number": "1234 5678"},
        first_visit=visit(now),
    )

    employer.refresh_from_db()
    assert employer.main_account_holder == adviser
    assert (employer.name, employer.postcode, employer.kvk_number) == ("Zuiderzee Logistiek", "1234 AB", "12345678")
    assert employer.name_key == "zuiderzeelogistiek"
    moment = ContactMoment.objects.get(employer=employer)
    assert moment.kind == ContactKind.VISIT
    assert (moment.adviser, moment.organisation) == (adviser, adviser.organisation)
    assert moment.agreements == "Vacature heftruckchauffeur aanmelden"
    # Entering the employer is itself an audit-trail entry, later than the visit two days ago.
    assert employer.last_contact_at >= moment.occurred_at


def test_employer_without_first_visit_is_refused_R06(adviser, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.employer_create(by=adviser, data={"name": "Zuiderzee Logistiek", "postcode": "1234 AB"})
    assert (refused.value.code, refused.value.rule) == ("first_contact_required", "R-06")
    assert counts() == before


@pytest.mark.parametrize("missing", ["reason", "company_activities", "agreements"])
def test_first_visit_without_its_report_is_refused_R08(adviser, now, counts, missing):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.employer_create(
            by=adviser,
            data={"name": "Zuiderzee Logistiek", "postcode": "1234 AB"},
            first_visit=visit(now, **{missing: " "}),
        )
    assert refused.value.rule == "R-08"
    assert f"first_visit.{missing}" in refused.value.fields
    assert counts() == before


def test_account_manager_names_the_adviser_who_owns_the_relation_R03(uwv, adviser, now):
    acquirer = UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER)

    employer = services.employer_create(
        by=acquirer,
        data={"name": "Zuiderzee Logistiek", "postcode": "1234 AB"},
        first_visit=visit(now),
        main_account_holder=adviser,
    )

    assert employer.main_account_holder == adviser
    assert ContactMoment.objects.get(employer=employer).adviser == acquirer


def test_account_manager_cannot_become_main_account_holder_R03(uwv, now, counts):
    acquirer = UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.employer_create(
            by=acquirer, data={"name": "Zuiderzee Logistiek", "postcode": "1234 AB"}, first_visit=visit(now)
        )
    assert (refused.value.code, refused.value.rule) == ("invalid_main_account_holder", "R-03")
    assert counts() == before


def test_same_normalised_name_at_same_postcode_cannot_be_confirmed_away_R07(adviser, other_adviser, now, counts):
    existing = EmployerFactory(name="De Vries Bouw B.V.", postcode="1234 AB")
    before = counts()

    with pytest.raises(Conflict) as refused:
        services.employer_create(
            by=other_adviser,
            data={"name": "DeVries-bouw", "postcode": "1234ab"},
            first_visit=visit(now),
            confirm_not_duplicate=True,
        )

    assert refused.value.rule == "R-07"
    assert refused.value.extra["overridable"] is False
    assert [d["id"] for d in refused.value.extra["duplicates"]] == [existing.pk]
    assert counts() == before


def test_same_kvk_number_at_same_postcode_is_a_duplicate_R07(adviser, now, counts):
    existing = EmployerFactory(name="Heel Andere Naam", postcode="1234 AB", kvk_number="87654321")
    before = counts()
    with pytest.raises(Conflict) as refused:
        services.employer_create(
            by=adviser,
            data={"name": "Zuiderzee Logistiek", "postcode": "1234 AB", "kvk_number": "87654321"},
            first_visit=visit(now),
        )
    assert [d["id"] for d in refused.value.extra["duplicates"]] == [existing.pk]
    assert counts() == before


def test_similar_name_is_entered_only_after_confirmation_R07(adviser, now, counts):
    existing = EmployerFactory(name="Bakkerij Jansen", postcode="2011 AB")
    data = {"name": "Bakkerij Janssen", "postcode": "2011 AB"}
    before = counts()

    with pytest.raises(Conflict) as refused:
        services.employer_create(by=adviser, data=data, first_visit=visit(now))
    assert refused.value.extra["overridable"] is True
    assert refused.value.extra["duplicates"][0]["id"] == existing.pk
    assert counts() == before

    created = services.employer_create(by=adviser, data=data, first_visit=visit(now), confirm_not_duplicate=True)
    assert created.pk != existing.pk
    assert Employer.objects.filter(postcode="2011 AB").count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("postcode", "123 AB"),
        ("postcode", "0123 AB"),
        ("postcode", "ABCD 12"),
        ("kvk_number", "1234567"),
        ("kvk_number", "123456789"),
        ("kvk_number", "1234567A"),
    ],
)
def test_malformed_postcode_or_kvk_number_is_refused_R08a(adviser, now, counts, field, value):
    data = {"name": "Zuiderzee Logistiek", "postcode": "1234 AB", field: value}
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.employer_create(by=adviser, data=data, first_visit=visit(now))
    assert field in refused.value.fields
    assert counts() == before


def test_employer_update_corrects_data_and_normalises_it_R08a(employer, other_adviser):
    AccountHolderFactory(employer=employer, user=other_adviser)  # admitted
    services.employer_update(employer_id=employer.pk, by=other_adviser, data={"postcode": "2012cd", "staff_count": 80})

    employer.refresh_from_db()
    assert (employer.postcode, employer.staff_count) == ("2012 CD", 80)
    # Ownership is not editable through an update (R-03 has its own services).
    services.employer_update(employer_id=employer.pk, by=other_adviser, data={"main_account_holder": other_adviser})
    employer.refresh_from_db()
    assert employer.main_account_holder_id != other_adviser.pk


def test_employer_update_into_a_duplicate_is_refused_R07(employer, adviser, counts):
    other = EmployerFactory(name="De Vries Bouw", postcode="2011 AB")
    before = counts()
    with pytest.raises(Conflict) as refused:
        services.employer_update(employer_id=employer.pk, by=adviser, data={"name": "DeVries Bouw B.V."})
    assert [d["id"] for d in refused.value.extra["duplicates"]] == [other.pk]
    employer.refresh_from_db()
    assert employer.name == "Bakkerij Jansen"
    assert counts() == before
