"""factory_boy factories for the whole domain (STYLE habit 10).

Factories write straight to the database, past the services: they build the situation a test starts from.
What a test *does* goes through the services or the API, so the rules are exercised where they live.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import factory
import pgtrigger
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, Sector, User
from employers.choices import AccessRequestStatus, AccountHolderVia, ContactKind
from employers.models import (
    AccessRequest,
    AccountHolder,
    ContactMoment,
    ContactRequest,
    Employer,
    EmployerFeedback,
)
from matching.choices import PlacementType, ReferralStatus, TargetGroup
from matching.models import Candidate, Placement, Referral
from vacancies.choices import SkillKind
from vacancies.models import Skill, Vacancy


def _postcode(n: int) -> str:
    """A distinct, valid Dutch postcode per sequence number: 1000 AA, 1001 AB, ..."""
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    return f"{1000 + n % 9000} {letters[n % len(letters)]}{letters[(n // len(letters)) % len(letters)]}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org{n}")
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = OrganisationKind.MUNICIPALITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Achternaam"
    email = factory.LazyAttribute(lambda u: f"{u.username}@wsp.example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ADVISER
    password = factory.django.Password("correct-horse-battery")

    class Params:
        manager = factory.Trait(role=Role.MANAGER)
        account_manager = factory.Trait(role=Role.ACCOUNT_MANAGER)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"Sector {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory)


class EmployerFactory(factory.django.DjangoModelFactory):
    """An employer with an adviser as main account holder (R-03)."""

    class Meta:
        model = Employer

    # Sequence names are far apart by trigram similarity from the hand-written names tests use for R-07.
    name = factory.Sequence(lambda n: f"Werkgever {n:05d}")
    postcode = factory.Sequence(_postcode)
    city = "Haarlem"
    municipality = "Haarlem"
    staff_count = 25
    main_account_holder = factory.SubFactory(UserFactory, role=Role.ADVISER)


class AccountHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountHolder

    employer = factory.SubFactory(EmployerFactory)
    user = factory.SubFactory(UserFactory, role=Role.ADVISER)
    via = AccountHolderVia.ACCESS_REQUEST


class ContactMomentFactory(factory.django.DjangoModelFactory):
    """A phone call by the main account holder; `visit=True` gives a company visit with its report (R-08)."""

    class Meta:
        model = ContactMoment

    employer = factory.SubFactory(EmployerFactory)
    adviser = factory.LazyAttribute(lambda m: m.employer.main_account_holder)
    organisation = factory.LazyAttribute(lambda m: m.adviser.organisation)
    kind = ContactKind.PHONE
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    summary = "Telefonisch contact over openstaande vacatures"

    class Params:
        visit = factory.Trait(
            kind=ContactKind.VISIT,
            reason="Kennismaking",
            company_activities="Bouw en onderhoud",
            agreements="Twee vacatures aanmelden",
        )


class AccessRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessRequest

    employer = factory.SubFactory(EmployerFactory)
    requester = factory.SubFactory(UserFactory, role=Role.ADVISER)
    message = "Mag ik meekijken?"
    status = AccessRequestStatus.PENDING


class ContactRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactRequest

    employer = factory.SubFactory(EmployerFactory)
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    question = "Graag contact over een vacature"
    assigned_to = factory.LazyAttribute(lambda r: r.employer.main_account_holder)


class EmployerFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerFeedback

    employer = factory.SubFactory(EmployerFactory)
    adviser = factory.LazyAttribute(lambda f: f.employer.main_account_holder)
    score = 8
    comment = "Snel geholpen"
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skl-test-{n}")
    kind = SkillKind.SKILL
    name = factory.Sequence(lambda n: f"Vaardigheid {n}")


class VacancyFactory(factory.django.DjangoModelFactory):
    """An open vacancy registered an hour after receipt (R-12), owned by the employer's main account holder."""

    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    owner = factory.LazyAttribute(lambda v: v.employer.main_account_holder)
    organisation = factory.LazyAttribute(lambda v: v.owner.organisation)
    created_by = factory.LazyAttribute(lambda v: v.owner)
    title = factory.Sequence(lambda n: f"Medewerker {n}")
    hours_per_week = 32
    postcode = factory.LazyAttribute(lambda v: v.employer.postcode)
    municipality = factory.LazyAttribute(lambda v: v.employer.municipality)
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    registered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))


class CandidateFactory(factory.django.DjangoModelFactory):
    """A work-ready candidate in an adviser's caseload, of a target group that fits it (R-23, R-40, R-41)."""

    class Meta:
        model = Candidate

    adviser = factory.SubFactory(UserFactory, role=Role.ADVISER)
    organisation = factory.LazyAttribute(lambda c: c.adviser.organisation)
    created_by = factory.LazyAttribute(lambda c: c.adviser)
    first_name = factory.Sequence(lambda n: f"Kandidaat{n}")
    last_name = "Jansen"
    email = factory.Sequence(lambda n: f"kandidaat{n}@example.org")
    phone = "06-12345678"
    # a group of the caseload's side (WW at UWV, P-wet at a municipality or reintegration body).
    target_group = factory.LazyAttribute(
        lambda c: TargetGroup.WW if c.organisation.kind == OrganisationKind.UWV else TargetGroup.PWET
    )
    work_ready_since = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    hours_per_week = 32
    postcode = "2011 AB"
    municipality = "Haarlem"
    profile_reviewed_at = factory.LazyFunction(timezone.now)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A proposal by the vacancy owner (R-17, R-21)."""

    class Meta:
        model = Referral

    vacancy = factory.SubFactory(VacancyFactory)
    candidate = factory.SubFactory(CandidateFactory)
    referred_by = factory.LazyAttribute(lambda r: r.vacancy.owner)
    organisation = factory.LazyAttribute(lambda r: r.referred_by.organisation)
    referred_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyAttribute(lambda r: r.referred_at)
    status = ReferralStatus.PROPOSED


class PlacementFactory(factory.django.DjangoModelFactory):
    """A booked placement straight in the database; tests of the booking rules go through the services."""

    class Meta:
        model = Placement

    referral = factory.SubFactory(ReferralFactory, status=ReferralStatus.HIRED)
    vacancy = factory.LazyAttribute(lambda p: p.referral.vacancy)
    candidate = factory.LazyAttribute(lambda p: p.referral.candidate)
    employer = factory.LazyAttribute(lambda p: p.vacancy.employer)
    booked_by = factory.LazyAttribute(lambda p: p.vacancy.owner)
    organisation = factory.LazyAttribute(lambda p: p.booked_by.organisation)
    target_group = factory.LazyAttribute(lambda p: p.candidate.target_group)
    employer_type = factory.LazyAttribute(lambda p: p.employer.employer_type)
    sector = factory.LazyAttribute(lambda p: p.employer.sector)
    placement_type = PlacementType.PERMANENT
    start_date = factory.LazyFunction(timezone.localdate)
    hours_per_week = Decimal("32")
    durable_after = factory.LazyAttribute(lambda p: p.start_date + timedelta(days=183))
    booked_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """R-22: a placement starts on or after the vacancy's receipt and the proposal (a database trigger holds it),
        so a situation with an earlier start is one in which both happened by the start of that day."""
        start = timezone.make_aware(datetime.combine(kwargs["start_date"], time.min))
        vacancy, referral = kwargs["vacancy"], kwargs["referral"]
        if vacancy.received_at > start:
            vacancy.received_at, vacancy.registered_at = start, min(vacancy.registered_at, start + timedelta(hours=1))
            Vacancy.objects.filter(pk=vacancy.pk).update(
                received_at=vacancy.received_at, registered_at=vacancy.registered_at
            )
        if referral.referred_at > start:
            referral.referred_at = start
            Referral.objects.filter(pk=referral.pk).update(referred_at=start)
        return super()._create(model_class, *args, **kwargs)


def before_r23():
    """Writes rows as they could be from before R-23 was enforced (a target group that does not fit the caseload):
    such rows exist only from before the database refused them (`matching.models.TARGET_GROUP_OF_ORGANISATION`), so
    the test steps around it to show how the services treat them."""
    return pgtrigger.ignore("matching.Candidate:target_group_of_organisation")


def legacy_candidate(**fields) -> Candidate:
    """A profile from before R-23 was enforced (`before_r23`)."""
    with before_r23():
        return CandidateFactory(**fields)
