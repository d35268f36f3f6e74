"""R-09, R-57: the purge of a ceased employer reaches its vacancies.

Before, `employers_purge_ceased` emptied the employer's record but not its vacancies: after the purge a vacancy still
showed "Bakker bij Bakkerij van Tol", the work location's postcode and a description with the contact person's name
and phone number, `?q=van Tol` found it, and the audit trail, the intakes, the handovers and the recruitment plan kept
copies. The employers app sends `employers.signals.employer_anonymised` from its purge (it does not import vacancies);
vacancies anonymises its own rows in the same transaction and pghistory action, keeping what the figures count.
"""

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pghistory.models import Context

from employers import services as employer_services
from employers.models import Employer
from tests.factories import EmployerFactory
from vacancies import selectors, services
from vacancies.choices import CloseReason, RecruitmentActivity, Visibility
from vacancies.models import RecruitmentPlan, Vacancy, VacancyEvent, VacancyHandover, VacancyIntake

pytestmark = pytest.mark.django_db

LONG_AGO = date(2020, 3, 1)
BEFORE = date(2023, 1, 1)
API = "/api/v1/vacancies/"
# What identifies the employer in the texts below (name, contact person, phone number, postcode).
FRAGMENTS = ("Tol", "Piet", "06-1234", "2011", "RD")
# What the figures count by: it stays as it was.
COUNTED = (
    "employer_id", "owner_id", "organisation_id", "occupation_id", "skills", "requested_positions", "positions",
    "hours_per_week", "municipality", "received_at", "received_at_registered", "registered_at", "registered_late",
    "late_as_registered", "source", "recruitment_request", "visibility", "target_group_flags", "status",
    "close_reason", "closed_at", "expires_on", "parent_id", "duplicated_from_id", "partner_offer_at",
)  # fmt: skip


@pytest.fixture
def bakery(adviser, other_adviser, third_adviser, occupation, now):
    """A ceased bakery whose vacancies, their history, intakes, handover and recruitment plan all name it."""
    employer = EmployerFactory(
        name="Bakkerij van Tol", postcode="2011 RD", contact_name="Piet van Tol", main_account_holder=adviser
    )
    received = now - timedelta(hours=6)
    with_occupation = services.vacancy_register(
        by=adviser, employer=employer, title="Bakker bij Bakkerij van Tol", occupation=occupation.pk,
        description="Bel Piet van Tol 06-12345678", postcode="2011 RD", hours_per_week=32,
        received_at=received, now=now,
    )  # fmt: skip
    services.vacancy_update(vacancy=with_occupation, by=adviser, description="Vraag naar Piet van Tol, 06-12345678")
    services.vacancy_correct_receipt(
        vacancy=with_occupation, by=adviser, received_at=received - timedelta(hours=1),
        reason="Piet van Tol belde een uur eerder", now=now,
    )  # fmt: skip
    services.vacancy_offer_to_partners(vacancy=with_occupation, by=adviser, note="Piet van Tol wil snel iemand")
    services.vacancy_hand_over(
        vacancy=with_occupation, by=adviser, to_user=other_adviser, note="Piet van Tol verwacht je telefoontje"
    )
    services.vacancy_register(
        by=adviser, employer=employer, title="Verkoper Van Tol", hours_per_week=20, received_at=received, now=now,
        visibility=Visibility.BLOCKED, blocked_reason="Piet van Tol twijfelt nog",
    )  # fmt: skip
    closed = services.vacancy_register(
        by=adviser, employer=employer, title="Bezorger Van Tol", hours_per_week=12, received_at=received, now=now
    )
    services.vacancy_close(vacancy=closed, by=adviser, reason=CloseReason.OTHER, note="Piet van Tol vond zelf iemand")
    large = services.vacancy_register(
        by=adviser, employer=employer, title="Productie Van Tol", description="Piet van Tol: 12 mensen",
        requested_positions=12, hours_per_week=36, received_at=received, now=now,
    )  # fmt: skip
    services.co_production_start(
        vacancy=large, by=adviser, activities=[RecruitmentActivity.SPEED_MEET],
        partners=[other_adviser.organisation, third_adviser.organisation],
        partner_owners={other_adviser.organisation_id: other_adviser, third_adviser.organisation_id: third_adviser},
        notes="Speeddate in de bakkerij van Piet van Tol",
    )  # fmt: skip
    services.vacancy_intake_register(
        by=adviser, employer=employer, title="Banketbakker Van Tol", received_at=received, note="Piet belt terug"
    )
    set_aside = services.vacancy_intake_register(by=adviser, employer=employer, title="Hulp Van Tol", received_at=now)
    services.vacancy_intake_dismiss(intake=set_aside, by=adviser, reason="Piet van Tol trok hem in")
    employer_services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=LONG_AGO)
    return employer


def _vacancy_ids(employer) -> list[int]:
    return list(Vacancy.objects.filter(employer=employer).order_by("id").values_list("id", flat=True))


def _all_text(employer) -> str:
    """Everything the vacancies app stores about the employer, its audit trail and its contexts included."""
    ids = _vacancy_ids(employer)
    events = VacancyEvent.objects.filter(pgh_obj_id__in=ids)
    chunks = [str(row) for row in Vacancy.objects.filter(pk__in=ids).values()]
    chunks += [str(row) for row in events.values()]
    chunks += [str(c.metadata) for c in Context.objects.filter(pk__in=events.values("pgh_context_id"))]
    chunks += [str(row) for row in VacancyIntake.objects.filter(employer=employer).values()]
    chunks += [str(row) for row in VacancyHandover.objects.filter(vacancy_id__in=ids).values()]
    chunks += [str(row) for row in RecruitmentPlan.objects.filter(vacancy_id__in=ids).values()]
    return "\n".join(chunks)


def _counted(employer) -> list[dict]:
    return list(Vacancy.objects.filter(employer=employer).order_by("id").values(*COUNTED))


def test_purge_removes_what_identifies_the_employer_from_its_vacancies_and_keeps_the_figures_R09_R57(
    bakery, adviser_client, occupation
):
    assert all(fragment in _all_text(bakery) for fragment in ("Tol", "Piet", "06-1234"))
    ids = _vacancy_ids(bakery)
    counted, events_before = _counted(bakery), VacancyEvent.objects.filter(pgh_obj_id__in=ids).count()
    year = timezone.localdate().year
    figures = selectors.late_registration_counts(year=year)
    assert len(ids) == 6  # four registered, two partners' vacancies of the co-production

    result = employer_services.employers_purge_ceased(ceased_before=BEFORE)

    assert (result.deleted, result.anonymised) == (0, 1)
    text = _all_text(bakery)
    for fragment in FRAGMENTS:
        assert fragment not in text, fragment
    # What the figures count by is as it was, and nothing was deleted from the audit trail.
    assert _counted(bakery) == counted
    assert selectors.late_registration_counts(year=year) == figures
    assert VacancyEvent.objects.filter(pgh_obj_id__in=ids).count() >= events_before
    # The API shows an anonymous vacancy: the occupation's name (else "Vacature"), no texts, no postcode.
    body = adviser_client.get(f"{API}{ids[0]}/").json()
    assert (body["title"], body["description"], body["postcode"], body["municipality"]) == (
        occupation.name, "", "", bakery.municipality,
    )  # fmt: skip
    assert body["employer_name"] == f"Opgeheven werkgever #{bakery.pk}"
    blocked = adviser_client.get(f"{API}{ids[1]}/").json()
    assert (blocked["title"], blocked["visibility"], blocked["blocked_reason"]) == (
        "Vacature", "blocked", "[verwijderd]",
    )  # fmt: skip
    closed = Vacancy.objects.get(pk=ids[2])
    assert (closed.close_note, closed.close_reason) == ("", CloseReason.OTHER)
    for query in ("van Tol", "Tol", "Bakkerij"):
        assert adviser_client.get(API, {"q": query}).json()["results"] == [], query
    # The purge is a named action in the audit trail (R-05: not contact; R-57: the change is visible).
    latest = VacancyEvent.objects.filter(pgh_obj_id=ids[0]).latest("pgh_id")
    assert Context.objects.get(pk=latest.pgh_context_id).metadata["action"] == "purge"
    # The receipt correction stays visible as a correction, without its identifying reason.
    [correction] = selectors.receipt_corrections(vacancy_id=ids[0])
    assert correction.reason == "[verwijderd]"
    intakes = list(VacancyIntake.objects.filter(employer=bakery).values("title", "note", "dismiss_reason"))
    assert intakes == [
        {"title": "[verwijderd]", "note": "", "dismiss_reason": ""},
        {"title": "[verwijderd]", "note": "", "dismiss_reason": "[verwijderd]"},
    ]


def test_the_purge_of_vacancies_is_idempotent_R09(bakery):
    employer_services.employers_purge_ceased(ceased_before=BEFORE)
    ids = _vacancy_ids(bakery)
    rows = list(Vacancy.objects.filter(pk__in=ids).order_by("id").values())
    events = VacancyEvent.objects.filter(pgh_obj_id__in=ids).count()

    assert employer_services.employers_purge_ceased(ceased_before=BEFORE).total == 0
    assert services.vacancies_anonymise_for_employers(employer_ids=[bakery.pk]) == len(ids)

    again = list(Vacancy.objects.filter(pk__in=ids).order_by("id").values())
    assert [{k: v for k, v in row.items() if k != "updated_at"} for row in again] == [
        {k: v for k, v in row.items() if k != "updated_at"} for row in rows
    ]
    assert VacancyEvent.objects.filter(pgh_obj_id__in=ids).count() == events


def test_an_active_employers_vacancies_are_untouched_by_a_purge_R09(bakery, adviser, now):
    other = EmployerFactory(name="Slagerij Piet", main_account_holder=adviser)
    kept = services.vacancy_register(
        by=adviser, employer=other, title="Slager bij Slagerij Piet", description="Bel Piet",
        hours_per_week=30, received_at=now - timedelta(hours=1), now=now,
    )  # fmt: skip
    employer_services.employers_purge_ceased(ceased_before=BEFORE)
    kept.refresh_from_db()
    assert (kept.title, kept.description) == ("Slager bij Slagerij Piet", "Bel Piet")


def test_a_ceased_employer_without_vacancies_loses_its_intakes_with_it_R09(adviser, now):
    employer = EmployerFactory(name="Kapsalon Piet", main_account_holder=adviser)
    services.vacancy_intake_register(by=adviser, employer=employer, title="Kapper", received_at=now)
    Employer.objects.filter(pk=employer.pk).update(status="ceased", ceased_on=LONG_AGO)
    assert employer_services.employers_purge_ceased(ceased_before=BEFORE).deleted == 1
    assert not VacancyIntake.objects.filter(employer_id=employer.pk).exists()


def test_employers_does_not_import_vacancies_the_purge_reaches_them_by_signal_R09():
    """The app order holds: the employers' domain code (services, models, selectors, signals) names no vacancies
    module (only its web layer reaches the vacancy form of R-06, at run time); vacancies connects its receiver."""
    root = Path(settings.BASE_DIR, "employers")
    paths = [*root.joinpath("services").rglob("*.py"), *root.joinpath("models").rglob("*.py")]
    paths += [root / "selectors.py", root / "signals.py"]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(name.split(".")[0] == "vacancies" for name in names), path
    from employers.signals import employer_anonymised

    assert any("vacancies.anonymise_for_employers" in str(key) for key, *_ in employer_anonymised.receivers)
