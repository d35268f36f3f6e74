"""factory_boy factories for the accounts and employers domain (STYLE habit 10).

Factories write straight to the database, past the services: they build the situation a test starts from.
What a test *does* goes through the services or the API, so the rules are exercised where they live.
"""

from datetime import timedelta

import factory
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
