"""R-15: the title and description of an ordinary vacancy set no requirement on age, sex or origin.

The phrase list is a maintained data file (vacancies/data/discriminating_phrases.txt); a hit is refused with 403
`discriminating_text`, rule R-15, naming the phrase, on every path: registration, change, an employer's first
vacancy, the API and the browser form. Target-group vacancies are exempt. Both sides are tested: texts that must
be refused and ordinary texts that must pass (false positives cost advisers time and trust).
"""

from datetime import timedelta

import pytest

from employers.models import Employer
from employers.services import employer_create
from tests.factories import VacancyFactory
from vacancies import services, texts
from vacancies.choices import TargetGroupFlag
from vacancies.models import Vacancy
from wsp.errors import RuleRefused

API = "/api/v1/vacancies/"


# --- The phrase list (no database) ------------------------------------------------------------------------------


def test_the_phrase_file_has_a_maintenance_header_and_every_line_compiles_R15():
    text = texts.PHRASES_FILE.read_text(encoding="utf-8")
    assert text.startswith("# R-15")
    assert "How to maintain this list" in text
    phrases = texts.phrase_list()
    assert len(phrases.refused) >= 40 and len(phrases.allowed) >= 5
    assert all(p.text == p.text.lower() for p in (*phrases.refused, *phrases.allowed))
    assert len({p.text for p in phrases.refused}) == len(phrases.refused)  # no phrase twice


def test_every_phrase_of_the_list_is_refused_on_its_own_R15():
    for phrase in texts.phrase_list().refused:
        sentence = "Wij zoeken " + phrase.text.replace("{leeftijd}", "30") + " voor ons magazijn."
        assert texts.discriminating_phrases(sentence), phrase.text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Magazijnmedewerker max 30 jaar", ["max 30 jaar"]),
        ("Wij zoeken iemand van maximaal 35 jaar", ["maximaal 35 jaar"]),
        ("Leeftijd: 18 – 25 jaar", ["leeftijd: 18-25 jaar"]),
        ("Tussen 20 en 30 jaar oud", ["tussen 20 en 30 jaar"]),
        ("Niet ouder dan 45.", ["niet ouder dan 45"]),
        ("Een jonge, enthousiaste collega", ["jonge"]),
        ("Kom werken in ons jong team", ["jong team"]),
        ("Jong en dynamisch bedrijf zoekt verkoper", ["jong en dynamisch"]),
        ("Sterke MANNEN gezocht voor de bouw", ["mannen"]),
        ("Vrouwen gezocht voor de kraamzorg", ["vrouwen"]),
        ("Man gezocht voor sjouwwerk", ["man gezocht"]),
        ("Bij voorkeur van Nederlandse afkomst", ["nederlandse afkomst"]),
        ("Autochtoon Nederlands team", ["autochtoon"]),
        ("Geen buitenlanders", ["geen buitenlanders"]),
        ("Moedertaal Nederlands vereist", ["moedertaal nederlands"]),
        ("Nederlands als moedertaal", ["nederlands als moedertaal"]),
        ("Max 30 jaar, mannen, Nederlandse afkomst", ["max 30 jaar", "mannen", "nederlandse afkomst"]),
        ("Van niet-westerse afkomst", ["niet-westerse afkomst"]),
    ],
)
def test_requirements_on_age_sex_or_origin_are_found_and_named_R15(text, found):
    assert texts.discriminating_phrases(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Contract voor maximaal 2 jaar, daarna vast",  # a duration, not an age
        "Minimaal 15 jaar werkervaring in de bouw",  # experience
        "Maximaal 20 jaar ervaring is genoeg",
        "Vakmannen en timmermannen gezocht",  # whole words only
        "Gastvrouw / gastheer in ons restaurant",
        "Zowel mannen als vrouwen zijn welkom",  # inclusive wording
        "Wij zoeken mannen en vrouwen voor de productie",
        "Iedereen is welkom, ongeacht leeftijd, geslacht, afkomst of moedertaal Nederlands. Solliciteer nu!",
        "Pedagogisch medewerker voor de zorg voor jonge kinderen",
        "Hovenier: opkweken van jonge planten",
        "Jongerenwerker in Haarlem-Noord",  # "jongeren" is not "jonge"
        "Een jong bedrijf met ervaren mensen",  # the company is young, not the people
        "Werkweek van 32-40 uur, 24 uur per week mogelijk",
        "Chauffeur C/E met code 95",
        "",
    ],
)
def test_ordinary_texts_pass_R15(text):
    assert texts.discriminating_phrases(text) == []


def test_the_next_sentence_after_an_inclusive_statement_is_still_screened_R15():
    assert texts.discriminating_phrases("Ongeacht afkomst welkom. Max 25 jaar.") == ["max 25 jaar"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # "ongeacht" allows the characteristics named right after it, not the rest of the sentence.
        ("Ongeacht je ervaring zoeken wij jonge mannen van max 25 jaar.", ["jonge", "mannen", "max 25 jaar"]),
        ("Ongeacht leeftijd mannen gezocht", ["mannen"]),
        ("Ongeacht je afkomst: max 30 jaar", ["max 30 jaar"]),
        # Invisible format characters (Unicode Cf) and compatibility forms do not hide a phrase.
        ("Een jon\u00adge collega", ["jonge"]),  # soft hyphen
        ("Een jon\u200bge collega", ["jonge"]),  # zero-width space
        ("Sterke ma\u2060nnen gezocht", ["mannen"]),  # word joiner
        ("\ufeffJonge chauffeur", ["jonge"]),  # byte order mark
        ("Een \uff4a\uff4f\uff4e\uff47\uff45 collega", ["jonge"]),  # full-width letters
        ("Wij zoeken jonge\u00a0mannen", ["jonge", "mannen"]),  # non-breaking space
        ("Max\u202f30\u2009jaar", ["max 30 jaar"]),  # narrow and thin spaces
        # Cyrillic and Greek look-alike letters read as the Latin ones they look like.
        ("Een j\u043enge collega", ["jonge"]),  # Cyrillic o
        ("Sterke \u041c\u0430nnen gezocht", ["mannen"]),  # Cyrillic M and a
        ("M\u03b1x 30 j\u0430\u0430r", ["max 30 jaar"]),  # Greek alpha, Cyrillic a
        ("Van Nederlandse \u0430fk\u043emst", ["nederlandse afkomst"]),
        # "jr" and "jr." are "jaar"; an age written against its neighbours is still an age.
        ("Magazijnmedewerker max 25 jr", ["max 25 jr"]),
        ("Max. 25 jr. oud", ["max. 25 jr."]),
        ("Chauffeur max25jaar", ["max25jaar"]),
        ("Leeftijd 18 - 25", ["leeftijd 18-25"]),
        ("Wij zoeken iemand van 18-25jaar", ["18-25jaar"]),
        ("Starters 18 - 25 jaar", ["18-25 jaar"]),
        ("Kandidaten van 18 t/m 25 jaar", ["18 t/m 25 jaar"]),
        ("Niet ouder dan 30 jr", ["niet ouder dan 30"]),
    ],
)
def test_the_screening_is_not_easy_to_get_around_R15(text, found):
    assert texts.discriminating_phrases(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Iedereen is welkom, ongeacht je leeftijd, je geslacht of je afkomst.",
        "Ongeacht iemands achtergrond, nationaliteit en/of religie: welkom!",
        "Wij werken met max 40 uur per week",
        "Een contract voor 2 jaar met uitzicht op vast",
        "Jongerenwerker in Haarlem-Noord voor het jongerencentrum",
        "Jr. developer (medior mag ook), 15 jr ervaring is mooi meegenomen",
        "Diensten van 18-22 uur",
        "Postcode 2011 AB, 24 uur per week",
        "Min. 3 jaar ervaring, contract t/m 2 jaar",
        "Шукаємо водія, 40 годин на тиждень (Oekraïense collega's welkom)",  # Ukrainian is screened, not refused
    ],
)
def test_ordinary_texts_still_pass_the_stricter_screening_R15(text):
    assert texts.discriminating_phrases(text) == []


def test_normalise_removes_invisible_characters_and_typographic_spaces_R15():
    assert texts.normalise("Jon\u00adge\u200b \u00a0 Man\u2060nen\u034f \u2013 X") == "jonge mannen-x"


def test_an_allowed_phrase_never_blanks_the_rest_of_a_sentence_R15():
    """The list keeps no allowed phrase with an open end: every allowed phrase is a bounded pattern."""
    for phrase in texts.phrase_list().allowed:
        assert "{zin}" not in phrase.text
        assert ".*" not in phrase.pattern.pattern and "[^" not in phrase.pattern.pattern


def test_a_maintained_list_is_read_with_its_allowed_phrases():
    phrases = texts.parse(["# comment", "", "stoere bink", "!stoere bink gezocht? nee"])
    assert [p.text for p in phrases.refused] == ["stoere bink"]
    assert texts.discriminating_phrases("Stoere bink voor de bouw", phrases) == ["stoere bink"]
    assert texts.discriminating_phrases("stoere bink gezocht? nee", phrases) == []


# --- Every path refuses (service, API, first vacancy, browser) ----------------------------------------------------


def _assert_refused(error: RuleRefused, fields: list[str], phrase: str):
    assert (error.status_code, error.code, error.rule) == (403, "discriminating_text", "R-15")
    assert sorted(error.fields) == sorted(fields)
    assert phrase in str(error.detail) and phrase in error.extra["phrases"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "refused_fields", "phrase"),
    [
        ({"title": "Jonge orderpicker"}, ["title"], "jonge"),
        ({"description": "Wij zoeken mannen voor de nachtdienst"}, ["description"], "mannen"),
        (
            {"title": "Kok max 30 jaar", "description": "Van Nederlandse afkomst"},
            ["title", "description"],
            "max 30 jaar",
        ),
    ],
)
def test_registration_with_a_discriminating_text_is_refused_R15(register, counts, fields, refused_fields, phrase):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        register(**fields)
    _assert_refused(refused.value, refused_fields, phrase)
    assert counts() == before


@pytest.mark.django_db
def test_target_group_vacancies_are_exempt_R14_R15(register):
    vacancy = register(
        title="Jongeren: jonge starter in het magazijn",
        description="Voor jonge mensen tot 27 jaar",
        target_group_flags=[TargetGroupFlag.YOUTH],
    )
    assert vacancy.pk


@pytest.mark.django_db
def test_a_change_to_a_discriminating_text_is_refused_and_the_vacancy_stays_R15(vacancy, adviser, counts):
    before, title = counts(), vacancy.title
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, description="Alleen vrouwen")
    _assert_refused(refused.value, ["description"], "alleen vrouwen")
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.description) == (title, "")
    assert counts() == before


@pytest.mark.django_db
def test_removing_the_target_group_screens_the_text_again_R15(adviser, employer, counts):
    vacancy = VacancyFactory(
        employer=employer, title="Jonge starter", target_group_flags=[TargetGroupFlag.YOUTH], max_age=27
    )
    before = counts()
    with pytest.raises(RuleRefused):
        services.vacancy_update(vacancy=vacancy, by=adviser, target_group_flags=[], max_age=None)
    vacancy.refresh_from_db()
    assert vacancy.target_group_flags == ["youth"]
    assert counts() == before


@pytest.mark.django_db
def test_a_change_of_other_fields_does_not_screen_an_old_text(adviser, employer):
    """Only a change of title, description or target groups is screened; an older text does not block extending
    or changing the hours (the owner fixes it when they touch it)."""
    vacancy = VacancyFactory(employer=employer, title="Jonge kok")
    services.vacancy_update(vacancy=vacancy, by=adviser, hours_per_week=24)
    vacancy.refresh_from_db()
    assert vacancy.hours_per_week == 24


@pytest.mark.django_db
def test_the_first_vacancy_of_a_new_employer_is_screened_R06_R15(adviser, counts, now):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        employer_create(
            by=adviser,
            data={"name": "Garage Velsen", "postcode": "1971 AB"},
            first_vacancy_register=lambda new: services.vacancy_register_for_new_employer(
                employer=new,
                by=adviser,
                title="Monteur (man)",
                description="Man gezocht",
                hours_per_week=38,
                received_at=now - timedelta(hours=1),
            ),  # fmt: skip
        )
    assert refused.value.code == "discriminating_text"
    assert list(refused.value.fields) == ["first_vacancy.description"]
    assert counts() == before
    assert not Employer.objects.filter(name="Garage Velsen").exists()


@pytest.mark.django_db
def test_api_post_and_patch_refuse_with_the_phrase_R15(adviser_client, employer, vacancy, counts, now):
    before = counts()
    response = adviser_client.post(
        API,
        {"employer": employer.pk, "title": "Chauffeur max. 40 jaar", "hours_per_week": 32,
         "received_at": (now - timedelta(hours=1)).isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403
    body = response.json()
    assert (body["code"], body["rule"], body["phrases"]) == ("discriminating_text", "R-15", ["max. 40 jaar"])
    assert "max. 40 jaar" in body["fields"]["title"][0]
    response = adviser_client.patch(f"{API}{vacancy.pk}/", {"description": "Geen allochtonen"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "discriminating_text")
    assert counts() == before


@pytest.mark.django_db
def test_the_browser_form_shows_the_dutch_message_on_the_field_R15(client, adviser, employer, counts, now):
    client.force_login(adviser)
    before = counts()
    response = client.post(
        "/vacatures/nieuw/",
        {"employer": employer.pk, "title": "Orderpicker", "description": "Wij zoeken een jong team-lid, max 25 jaar",
         "hours_per_week": 32, "requested_positions": 1, "source": "phone", "visibility": "open",
         "received_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors["description"]
    assert "max 25 jaar" in errors[0] and "leeftijd, geslacht of afkomst" in errors[0]
    assert counts() == before
    assert not Vacancy.objects.exists()
