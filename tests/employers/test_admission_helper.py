"""R-04: who may act towards an employer, decided in one place (`may_act_for_employer`, `require_admission`)."""

import pytest

from accounts.choices import Role
from employers.selectors import may_act_for_employer
from employers.services import require_admission
from tests.factories import AccountHolderFactory, UserFactory
from wsp.errors import RuleRefused

pytestmark = pytest.mark.django_db


def test_main_account_holder_admitted_holders_and_managers_may_act_R04(employer, adviser, colleague, manager):
    AccountHolderFactory(employer=employer, user=colleague)
    for user in (adviser, colleague, manager):
        assert may_act_for_employer(employer=employer, user=user)
        require_admission(employer, user)


def test_anyone_else_is_refused_with_the_way_to_ask_for_admission_R04(employer, other_adviser):
    assert not may_act_for_employer(employer=employer, user=other_adviser)
    with pytest.raises(RuleRefused) as refused:
        require_admission(employer, other_adviser)
    error = refused.value
    assert (error.code, error.rule, error.status_code) == ("admission_required", "R-04", 403)
    assert error.extra == {
        "main_account_holder": employer.main_account_holder_id,
        "access_request": f"/api/v1/employers/{employer.pk}/access-requests/",
    }
    assert "Anna de Jong" in str(error.detail)


def test_an_administrator_is_no_manager_for_R04(employer, uwv, municipality):
    """R-04 names managers (role MANAGER); an administrator (role ADMIN, `is_manager` for the manager pages) keeps
    the reference data and does not act towards employers. Before, `is_manager` let them."""
    for organisation in (uwv, municipality):
        administrator = UserFactory(organisation=organisation, role=Role.ADMIN)
        assert administrator.is_manager
        assert not may_act_for_employer(employer=employer, user=administrator)
        assert not may_act_for_employer(employer=employer, user=administrator, holder_ids=set())
        with pytest.raises(RuleRefused):
            require_admission(employer, administrator)
    assert may_act_for_employer(employer=employer, user=UserFactory(organisation=municipality, role=Role.MANAGER))
