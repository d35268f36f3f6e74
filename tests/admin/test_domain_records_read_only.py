"""The admin is not a back door (issue 7, point 1): the bypasses that used to work through the admin's add and change
pages are refused for a superuser and for the demo's administrator alike, and the data stays as it was.

R-03 main account holder an adviser, R-04 admission adds the holder, R-05 takeover after 12 months, R-06 an employer
comes with a visit or vacancy, R-07 no duplicates, R-08 a visit has its report, R-11 feedback for its adviser only,
R-40 no personal data of candidates, R-57 reported records are not deleted.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import RequestFactory

from accounts.admin import REFERENCE_DATA, ReadOnlyAdmin
from accounts.choices import Role
from accounts.models import Notification
from employers.choices import AccessRequestStatus
from employers.models import AccessRequest, AccountHolder, ContactMoment, Employer, EmployerMerge
from matching.models import AftercareContact, Candidate
from tests.factories import (
    AccessRequestFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    PlacementFactory,
    VacancyFactory,
)
from vacancies.choices import RecruitmentActivity
from vacancies.models import RecruitmentPlan, VacancyHandover, VacancyIntake

from .conftest import submit

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"accounts", "employers", "vacancies", "matching"}
LOOKUP_ONLY = {
    "employers.employer", "employers.accountholder", "employers.accessrequest", "employers.contactmoment",
    "employers.contactrequest", "employers.employermerge",
    "vacancies.vacancy", "vacancies.vacancyintake", "vacancies.vacancyhandover", "vacancies.recruitmentplan",
    "matching.candidate", "matching.referral", "matching.placement", "matching.aftercarecontact",
    "accounts.notification",
}  # fmt: skip


def _label(model) -> str:
    return model._meta.label_lower


def _registered():
    return {_label(model): model_admin for model, model_admin in admin.site._registry.items()}


# --- Every domain model: looking up only ---------------------------------------------------------------------------


def test_the_domain_models_are_in_the_admin_for_looking_up_only():
    registered = _registered()
    assert set(registered) >= LOOKUP_ONLY
    for label in LOOKUP_ONLY:
        assert isinstance(registered[label], ReadOnlyAdmin), label


# The reporting apps hold no reference data: whatever of theirs is in the admin is there to look up only (R-50..R-57).
REPORTING_APPS = {"targets", "budgets", "projects", "factsheets"}


def test_the_reporting_records_are_in_the_admin_for_looking_up_only():
    for label, model_admin in _registered().items():
        if label.split(".")[0] in REPORTING_APPS:
            assert isinstance(model_admin, ReadOnlyAdmin), label


def test_every_model_of_the_apps_in_the_admin_is_read_only_unless_it_is_reference_data(superuser):
    """A model added to the admin later is caught here: it is reference data (accounts.admin.REFERENCE_DATA) or
    read-only for everyone, a superuser included."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    reference = {label.lower() for label in REFERENCE_DATA}
    for label, model_admin in _registered().items():
        if label.split(".")[0] not in DOMAIN_APPS or label in reference:
            continue
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert model_admin.has_view_permission(request), label
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (label, inline)
            assert not inline.has_change_permission(request), (label, inline)
            assert not inline.has_delete_permission(request), (label, inline)


def test_employer_feedback_is_not_in_the_admin_R11(admin_client_as, employer):
    """R-11: feedback is for the adviser it concerns; managers see aggregates. The admin shows none of it."""
    assert "employers.employerfeedback" not in _registered()
    assert admin_client_as.get("/admin/employers/employerfeedback/").status_code == 404


@pytest.fixture
def records(employer, adviser, other_adviser, uwv):
    """One record of every looked-up model."""
    visit = ContactMomentFactory(employer=employer, visit=True)
    access_request = AccessRequestFactory(employer=employer, requester=other_adviser)
    contact_request = ContactRequestFactory(employer=employer)
    placement = PlacementFactory(referral__vacancy=VacancyFactory(employer=employer))
    vacancy, referral, candidate = placement.vacancy, placement.referral, placement.candidate
    holder = AccountHolder.objects.create(employer=employer, user=other_adviser, via="access_request")
    duplicate = EmployerFactory(name="Bakkerij Jansen dubbel", main_account_holder=adviser)
    merge = EmployerMerge.objects.create(kept=employer, merged=duplicate, merged_by=adviser, snapshot={})
    intake = VacancyIntake.objects.create(
        employer=employer, title="Bakker", received_at=vacancy.received_at, received_by=adviser, assigned_to=adviser
    )
    handover = VacancyHandover.objects.create(
        vacancy=vacancy, from_user=adviser, to_user=adviser, from_organisation=uwv, to_organisation=uwv,
        reason=VacancyHandover._meta.get_field("reason").choices[0][0], handed_over_by=adviser,
    )  # fmt: skip
    plan = RecruitmentPlan.objects.create(
        vacancy=vacancy, created_by=adviser, activities=[RecruitmentActivity.values[0]]
    )
    aftercare = AftercareContact.objects.create(
        placement=placement, adviser=adviser, occurred_at=placement.booked_at, summary="Gaat goed"
    )
    notice = Notification.objects.create(user=adviser, kind="other", key="test:1", title="Titel")
    return {
        "employers.employer": employer, "employers.accountholder": holder, "employers.accessrequest": access_request,
        "employers.contactmoment": visit, "employers.contactrequest": contact_request, "employers.employermerge": merge,
        "vacancies.vacancy": vacancy, "vacancies.vacancyintake": intake, "vacancies.vacancyhandover": handover,
        "vacancies.recruitmentplan": plan, "matching.candidate": candidate, "matching.referral": referral,
        "matching.placement": placement, "matching.aftercarecontact": aftercare, "accounts.notification": notice,
    }  # fmt: skip


@pytest.mark.parametrize("label", sorted(LOOKUP_ONLY))
def test_domain_records_can_be_looked_up_but_not_added_changed_or_deleted(admin_client_as, records, counts, label):
    obj = records[label]
    app, model = label.split(".")
    base = f"/admin/{app}/{model}/"
    before = counts()

    assert admin_client_as.get(base).status_code == 200
    page = admin_client_as.get(f"{base}{obj.pk}/change/")
    assert page.status_code == 200
    assert not page.context["adminform"].form.fields  # shown, not editable
    assert admin_client_as.get(f"{base}add/").status_code == 403
    assert admin_client_as.post(f"{base}add/", {}).status_code == 403
    assert admin_client_as.post(f"{base}{obj.pk}/change/", {}).status_code == 403
    assert admin_client_as.get(f"{base}{obj.pk}/delete/").status_code == 403
    assert admin_client_as.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    # The bulk delete action is not offered, and asking for it anyway deletes nothing.
    assert "delete_selected" not in page.content.decode()
    admin_client_as.post(base, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})

    assert counts() == before
    assert type(obj).objects.filter(pk=obj.pk).exists()


# --- The bypasses of point 1, one by one ---------------------------------------------------------------------------


def test_no_employer_without_a_visit_or_vacancy_R06(admin_client_as, adviser, counts):
    before = counts()
    response = admin_client_as.post(
        "/admin/employers/employer/add/",
        {"name": "Nieuw Zonder Bezoek", "postcode": "2011 AB", "main_account_holder": adviser.pk,
         "employer_type": "market", "status": "active", "account_holders-TOTAL_FORMS": "0",
         "account_holders-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 403
    assert admin_client_as.get("/admin/employers/employer/add/").status_code == 403
    assert counts() == before
    assert not Employer.objects.filter(name="Nieuw Zonder Bezoek").exists()


def test_no_exact_duplicate_employer_R07(admin_client_as, employer, counts):
    before = counts()
    response = admin_client_as.post(
        "/admin/employers/employer/add/",
        {"name": employer.name, "postcode": employer.postcode, "main_account_holder": employer.main_account_holder_id,
         "employer_type": "market", "status": "active"},
    )  # fmt: skip
    assert response.status_code == 403
    assert counts() == before
    assert Employer.objects.filter(name=employer.name).count() == 1


def test_no_non_adviser_as_main_account_holder_R03(admin_client_as, employer, manager, counts):
    before = counts()
    response = admin_client_as.post(
        f"/admin/employers/employer/{employer.pk}/change/",
        {"name": employer.name, "postcode": employer.postcode, "main_account_holder": manager.pk,
         "employer_type": "market", "status": "active"},
    )  # fmt: skip
    assert response.status_code == 403
    employer.refresh_from_db()
    assert employer.main_account_holder_id != manager.pk
    assert employer.main_account_holder.role == Role.ADVISER
    assert counts() == before


def test_no_takeover_within_12_months_R05(admin_client_as, employer, other_adviser, set_last_contact, now, counts):
    set_last_contact(employer, now - timedelta(days=30))
    holder, last_contact = employer.main_account_holder_id, employer.last_contact_at
    before = counts()
    response = admin_client_as.post(
        f"/admin/employers/employer/{employer.pk}/change/",
        {"name": employer.name, "postcode": employer.postcode, "main_account_holder": other_adviser.pk,
         "employer_type": "market", "status": "active"},
    )  # fmt: skip
    assert response.status_code == 403
    employer.refresh_from_db()
    assert (employer.main_account_holder_id, employer.last_contact_at) == (holder, last_contact)
    assert counts() == before


def test_no_admission_approved_without_adding_the_account_holder_R04(admin_client_as, employer, other_adviser, counts):
    request = AccessRequestFactory(employer=employer, requester=other_adviser)
    before = counts()
    response = admin_client_as.post(
        f"/admin/employers/accessrequest/{request.pk}/change/",
        {"employer": employer.pk, "requester": other_adviser.pk, "status": AccessRequestStatus.APPROVED,
         "message": request.message},
    )  # fmt: skip
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING
    assert not AccountHolder.objects.filter(employer=employer, user=other_adviser).exists()
    assert counts() == before
    assert AccessRequest.objects.get(pk=request.pk).decided_at is None


def test_no_visit_report_of_spaces_R08(admin_client_as, employer, counts):
    visit = ContactMomentFactory(employer=employer, visit=True)
    before = counts()
    spaces = {"reason": "   ", "company_activities": "  ", "agreements": " "}
    changed = admin_client_as.post(
        f"/admin/employers/contactmoment/{visit.pk}/change/",
        {"employer": employer.pk, "adviser": visit.adviser_id, "kind": "visit", **spaces,
         "occurred_at_0": "2026-01-05", "occurred_at_1": "10:00"},
    )  # fmt: skip
    added = admin_client_as.post(
        "/admin/employers/contactmoment/add/",
        {"employer": employer.pk, "adviser": visit.adviser_id, "kind": "visit", **spaces},
    )
    assert (changed.status_code, added.status_code) == (403, 403)
    visit.refresh_from_db()
    assert (visit.reason, visit.company_activities, visit.agreements) == (
        "Kennismaking", "Bouw en onderhoud", "Twee vacatures aanmelden",
    )  # fmt: skip
    assert counts() == before
    assert ContactMoment.objects.filter(employer=employer).count() == 1


def test_inline_account_holders_cannot_be_added_through_the_employer_page_R04(
    admin_client_as, employer, other_adviser, counts
):
    before = counts()
    response = submit(
        admin_client_as,
        f"/admin/employers/employer/{employer.pk}/change/",
        "employer_form",
        **{"account_holders-TOTAL_FORMS": "1", "account_holders-0-user": str(other_adviser.pk),
           "account_holders-0-via": "access_request"},
    )  # fmt: skip
    assert response.status_code == 403
    assert counts() == before


# --- no personal data of candidates in the admin -------------------------------------------------------------


def test_the_admin_shows_no_personal_data_of_candidates_R40(admin_client_as, records):
    candidate = records["matching.candidate"]
    Candidate.objects.filter(pk=candidate.pk).update(
        first_name="Zoëlinde", last_name="Achterberg-Uniek", email="zoelinde@example.org", phone="06-99887766",
    )  # fmt: skip
    candidate.refresh_from_db()
    candidate.bsn, candidate.health_notes = "123456782", "Rugklachten na ongeval"
    candidate.save(update_fields=["bsn", "health_notes"])
    secrets = ["Zoëlinde", "Achterberg", "zoelinde@example.org", "06-99887766", "123456782", "Rugklachten"]
    pages = [
        "/admin/matching/candidate/",
        f"/admin/matching/candidate/{candidate.pk}/change/",
        f"/admin/matching/candidate/{candidate.pk}/history/",
        "/admin/matching/referral/",
        f"/admin/matching/referral/{records['matching.referral'].pk}/change/",
        "/admin/matching/placement/",
        f"/admin/matching/placement/{records['matching.placement'].pk}/change/",
        "/admin/matching/aftercarecontact/",
        f"/admin/matching/aftercarecontact/{records['matching.aftercarecontact'].pk}/change/",
    ]
    for url in pages:
        response = admin_client_as.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for secret in secrets:
            assert secret not in content, (url, secret)
    detail = admin_client_as.get(f"/admin/matching/candidate/{candidate.pk}/change/").content.decode()
    assert f"#{candidate.pk}" in detail


def test_a_demo_administrator_is_no_superuser_and_sees_the_records(demo_admin, client, records):
    assert not demo_admin.is_superuser
    client.force_login(demo_admin)
    index = client.get("/admin/")
    assert index.status_code == 200
    for model in ("employer", "vacancy", "candidate", "placement"):
        assert f"/{model}/" in index.content.decode(), model
