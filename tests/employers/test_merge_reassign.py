"""Manager actions: merging duplicate records keeps all history (R-07); reassigning a caseload (R-03)."""

from datetime import date

import pytest
from django.apps import apps

from employers import services
from employers.choices import AccountHolderVia, EmployerStatus
from employers.models import (
    AccessRequest,
    AccountHolder,
    ContactMoment,
    ContactRequest,
    Employer,
    EmployerFeedback,
    EmployerMerge,
)
from tests.factories import (
    AccessRequestFactory,
    AccountHolderFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    EmployerFeedbackFactory,
    UserFactory,
)
from wsp.errors import InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(adviser, other_adviser, colleague):
    """The record kept (adviser's) and a duplicate (other_adviser's, with colleague as account holder)."""
    keep = EmployerFactory(name="De Vries Bouw", postcode="1234 AB", main_account_holder=adviser, kvk_number="")
    duplicate = EmployerFactory(
        name="DeVries-bouw B.V.",
        postcode="1234 AB",
        main_account_holder=other_adviser,
        kvk_number="12345678",
        website="https://devries.example",
    )
    AccountHolderFactory(employer=duplicate, user=colleague)
    ContactMomentFactory.create_batch(2, employer=duplicate)
    ContactMomentFactory(employer=keep)
    ContactRequestFactory(employer=duplicate)
    EmployerFeedbackFactory(employer=duplicate)
    AccessRequestFactory(employer=duplicate)
    return keep, duplicate


def test_merge_moves_all_history_to_the_kept_record_R07(pair, manager, adviser, other_adviser, colleague):
    keep, duplicate = pair

    merge = services.employer_merge(keep_id=keep.pk, merge_id=duplicate.pk, by=manager, note="Dubbel ingevoerd")

    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into == keep
    assert ContactMoment.objects.filter(employer=keep).count() == 3
    assert not ContactMoment.objects.filter(employer=duplicate).exists()
    assert ContactRequest.objects.filter(employer=keep).count() == 1
    assert EmployerFeedback.objects.filter(employer=keep).count() == 1
    assert AccessRequest.objects.filter(employer=keep).count() == 1
    # Account holders united: the duplicate's main account holder and its account holder join the kept record.
    holders = {h.user_id: h.via for h in AccountHolder.objects.filter(employer=keep)}
    assert holders == {other_adviser.pk: AccountHolderVia.MERGE, colleague.pk: AccountHolderVia.MERGE}
    assert keep.main_account_holder == adviser
    # Data the kept record lacked is taken over; the snapshot keeps what the duplicate was.
    assert (keep.kvk_number, keep.website) == ("12345678", "https://devries.example")
    assert (merge.kept, merge.merged, merge.merged_by) == (keep, duplicate, manager)
    assert merge.snapshot["name"] == "DeVries-bouw B.V."
    assert merge.moved["contactmoment"] == 2
    # The tombstone no longer counts as an employer of the region.
    assert list(Employer.objects.current().filter(pk__in=[keep.pk, duplicate.pk])) == [keep]


def test_merge_of_a_ceased_duplicate_keeps_its_snapshot_R07_R09(manager, adviser):
    keep = EmployerFactory(main_account_holder=adviser)
    duplicate = EmployerFactory(status=EmployerStatus.CEASED, ceased_on=date(2023, 5, 1))

    merge = services.employer_merge(keep_id=keep.pk, merge_id=duplicate.pk, by=manager)

    merge.refresh_from_db()
    assert merge.snapshot["ceased_on"] == "2023-05-01"
    assert Employer.objects.get(pk=duplicate.pk).merged_into_id == keep.pk


def test_merge_is_recorded_in_the_audit_trail_R07(pair, manager):
    keep, duplicate = pair
    EmployerEvent = apps.get_model("employers", "EmployerEvent")

    services.employer_merge(keep_id=keep.pk, merge_id=duplicate.pk, by=manager)

    event = EmployerEvent.objects.filter(pgh_obj_id=duplicate.pk).latest("pgh_id")
    assert event.merged_into_id == keep.pk
    assert event.pgh_context.metadata["user"] == manager.pk
    assert event.pgh_context.metadata["action"] == "merge"


def test_merge_refused_for_advisers_and_data_unchanged_R07(pair, adviser, counts):
    keep, duplicate = pair
    before = counts()
    with pytest.raises(RuleRefused):
        services.employer_merge(keep_id=keep.pk, merge_id=duplicate.pk, by=adviser)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert ContactMoment.objects.filter(employer=duplicate).count() == 2
    assert counts() == before


def test_merge_into_itself_or_an_already_merged_record_is_refused_R07(pair, manager, counts):
    keep, duplicate = pair
    with pytest.raises(InvalidInput):
        services.employer_merge(keep_id=keep.pk, merge_id=keep.pk, by=manager)
    services.employer_merge(keep_id=keep.pk, merge_id=duplicate.pk, by=manager)
    before = counts()
    # The duplicate is now a tombstone: naming it again is invalid input on the `merge` field.
    with pytest.raises(InvalidInput) as again:
        services.employer_merge(keep_id=keep.pk, merge_id=duplicate.pk, by=manager)
    assert "merge" in again.value.fields
    assert EmployerMerge.objects.count() == 1
    assert counts() == before


def test_reassign_spreads_a_caseload_round_robin_over_advisers_R03(adviser, manager, uwv):
    receivers = UserFactory.create_batch(3, organisation=uwv)
    mine = EmployerFactory.create_batch(7, main_account_holder=adviser)
    other = EmployerFactory()  # someone else's employer stays where it is
    AccountHolderFactory(employer=mine[0], user=receivers[0])  # becomes main, so no longer account holder

    moved = services.employers_reassign(from_user=adviser, to_users=receivers, by=manager)

    assert moved == 7
    per_receiver = [Employer.objects.filter(main_account_holder=r).count() for r in receivers]
    assert per_receiver == [3, 2, 2]
    assert not Employer.objects.filter(main_account_holder=adviser).exists()
    assert Employer.objects.get(pk=other.pk).main_account_holder_id == other.main_account_holder_id
    assert not AccountHolder.objects.filter(employer=mine[0], user=receivers[0]).exists()


def test_reassign_bulk_update_lands_in_the_audit_trail_R03_R05(adviser, manager, uwv):
    EmployerEvent = apps.get_model("employers", "EmployerEvent")
    receiver = UserFactory(organisation=uwv)
    mine = EmployerFactory.create_batch(3, main_account_holder=adviser)

    services.employers_reassign(from_user=adviser, to_users=[receiver], by=manager)

    events = EmployerEvent.objects.filter(pgh_obj_id__in=[e.pk for e in mine], pgh_label="update")
    assert events.count() == 3
    assert {e.main_account_holder_id for e in events} == {receiver.pk}
    assert {e.pgh_context.metadata["action"] for e in events} == {"reassign"}


def test_reassign_refused_for_advisers_R03(adviser, colleague, counts):
    EmployerFactory.create_batch(2, main_account_holder=adviser)
    before = counts()
    with pytest.raises(RuleRefused):
        services.employers_reassign(from_user=adviser, to_users=[colleague], by=colleague)
    assert Employer.objects.filter(main_account_holder=adviser).count() == 2
    assert counts() == before


def test_reassign_only_to_other_active_advisers_R03(adviser, manager, uwv, counts):
    EmployerFactory.create_batch(2, main_account_holder=adviser)
    inactive = UserFactory(organisation=uwv, is_active=False)
    before = counts()
    for to_users in ([adviser], [manager], [inactive]):
        with pytest.raises(InvalidInput):
            services.employers_reassign(from_user=adviser, to_users=to_users, by=manager)
    assert counts() == before
