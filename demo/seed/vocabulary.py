"""The demo region's fixed data: partners, places, staff, sectors and the words of contact histories."""

from dataclasses import dataclass

from accounts.choices import OrganisationKind, Role
from employers.choices import (
    ContactKind,
)

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
    (
        "Haarlem",
        "Haarlem",
        [(2011, 2015), (2021, 2026), (2031, 2037)],
        150,
        "023",
        [
            "Grote Houtstraat",
            "Zijlweg",
            "Kleine Houtweg",
            "Amsterdamstraatweg",
            "Rijksstraatweg",
            "Schipholweg",
            "Oudeweg",
            "Waarderweg",
            "Spaarnwouderstraat",
            "Tempeliersstraat",
            "Kruisweg",
            "Lange Veerstraat",
            "Europaweg",
            "Prinsen Bolwerk",
            "Gedempte Oude Gracht",
            "Kennemerplein",
        ],
    ),
    ("Spaarndam", "Haarlem", [(2064, 2064)], 3, "023", ["Oostkolk", "Westkolk", "Spaarndammerdijk"]),
    (
        "Zandvoort",
        "Zandvoort",
        [(2041, 2042)],
        14,
        "023",
        ["Kerkstraat", "Boulevard Paulus Loot", "Haltestraat", "Burgemeester Van Alphenstraat", "Zeestraat"],
    ),
    ("Bentveld", "Zandvoort", [(2116, 2116)], 1, "023", ["Zandvoortseweg"]),
    ("Bloemendaal", "Bloemendaal", [(2061, 2061)], 8, "023", ["Bloemendaalseweg", "Kennemerweg", "Kerkplein"]),
    ("Overveen", "Bloemendaal", [(2051, 2051)], 5, "023", ["Brouwerskolkweg", "Tetterodeweg"]),
    ("Aerdenhout", "Bloemendaal", [(2111, 2111)], 4, "023", ["Zandvoortselaan", "Leijduinlaan"]),
    ("Vogelenzang", "Bloemendaal", [(2114, 2114)], 2, "0252", ["Vogelenzangseweg", "Henk Lensenlaan"]),
    ("Bennebroek", "Bloemendaal", [(2121, 2121)], 4, "023", ["Bennebroekerlaan", "Rijksstraatweg"]),
    (
        "Heemstede",
        "Heemstede",
        [(2101, 2106)],
        27,
        "023",
        ["Binnenweg", "Raadhuisstraat", "Cruquiusweg", "Javalaan", "Zandvaartkade", "Herenweg"],
    ),
    (
        "IJmuiden",
        "Velsen",
        [(1971, 1976)],
        30,
        "0255",
        ["Kennemerlaan", "Lange Nieuwstraat", "Dokweg", "Trawlerkade", "Middenhavenstraat", "Planetenweg"],
    ),
    ("Velsen-Zuid", "Velsen", [(1981, 1981)], 5, "0255", ["Amsterdamseweg", "Rijksweg"]),
    ("Velsen-Noord", "Velsen", [(1951, 1951)], 5, "0251", ["Wenckebachstraat", "Stratingplantsoen"]),
    ("Driehuis", "Velsen", [(1985, 1985)], 3, "0255", ["Driehuizerkerkweg", "Van den Vondellaan"]),
    ("Santpoort-Noord", "Velsen", [(2071, 2071)], 6, "023", ["Hoofdstraat", "Broekbergenlaan"]),
    ("Santpoort-Zuid", "Velsen", [(2082, 2082)], 3, "023", ["Bloemendaalsestraatweg", "Wüstelaan"]),
    ("Velserbroek", "Velsen", [(1991, 1991)], 10, "023", ["Zadelmakerstraat", "Galle Promenade", "Rijkzeeweg"]),
    (
        "Beverwijk",
        "Beverwijk",
        [(1941, 1948)],
        40,
        "0251",
        ["Breestraat", "Parallelweg", "Zeestraat", "Kuenenplein", "Laan der Nederlanden", "Industrieweg"],
    ),
    ("Wijk aan Zee", "Beverwijk", [(1949, 1949)], 2, "0251", ["Relweg", "Dorpsplein"]),
    (
        "Heemskerk",
        "Heemskerk",
        [(1961, 1969)],
        39,
        "0251",
        ["Maerten van Heemskercklaan", "Rijksweg", "Tolweg", "Lorentzweg", "Jan Ligthartstraat"],
    ),
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

# --- Vacancies, candidates, referrals and placements (R-12..R-43) ---------------------------------------------------

# Per-scale defaults: `seed_demo` without --scale takes these per 2,000 employers; `--scale` the benchmark volume.
DEMO_PER_2000_EMPLOYERS = {"vacancies": 5_000, "candidates": 8_000, "referrals": 20_000, "placements": 1_500}
BENCH_SCALE = {
    "employers": 100_000, "vacancies": 200_000, "candidates": 100_000, "referrals": 1_000_000, "placements": 200_000,
}  # fmt: skip
# The period the vacancies and placements cover, in days before today.
HISTORY_DAYS = 730
# Candidates beyond this many get no BSN in a large seed (encrypting is cheap; the limit keeps the seed bounded).
MAX_BSN_CANDIDATES = 20_000

# Which occupation groups of the shared vocabulary (vacancies/data/skills.csv) an employer of a sector asks for.
SECTOR_OCCUPATION_GROUPS = {
    "Q": [("zorg", 10), ("schoonmaak", 1), ("administratief", 1)],
    "P": [("onderwijs", 8), ("administratief", 2), ("schoonmaak", 1)],
    "C": [("techniek", 5), ("productie", 5), ("logistiek", 1)],
    "F": [("bouw", 9), ("techniek", 2)],
    "G": [("detailhandel", 7), ("logistiek", 3)],
    "I": [("horeca", 10), ("schoonmaak", 1)],
    "H": [("logistiek", 10), ("administratief", 1)],
    "N": [("schoonmaak", 4), ("beveiliging", 3), ("groen", 2), ("administratief", 2)],
    "J": [("ict", 9), ("administratief", 1)],
    "K": [("administratief", 10)],
    "S": [("schoonmaak", 4), ("detailhandel", 3), ("productie", 2)],
    "A": [("groen", 10), ("productie", 1)],
    "R": [("horeca", 4), ("groen", 2), ("onderwijs", 2), ("beveiliging", 1)],
    "O": [("overheid", 8), ("administratief", 3), ("groen", 1)],
}
# Requested positions: mostly one, some 2-9, a few co-productions of 10 or more.
REQUESTED_POSITIONS = [
    (1, 750), (2, 80), (3, 45), (4, 27), (5, 22), (6, 14), (7, 10), (8, 10), (9, 12),
    (10, 4), (12, 3), (15, 3), (20, 2), (25, 1), (30, 1),
]  # fmt: skip
VACANCY_HOURS = [(8, 2), (12, 3), (16, 6), (20, 8), (24, 10), (28, 6), (32, 14), (36, 16), (38, 10), (40, 25)]
VACANCY_SOURCES = [("phone", 35), ("email", 30), ("visit", 15), ("website", 15), ("event", 5)]
#
VISIBILITIES = [("open", 50), ("anonymous", 18), ("internal", 28), ("blocked", 4)]
BLOCKED_REASONS = [
    "Werkgever heeft voorlopig genoeg kandidaten; eerst de lopende gesprekken afronden.",
    "Functie wordt herzien na reorganisatie bij de werkgever.",
    "Vacature staat on hold: de financiering van de functie is nog niet rond.",
    "Werkgever wil eerst de proefplaatsing van een eerdere kandidaat evalueren.",
    "Klacht van de werkgever over de laatste voordracht; eerst een gesprek met de accounthouder.",
]  # fmt: skip
# share of vacancies with target-group flags, and how often each flag is ticked.
TARGET_GROUP_VACANCY_SHARE = 0.22
TARGET_GROUP_FLAGS = [
    ("job_agreement", 35), ("welfare_subsidy", 20), ("wajong", 12), ("youth", 12), ("status_holder", 11),
    ("over_50", 10),
]  # fmt: skip
LATE_REGISTRATION_SHARE = 0.08  # registered 1-4 days after receipt
RECRUITMENT_REQUEST_SHARE = 0.93  # the employer asked the WSP to recruit
EXTENDED_SHARE = 0.08  # the owner moved the expiry date once
CHAIN_HANDOVER_SHARE = 0.04  # handed to a chain partner right after registration
PARTNER_HIRE_SHARE = 0.2  # one-position vacancies filled with a chain partner's candidate
PARTIAL_CLOSE_SHARE = 0.25  # 2-9 vacancies closed after booking part of the positions
CANCELLED_SHARE = 0.03  # placements cancelled after booking
NO_REQUEST_HIRE_SHARE = 0.15  # hires on vacancies without a recruitment request: never booked

TITLE_SUFFIXES = [("", 70), (" (parttime)", 8), (" m/v", 6), (" - startersfunctie", 4), (" - leerwerkplek", 4),
                  (" (fulltime)", 8)]  # fmt: skip
VACANCY_DESCRIPTIONS = [
    "Voor een bedrijf in de sector {sector} zoeken wij een {title} voor {hours} uur per week. Inwerken gebeurt "
    "samen met een vaste collega.",
    "{title} gezocht in {municipality}, {hours} uur per week. De werkgever biedt begeleiding op de werkvloer en "
    "staat open voor kandidaten met een afstand tot de arbeidsmarkt.",
    "Werkgever in {municipality} ({sector}) zoekt een {title}. Werktijden in overleg, {hours} uur per week; "
    "een proefplaatsing is mogelijk.",
    "Functie: {title}, {hours} uur per week. Ervaring is een pré maar niet vereist; motivatie telt het zwaarst.",
]  # fmt: skip
CLOSE_REASONS = [("filled_elsewhere", 40), ("withdrawn", 25), ("no_candidates", 25), ("other", 10)]
CLOSE_NOTES = {
    "filled_elsewhere": ["Werkgever heeft via een uitzendbureau iemand gevonden.", "Intern ingevuld.", ""],
    "withdrawn": ["Vacature ingetrokken wegens teruglopende orders.", "Functie komt te vervallen.", ""],
    "no_candidates": ["Geen passende kandidaten in het bestand.", "Kandidaten haakten af op reisafstand.", ""],
    "other": ["Werkgever reageert niet meer.", "Bedrijf verhuist buiten de regio.", ""],
    "placement": ["Alle plaatsen ingevuld via het WSP.", "Eigen kandidaten geplaatst; vacature gesloten.", ""],
}
NO_REQUEST_HIRE_NOTE = (
    "Kandidaat aangenomen, maar de werkgever deed geen wervingsverzoek: geen plaatsing geboekt (R-22)."
)
CHAIN_HANDOVER_NOTES = [
    "Geen passende kandidaten in de eigen doelgroepen; overgedragen aan de ketenpartner (R-13).",
    "Ketenpartner heeft kandidaten met de gevraagde ervaring.",
]  # fmt: skip
PARTNER_HIRED_NOTE = "Kandidaat van de ketenpartner aangenomen; de vacature gaat naar de ketenpartner (R-24)."
RECRUITMENT_ACTIVITIES = [("speed_meet", 35), ("job_fair", 25), ("information_meeting", 20), ("pre_selection", 15),
                          ("training", 5)]  # fmt: skip
RECRUITMENT_NOTES = [
    "Gezamenlijke speeddate op locatie bij de werkgever; iedere partner draagt eigen kandidaten voor.",
    "Informatiebijeenkomst gevolgd door een meeloopdag; voorselectie per partner.",
    "Banenmarkt in het voorjaar; werkgever zorgt voor een opleidingstraject van zes weken.",
]  # fmt: skip

# Candidates: target groups by the organisation's kind; "mostly" consistent with it.
TARGET_GROUPS_BY_KIND = {
    "uwv": [("ww", 58), ("wia", 20), ("wajong", 16), ("other", 4), ("pwet", 2)],
    "municipality": [("pwet", 60), ("oekraine", 14), ("nug", 10), ("other", 12), ("wajong", 4)],
    "reintegration": [("pwet", 60), ("oekraine", 14), ("nug", 10), ("other", 12), ("wajong", 4)],
}
# (youngest, oldest, most common) age per target group.
AGES = {
    "ww": (23, 64, 47), "wia": (28, 64, 50), "wajong": (18, 42, 24), "pwet": (18, 66, 38),
    "oekraine": (18, 62, 35), "nug": (20, 60, 36), "other": (18, 66, 35),
}  # fmt: skip
# share in the job-agreement register per target group.
JOB_AGREEMENT_SHARE = {
    "wajong": 0.75, "wia": 0.15, "pwet": 0.15, "nug": 0.05, "other": 0.05, "ww": 0.02, "oekraine": 0.01,
}  # fmt: skip
BSN_SHARE = 0.10  # the BSN is optional; about one in ten candidates has one on file
CANDIDATE_HOURS = [(8, 3), (12, 4), (16, 8), (20, 10), (24, 12), (28, 6), (32, 14), (36, 15), (40, 20)]
INACTIVE_SHARE = 0.06
TRAVEL_KM = [(None, 30), (5, 8), (10, 15), (15, 15), (20, 14), (25, 8), (30, 6), (40, 4)]
UKRAINIAN_FIRST_NAMES = ["Olena", "Oleksandr", "Iryna", "Dmytro", "Natalia", "Andrii", "Oksana", "Serhii", "Yulia",
                         "Mykola", "Tetiana", "Viktor"]  # fmt: skip
UKRAINIAN_SURNAMES = ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko",
                      "Oliinyk", "Marchenko", "Savchenko"]  # fmt: skip
MORE_FIRST_NAMES = ["Jan", "Kim", "Romy", "Milan", "Zoë", "Ahmed", "Ayşe", "Mehmet", "Priya", "Stefan", "Wendy",
                    "Henk", "Ilse", "Bram", "Chantal", "Rachid", "Soufiane", "Demi", "Kevin", "Tamara", "Aylin",
                    "Jesse", "Marco", "Sevda"]  # fmt: skip
HEALTH_NOTES = [
    "Rugklachten: geen zwaar tillen.", "Werkt het best in een rustige omgeving met vaste taken.",
    "Beperkte belastbaarheid: maximaal 4 uur per dag.", "Jobcoach gewenst in de eerste maanden.",
    "Heeft hulpmiddelen nodig bij beeldschermwerk.", "Geen nachtdiensten in verband met medicatie.",
]  # fmt: skip

# Referrals and placements (R-21, R-43, R-30..R-32).
REJECTION_REASONS = [("other_candidate", 35), ("skills", 25), ("motivation", 10), ("availability", 12),
                     ("distance", 6), ("no_show", 7), ("other", 5)]  # fmt: skip
WITHDRAW_REASONS = ["Kandidaat heeft elders werk gevonden.", "Kandidaat trekt zich terug: reistijd te lang.",
                    "Kandidaat is tijdelijk niet beschikbaar (ziekte).", ""]  # fmt: skip
REFERRAL_NOTES = [
    "", "", "", "", "Kandidaat heeft ervaring in een vergelijkbare functie.",
    "Past goed bij het team volgens de werkgever.", "Kandidaat wil graag een proefplaatsing.",
]  # fmt: skip
PAWA_SHARE = 0.2  # of the UWV advisers' referrals (R-21: PAWA is for UWV staff only)
# (placement type, weight, (shortest, longest) months of an end date or None for open-ended, share with end date)
PLACEMENT_TYPES = [
    ("permanent", 20, (6, 20), 0.15), ("fixed_term", 45, (3, 12), 0.9), ("flex", 22, (1, 5), 0.95),
    ("secondment", 9, (2, 9), 0.9), ("self_employed", 4, (6, 18), 0.3),
]  # fmt: skip
# Placements per work-ready candidate up to which jobs last as above. Beyond it (the benchmark asks two per candidate
# in two years) jobs are proportionally shorter and fewer are open-ended, so every hire still finds a free candidate.
COMFORTABLE_TURNOVER = 0.5
PLACEMENT_HOURS_BELOW_MINIMUM_SHARE = 0.08  # shorter weeks are allowed with conditions
CANCEL_REASONS = ["Kandidaat is niet gestart.", "Dubbel geboekt.", "Werkgever trok het aanbod in voor de start.",
                  "Verkeerde vacature gekozen bij het afboeken."]  # fmt: skip
CORRECTION_REASONS = ["Uren aangepast na de eerste maand.", "Contract omgezet naar vast.",
                      "Startdatum gecorrigeerd volgens het contract."]  # fmt: skip
AFTERCARE_SUMMARIES = ["Kandidaat draait goed mee; werkgever tevreden.", "Inwerkperiode verloopt volgens plan.",
                       "Afspraak gemaakt over extra begeleiding op de werkvloer.",
                       "Gesprek met leidinggevende over uitbreiding van de uren."]  # fmt: skip
AFTERCARE_END_SUMMARIES = ["Werkgever en kandidaat hebben geen nazorg meer nodig.",
                           "Nazorg afgerond: kandidaat heeft een vast aanspreekpunt in het bedrijf."]  # fmt: skip
AFTERCARE_LEFT_SUMMARY = "Dienstverband beëindigd; nazorg gestopt."
