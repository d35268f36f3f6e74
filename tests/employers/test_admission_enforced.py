"""R-04 enforced in the services, so the browser, the API and Celery all meet it: only the main account holder, an
admitted account holder or a manager registers contact moments and visits, answers contact requests (R-10),
changes the employer record, or ceases and reactivates it. Anyone else is refused (403 `admission_required`) and
the data stays as it was. Registering a contact request stays open to all staff: it goes to the main account holder.
"""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.forms.models import model_to_dict

from accounts.choices import Role
from employers import services
from employers.choices import ContactKind, EmployerStatus
from employers.models import ContactRequest, Employer
from tests.factories import AccountHolderFactory, ContactRequestFactory, UserFactory
from wsp.errors import RuleRefused

pytestmark = pytest.mark.django_db


def _register_phone(employer, user, now):
    return services.contact_moment_register(
        employer_id=employer.pk, by=user, kind=ContactKind.PHONE, occurred_at=now - timedelta(hours=1), summary="Gebeld"
    )


def _register_visit(employer, user, now):
    return services.contact_moment_register(
        employer_id=employer.pk,
        by=user,
        kind=ContactKind.VISIT,
        occurred_at=now - timedelta(hours=1),
        reason="Kennismaking",
        company_activities="Brood en banket",
        agreements="Vacature aanmelden",
    )


def _update(employer, user, now):
    return services.employer_update(employer_id=employer.pk, by=user, data={"city": "Zandvoort"})


def _cease(employer, user, now):
    return services.employer_cease(employer_id=employer.pk, by=user, ceased_on=date(2025, 1, 31))


def _reactivate(employer, user, now):
    return services.employer_reactivate(employer_id=employer.pk, by=user)


def _respond(employer, user, now):
    request = ContactRequest.objects.get(employer=employer)
    return services.contact_request_respond(request_id=request.pk, by=user, response="Teruggebeld")


def _ceased(employer):
    Employer.objects.filter(pk=employer.pk).update(status=EmployerStatus.CEASED, ceased_on=date(2025, 1, 31))


# What each action needs first, and the action.
ACTIONS = {
    "contact moment": (None, _register_phone),
    "visit": (None, _register_visit),
    "record change": (None, _update),
    "cease": (None, _cease),
    "reactivate": (_ceased, _reactivate),
    "contact request response": (lambda employer: ContactRequestFactory(employer=employer), _respond),
}


def _act(action: str, employer, user, now):
    prepare, act = ACTIONS[action]
    if prepare:
        prepare(employer)
    return act


@pytest.fixture
def outsider(request, other_adviser, colleague, uwv):
    """Not the main account holder, not admitted, not a manager: another organisation's adviser, a colleague of
    the same organisation, an account manager, an administrator (who keeps the reference data: before, the
    `is_manager` check let them act as a manager would)."""
    return {
        "other organisation": other_adviser,
        "same organisation": colleague,
        "account manager": UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER),
        "administrator": UserFactory(organisation=uwv, role=Role.ADMIN),
    }[request.param]


def _state(employer) -> dict:
    employer = Employer.objects.get(pk=employer.pk)
    return {
        **model_to_dict(employer),
        "last_contact_at": employer.last_contact_at,
        "requests": list(ContactRequest.objects.filter(employer=employer).values()),
    }


@pytest.mark.parametrize(
    "outsider", ["other organisation", "same organisation", "account manager", "administrator"], indirect=True
)
@pytest.mark.parametrize("action", ACTIONS)
def test_anyone_but_holders_and_managers_is_refused_and_nothing_changes_R04(employer, outsider, now, counts, action):
    act = _act(action, employer, outsider, now)
    before, state = counts(), _state(employer)

    with pytest.raises(RuleRefused) as refused:
        act(employer, outsider, now)

    error = refused.value
    assert (error.code, error.rule, error.status_code) == ("admission_required", "R-04", 403)
    assert error.extra["main_account_holder"] == employer.main_account_holder_id
    assert error.extra["access_request"] == f"/api/v1/employers/{employer.pk}/access-requests/"
    assert counts() == before
    assert _state(employer) == state


@pytest.mark.parametrize("who", ["main account holder", "admitted account holder", "manager"])
@pytest.mark.parametrize("action", ACTIONS)
def test_main_account_holder_admitted_holders_and_managers_act_R04(employer, adviser, other_adviser, manager, now,
                                                                   who, action):  # fmt: skip
    user = {"main account holder": adviser, "admitted account holder": other_adviser, "manager": manager}[who]
    if who == "admitted account holder":
        AccountHolderFactory(employer=employer, user=other_adviser)
    _act(action, employer, user, now)(employer, user, now)


def test_a_manager_of_another_organisation_acts_too_R04(employer, municipality, now):
    """R-04 names managers without limiting them to the main account holder's organisation."""
    manager = UserFactory(organisation=municipality, role=Role.MANAGER)
    _update(employer, manager, now)
    assert Employer.objects.get(pk=employer.pk).city == "Zandvoort"


def test_registering_a_contact_request_stays_open_to_all_staff_and_goes_to_the_main_holder_R04_R10(
    employer, adviser, other_adviser, now
):
    request = services.contact_request_register(
        employer_id=employer.pk, by=other_adviser, received_at=now - timedelta(minutes=10), question="Bel terug"
    )
    assert request.assigned_to == adviser


def test_admission_is_checked_before_the_input_so_an_outsider_learns_nothing_else_R04(employer, other_adviser, now):
    with pytest.raises(RuleRefused):
        services.contact_moment_register(
            employer_id=employer.pk, by=other_adviser, kind=ContactKind.VISIT, occurred_at=now, reason=""
        )


def test_takeover_after_12_months_needs_no_admission_R04_R05(employer, other_adviser, set_last_contact, now):
    set_last_contact(employer, now - relativedelta(months=13))
    taken = services.employer_take_over(employer_id=employer.pk, by=other_adviser)
    assert taken.main_account_holder == other_adviser
    # From then on they act as main account holder.
    _update(taken, other_adviser, now)


def test_admission_after_approval_opens_the_actions_R04(employer, adviser, other_adviser, now):
    with pytest.raises(RuleRefused):
        _register_phone(employer, other_adviser, now)
    access = services.access_request_create(employer_id=employer.pk, by=other_adviser)
    services.access_request_decide(request_id=access.pk, by=adviser, approve=True)
    assert _register_phone(employer, other_adviser, now).adviser == other_adviser


def test_an_administrator_does_not_ask_for_admission_either_R04(employer, uwv, counts):
    """Admission would make an administrator an account holder who acts; administrators keep reference data."""
    administrator = UserFactory(organisation=uwv, role=Role.ADMIN)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.access_request_create(employer_id=employer.pk, by=administrator, message="Mag ik?")
    assert (refused.value.code, refused.value.status_code) == ("role_not_allowed", 403)
    assert counts() == before
