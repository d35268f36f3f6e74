"""R-07: names written together or apart, with or without legal form, meet in one key; postcodes are Dutch."""

import pytest

from employers.normalize import name_key, normalise_postcode


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("De Vries Bouw B.V.", "DeVries-bouw"),
        ("De Vries Bouw BV", "de vries bouw"),
        ("De Vries Bouw B. V.", "DE VRIES BOUW"),
        ("Jansen V.O.F.", "Jansen"),
        ("Jansen vof", "jansen"),
        ("Holding Jansen", "Jansen"),
        ("Jansen Holding B.V.", "Jansen"),
        ("Stichting Het Werkpunt", "Het Werkpunt"),
        ("Café 't Hoekje", "Cafe t Hoekje"),
        ("Bakker & Zonen", "Bakker en Zonen"),
        ("  Bakker.Zonen , ", "bakker zonen"),
    ],
)
def test_name_key_makes_spellings_of_one_employer_equal_R07(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("De Vries Bouw", "De Vries Installatie"), ("Jansen", "Janssen")])
def test_name_key_keeps_different_employers_apart_R07(a, b):
    assert name_key(a) != name_key(b)


def test_name_key_is_lowercase_letters_and_digits_only_R07():
    assert name_key("Bouw-Bedrijf 2000 (Noord) B.V.") == "bouwbedrijf2000noord"


def test_legal_form_letters_inside_a_word_are_kept_R07():
    # "bv" only counts as a legal form as a word of its own, not inside "Bvlgari" or "Ovof".
    assert name_key("Bvlgari") == "bvlgari"
    assert name_key("Kovof Metaal") == "kovofmetaal"


def test_name_that_is_only_a_legal_form_does_not_become_empty_R07():
    assert name_key("B.V.") == "bv"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2011 AB", "2011 AB"), ("2011ab", "2011 AB"), (" 2011  ab ", "2011 AB"), ("9999 ZZ", "9999 ZZ")],
)
def test_postcode_is_normalised_to_four_digits_space_two_capitals_R08a(value, expected):
    assert normalise_postcode(value) == expected


@pytest.mark.parametrize("value", ["123 AB", "0123 AB", "ABCD 12", "12345 AB", "2011 A", "2011 ABC", "", "2011-AB"])
def test_malformed_postcodes_are_not_postcodes_R08a(value):
    assert normalise_postcode(value) is None
