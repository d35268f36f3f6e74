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
