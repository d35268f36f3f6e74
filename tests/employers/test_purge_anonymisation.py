"""R-09, R-57: a ceased employer with vacancies is no longer kept forever. After the retention period its
identifying data is removed (also from its audit trail, its merge snapshots and the texts of its contact moments,
contact requests, admission requests and feedback), while the anonymised record keeps its sector, municipality,
size class and type so its vacancies, referrals and placements still count. Employers without vacancies are
deleted, their figures (now also contact requests and feedback) kept in the tallies."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from employers import selectors, services
from employers.choices import EmployerStatus, SizeClass
from employers.models import (
    AccessRequest,
    ContactMoment,
    ContactRequest,
    Employer,
    EmployerFeedback,
    EmployerMerge,
    PurgedEmployerTally,
)
from employers.tasks import purge_ceased_employers
from tests.factories import (
    AccessRequestFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    EmployerFeedbackFactory,
    PlacementFactory,
    SectorFactory,
    VacancyFactory,
)
from wsp.errors import Conflict

pytestmark = pytest.mark.django_db

LONG_AGO = date(2020, 3, 1)
BEFORE = date(2023, 1, 1)
IDENTIFYING = {
    "name": "Bakkerij Van Tol",
    "kvk_number": "12345678",
    "visiting_address": "Grote Markt 1",
    "postcode": "2011 RD",
    "city": "Haarlem",
    "website": "https://vantol.example",
    "contact_name": "Piet van Tol",
    "contact_email": "piet@vantol.example",
    "contact_phone": "023-1234567",
}


@pytest.fixture
def ceased_with_history(adviser, manager):
    """A ceased employer with a vacancy, a placement, a visit, a contact request, feedback, an admission request
    and a merged duplicate, whose record and audit trail all carry its identifying data."""
    sector = SectorFactory()
    employer = EmployerFactory(**IDENTIFYING, sector=sector, municipality="Haarlem", staff_count=120,
                               main_account_holder=adviser)  # fmt: skip
    duplicate = EmployerFactory(name="Bakkerij v. Tol", postcode="2011 RD", contact_name="Piet van Tol")
    services.employer_merge(keep_id=employer.pk, merge_id=duplicate.pk, by=manager, note="Van Tol dubbel")
    services.employer_update(employer_id=employer.pk, by=adviser, data={"contact_phone": "06-12345678"})
    visit = ContactMomentFactory(employer=employer, visit=True, summary="Piet van Tol wil uitbreiden")
    services.employer_update(employer_id=employer.pk, by=adviser, data={"city": "Haarlem-Noord"})
    ContactMoment.objects.filter(pk=visit.pk).update(agreements="Piet belt terug")  # an update event too
    request = ContactRequestFactory(employer=employer, requested_by="Piet van Tol", question="Bel Piet")
    services.contact_request_respond(request_id=request.pk, by=adviser, response="Piet gebeld")
    EmployerFeedbackFactory(employer=employer, adviser=adviser, score=6, comment="Van Tol is tevreden")
    AccessRequestFactory(employer=employer, message="Ik ken Piet van Tol")
    placement = PlacementFactory(referral__vacancy=VacancyFactory(employer=employer))
    services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=LONG_AGO)
    return employer, duplicate, placement


def _all_text(employer_ids: list[int]) -> str:
    """Everything stored about the employers in the employer app's tables and their audit trails, as one text."""
    chunks = []
    for label, lookup in [
        ("employers.Employer", "pk__in"),
        ("employers.EmployerEvent", "pgh_obj_id__in"),
        ("employers.ContactMoment", "employer_id__in"),
        ("employers.ContactMomentEvent", "employer_id__in"),
        ("employers.ContactRequest", "employer_id__in"),
        ("employers.ContactRequestEvent", "employer_id__in"),
        ("employers.EmployerFeedback", "employer_id__in"),
        ("employers.AccessRequest", "employer_id__in"),
    ]:
        chunks += [str(row) for row in apps.get_model(label).objects.filter(**{lookup: employer_ids}).values()]
    chunks += [str(m.snapshot) + m.note for m in EmployerMerge.objects.filter(kept_id__in=employer_ids)]
    return "\n".join(chunks)


def test_a_ceased_employer_with_vacancies_is_anonymised_and_its_figures_stay_countable_R09_R57(ceased_with_history):
    employer, duplicate, placement = ceased_with_history
    assert "Tol" in _all_text([employer.pk, duplicate.pk])
    counts_before = {
        "contact moments": ContactMoment.objects.filter(employer=employer).count(),
        "contact requests": ContactRequest.objects.filter(employer=employer).count(),
        "feedback": EmployerFeedback.objects.filter(employer=employer).count(),
        "vacancies": employer.vacancies.count(),
        "placements": employer.placements.count(),
    }

    result = services.employers_purge_ceased(ceased_before=BEFORE)

    assert (result.deleted, result.anonymised) == (0, 1)
    employer.refresh_from_db()
    assert employer.name == f"Opgeheven werkgever #{employer.pk}"
    assert employer.purged_at is not None
    for name in IDENTIFYING:
        if name != "name":
            assert getattr(employer, name) == "", name
    # What it counts by stays: sector, municipality, size class (not the exact staff count), type, ceased date.
    assert (employer.municipality, employer.size_class, employer.status, employer.ceased_on) == (
        "Haarlem", SizeClass.MEDIUM, EmployerStatus.CEASED, LONG_AGO
    )  # fmt: skip
    assert employer.staff_count == 50
    # No trace of the name, the address or the contact person anywhere, audit trail included.
    text = _all_text([employer.pk, duplicate.pk])
    for fragment in ("Tol", "Piet", "Grote Markt", "2011 RD", "vantol", "1234567", "12345678"):
        assert fragment not in text, fragment
    # The records still count.
    assert counts_before == {
        "contact moments": ContactMoment.objects.filter(employer=employer).count(),
        "contact requests": ContactRequest.objects.filter(employer=employer).count(),
        "feedback": EmployerFeedback.objects.filter(employer=employer).count(),
        "vacancies": employer.vacancies.count(),
        "placements": employer.placements.count(),
    }
    placement.refresh_from_db()
    assert placement.employer_id == employer.pk
    # R-08 still holds for the visit: its report is there, as "[verwijderd]".
    visit = ContactMoment.objects.get(employer=employer, kind="visit")
    assert visit.reason == visit.company_activities == visit.agreements == "[verwijderd]"
    assert ContactRequest.objects.get(employer=employer).responded_within_24h is True
    # No tally for it: its records count themselves.
    assert not PurgedEmployerTally.objects.exists()


def test_the_tombstone_of_a_merged_duplicate_is_anonymised_with_it_R07_R09(ceased_with_history):
    employer, duplicate, _placement = ceased_with_history
    services.employers_purge_ceased(ceased_before=BEFORE)
    duplicate.refresh_from_db()
    assert (duplicate.name, duplicate.merged_into_id, duplicate.postcode) == (
        f"Opgeheven werkgever #{duplicate.pk}", employer.pk, ""
    )  # fmt: skip
    merge = EmployerMerge.objects.get(merged=duplicate)
    assert set(merge.snapshot) <= set(services.COUNTED_FIELDS)
    assert merge.note == ""


def test_purge_is_idempotent_and_runs_from_the_weekly_task_and_the_command_R09(ceased_with_history, settings):
    employer, _duplicate, _placement = ceased_with_history
    settings.WSP = {**settings.WSP, "PURGE_CEASED_AFTER_MONTHS": 24}
    assert purge_ceased_employers() == 1
    employer.refresh_from_db()
    purged_at, name = employer.purged_at, employer.name
    EmployerEvent = apps.get_model("employers", "EmployerEvent")
    events = EmployerEvent.objects.count()

    assert purge_ceased_employers() == 0
    call_command("purge_ceased_employers", before="2030-01-01", verbosity=0)

    employer.refresh_from_db()
    assert (employer.purged_at, employer.name) == (purged_at, name)
    assert EmployerEvent.objects.count() == events


def test_purge_is_not_contact_and_runs_under_a_named_action_R05_R09(ceased_with_history):
    employer, _duplicate, _placement = ceased_with_history
    employer.refresh_from_db()
    clock = (employer.last_contact_at, employer.last_contact_source, employer.last_contact_by_id)
    services.employers_purge_ceased(ceased_before=BEFORE)
    employer.refresh_from_db()
    assert (employer.last_contact_at, employer.last_contact_source, employer.last_contact_by_id) == clock
    last = apps.get_model("employers", "EmployerEvent").objects.filter(pgh_obj_id=employer.pk).latest("pgh_id")
    assert last.pgh_context.metadata["action"] == "purge"


def test_anonymised_records_are_left_out_of_duplicate_checks_and_search_R07_R09(ceased_with_history, adviser):
    employer, _duplicate, _placement = ceased_with_history
    services.employers_purge_ceased(ceased_before=BEFORE)
    anonymous = f"Opgeheven werkgever #{employer.pk}"

    assert selectors.duplicate_candidates(name=anonymous, postcode="") == []
    assert selectors.strong_duplicates(name=anonymous, postcode="") == []
    for query in (anonymous, "Opgeheven werkgever", str(employer.pk)):
        assert employer not in selectors.employer_list(user=adviser, filters={"q": query, "status": "all"})
    # A new employer of the same name is entered without a duplicate warning.
    assert not Employer.objects.search("Bakkerij Van Tol").exists()


def test_an_anonymised_record_takes_no_new_data_R09(ceased_with_history, adviser, manager, now, counts):
    employer, _duplicate, _placement = ceased_with_history
    services.employers_purge_ceased(ceased_before=BEFORE)
    attempts = [
        lambda: services.employer_update(employer_id=employer.pk, by=adviser, data={"name": "Bakkerij Van Tol"}),
        lambda: services.employer_reactivate(employer_id=employer.pk, by=adviser),
        lambda: services.contact_moment_register(
            employer_id=employer.pk, by=adviser, kind="phone", occurred_at=now, summary="Piet gebeld"
        ),  # fmt: skip
        lambda: services.contact_request_register(
            employer_id=employer.pk, by=adviser, received_at=now, question="Bel Piet"
        ),  # fmt: skip
        lambda: services.access_request_create(employer_id=employer.pk, by=manager),
        lambda: services.employer_merge(keep_id=employer.pk, merge_id=EmployerFactory().pk, by=manager),
    ]
    before = counts()
    for attempt in attempts:
        with pytest.raises(Conflict) as refused:
            attempt()
        assert (refused.value.code, refused.value.rule) == ("employer_purged", "R-09")
    before["employers.Employer"] += 1  # the one EmployerFactory() above
    before["employers.EmployerEvent"] += 1
    assert counts() == before


def test_a_deleted_employers_contact_requests_and_feedback_go_into_the_tally_R09_R10_R11(adviser, now):
    sector = SectorFactory()
    common = {"status": EmployerStatus.CEASED, "ceased_on": LONG_AGO, "sector": sector, "municipality": "Velsen",
              "staff_count": 30}  # fmt: skip
    first, second = EmployerFactory(**common), EmployerFactory(**common)
    for employer, hours in ((first, 2), (first, 30), (second, 5)):
        request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=40))
        ContactRequest.objects.filter(pk=request.pk).update(
            responded_at=request.received_at + timedelta(hours=hours), responded_by=employer.main_account_holder
        )
    ContactRequestFactory(employer=second)  # never answered
    for employer, score in ((first, 7), (first, 9), (second, 0)):
        EmployerFeedbackFactory(employer=employer, score=score)

    assert services.employers_purge_ceased(ceased_before=BEFORE).deleted == 2

    tally = PurgedEmployerTally.objects.get()
    assert (tally.employers, tally.contact_requests, tally.contact_requests_within_24h) == (2, 4, 2)
    assert (tally.feedback, tally.feedback_score_sum) == (3, 16)
    # The deleted employers leave nothing behind, not even in the audit trail.
    for label in ("EmployerEvent", "ContactMomentEvent", "ContactRequestEvent", "AccountHolderEvent"):
        model = apps.get_model("employers", label)
        lookup = "pgh_obj_id__in" if label == "EmployerEvent" else "employer_id__in"
        assert not model.objects.filter(**{lookup: [first.pk, second.pk]}).exists(), label
    assert not AccessRequest.objects.filter(employer_id__in=[first.pk, second.pk]).exists()


def test_the_employer_page_and_the_api_show_the_anonymised_record_R09(ceased_with_history, client, adviser_client,
                                                                     adviser):  # fmt: skip
    employer, _duplicate, _placement = ceased_with_history
    services.employers_purge_ceased(ceased_before=BEFORE, now=timezone.now())
    client.force_login(adviser)
    page = client.get(f"/werkgevers/{employer.pk}/").content.decode()
    assert f"Opgeheven werkgever #{employer.pk}" in page and "Tol" not in page
    assert f"/werkgevers/{employer.pk}/wijzigen/" not in page  # no actions on an anonymised record
    body = adviser_client.get(f"/api/v1/employers/{employer.pk}/").json()
    assert body["purged_at"] is not None and body["contact_name"] == "" and body["postcode"] == ""
