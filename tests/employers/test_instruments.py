"""R-33: in a contact the WSP advises on instruments and subsidies and may apply them; a contact moment records
which were advised and which applied, from the one list in the code (employers.choices.Instrument)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from employers import services
from employers.choices import ContactKind, Instrument
from employers.models import ContactMoment
from tests.factories import ContactMomentFactory
from wsp.errors import InvalidInput

pytestmark = pytest.mark.django_db


def _visit(employer, adviser, now, **instruments):
    return services.contact_moment_register(
        employer_id=employer.pk,
        by=adviser,
        kind=ContactKind.VISIT,
        occurred_at=now - timedelta(hours=2),
        reason="Kennismaking",
        company_activities="Zorg",
        agreements="Proefplaatsing bespreken",
        **instruments,
    )


def test_a_visit_records_instruments_advised_and_applied_once_each_in_list_order_R33(employer, adviser, now):
    visit = _visit(
        employer,
        adviser,
        now,
        instruments_advised=["job_coaching", "lks", "lks"],
        instruments_applied=[Instrument.NO_RISK_POLICY],
    )
    visit.refresh_from_db()
    assert (visit.instruments_advised, visit.instruments_applied) == (["lks", "job_coaching"], ["no_risk_policy"])
    with translation.override("nl"):
        assert visit.instruments_advised_labels == ["Loonkostensubsidie en loondispensatie (LKS)", "Jobcoaching"]


def test_a_phone_call_records_instruments_too_and_none_is_an_empty_list_R33(employer, adviser, now):
    call = services.contact_moment_register(
        employer_id=employer.pk, by=adviser, kind=ContactKind.PHONE, occurred_at=now, summary="LIV uitgelegd",
        instruments_advised=("liv",),
    )  # fmt: skip
    plain = services.contact_moment_register(
        employer_id=employer.pk, by=adviser, kind=ContactKind.EMAIL, occurred_at=now, summary="Mail"
    )
    assert (call.instruments_advised, plain.instruments_advised, plain.instruments_applied) == (["liv"], [], [])


@pytest.mark.parametrize("kind", [ContactKind.VISIT, ContactKind.PHONE])
@pytest.mark.parametrize(
    "instruments",
    [
        {"instruments_advised": ["lks", "subsidie-x"]},
        {"instruments_applied": ["LKS"]},
        {"instruments_applied": "lks"},
        {"instruments_advised": 7},
    ],
)
def test_an_unknown_instrument_is_400_and_saves_nothing_R33(employer, adviser, now, counts, kind, instruments):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.contact_moment_register(
            employer_id=employer.pk, by=adviser, kind=kind, occurred_at=now - timedelta(hours=1), summary="Gebeld",
            reason="Kennismaking", company_activities="Zorg", agreements="Bellen", **instruments,
        )  # fmt: skip
    assert set(refused.value.fields) == set(instruments)
    assert refused.value.rule == "R-33"
    assert not ContactMoment.objects.exists()
    assert counts() == before


def test_the_first_visit_of_a_new_employer_carries_instruments_R06_R33(adviser, now):
    employer = services.employer_create(
        by=adviser,
        data={"name": "Zorgboerderij De Hoeve", "postcode": "2022 AB"},
        first_visit=services.VisitReport(
            occurred_at=now - timedelta(days=1), reason="Kennismaking", company_activities="Zorg en landbouw",
            agreements="Proefplaatsing", instruments_advised=("trial_placement",),
        ),
    )  # fmt: skip
    assert ContactMoment.objects.get(employer=employer).instruments_advised == ["trial_placement"]


def test_the_first_visit_with_an_unknown_instrument_enters_nothing_R06_R33(adviser, now, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.employer_create(
            by=adviser,
            data={"name": "Zorgboerderij De Hoeve", "postcode": "2022 AB"},
            first_visit=services.VisitReport(
                occurred_at=now - timedelta(days=1), reason="Kennismaking", company_activities="Zorg",
                agreements="Proefplaatsing", instruments_applied=("gratis-geld",),
            ),
        )  # fmt: skip
    assert "first_visit.instruments_applied" in refused.value.fields
    assert counts() == before


def test_the_database_refuses_an_instrument_outside_the_list_R33(employer):
    moment = ContactMomentFactory(employer=employer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactMoment.objects.filter(pk=moment.pk).update(instruments_applied=["lks", "onbekend"])
    moment.refresh_from_db()
    assert moment.instruments_applied == []


# --- The one validator, shared with the placements (matching) -------------------------------------------------


def test_instruments_clean_gives_each_instrument_once_in_list_order_R33():
    assert services.instruments_clean(None) == []
    assert services.instruments_clean(()) == []
    assert services.instruments_clean([" job_coaching", "lks", "lks "], field="instruments_applied") == [
        "lks",
        "job_coaching",
    ]


@pytest.mark.parametrize(
    ("values", "messages"),
    [
        ("lks", ["Give a list of instruments."]),
        (7, ["Give a list of instruments."]),
        ({"lks": True}, ["Give a list of instruments."]),
        (["lks", "subsidie-x", "subsidie-x", "LKS"], ["Unknown instrument: subsidie-x.", "Unknown instrument: LKS."]),
    ],
)
def test_instruments_clean_refuses_a_bare_string_and_unknown_values_R33(values, messages):
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        services.instruments_clean(values, field="instruments_advised")
    error = refused.value
    assert (error.code, error.rule, error.status_code) == ("unknown_instrument", "R-33", 400)
    with translation.override("en"):
        assert {k: [str(m) for m in v] for k, v in error.fields.items()} == {"instruments_advised": messages}
