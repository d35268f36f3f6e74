"""R-07: before a new employer is entered, existing ones are found on name first, then on postcode."""

import pytest

from employers.selectors import duplicate_candidates, strong_duplicates
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def test_exact_normalised_name_ranks_first_with_full_score_R07(adviser):
    exact = EmployerFactory(name="De Vries Bouw B.V.", postcode="1234 AB")
    similar = EmployerFactory(name="De Vries Bouwmaterialen", postcode="9876 ZX")
    EmployerFactory(name="Zuiderzee Logistiek", postcode="8888 XX")

    rows = duplicate_candidates(name="DeVries-bouw", postcode="")

    assert [row["id"] for row in rows] == [exact.pk, similar.pk]
    assert rows[0]["score"] == 1.0
    assert 0 < rows[1]["score"] < 1.0
    assert set(rows[0]) >= {"id", "name", "postcode", "score"}


def test_same_postcode_boosts_the_score_and_changes_the_ranking_R07():
    far = EmployerFactory(name="Bakkerij Janssens", postcode="9000 AA")
    near = EmployerFactory(name="Bakkerij Janszen", postcode="2011 AB")

    rows = duplicate_candidates(name="Bakkerij Jansen", postcode="2011ab")

    assert [row["id"] for row in rows][:2] == [near.pk, far.pk]
    assert rows[0]["score"] > rows[1]["score"]


def test_postcode_brings_in_a_record_whose_name_was_written_differently_R07():
    renamed = EmployerFactory(name="Totaal Anders Holding", postcode="2011 AB")

    rows = duplicate_candidates(name="Bakkerij Jansen", postcode="2011 AB")

    assert [row["id"] for row in rows] == [renamed.pk]


def test_dissimilar_names_elsewhere_are_not_candidates_R07():
    EmployerFactory(name="Zuiderzee Logistiek", postcode="8888 XX")

    assert duplicate_candidates(name="Bakkerij Jansen", postcode="2011 AB") == []


def test_merged_records_are_not_offered_as_duplicates_R07():
    kept = EmployerFactory(name="De Vries Bouw", postcode="1234 AB")
    EmployerFactory(name="De Vries Bouw", postcode="1234 AB", merged_into=kept)

    assert [row["id"] for row in duplicate_candidates(name="De Vries Bouw", postcode="1234 AB")] == [kept.pk]


def test_likely_only_drops_weak_candidates_R07():
    EmployerFactory(name="De Vries Bouwmaterialen", postcode="9876 ZX")  # similarity ~0.48

    assert duplicate_candidates(name="De Vries Bouw", postcode="") != []
    assert duplicate_candidates(name="De Vries Bouw", postcode="", likely_only=True) == []


def test_no_name_and_no_postcode_gives_no_candidates_R07():
    EmployerFactory()
    assert duplicate_candidates(name=" ", postcode="") == []


def test_strong_duplicates_need_the_same_postcode_R07():
    same = EmployerFactory(name="De Vries Bouw B.V.", postcode="1234 AB", kvk_number="12345678")
    EmployerFactory(name="De Vries Bouw", postcode="5678 CD")

    assert [r["id"] for r in strong_duplicates(name="DeVries-bouw", postcode="1234 AB")] == [same.pk]
    assert [r["id"] for r in strong_duplicates(name="Iets Anders", postcode="1234 AB", kvk_number="12345678")] == [
        same.pk
    ]
    assert strong_duplicates(name="Iets Anders", postcode="1234 AB") == []
