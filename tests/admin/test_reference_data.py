"""The admin keeps the reference data editable (issue 7, point 1): organisations, staff members, sectors and their
teams, the vocabulary (switching entries off) and API tokens (expiry, revocation) — for a superuser and for the demo's
administrator, who is staff in the group "Beheerders" and no superuser."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.utils import timezone

from accounts.admin import ADMINISTRATORS_GROUP, REFERENCE_DATA, administrators_group
from accounts.choices import OrganisationKind, Role
from accounts.models import ApiToken, Organisation, Sector, User
from accounts.services import api_token_create
from employers.models import ContactRequest
from tests.factories import (
    AccountHolderFactory,
    CandidateFactory,
    ContactRequestFactory,
    EmployerFactory,
    OrganisationFactory,
    SectorFactory,
    SkillFactory,
    UserFactory,
    VacancyFactory,
)
from vacancies.models import VacancyIntake

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_an_organisation_is_renamed(admin_client_as):
    organisation = OrganisationFactory(code="velsen", name="Gemeente Velsen")
    response = submit(
        admin_client_as, f"/admin/accounts/organisation/{organisation.pk}/change/", "organisation_form",
        name="Gemeente Velsen (IJmond)",
    )  # fmt: skip
    assert response.status_code == 302, response.content
    organisation.refresh_from_db()
    assert organisation.name == "Gemeente Velsen (IJmond)"


def test_a_sector_is_added(admin_client_as, uwv):
    response = submit(
        admin_client_as, "/admin/accounts/sector/add/", "sector_form",
        code="Q86", name="Gezondheidszorg", weight_category="1", lead_organisation=str(uwv.pk),
    )  # fmt: skip
    assert response.status_code == 302, response.content
    assert Sector.objects.filter(code="Q86", name="Gezondheidszorg", lead_organisation=uwv).exists()


def test_a_staff_member_is_changed_and_added(admin_client_as, adviser, uwv):
    response = submit(admin_client_as, f"/admin/accounts/user/{adviser.pk}/change/", "user_form", phone="023-5550000")
    assert response.status_code == 302, response.content
    adviser.refresh_from_db()
    assert adviser.phone == "023-5550000"

    response = submit(
        admin_client_as, "/admin/accounts/user/add/", "user_form",
        username="nieuw.adviseur", organisation=str(uwv.pk), role=Role.ADVISER,
        password1="lang-en-uniek-wachtwoord-42", password2="lang-en-uniek-wachtwoord-42",
    )  # fmt: skip
    assert response.status_code == 302, response.content
    assert User.objects.filter(username="nieuw.adviseur", organisation=uwv).exists()


def test_an_adviser_holding_employers_keeps_the_adviser_role_until_reassigned_R03(admin_client_as, employer, counts):
    holder = employer.main_account_holder
    before = counts()
    response = submit(admin_client_as, f"/admin/accounts/user/{holder.pk}/change/", "user_form", role=Role.MANAGER)
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["role"]
    holder.refresh_from_db()
    assert holder.role == Role.ADVISER
    assert counts() == before


def test_an_administrator_cannot_make_anyone_superuser(demo_admin, client, adviser):
    client.force_login(demo_admin)
    for user in (demo_admin, adviser):
        response = submit(
            client, f"/admin/accounts/user/{user.pk}/change/", "user_form", is_superuser="on", is_staff="on"
        )
        assert response.status_code == 302, response.content
        user.refresh_from_db()
        assert not user.is_superuser


def test_a_skill_is_switched_off_and_nothing_else_changes_R42(admin_client_as):
    skill = SkillFactory(name="Heftruck rijden", code="heftruck")
    response = submit(
        admin_client_as, f"/admin/vacancies/skill/{skill.pk}/change/", "skill_form",
        is_active=None, name="Iets anders", code="iets-anders",
    )  # fmt: skip
    assert response.status_code == 302, response.content
    skill.refresh_from_db()
    assert (skill.is_active, skill.name, skill.code) == (False, "Heftruck rijden", "heftruck")
    assert admin_client_as.get("/admin/vacancies/skill/add/").status_code == 403
    assert admin_client_as.post(f"/admin/vacancies/skill/{skill.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_token_is_revoked_or_given_an_expiry_but_not_made_or_deleted(admin_client_as, adviser):
    token, _key = api_token_create(user=adviser)
    now = timezone.localtime().replace(microsecond=0)
    expires = now + timedelta(days=30)
    response = submit(
        admin_client_as, f"/admin/accounts/apitoken/{token.pk}/change/", "apitoken_form",
        expires_at_0=expires.strftime("%Y-%m-%d"), expires_at_1=expires.strftime("%H:%M:%S"),
        revoked_at_0=now.strftime("%Y-%m-%d"), revoked_at_1=now.strftime("%H:%M:%S"),
    )  # fmt: skip
    assert response.status_code == 302, response.content
    token.refresh_from_db()
    assert (token.expires_at, token.revoked_at) == (expires, now)
    assert not ApiToken.objects.usable().filter(pk=token.pk).exists()
    assert admin_client_as.get("/admin/accounts/apitoken/add/").status_code == 403
    assert admin_client_as.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


# --- The administrators' group -----------------------------------------------------------------------------------


def _codenames(group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_group_views_everything_and_maintains_only_the_reference_data():
    codenames = _codenames(administrators_group())
    for model in admin.site._registry:
        assert f"{model._meta.app_label}.view_{model._meta.model_name}" in codenames, model
    allowed = {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1].lower()}"
        for label, actions in REFERENCE_DATA.items()
        for action in actions
    }
    assert {c for c in codenames if ".view_" not in c} == allowed
    assert "employers.change_employer" not in codenames and "matching.add_placement" not in codenames


def test_the_group_is_created_once_and_kept_up_to_date(demo_admin):
    group = administrators_group()
    group.permissions.clear()
    assert administrators_group().pk == group.pk
    assert _codenames(group) == _codenames(administrators_group())
    assert "accounts.change_organisation" in _codenames(group)
    assert demo_admin.has_perm("accounts.change_organisation")
    assert demo_admin.has_perm("employers.view_employer")
    assert not demo_admin.has_perm("employers.change_employer")


def test_ensure_admin_group_adds_staff_members(uwv):
    user = UserFactory(username="nieuwe.beheerder", organisation=uwv, role=Role.ADMIN)
    call_command("ensure_admin_group", "--add", "nieuwe.beheerder", verbosity=0)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=ADMINISTRATORS_GROUP).exists()


def test_a_sector_team_is_kept_with_its_sector(admin_client_as, adviser):
    sector = SectorFactory(name="Logistiek")
    response = submit(
        admin_client_as, f"/admin/accounts/sector/{sector.pk}/change/", "sector_form",
        **{"team-TOTAL_FORMS": "1", "team-0-name": "Team Logistiek", "team-0-members": [str(adviser.pk)]},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    assert sector.team.name == "Team Logistiek"
    assert list(sector.team.members.all()) == [adviser]
    assert Organisation.objects.filter(pk=sector.lead_organisation_id).exists()


# --- Reference data that would break rules (R-01, R-23, R-24) ----------------------------------------------------


def test_an_organisations_kind_is_read_only_once_it_has_staff_R23(admin_client_as, uwv, adviser, counts):
    """Before: turning the UWV into a municipality left every WW/WIA/Wajong candidate breaking R-23 and nobody
    able to book their placements. The kind is not offered for change once the organisation is in use."""
    before = counts()
    page = admin_client_as.get(f"/admin/accounts/organisation/{uwv.pk}/change/")
    assert 'name="kind"' not in page.content.decode()
    response = submit(
        admin_client_as, f"/admin/accounts/organisation/{uwv.pk}/change/", "organisation_form",
        kind=OrganisationKind.MUNICIPALITY, name="UWV Kennemerland",
    )  # fmt: skip
    assert response.status_code == 302, response.content
    uwv.refresh_from_db()
    assert (uwv.kind, uwv.name) == (OrganisationKind.UWV, "UWV Kennemerland")
    assert counts() == before


def test_a_new_organisation_without_staff_may_still_change_its_kind(admin_client_as):
    organisation = OrganisationFactory(code="velsen", name="Gemeente Velsen", kind=OrganisationKind.UWV)
    response = submit(
        admin_client_as, f"/admin/accounts/organisation/{organisation.pk}/change/", "organisation_form",
        kind=OrganisationKind.MUNICIPALITY,
    )  # fmt: skip
    assert response.status_code == 302, response.content
    organisation.refresh_from_db()
    assert organisation.kind == OrganisationKind.MUNICIPALITY


def _tie(kind: str, user, employer):
    if kind == "main account holder":
        EmployerFactory(main_account_holder=user)
    elif kind == "account holder":
        AccountHolderFactory(employer=employer, user=user)
    elif kind == "open vacancy":
        VacancyFactory(employer=employer, owner=user)
    elif kind == "candidate":
        CandidateFactory(adviser=user)
    elif kind == "open contact request":
        ContactRequestFactory(employer=employer, assigned_to=user)
    elif kind == "vacancy intake":
        VacancyIntake.objects.create(employer=employer, title="Kok", received_at=timezone.now(), received_by=user,
                                     assigned_to=user)  # fmt: skip


TIES = ["main account holder", "account holder", "open vacancy", "candidate", "open contact request", "vacancy intake"]


@pytest.mark.parametrize("tie", TIES)
def test_a_staff_member_with_work_in_their_organisation_is_not_moved_to_another_R01(
    admin_client_as, colleague, employer, municipality, counts, tie
):
    """Before: changing a user's organisation left their employers, vacancies (organisation column), candidates
    and bookings with the old organisation. Like a role change (R-03), the move waits until that work is handed
    over."""
    _tie(tie, colleague, employer)
    before = counts()
    response = submit(
        admin_client_as, f"/admin/accounts/user/{colleague.pk}/change/", "user_form",
        organisation=str(municipality.pk),
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    [error] = response.context["adminform"].form.errors.as_data()["organisation"]
    assert error.code == "organisation_ties" and error.params["ties"].endswith(": 1")
    colleague.refresh_from_db()
    assert colleague.organisation.code == "uwv"
    assert counts() == before


def test_a_staff_member_without_such_work_moves_to_another_organisation_R01(admin_client_as, colleague, employer,
                                                                           municipality, now):  # fmt: skip
    # What is done does not hold them: an answered request, a closed vacancy.
    request = ContactRequestFactory(employer=employer, assigned_to=colleague, received_at=now - timedelta(hours=3))
    ContactRequest.objects.filter(pk=request.pk).update(responded_at=now, response="Gebeld", responded_by=colleague)
    VacancyFactory(employer=employer, owner=colleague, status="closed", closed_at=now)
    response = submit(
        admin_client_as, f"/admin/accounts/user/{colleague.pk}/change/", "user_form", organisation=str(municipality.pk)
    )
    assert response.status_code == 302, response.content
    colleague.refresh_from_db()
    assert colleague.organisation == municipality


def test_an_odd_candidate_number_in_the_admin_is_no_500(admin_client_as):
    """Before: "²".isdigit() is True and int("²") a ValueError (matching/admin.py)."""
    for path in ("/admin/matching/candidate/%C2%B2/change/", "/admin/matching/candidate/%C2%B2/history/",
                 "/admin/matching/candidate/99999999999/change/"):  # fmt: skip
        response = admin_client_as.get(path)
        assert response.status_code in (302, 404), (path, response.status_code)
