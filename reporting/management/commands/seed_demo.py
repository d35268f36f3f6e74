"""Demo data for the WSP Zuid-Kennemerland en IJmond (ZKIJ plan 2024, seed 000).

Builds the region's partner organisations (UWV, Spaarne Werkt, IJmond Werkt! and the 7 municipalities), about 40
staff members in every role, the sector approach (R-51: weight category, lead partner, focus sectors and teams),
and employers with their contact history, account holders, contact requests, admission requests and feedback.

Reproducible: one fixed random seed; dates are relative to the day the command runs, so "12 months without
contact" (R-05) means the same thing whenever it runs.

Fast enough for benchmarks (`--employers 100000` gives 1,000,000 contact moments): the history is loaded with
PostgreSQL COPY inside one transaction with `session_replication_role = replica`, which switches off the audit and
last-contact triggers (and foreign-key checks, so the rows are built consistent here). What the triggers would have
done is then done once, in bulk: the audit trail gets its insert events and `last_contact_at` is set from the
contact history (R-05). Check constraints stay on, so every visit still needs its report (R-08).
"""

import functools
import io
import math
import random
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, Sector, SectorTeam, User
from employers.choices import (
    AccessRequestStatus,
    AccountHolderVia,
    ContactChannel,
    ContactKind,
    EmployerStatus,
    EmployerType,
    FeedbackSource,
)
from employers.models import (
    AccessRequest,
    AccountHolder,
    ContactMoment,
    ContactRequest,
    Employer,
    EmployerFeedback,
)
from employers.normalize import name_key

DEMO_PASSWORD = "demo-wsp-2026"
RANDOM_SEED = 20240101
DAY = 86400.0
MONTH = 30.44 * DAY
COPY_CHUNK_ROWS = 200_000

# --- The region --------------------------------------------------------------------------------------------------

# (code, name, kind); ZKIJ plan 1.1: UWV and the reintegration partners of the 7 municipalities.
ORGANISATIONS = [
    ("uwv", "UWV", OrganisationKind.UWV),
    ("spaarne-werkt", "Spaarne Werkt", OrganisationKind.REINTEGRATION),
    ("ijmond-werkt", "IJmond Werkt!", OrganisationKind.REINTEGRATION),
    ("gemeente-haarlem", "Gemeente Haarlem", OrganisationKind.MUNICIPALITY),
    ("gemeente-zandvoort", "Gemeente Zandvoort", OrganisationKind.MUNICIPALITY),
    ("gemeente-bloemendaal", "Gemeente Bloemendaal", OrganisationKind.MUNICIPALITY),
    ("gemeente-heemstede", "Gemeente Heemstede", OrganisationKind.MUNICIPALITY),
    ("gemeente-velsen", "Gemeente Velsen", OrganisationKind.MUNICIPALITY),
    ("gemeente-beverwijk", "Gemeente Beverwijk", OrganisationKind.MUNICIPALITY),
    ("gemeente-heemskerk", "Gemeente Heemskerk", OrganisationKind.MUNICIPALITY),
]
# Sub-region of each municipality: Spaarne Werkt serves Zuid-Kennemerland, IJmond Werkt! the IJmond.
SUBREGION_PARTNER = {
    "Haarlem": "spaarne-werkt", "Zandvoort": "spaarne-werkt", "Bloemendaal": "spaarne-werkt",
    "Heemstede": "spaarne-werkt", "Velsen": "ijmond-werkt", "Beverwijk": "ijmond-werkt", "Heemskerk": "ijmond-werkt",
}  # fmt: skip
# Staff of the municipal employer, to make "Gemeente X" a government employer of plausible size.
MUNICIPAL_STAFF = {
    "Haarlem": 1850, "Velsen": 720, "Beverwijk": 460, "Heemskerk": 360, "Heemstede": 260, "Bloemendaal": 230,
    "Zandvoort": 210,
}  # fmt: skip

# (place, municipality, postcode ranges, weight, phone area code, streets)
PLACES = [
    ("Haarlem", "Haarlem", [(2011, 2015), (2021, 2026), (2031, 2037)], 150, "023",
     ["Grote Houtstraat", "Zijlweg", "Kleine Houtweg", "Amsterdamstraatweg", "Rijksstraatweg", "Schipholweg",
      "Oudeweg", "Waarderweg", "Spaarnwouderstraat", "Tempeliersstraat", "Kruisweg", "Lange Veerstraat",
      "Europaweg", "Prinsen Bolwerk", "Gedempte Oude Gracht", "Kennemerplein"]),
    ("Spaarndam", "Haarlem", [(2064, 2064)], 3, "023", ["Oostkolk", "Westkolk", "Spaarndammerdijk"]),
    ("Zandvoort", "Zandvoort", [(2041, 2042)], 14, "023",
     ["Kerkstraat", "Boulevard Paulus Loot", "Haltestraat", "Burgemeester Van Alphenstraat", "Zeestraat"]),
    ("Bentveld", "Zandvoort", [(2116, 2116)], 1, "023", ["Zandvoortseweg"]),
    ("Bloemendaal", "Bloemendaal", [(2061, 2061)], 8, "023", ["Bloemendaalseweg", "Kennemerweg", "Kerkplein"]),
    ("Overveen", "Bloemendaal", [(2051, 2051)], 5, "023", ["Brouwerskolkweg", "Tetterodeweg"]),
    ("Aerdenhout", "Bloemendaal", [(2111, 2111)], 4, "023", ["Zandvoortselaan", "Leijduinlaan"]),
    ("Vogelenzang", "Bloemendaal", [(2114, 2114)], 2, "0252", ["Vogelenzangseweg", "Henk Lensenlaan"]),
    ("Bennebroek", "Bloemendaal", [(2121, 2121)], 4, "023", ["Bennebroekerlaan", "Rijksstraatweg"]),
    ("Heemstede", "Heemstede", [(2101, 2106)], 27, "023",
     ["Binnenweg", "Raadhuisstraat", "Cruquiusweg", "Javalaan", "Zandvaartkade", "Herenweg"]),
    ("IJmuiden", "Velsen", [(1971, 1976)], 30, "0255",
     ["Kennemerlaan", "Lange Nieuwstraat", "Dokweg", "Trawlerkade", "Middenhavenstraat", "Planetenweg"]),
    ("Velsen-Zuid", "Velsen", [(1981, 1981)], 5, "0255", ["Amsterdamseweg", "Rijksweg"]),
    ("Velsen-Noord", "Velsen", [(1951, 1951)], 5, "0251", ["Wenckebachstraat", "Stratingplantsoen"]),
    ("Driehuis", "Velsen", [(1985, 1985)], 3, "0255", ["Driehuizerkerkweg", "Van den Vondellaan"]),
    ("Santpoort-Noord", "Velsen", [(2071, 2071)], 6, "023", ["Hoofdstraat", "Broekbergenlaan"]),
    ("Santpoort-Zuid", "Velsen", [(2082, 2082)], 3, "023", ["Bloemendaalsestraatweg", "Wüstelaan"]),
    ("Velserbroek", "Velsen", [(1991, 1991)], 10, "023", ["Zadelmakerstraat", "Galle Promenade", "Rijkzeeweg"]),
    ("Beverwijk", "Beverwijk", [(1941, 1948)], 40, "0251",
     ["Breestraat", "Parallelweg", "Zeestraat", "Kuenenplein", "Laan der Nederlanden", "Industrieweg"]),
    ("Wijk aan Zee", "Beverwijk", [(1949, 1949)], 2, "0251", ["Relweg", "Dorpsplein"]),
    ("Heemskerk", "Heemskerk", [(1961, 1969)], 39, "0251",
     ["Maerten van Heemskercklaan", "Rijksweg", "Tolweg", "Lorentzweg", "Jan Ligthartstraat"]),
]
POSTCODE_LETTERS = "ABCEGHJKLMNPRSTVWXZ"

SURNAMES = [
    "De Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "De Boer", "Mulder", "De Groot", "Bos", "Vos",
    "Peters", "Hendriks", "Van Leeuwen", "Dekker", "Brouwer", "De Wit", "Dijkstra", "Smits", "De Graaf",
    "Van der Meer", "Van der Linden", "Kok", "Jacobs", "De Haan", "Vermeulen", "Van den Berg", "Van der Heijden",
    "Van Dijk", "Koster", "Schouten", "Van Beek", "Willems", "Van Vliet", "Hoekstra", "Maas", "Verhoeven",
    "Kramer", "Van Wijk", "Prins", "Huisman", "Post", "Kuiper", "Veenstra", "Kerkhof", "Van den Broek", "Zwart",
    "Groen", "Stam", "Boon", "Molenaar", "Blom", "Timmermans", "Scholten", "Koning", "Van Loon", "Pronk", "Roos",
    "Kaptein", "Zonneveld", "Beentjes", "Kroon", "Duivenvoorden", "Tromp", "Schoorl", "Snijder", "Dirkse",
    "Van Duijn", "Ouwehand", "Zandbergen", "Brinkman", "Vink", "Kieft", "Rozendaal", "Hoogland", "Nijman",
    "Bruin", "Wijnands", "Van Schie", "Verdonk", "Hageman", "Captein", "Van Rijn", "Ruijter", "Heijnen", "Lammers",
    "Overbeek", "Steenkamp", "Van Essen", "Bloemen", "Houtman", "Zeeman", "Boot", "Visscher", "Akkerman", "Stuurman",
    "Dorrestijn", "Van Kampen", "Schipper", "Van Amstel", "Poel", "Hoek", "Kalf", "Ooms", "Rietveld", "Van Tol",
    "Wessels", "Van Os", "Koopman", "Sluijter", "El Idrissi", "Yildiz", "Bakkali", "Nguyen", "Kaya", "Pinas",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Daan", "Sophie", "Lucas", "Emma", "Thijs", "Julia", "Ruben", "Lotte", "Bas", "Sanne", "Jeroen",
    "Femke", "Kees", "Marieke", "Pieter", "Ingrid", "Mohamed", "Fatima", "Yusuf", "Samira", "Wouter", "Esther",
    "Joost", "Linda", "Rik", "Noor", "Sem", "Iris", "Hans", "Karin", "Mark", "Nadia", "Tom", "Eva", "Gijs",
]  # fmt: skip
PLACE_WORDS = [
    "Kennemer", "Spaarne", "IJmond", "Duinstreek", "Noordzee", "Kustlijn", "Havenstad", "Duinrand", "Binnenduin",
    "Zeehaven", "Buitenrust", "Waarder", "Kennemerduin", "Zeeweg", "Velserpoort", "Zuiderpolder",
]  # fmt: skip
FANCY = [
    "De Gouden Leeuw", "'t Hoekje", "De Zwaan", "Het Anker", "De Zeemeeuw", "De Molen", "Het Spaarne",
    "De Regenboog", "De Duinroos", "De Vuurtoren", "Het Kompas", "De Linde", "De Kastanje", "Zeezicht",
    "De Branding", "Het Baken", "De Wilgen", "De Klimop", "Het Zonnehuis", "De Meerpaal",
]  # fmt: skip
INITIALS = "ABCDEFGHJKLMNPRSTW"


@dataclass(frozen=True)
class SectorSpec:
    code: str
    name: str
    weight_category: int
    lead: str
    is_focus: bool
    share: float
    # (SBI code, trade word before a surname, activity word after a name)
    activities: tuple
    # names like "Zorggroep {region}"; {place}, {region} and {fancy} are filled in
    institutions: tuple = ()
    government: bool = False
    description: str = ""


# ZKIJ plan 2.3 focus sectors (care & welfare, education, technology) are marked; weight 1 is heaviest.
SECTORS = [
    SectorSpec("Q", "Zorg & Welzijn", 1, "spaarne-werkt", True, 11, (
        ("8621", "Huisartsenpraktijk", "Huisartsen"), ("8623", "Tandartspraktijk", "Tandzorg"),
        ("8690", "Fysiotherapie", "Fysiotherapie"), ("8710", "Verpleeghuis", "Zorg"),
        ("8810", "Thuiszorg", "Thuiszorg"), ("8891", "Kinderopvang", "Kinderopvang"),
    ), ("Zorggroep {region}", "Stichting Welzijn {place}", "Thuiszorg {region}", "Woonzorgcentrum {fancy}"),
        description="zorg en welzijn: verpleging, thuiszorg en begeleiding"),
    SectorSpec("P", "Onderwijs", 2, "uwv", True, 4, (
        ("8559", "Bijlesinstituut", "Bijles"), ("8559", "Opleidingscentrum", "Opleidingen"),
        ("8552", "Muziekschool", "Muziekonderwijs"), ("8553", "Rijschool", "Rijopleidingen"),
    ), ("Basisschool {fancy}", "{region} College", "Stichting Openbaar Onderwijs {region}", "Lyceum {place}"),
        government=False, description="onderwijs en opleiding"),
    SectorSpec("C", "Techniek & Industrie", 1, "ijmond-werkt", True, 9, (
        ("2511", "Staalbouw", "Staalbouw"), ("2562", "Metaalbewerking", "Metaaltechniek"),
        ("4322", "Installatiebedrijf", "Installatietechniek"), ("2829", "Machinefabriek", "Machinebouw"),
        ("1071", "Bakkerij", "Banketbakkerij"), ("3312", "Onderhoudsbedrijf", "Onderhoudstechniek"),
        ("2712", "Elektrotechniek", "Elektrotechniek"),
    ), ("{region} Staal", "Technisch Bedrijf {region}", "{place} Industrie", "Energietechniek {region}"),
        description="productie, metaal, installatie- en elektrotechniek"),
    SectorSpec("F", "Bouw", 2, "ijmond-werkt", False, 9, (
        ("4120", "Bouwbedrijf", "Bouw"), ("4332", "Timmerbedrijf", "Timmerwerken"),
        ("4334", "Schildersbedrijf", "Schilderwerken"), ("4391", "Dakdekkersbedrijf", "Dakwerken"),
        ("4399", "Aannemersbedrijf", "Aannemers"),
    ), ("Bouwcombinatie {region}", "{place} Bouw"), description="bouw, renovatie en onderhoud"),
    SectorSpec("G", "Detailhandel & Groothandel", 1, "spaarne-werkt", False, 19, (
        ("4711", "Supermarkt", "Supermarkten"), ("4722", "Slagerij", "Vleeswaren"),
        ("4776", "Bloemenhandel", "Bloemen"), ("4771", "Modehuis", "Mode"), ("4752", "Bouwmarkt", "Bouwmaterialen"),
        ("4690", "Groothandel", "Groothandel"), ("4520", "Autobedrijf", "Automotive"),
    ), ("Winkelcentrum {fancy}", "{region} Groothandel"), description="winkel, groothandel en autobedrijf"),
    SectorSpec("I", "Horeca", 1, "spaarne-werkt", False, 10, (
        ("5610", "Restaurant", "Catering"), ("5630", "Café", "Horeca"), ("5510", "Hotel", "Hotels"),
        ("5621", "Cateringbedrijf", "Catering"),
    ), ("Restaurant {fancy}", "Café {fancy}", "Strandpaviljoen {fancy}", "Hotel {fancy}"),
        description="restaurant, café, hotel en strandpaviljoen"),
    SectorSpec("H", "Transport & Logistiek", 2, "uwv", False, 5, (
        ("4941", "Transportbedrijf", "Transport"), ("5210", "Opslagbedrijf", "Logistiek"),
        ("5229", "Expeditiebedrijf", "Expeditie"), ("4932", "Taxibedrijf", "Taxi"),
    ), ("Distributiecentrum {region}", "Haven {place}"), description="transport, opslag en distributie"),
    SectorSpec("N", "Zakelijke dienstverlening", 2, "uwv", False, 13, (
        ("8121", "Schoonmaakbedrijf", "Schoonmaak"), ("7810", "Uitzendbureau", "Personeelsdiensten"),
        ("8130", "Hoveniersbedrijf", "Groenvoorziening"), ("8010", "Beveiligingsbedrijf", "Beveiliging"),
        ("7022", "Adviesbureau", "Advies"),
    ), ("Facilitair Bedrijf {region}", "{region} Schoonmaakdiensten"),
        description="schoonmaak, beveiliging, groen en personeelsdiensten"),
    SectorSpec("J", "ICT", 3, "uwv", False, 5, (
        ("6201", "Softwarebedrijf", "Software"), ("6202", "ICT-bureau", "ICT Services"),
        ("6312", "Webbureau", "Webdesign"),
    ), ("{region} Digital", "Datacenter {region}"), description="software, ICT-beheer en webdesign"),
    SectorSpec("K", "Financiële dienstverlening", 3, "uwv", False, 3, (
        ("6622", "Verzekeringskantoor", "Verzekeringen"), ("6920", "Administratiekantoor", "Administratie"),
    ), ("Spaarbank {region}",), description="verzekeringen, administratie en bankzaken"),
    SectorSpec("S", "Overige dienstverlening", 3, "spaarne-werkt", False, 5, (
        ("9602", "Kapsalon", "Haarmode"), ("9609", "Schoonheidssalon", "Beauty"),
        ("9601", "Wasserij", "Textielreiniging"),
    ), ("Wasserij {region}",), description="persoonlijke dienstverlening"),
    SectorSpec("A", "Landbouw & Groen", 3, "ijmond-werkt", False, 2, (
        ("0119", "Kwekerij", "Kwekerij"), ("0130", "Bollenkwekerij", "Bloembollen"),
    ), ("Tuinderij {fancy}",), description="kwekerij, bollenteelt en tuinbouw"),
    SectorSpec("R", "Cultuur, Sport & Recreatie", 3, "spaarne-werkt", False, 2, (
        ("9311", "Sportcentrum", "Sport"), ("9004", "Theater", "Cultuur"), ("9329", "Recreatiepark", "Recreatie"),
    ), ("Recreatieschap {region}", "Zwembad {fancy}"), description="sport, cultuur en recreatie"),
    SectorSpec("O", "Openbaar bestuur", 3, "spaarne-werkt", False, 1, (
        ("8411", "Overheidsdienst", "Overheidsdiensten"),
    ), ("Omgevingsdienst {region}", "Veiligheidsregio {region}", "Milieudienst {region}", "Sportbedrijf {place}",
        "Stadsbeheer {place}", "Belastingsamenwerking {region}"), government=True,
        description="openbaar bestuur en publieke dienstverlening"),
]  # fmt: skip

# (first name, last name, organisation code, role); about 40 staff in all roles.
STAFF = [
    ("Sanne", "Bakker", "uwv", Role.ADMIN),
    ("Mark", "de Groot", "uwv", Role.MANAGER),
    ("Esther", "Visser", "spaarne-werkt", Role.MANAGER),
    ("Peter", "Smit", "ijmond-werkt", Role.MANAGER),
    ("Marloes", "van Beek", "gemeente-haarlem", Role.MANAGER),
    ("Anna", "Jansen", "uwv", Role.ADVISER),
    ("Daan", "de Vries", "uwv", Role.ADVISER),
    ("Fatima", "el Amrani", "uwv", Role.ADVISER),
    ("Joost", "Hendriks", "uwv", Role.ADVISER),
    ("Lisa", "van Dijk", "uwv", Role.ADVISER),
    ("Emre", "Yilmaz", "uwv", Role.ADVISER),
    ("Sophie", "Dekker", "uwv", Role.ADVISER),
    ("Thijs", "Kok", "uwv", Role.ADVISER),
    ("Naomi", "Brouwer", "uwv", Role.ADVISER),
    ("Ruben", "Vermeulen", "uwv", Role.ADVISER),
    ("Eva", "Meijer", "spaarne-werkt", Role.ADVISER),
    ("Bas", "Willems", "spaarne-werkt", Role.ADVISER),
    ("Yara", "Bos", "spaarne-werkt", Role.ADVISER),
    ("Kees", "Schouten", "spaarne-werkt", Role.ADVISER),
    ("Lotte", "de Wit", "spaarne-werkt", Role.ADVISER),
    ("Sander", "Post", "spaarne-werkt", Role.ADVISER),
    ("Nadia", "Boukhari", "spaarne-werkt", Role.ADVISER),
    ("Femke", "Kramer", "ijmond-werkt", Role.ADVISER),
    ("Jeroen", "Kuiper", "ijmond-werkt", Role.ADVISER),
    ("Marieke", "Zwart", "ijmond-werkt", Role.ADVISER),
    ("Rik", "Stam", "ijmond-werkt", Role.ADVISER),
    ("Samira", "Ouali", "ijmond-werkt", Role.ADVISER),
    ("Tom", "Roos", "ijmond-werkt", Role.ADVISER),
    ("Iris", "Molenaar", "gemeente-haarlem", Role.ADVISER),
    ("Wouter", "van Leeuwen", "gemeente-haarlem", Role.ADVISER),
    ("Manon", "Koster", "gemeente-zandvoort", Role.ADVISER),
    ("Gijs", "van Vliet", "gemeente-bloemendaal", Role.ADVISER),
    ("Pieter", "Groen", "gemeente-heemstede", Role.ADVISER),
    ("Hanneke", "Prins", "gemeente-velsen", Role.ADVISER),
    ("Arjen", "Blom", "gemeente-beverwijk", Role.ADVISER),
    ("Linda", "Huisman", "gemeente-heemskerk", Role.ADVISER),
    ("Vincent", "Maas", "uwv", Role.ACCOUNT_MANAGER),
    ("Charlotte", "Scholten", "spaarne-werkt", Role.ACCOUNT_MANAGER),
    ("Dennis", "Pronk", "ijmond-werkt", Role.ACCOUNT_MANAGER),
    ("Ellen", "Timmermans", "gemeente-bloemendaal", Role.ACCOUNT_MANAGER),
]
# How many employers an adviser of an organisation kind holds, relative to one another.
CASELOAD_WEIGHT = {"uwv": 3.0, "spaarne-werkt": 3.0, "ijmond-werkt": 3.0, "municipality": 1.0}

# --- Contact texts (R-08: a visit carries reason, company activities and agreements) ------------------------------

VISIT_REASONS = [
    "Kennismaking met de nieuwe HR-manager", "Vacature orderpicker bespreken", "Mogelijkheden banenafspraak verkennen",
    "Nazorg na plaatsing kandidaat", "Jobcarving: eenvoudige taken in kaart brengen", "Evaluatie proefplaatsing",
    "Toelichting loonkostensubsidie en no-riskpolis", "Werkgever vraagt advies over omscholing van personeel",
    "Wervingsplan voor meerdere vacatures opstellen", "Kennismaking na aanmelding via de website",
]  # fmt: skip
VISIT_AGREEMENTS = [
    "Werkgever meldt de vacature deze week aan; WSP stelt binnen twee weken kandidaten voor",
    "Adviseur stuurt informatie over proefplaatsing en no-riskpolis", "Vervolgafspraak over drie maanden",
    "Twee kandidaten uit de doelgroep P-wet voordragen", "Werkgever neemt deel aan de banenmarkt in het voorjaar",
    "Functie wordt opgeknipt; adviseur levert een takenlijst voor een banenafspraakbaan aan",
    "Nazorggesprek met kandidaat en leidinggevende over zes weken",
    "Werkgever ontvangt een overzicht van regionale opleidingsmogelijkheden",
]  # fmt: skip
SUMMARIES = {
    ContactKind.VISIT: ["Bedrijfsbezoek", "Bedrijfsbezoek met rondleiding", "Bezoek aan de vestiging"],
    ContactKind.PHONE: [
        "Telefonisch contact over openstaande vacature", "Werkgever belde over loonkostensubsidie",
        "Nabellen na voorstellen kandidaat", "Afspraak gepland voor bedrijfsbezoek",
        "Terugkoppeling sollicitatiegesprek kandidaat", "Informatie gevraagd over de no-riskpolis",
    ],
    ContactKind.EMAIL: [
        "Informatie over proefplaatsing gemaild", "Vacaturetekst ontvangen en besproken",
        "Uitnodiging banenmarkt verstuurd", "Profielen van twee kandidaten gedeeld",
        "Vragen over een werkvergunning beantwoord",
    ],
    ContactKind.EVENT: [
        "Deelname aan het WSP-werkgeversontbijt", "Speeddate op de banenmarkt", "Kennissessie matchen op skills",
        "Netwerkbijeenkomst Techport", "Bedrijvendag IJmond",
    ],
    ContactKind.OTHER: [
        "Werkgever kwam langs op het WSP", "Contact via LinkedIn", "Overleg met HR-adviseur over jobcarving",
        "Gesprek tijdens bezoek van een collega",
    ],
}  # fmt: skip
CONTACT_KIND_WEIGHTS = [
    (ContactKind.VISIT, 25), (ContactKind.PHONE, 35), (ContactKind.EMAIL, 30), (ContactKind.EVENT, 5),
    (ContactKind.OTHER, 5),
]  # fmt: skip
QUESTIONS = [
    "Wij zoeken twee productiemedewerkers; kunt u ons bellen?", "Graag informatie over loonkostensubsidie.",
    "Kunnen wij iemand met behoud van uitkering laten meewerken?", "Wij willen een banenafspraakbaan creëren.",
    "Terugbelverzoek over onze vacature voor een chauffeur.", "Vraag over de no-riskpolis bij ziekte.",
]  # fmt: skip
RESPONSES = [
    "Teruggebeld en een bezoek gepland.", "Informatie gemaild en telefonisch toegelicht.",
    "Vacature samen doorgenomen; kandidaten volgen.", "Doorverwezen naar de specialist loonwaarde.",
]  # fmt: skip
ACCESS_MESSAGES = [
    "Ik heb een kandidaat die goed bij deze werkgever past; mag ik contact opnemen?",
    "De werkgever benaderde mij op de banenmarkt; graag word ik accounthouder.",
    "Voor een vacature in onze doelgroep wil ik de werkgever bezoeken.",
]  # fmt: skip
FEEDBACK_COMMENTS = [
    "", "", "Snel geschakeld, goede kandidaten.", "Prettig contact, duidelijke afspraken.",
    "Het duurde lang voordat we iets hoorden.", "Zeer tevreden over de nazorg.", "Meer kandidaten gewenst.",
]  # fmt: skip
FEEDBACK_SCORE_WEIGHTS = [1, 1, 2, 3, 5, 10, 20, 28, 20, 10]  # scores 1..10


def _username(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace(" ", "").replace("'", "")


@functools.lru_cache(maxsize=200_000)
def _name_key(name: str) -> str:
    """name_key() once per distinct name: bulk loading bypasses Employer.save(), which sets it otherwise."""
    return name_key(name)


def _copy_value(value) -> str:
    """A value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


@functools.lru_cache(maxsize=500_000)
def _ts(epoch: float) -> str:
    """A timestamp for COPY; cached, because most moments fall on a quarter of an hour of a working day."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(sep=" ", timespec="seconds")


@dataclass
class EmployerPlan:
    """What the generator decided for one employer; the rows of its history are built from it."""

    id: int
    holder: int
    municipality: str
    sector_code: str
    staff: int | None
    first: float
    last: float
    n_contacts: int
    ceased: bool = False
    holders: list = field(default_factory=list)


class Seeder:
    def __init__(self, *, employers: int, contacts_per_employer: int, stdout):
        self.rng = random.Random(RANDOM_SEED)
        self.n_employers = employers
        self.contacts_per_employer = contacts_per_employer
        self.stdout = stdout
        # Whole minutes, so the same day gives the same history.
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.now_epoch = self.now.timestamp()
        self.plans: list[EmployerPlan] = []
        self.near_duplicates = 0
        self.unique_names: set[str] = set()

    def log(self, message: str) -> None:
        self.stdout.write(message)

    # --- Organisations, staff, sectors ----------------------------------------------------------------------------

    def build_people(self) -> None:
        now = self.now
        self.orgs = {
            code: Organisation(code=code, name=name, kind=kind, created_at=now, updated_at=now)
            for code, name, kind in ORGANISATIONS
        }
        Organisation.objects.bulk_create(self.orgs.values())
        # One hash for all demo users: hashing 40 times would cost more than the rest of a small seed.
        password = make_password(DEMO_PASSWORD)
        users = []
        for first, last, org_code, role in STAFF:
            username = _username(first, last)
            users.append(
                User(
                    username=username, first_name=first, last_name=last, email=f"{username}@{org_code}.example",
                    organisation=self.orgs[org_code], role=role, password=password,
                    is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
                    phone=f"06-{self.rng.randrange(10_000_000, 99_999_999)}",
                )
            )  # fmt: skip
        User.objects.bulk_create(users)
        self.users = users
        self.advisers = [u for u in users if u.role == Role.ADVISER]
        self.account_managers = [u for u in users if u.role == Role.ACCOUNT_MANAGER]
        self.org_of = {u.pk: u.organisation_id for u in users}
        # Who may hold an employer in a municipality: UWV (whole region), the sub-region's reintegration partner
        # and the municipality's own advisers.
        self.holder_pool = {}
        for municipality, partner in SUBREGION_PARTNER.items():
            pool, weights = [], []
            for adviser in self.advisers:
                code = adviser.organisation.code
                if code in ("uwv", partner):
                    pool.append(adviser.pk)
                    weights.append(CASELOAD_WEIGHT[code])
                elif code == f"gemeente-{municipality.lower()}":
                    pool.append(adviser.pk)
                    weights.append(CASELOAD_WEIGHT["municipality"])
            self.holder_pool[municipality] = (pool, list(_cumulative(weights)))

        self.sectors = {}
        for spec in SECTORS:
            self.sectors[spec.code] = Sector(
                code=spec.code, name=spec.name, weight_category=spec.weight_category,
                lead_organisation=self.orgs[spec.lead], is_focus=spec.is_focus,
            )  # fmt: skip
        Sector.objects.bulk_create(self.sectors.values())
        teams = [SectorTeam(sector=s, name=f"Brancheteam {s.name}") for s in self.sectors.values()]
        SectorTeam.objects.bulk_create(teams)
        through = SectorTeam.members.through
        links = []
        for team in teams:
            lead_code = team.sector.lead_organisation.code
            lead_advisers = [a for a in self.advisers if a.organisation.code == lead_code]
            others = [a for a in self.advisers if a.organisation.code != lead_code]
            members = self.rng.sample(lead_advisers, 2) + self.rng.sample(others, self.rng.randint(1, 3))
            links += [through(sectorteam_id=team.pk, user_id=m.pk) for m in members]
        through.objects.bulk_create(links)
        self.sector_cum = list(_cumulative([spec.share for spec in SECTORS]))
        self.place_cum = list(_cumulative([p[3] for p in PLACES]))

    # --- Employers ------------------------------------------------------------------------------------------------

    def _postcode(self, place) -> str:
        low, high = self.rng.choice(place[2])
        letters = self.rng.choice(POSTCODE_LETTERS) + self.rng.choice(POSTCODE_LETTERS)
        if letters in ("SA", "SD", "SS"):
            letters = "AB"
        return f"{self.rng.randint(low, high)} {letters}"

    def _staff_count(self) -> int | None:
        r = self.rng.random()
        if r < 0.05:
            return None
        if r < 0.58:
            return self.rng.randint(1, 9)
        if r < 0.86:
            return self.rng.randint(10, 49)
        if r < 0.97:
            return self.rng.randint(50, 249)
        if r < 0.995:
            return self.rng.randint(250, 999)
        return self.rng.randint(1000, 6000)

    def _name(self, spec: SectorSpec, place) -> tuple[str, str, bool]:
        """(name, SBI code, is an institution) in one of the patterns Dutch company names follow."""
        rng = self.rng
        sbi, trade, activity = rng.choice(spec.activities)
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.3:
            # "J. de Vries": after initials the prefix is written in lower case.
            prefixed = surname.split(" ")[0] in ("De", "Van", "El")
            surname = f"{rng.choice(INITIALS)}. " + (surname[0].lower() + surname[1:] if prefixed else surname)
        r = rng.random()
        if r < 0.32:
            name = f"{trade} {surname}"  # Bakkerij De Vries
        elif r < 0.6:
            # Van Dijk Installatietechniek B.V.
            name = f"{surname} {activity}" + rng.choice([" B.V.", " B.V.", "", " V.O.F."])
        elif r < 0.7:
            other = rng.choice(SURNAMES)
            name = f"{surname} & {other} {activity}" if other != surname else f"{surname} & Zn. {activity}"
        elif r < 0.8:
            name = f"{rng.choice(PLACE_WORDS)} {activity}" + rng.choice([" B.V.", ""])  # Kennemer Schoonmaak B.V.
        else:
            template = rng.choice(spec.institutions)
            municipality = place[1]
            subregion = "IJmond" if SUBREGION_PARTNER[municipality] == "ijmond-werkt" else "Zuid-Kennemerland"
            region = rng.choice([subregion, municipality, "Kennemerland"])
            name = template.format(place=place[0], region=region, fancy=rng.choice(FANCY))
        if r >= 0.7:
            # Names without a family name exist once ("Zorggroep Kennemerland"); when taken, take a family name.
            key = _name_key(name)
            if key in self.unique_names:
                return f"{trade} {surname}", sbi, False
            self.unique_names.add(key)
        return name, sbi, r >= 0.8

    def _variant(self, name: str) -> str:
        """A near-duplicate spelling (R-07): 'De Vries Bouw B.V.' -> 'DeVries-bouw', 'de vries bouw bv', ..."""
        base = name.replace(" B.V.", "").replace(" V.O.F.", "")
        words = base.split()
        style = self.rng.randrange(4)
        if style == 0 and len(words) >= 2:
            # Words of the surname written together, the rest joined with a hyphen in lower case.
            split = 2 if words[0] in ("De", "Van") and len(words) > 2 else 1
            if words[0] == "Van" and len(words) > 3 and words[1] in ("der", "den", "de"):
                split = 3
            return "".join(words[:split]) + "-" + " ".join(words[split:]).lower()
        if style == 1:
            return base.lower() + " bv"
        if style == 2:
            return base.replace(" & ", " en ")
        return base.upper()

    def _last_contact(self) -> float:
        """R-05: most employers were contacted recently; some are near 12 months, some past it (takeover)."""
        r = self.rng.random()
        if r < 0.07:
            return self.now_epoch - self.rng.uniform(12.3, 30) * MONTH
        if r < 0.12:
            return self.now_epoch - self.rng.uniform(10.2, 11.9) * MONTH
        return self.now_epoch - (self.rng.random() ** 1.6) * 9.5 * MONTH - self.rng.uniform(0, 2 * 3600)

    def build_employers(self) -> None:
        rng = self.rng
        n = self.n_employers
        employer_rows = []
        weights = []
        start_id = _max_id(Employer) + 1
        fixed = self._fixed_employers()
        recent_by_place: list[tuple] = []
        for index in range(n):
            employer_id = start_id + index
            if index < len(fixed):
                name, sbi, spec_code, place, staff, gov = fixed[index]
                spec = next(s for s in SECTORS if s.code == spec_code)
                self.unique_names.add(_name_key(name))
                postcode = self._postcode(place)
                if index == 1:  # "DeVries-bouw" at the same postcode as "De Vries Bouw B.V."
                    postcode = employer_rows[0][5]
                    self.near_duplicates += 1
            elif recent_by_place and rng.random() < 0.015:
                # A near-duplicate of an earlier record, at the same or another postcode in the same place.
                original = rng.choice(recent_by_place)
                name = self._variant(original[0])
                spec, place, sbi, staff, gov = original[1], original[2], original[3], original[4], original[5]
                postcode = original[6] if rng.random() < 0.5 else self._postcode(place)
                self.near_duplicates += 1
            else:
                spec = SECTORS[_pick(rng, self.sector_cum)]
                place = PLACES[_pick(rng, self.place_cum)]
                name, sbi, institution = self._name(spec, place)
                staff = self._staff_count()
                if institution and staff is not None and staff < 10:
                    staff = rng.randint(20, 400)
                gov = spec.government or (institution and spec.code == "P")
                postcode = self._postcode(place)
            city, municipality, area = place[0], place[1], place[4]
            if index >= len(fixed) and rng.random() < 0.3:
                recent_by_place.append((name, spec, place, sbi, staff, gov, postcode))
                if len(recent_by_place) > 500:
                    recent_by_place.pop(0)

            pool, cum = self.holder_pool[municipality]
            holder = pool[_pick(rng, cum)]
            last = self._last_contact()
            span = rng.uniform(0, 3 * 365 * DAY) if rng.random() < 0.9 else 0.0
            first = _working_hours(last - span)
            last = max(_working_hours(last), first)
            last = min(last, self.now_epoch - 600)
            first = min(first, last)
            ceased = rng.random() < 0.03
            plan = EmployerPlan(
                id=employer_id, holder=holder, municipality=municipality, sector_code=spec.code, staff=staff,
                first=first, last=last, n_contacts=1, ceased=ceased,
            )  # fmt: skip
            self.plans.append(plan)
            size = staff or 5
            weights.append((0.4 + math.log10(size + 1)) * rng.uniform(0.5, 1.5) * (1 if span else 0.2))

            key = _name_key(name)
            slug = key[:40] or "bedrijf"
            contact_first, contact_last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            created = first + 3600
            ceased_on = None
            if ceased:
                ceased_on = min(date.fromtimestamp(last) + timedelta(days=rng.randint(7, 240)), self.now.date())
            created_by = holder if rng.random() < 0.85 or not self.account_managers else rng.choice(
                self.account_managers
            ).pk
            employer_rows.append((
                employer_id, name, key,
                "" if rng.random() < 0.12 else str(rng.choice("3456789")) + f"{rng.randrange(10_000_000):07d}",
                f"{rng.choice(place[5])} {rng.randint(1, 250)}", postcode, city, municipality,
                sbi, staff, EmployerType.GOVERNMENT if gov else EmployerType.MARKET,
                f"https://www.{slug}.example" if rng.random() < 0.4 else "",
                f"{contact_first} {contact_last}",
                f"{contact_first.lower()}@{slug}.example" if rng.random() < 0.7 else "",
                f"{area}-{rng.randrange(1_000_000, 9_999_999) if len(area) == 3 else rng.randrange(100_000, 999_999)}",
                EmployerStatus.CEASED if ceased else EmployerStatus.ACTIVE, ceased_on,
                _ts(max(last, created)), _ts(created), _ts(created), created_by, holder, None,
                self.sectors[spec.code].pk,
            ))  # fmt: skip

        # Spread the contact moments: bigger employers get more; the total is about employers x per-employer.
        target = n * self.contacts_per_employer
        scale = target / sum(weights) if weights else 0
        for plan, weight in zip(self.plans, weights, strict=True):
            expected = weight * scale
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            plan.n_contacts = max(1, min(count, 60 * max(self.contacts_per_employer, 1)))
        if self.plans and n >= 3:
            # "Zorggroep Kennemerland" gets a long history: the employer page must stay fast with one.
            self.plans[2].n_contacts = max(self.plans[2].n_contacts, 40 * self.contacts_per_employer)
        self._copy(
            "employers_employer",
            ["id", "name", "name_key", "kvk_number", "visiting_address", "postcode", "city", "municipality",
             "sbi_code", "staff_count", "employer_type", "website", "contact_name", "contact_email", "contact_phone",
             "status", "ceased_on", "last_contact_at", "created_at", "updated_at", "created_by_id",
             "main_account_holder_id", "merged_into_id", "sector_id"],
            employer_rows,
        )  # fmt: skip
        _reset_sequence(Employer)

    def _fixed_employers(self) -> list[tuple]:
        """Named records the demo and the duplicate check can be shown with; then the 7 municipalities."""
        by_place = {p[0]: p for p in PLACES}
        rows = [
            ("De Vries Bouw B.V.", "4120", "F", by_place["Haarlem"], 35, False),
            ("DeVries-bouw", "4120", "F", by_place["Haarlem"], 35, False),
            ("Zorggroep Kennemerland", "8710", "Q", by_place["Haarlem"], 1250, False),
            ("Van Dijk Installatietechniek B.V.", "4322", "C", by_place["Velserbroek"], 48, False),
            ("Bakkerij De Vries", "1071", "C", by_place["Heemstede"], 8, False),
        ]
        for municipality, staff in MUNICIPAL_STAFF.items():
            rows.append((f"Gemeente {municipality}", "8411", "O", by_place[_main_place(municipality)], staff, True))
        return rows[: self.n_employers]

    # --- History --------------------------------------------------------------------------------------------------

    def build_account_holders(self) -> None:
        """R-04: some employers have further advisers admitted; never the main account holder itself."""
        rng = self.rng
        vias = [AccountHolderVia.ACCESS_REQUEST] * 50 + [AccountHolderVia.OWNERSHIP_CHANGE] * 20 + [
            AccountHolderVia.HANDOVER
        ] * 20 + [AccountHolderVia.MANUAL] * 8 + [AccountHolderVia.MERGE] * 2
        adviser_ids = [a.pk for a in self.advisers]
        holder_rows, approved_rows = [], []
        for plan in self.plans:
            if rng.random() >= 0.12:
                continue
            for user_id in rng.sample(adviser_ids, rng.choice([1, 1, 1, 2])):
                if user_id == plan.holder:
                    continue
                via = rng.choice(vias)
                added = _ts(rng.uniform(plan.first, plan.last))
                plan.holders.append(user_id)
                holder_rows.append((via, added, user_id, plan.id))
                if via == AccountHolderVia.ACCESS_REQUEST:
                    approved_rows.append((plan.id, user_id, rng.choice(ACCESS_MESSAGES), AccessRequestStatus.APPROVED,
                                          plan.holder, added, "", added, added))
        self._copy("employers_accountholder", ["via", "added_at", "user_id", "employer_id"], holder_rows)
        self._copy(
            "employers_accessrequest",
            ["employer_id", "requester_id", "message", "status", "decided_by_id", "decided_at", "decision_note",
             "created_at", "updated_at"],
            approved_rows,
        )  # fmt: skip
        self.counts["account holders"] = len(holder_rows)

    def build_contact_moments(self) -> None:
        rng = self.rng
        kinds = [kind.value for kind, _ in CONTACT_KIND_WEIGHTS]
        kind_cum = list(_cumulative([w for _, w in CONTACT_KIND_WEIGHTS]))
        # Pre-built text columns per kind: summary, reason, company activities, agreements.
        texts = {kind: [f"{s}\t\t\t" for s in SUMMARIES[kind]] for kind in kinds if kind != ContactKind.VISIT.value}
        activities = {
            spec.code: [
                f"Bedrijf in de sector {spec.description}; {what}" for what in (
                    "vaste kern met flexibele schil", "groeit en zoekt instroom van nieuwe medewerkers",
                    "werkt in ploegen en leidt zelf op", "seizoensgebonden werk",
                )
            ]
            for spec in SECTORS
        }  # fmt: skip
        visit_texts = {
            code: [
                f"{summary}\t{reason}\t{activity}\t{agreement}"
                for summary in SUMMARIES[ContactKind.VISIT]
                for reason in VISIT_REASONS
                for activity in acts
                for agreement in VISIT_AGREEMENTS
            ]
            for code, acts in activities.items()
        }
        columns = ["employer_id", "adviser_id", "organisation_id", "kind", "occurred_at", "summary", "reason",
                   "company_activities", "agreements", "created_at", "updated_at"]  # fmt: skip
        other_advisers = [a.pk for a in self.advisers]
        org_of = self.org_of
        visit = ContactKind.VISIT.value
        buffer, rows, total, visits = io.StringIO(), 0, 0, 0
        for plan in self.plans:
            times = [plan.first, plan.last] if plan.n_contacts > 1 else [plan.first]
            times += [_working_hours(rng.uniform(plan.first, plan.last)) for _ in range(plan.n_contacts - 2)]
            helpers = plan.holders
            for position, moment in enumerate(times):
                moment = max(plan.first, min(moment, plan.last))
                # the first contact is the visit that brought the employer in.
                kind = visit if position == 0 else kinds[_pick(rng, kind_cum)]
                r = rng.random()
                if position == 0 or r < 0.78 or (not helpers and r < 0.95):
                    adviser = plan.holder
                elif helpers:
                    adviser = rng.choice(helpers)
                else:
                    adviser = rng.choice(other_advisers)
                if kind == visit:
                    text = rng.choice(visit_texts[plan.sector_code])
                    visits += 1
                else:
                    text = rng.choice(texts[kind])
                stamp = _ts(moment)
                buffer.write(f"{plan.id}\t{adviser}\t{org_of[adviser]}\t{kind}\t{stamp}\t{text}\t{stamp}\t{stamp}\n")
                rows += 1
            if rows >= COPY_CHUNK_ROWS:
                self._copy_buffer("employers_contactmoment", columns, buffer)
                total += rows
                buffer, rows = io.StringIO(), 0
        self._copy_buffer("employers_contactmoment", columns, buffer)
        total += rows
        self.counts["contact moments"] = total
        self.counts["  of which visits"] = visits

    def build_requests_and_feedback(self) -> None:
        rng = self.rng
        now = self.now_epoch
        channels = [ContactChannel.PHONE] * 50 + [ContactChannel.EMAIL] * 30 + [ContactChannel.WEBSITE] * 15 + [
            ContactChannel.OTHER
        ] * 5
        request_rows, pending_rows, declined_rows, feedback_rows = [], [], [], []
        open_count = late_count = 0
        adviser_ids = [a.pk for a in self.advisers]
        for plan in self.plans:
            recent = plan.last > now - 9 * MONTH and not plan.ceased
            # an employer asks for contact; answered within 24 hours, late, or still open.
            if recent and rng.random() < 0.03:
                r = rng.random()
                if r < 0.15:
                    received = now - rng.uniform(0.1, 5) * DAY
                    responded = None
                    open_count += 1
                elif r < 0.8:
                    received = now - rng.uniform(1.5, 60) * DAY
                    responded = received + rng.uniform(0.3, 23) * 3600
                else:
                    received = now - rng.uniform(5, 60) * DAY
                    responded = received + rng.uniform(25, 96) * 3600
                    late_count += 1
                overdue = received + 24.5 * 3600 if (responded or now) > received + 24 * 3600 else None
                responder = plan.holder if responded else None
                request_rows.append((
                    plan.id, _ts(received), rng.choice(channels), f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    rng.choice(QUESTIONS), plan.holder, _ts(responded) if responded else None, responder,
                    rng.choice(RESPONSES) if responded else "", _ts(overdue) if overdue else None,
                    _ts(received), _ts(responded or received),
                ))  # fmt: skip
            # admission requests waiting for the main account holder; one pending per requester.
            if rng.random() < 0.01:
                requester = rng.choice(adviser_ids)
                if requester != plan.holder and requester not in plan.holders:
                    created = _ts(now - rng.uniform(0.2, 20) * DAY)
                    pending_rows.append((plan.id, requester, rng.choice(ACCESS_MESSAGES), AccessRequestStatus.PENDING,
                                         None, None, "", created, created))
            elif rng.random() < 0.003:
                requester = rng.choice(adviser_ids)
                if requester != plan.holder and requester not in plan.holders:
                    created = now - rng.uniform(20, 200) * DAY
                    decided = _ts(created + rng.uniform(0.1, 3) * DAY)
                    declined_rows.append((plan.id, requester, rng.choice(ACCESS_MESSAGES), AccessRequestStatus.DECLINED,
                                          plan.holder, decided, "Werkgever wil één vast aanspreekpunt houden.",
                                          _ts(created), decided))
            # feedback on the adviser who serves the employer.
            if rng.random() < 0.05:
                adviser = plan.holder if not plan.holders or rng.random() < 0.8 else rng.choice(plan.holders)
                score = rng.choices(range(1, 11), weights=FEEDBACK_SCORE_WEIGHTS)[0]
                received = _ts(rng.uniform(max(plan.first, now - 12 * MONTH), now))
                source = FeedbackSource.DIRECT_FEEDBACK if rng.random() < 0.8 else FeedbackSource.SURVEY
                feedback_rows.append((plan.id, adviser, score, rng.choice(FEEDBACK_COMMENTS), source, received,
                                      received, received))
        self._copy(
            "employers_contactrequest",
            ["employer_id", "received_at", "channel", "requested_by", "question", "assigned_to_id", "responded_at",
             "responded_by_id", "response", "overdue_notified_at", "created_at", "updated_at"],
            request_rows,
        )  # fmt: skip
        self._copy(
            "employers_accessrequest",
            ["employer_id", "requester_id", "message", "status", "decided_by_id", "decided_at", "decision_note",
             "created_at", "updated_at"],
            pending_rows + declined_rows,
        )  # fmt: skip
        self._copy(
            "employers_employerfeedback",
            ["employer_id", "adviser_id", "score", "comment", "source", "received_at", "created_at", "updated_at"],
            feedback_rows,
        )  # fmt: skip
        self.counts["contact requests"] = len(request_rows)
        self.counts["  open"] = open_count
        self.counts["  answered late (> 24 h)"] = late_count
        self.counts["admission requests pending"] = len(pending_rows)
        self.counts["feedback"] = len(feedback_rows)

    def build_audit_trail_and_clock(self) -> None:
        """Do once, in bulk, what the disabled triggers would have done row by row: the insert events of the audit
        trail, and last_contact_at = the latest contact moment or audit entry of each employer (R-05)."""
        with connection.cursor() as cursor:
            _insert_events(cursor, "employers.EmployerEvent", "employers_employer", "created_at", "insert")
            _insert_events(cursor, "employers.AccountHolderEvent", "employers_accountholder", "added_at", "insert")
            _insert_events(
                cursor, "employers.ContactRequestEvent", "employers_contactrequest", "received_at", "insert",
                overrides={"responded_at": "NULL", "responded_by_id": "NULL", "response": "''"},
            )  # fmt: skip
            _insert_events(
                cursor, "employers.ContactRequestEvent", "employers_contactrequest", "responded_at", "update",
                where="responded_at IS NOT NULL",
            )  # fmt: skip
            cursor.execute(
                """
                UPDATE employers_employer e SET last_contact_at = m.latest
                  FROM (SELECT employer_id, max(moment) AS latest FROM (
                          SELECT employer_id, max(occurred_at) AS moment FROM employers_contactmoment GROUP BY 1
                          UNION ALL
                          SELECT pgh_obj_id, max(pgh_created_at) FROM employers_employerevent GROUP BY 1
                          UNION ALL
                          SELECT employer_id, max(pgh_created_at) FROM employers_accountholderevent GROUP BY 1
                          UNION ALL
                          SELECT employer_id, max(pgh_created_at) FROM employers_contactrequestevent GROUP BY 1
                        ) AS moments GROUP BY employer_id) AS m
                 WHERE e.id = m.employer_id AND e.last_contact_at IS DISTINCT FROM m.latest
                """
            )

    # --- COPY ---------------------------------------------------------------------------------------------------------

    def _copy(self, table: str, columns: list[str], rows) -> None:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_value(v) for v in row))
            buffer.write("\n")
        self._copy_buffer(table, columns, buffer)

    def _copy_buffer(self, table: str, columns: list[str], buffer: io.StringIO) -> None:
        if not buffer.tell():
            return
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)

    def run(self) -> None:
        self.counts: dict[str, int] = {}
        started = time.monotonic()
        steps = [
            ("organisations, staff and sectors", self.build_people),
            ("employers", self.build_employers),
            ("account holders", self.build_account_holders),
            ("contact moments", self.build_contact_moments),
            ("contact requests, admission requests, feedback", self.build_requests_and_feedback),
            ("audit trail and last contact", self.build_audit_trail_and_clock),
        ]
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Bulk history: no audit or last-contact triggers per row (they are replayed in bulk above).
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # Building an index once is much cheaper than maintaining it row by row (the trigram index above all);
            # the tables are empty here, and the transaction restores the indexes should anything fail.
            dropped = _drop_secondary_indexes(["employers_employer", "employers_contactmoment"])
            for label, step in steps:
                step_started = time.monotonic()
                step()
                self.log(f"  {label}: {time.monotonic() - step_started:.1f} s")
            step_started = time.monotonic()
            with connection.cursor() as cursor:
                for definition in dropped:
                    cursor.execute(definition)
            self.log(f"  indexes: {time.monotonic() - step_started:.1f} s")
        step_started = time.monotonic()
        with connection.cursor() as cursor:
            for table in _domain_tables():
                cursor.execute(f"ANALYZE {table}")
        self.log(f"  analyze: {time.monotonic() - step_started:.1f} s")
        self.elapsed = time.monotonic() - started


# --- Helpers -------------------------------------------------------------------------------------------------------


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    """Index of a weighted choice from cumulative weights (faster than rng.choices in a hot loop)."""
    return min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _working_hours(epoch: float) -> float:
    """Move a moment to a weekday between 08:00 and 17:00 (UTC, close enough for demo data)."""
    days = math.floor(epoch / DAY)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    if weekday >= 5:
        days -= weekday - 4
    minutes = int((epoch % DAY) / 60) % (9 * 60)
    return days * DAY + 7 * 3600 + (minutes // 15) * 900


def _main_place(municipality: str) -> str:
    return {"Velsen": "IJmuiden"}.get(municipality, municipality)


def _max_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1,"
            " false)"
        )


def _drop_secondary_indexes(tables: list[str]) -> list[str]:
    """Drop the indexes of these tables that no constraint owns; return the statements that recreate them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
              FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
             WHERE x.indrelid = ANY(%s::regclass[])
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in indexes]


def _insert_events(cursor, event_label: str, source_table: str, moment: str, label: str, *, where: str = "",
                   overrides: dict | None = None) -> None:
    """The audit-trail rows (django-pghistory event table) that the insert/update triggers would have written."""
    event_model = apps.get_model(event_label)
    columns = [f.column for f in event_model._meta.concrete_fields if not f.column.startswith("pgh_")]
    overrides = overrides or {}
    select = ", ".join(overrides.get(column, column) for column in columns)
    cursor.execute(
        f"INSERT INTO {event_model._meta.db_table} (pgh_created_at, pgh_label, pgh_obj_id, {', '.join(columns)}) "
        f"SELECT {moment}, %s, id, {select} FROM {source_table}" + (f" WHERE {where}" if where else ""),
        [label],
    )


def _domain_tables() -> list[str]:
    """Tables of the domain apps (and what points at their users): what --reset empties."""
    tables = []
    for label in ("accounts", "employers", "vacancies", "matching", "reporting"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy and model._meta.db_table not in tables:
                tables.append(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    return [t for t in tables if t in existing]


class Command(BaseCommand):
    help = "Seed the WSP Zuid-Kennemerland en IJmond demo: organisations, staff, sectors, employers and history."

    def add_arguments(self, parser):
        parser.add_argument("--employers", type=int, default=2000, help="number of employers (default 2000)")
        parser.add_argument(
            "--contacts-per-employer", type=int, default=10, help="average contact moments per employer (default 10)"
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when organisations already exist")
        parser.add_argument("--reset", action="store_true", help="delete the domain data first")

    def handle(self, *args, employers, contacts_per_employer, if_empty, reset, **options):
        if employers < 0 or contacts_per_employer < 1:
            raise CommandError("--employers must be >= 0 and --contacts-per-employer >= 1.")
        if if_empty and Organisation.objects.exists():
            self.stdout.write(
                f"Demo data not loaded: the database already holds {Organisation.objects.count()} organisations "
                "(use `seed_demo --reset` to replace it)."
            )
            return
        if reset:
            self._reset()
        elif Organisation.objects.exists():
            raise CommandError("The database already holds data; use --reset to replace it or --if-empty to skip.")

        self.stdout.write(
            f"Seeding the WSP Zuid-Kennemerland en IJmond: {employers:,} employers, "
            f"about {employers * contacts_per_employer:,} contact moments..."
        )
        seeder = Seeder(employers=employers, contacts_per_employer=contacts_per_employer, stdout=self.stdout)
        seeder.run()
        self._summary(seeder)

    def _reset(self) -> None:
        tables = _domain_tables() + [t for t in ("pghistory_context", "django_admin_log", "django_session")
                                     if t in connection.introspection.table_names()]  # fmt: skip
        with connection.cursor() as cursor:
            # TRUNCATE, not DELETE: no delete events in the audit trail for a million rows, and ids start at 1 again.
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        self.stdout.write("Removed the existing domain data.")

    def _summary(self, seeder: Seeder) -> None:
        now = timezone.now()
        cutoff = now - timedelta(days=365)
        employers = Employer.objects.all()
        counts = {
            "organisations": Organisation.objects.count(),
            "staff members": User.objects.count(),
            "sectors (focus)": f"{Sector.objects.count()} ({Sector.objects.filter(is_focus=True).count()})",
            "employers": employers.count(),
            "  ceased": employers.filter(status=EmployerStatus.CEASED).count(),
            "  government": employers.filter(employer_type=EmployerType.GOVERNMENT).count(),
            "  near-duplicates": seeder.near_duplicates,
            "  no contact for 12 months (takeover possible)": employers.filter(last_contact_at__lt=cutoff).count(),
            "  nearing 12 months (10-12)": employers.filter(
                last_contact_at__gte=cutoff, last_contact_at__lt=now - timedelta(days=305)
            ).count(),
            **seeder.counts,
        }
        # Counted from the database, not from the generator, so the summary is what is really there.
        counts["contact moments"] = ContactMoment.objects.count()
        counts["account holders"] = AccountHolder.objects.count()
        counts["contact requests"] = ContactRequest.objects.count()
        counts["admission requests pending"] = AccessRequest.objects.filter(status=AccessRequestStatus.PENDING).count()
        counts["feedback"] = EmployerFeedback.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {seeder.elapsed:.1f} s."))
        width = max(len(k) for k in counts)
        for key, value in counts.items():
            shown = f"{value:>10,}" if isinstance(value, int) else f"{value:>10}"
            self.stdout.write(f"  {key:<{width}}  {shown}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        rows = [(u.username, str(u.role), u.organisation.name) for u in seeder.users]
        name_width = max(len(r[0]) for r in rows)
        role_width = max(len(r[1]) for r in rows)
        self.stdout.write(f"  {'username':<{name_width}}  {'role':<{role_width}}  organisation")
        self.stdout.write(f"  {'-' * name_width}  {'-' * role_width}  {'-' * 20}")
        for username, role, organisation in rows:
            self.stdout.write(f"  {username:<{name_width}}  {role:<{role_width}}  {organisation}")
        self.stdout.write("")
        self.stdout.write(f"Open http://127.0.0.1:8000/ and log in, e.g. as anna.jansen / {DEMO_PASSWORD}.")
