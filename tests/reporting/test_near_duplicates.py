"""R-07 as an ownership-health figure (R-55, R-57): active employers that very likely duplicate another current
employer, by the R-07 check's own score at the same postcode or by the same KvK number; merged records, dissimilar
names and an employer's own row never count. The pairs are kept on every save and every night
(`employers.services.duplicates`), so counting them does not grow with the number of employers."""

import pytest
from django.utils import timezone

from employers.models import Employer, LikelyDuplicate
from employers.services.duplicates import likely_duplicates_refresh
from employers.tasks import refresh_likely_duplicates
from reporting.measures import registry
from reporting.measures.scope import scope_from
from tests.factories import EmployerFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = "employers-near-duplicates"


def _scope(**params):
    return scope_from({"year": str(timezone.localdate().year), **params})


def _found() -> dict[int, int]:
    return {e.pk: e.duplicate_id for e in registry.MEASURES[KEY].records(_scope())}


def test_names_written_together_or_apart_at_one_postcode_are_a_pair_both_ways_R07():
    one = EmployerFactory(name="De Vries Bouw B.V.", postcode="2511 AA")
    other = EmployerFactory(name="DeVries-bouw", postcode="2511 AA")
    EmployerFactory(name="Bakkerij Jansen", postcode="2511 AA")  # same postcode, a different name
    EmployerFactory(name="De Vries Bouw", postcode="9711 ZZ")  # the same name elsewhere: a branch, left to entry
    assert _found() == {one.pk: other.pk, other.pk: one.pk}


def test_the_postcode_bonus_lets_a_looser_name_match_count_and_the_same_kvk_number_always_does_R07():
    one = EmployerFactory(name="Schildersbedrijf Hoogland", postcode="2511 AA")
    other = EmployerFactory(name="Schilders Hoogland Den Haag", postcode="2511 AA")
    far = EmployerFactory(name="Hoogland Schilderwerken", postcode="9711 ZZ", kvk_number="12345678")
    same_kvk = EmployerFactory(name="H. Schilderwerk", postcode="1011 AB", kvk_number="12345678")
    found = _found()
    assert found[one.pk] == other.pk and found[other.pk] == one.pk
    assert found[far.pk] == same_kvk.pk and found[same_kvk.pk] == far.pk
    scores = dict(LikelyDuplicate.objects.filter(employer=one).values_list("other_id", "score"))
    assert set(scores) == {other.pk} and 0.6 <= scores[other.pk] <= 1


def test_merged_renamed_and_dissimilar_employers_are_not_counted_and_no_row_is_its_own_duplicate_R07(manager):
    from employers.services import employer_update
    from employers.services.lifecycle import employer_merge

    keep = EmployerFactory(name="Hoveniersbedrijf Groen", postcode="2511 AA")
    gone = EmployerFactory(name="Hoveniersbedrijf Groen", postcode="2511 AA")
    renamed = EmployerFactory(name="Hovenier Groen", postcode="2511 AA")
    alone = EmployerFactory(name="Autobedrijf Zwart", postcode="2511 AB")
    assert set(_found()) == {keep.pk, gone.pk, renamed.pk}
    employer_update(employer_id=renamed.pk, by=manager, data={"name": "Slagerij Rood"})
    employer_merge(keep_id=keep.pk, merge_id=gone.pk, by=manager, note="test")
    assert Employer.objects.filter(pk=gone.pk, merged_into=keep.pk).exists()
    found = _found()
    assert not {keep.pk, gone.pk, renamed.pk, alone.pk} & set(found)
    assert not LikelyDuplicate.objects.filter(employer=keep).exists()  # the merge moved no pair onto itself


def test_a_bulk_update_without_a_save_is_caught_up_by_the_nightly_run_and_a_rerun_changes_nothing_R07():
    one = EmployerFactory(name="Installatiebedrijf Smit", postcode="2511 AA")
    other = EmployerFactory(name="Zorggroep Noord", postcode="2511 AA")
    assert _found() == {}
    Employer.objects.filter(pk=other.pk).update(name="Installatie Bedrijf Smit", name_key="installatiebedrijfsmit")
    assert _found() == {}  # no save, no receiver
    stored = refresh_likely_duplicates.apply().get()
    assert stored == 2 and _found() == {one.pk: other.pk, other.pk: one.pk}
    before = sorted(LikelyDuplicate.objects.values_list("employer_id", "other_id", "score"))
    assert likely_duplicates_refresh() == 2
    assert sorted(LikelyDuplicate.objects.values_list("employer_id", "other_id", "score")) == before


def test_a_save_that_changes_no_identifying_field_does_not_look_again(django_assert_num_queries):
    employer = EmployerFactory(name="Drukkerij Wit", postcode="2511 AA")
    employer.last_contact_at = timezone.now()
    with django_assert_num_queries(1):  # the UPDATE only
        employer.save(update_fields=["last_contact_at"])


def test_the_figure_its_list_and_its_export_agree_and_the_filters_narrow_it_R57(client, manager):
    mine = OrganisationFactory(name="Gemeente A")
    holder = UserFactory(organisation=mine)
    one = EmployerFactory(name="Transportbedrijf Vos", postcode="2511 AA", main_account_holder=holder)
    other = EmployerFactory(name="Transport Bedrijf Vos", postcode="2511 AA")
    assert registry.MEASURES[KEY].value(_scope()) == 2
    assert registry.MEASURES[KEY].value(_scope(organisation=str(mine.pk))) == 1
    client.force_login(manager)
    page = client.get(f"/sturing/cijfers/{KEY}/", {"year": _scope().year}).content.decode()
    assert f"/werkgevers/{one.pk}/" in page and f"/werkgevers/{other.pk}/" in page and "2511 AA" in page
    export = b"".join(client.get(f"/sturing/cijfers/{KEY}/export.csv").streaming_content).decode()
    assert export.count("Transport") == 4  # two rows, each naming the employer and its duplicate


def test_counting_does_not_grow_with_the_employers(django_assert_num_queries):
    for n in (2, 12):
        for i in range(n):
            EmployerFactory(name=f"Bouwbedrijf Pieters {i}", postcode=f"25{i:02d} AA")
            EmployerFactory(name=f"Bouwbedrijf Pieters {i}", postcode=f"25{i:02d} AA")
        with django_assert_num_queries(1):
            assert registry.MEASURES[KEY].value(_scope()) >= 2 * n
