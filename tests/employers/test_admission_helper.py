"""R-04: who may act towards an employer, decided in one place (`may_act_for_employer`, `require_admission`)."""

import pytest

from employers.selectors import may_act_for_employer
from employers.services import require_admission
from tests.factories import AccountHolderFactory
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
