"""Demo projects (R-54) and events with reach (issue 8 point 6, R-19), through the services so every rule holds.

DW2012 is exactly as seed 004 (Evaluatie DWSRA, bijlage 6) describes it: EUR 1,245,313 budgeted direct costs, a
maximum subsidy of EUR 859,265, EUR 710,781 requested at the final claim (83% of the maximum) and its six
activities with what was and was not realised; 2016DW2015-2019 is FNV's project of five numbers. The events of the
demo years take part with demo employers and the placements that came from them; the reach per channel and quarter
covers every ended quarter of those years.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Max, Min

from accounts.choices import Role
from accounts.models import Organisation, User
from employers.models import Employer
from matching.choices import PlacementStatus
from matching.models import Placement
from reporting.projects import services
from reporting.projects.choices import Channel, EventKind

DW2012 = {
    "numbers": ["2016DW2012"],
    "title": "Dienstverlening werkzoekenden corporatiesector 2.0",
    "applicant": "Stichting Fonds Leren en Ontwikkelen Wooncorporaties (FLOW)",
    "executors": "Stichting Fonds Leren en Ontwikkelen Wooncorporaties",
    "period_start": date(2016, 7, 15),
    "period_end": date(2018, 12, 31),
    "budgeted_direct_costs": Decimal("1245313"),
    "max_subsidy": Decimal("859265"),
    "requested_subsidy": Decimal("710781"),
    "activities": [
        {"code": "1", "description": "Landelijke events", "target": 2, "target_unit": "events (400 deelnemers)",
         "realised": "8", "realised_note": "8 evenementen, waarvan 5 bovenregionale; ongeveer 450 bezoekers"},
        {"code": "2", "description": "Regionale events", "target": 10, "target_unit": "events (500 deelnemers)",
         "realised": "23", "realised_note": "Bijgewoond door ruim 2000 medewerkers (grote vraag vanuit de regio)"},
        {"code": "3", "description": "Leermanagementsysteem (loopbaanwijzer)", "target": 1, "target_unit": "systeem",
         "realised": "1", "realised_note": "Loopbaanwijzer ontwikkeld"},
        {"code": "4", "description": "Ondersteuning bij toepassing loopbaanwijzer: medewerkers begeleiden",
         "target": 700, "target_unit": "medewerkers begeleid", "not_realised": True,
         "not_realised_reason": "In overleg met UvB niet gebeurd: de DWSRA-regeling vraagt een BSN van alle "
         "deelnemers en medewerkers en woningcorporaties wilden geen BSN verstrekken.",
         "realised_note": "De loopbaanwijzer is verder ontwikkeld; 3000 medewerkers rondden de testen af"},
        {"code": "5", "description": "Arbeidsbemiddelaars", "target": 10, "target_unit": "bemiddelaars",
         "realised": "11", "realised_note": "11 bemiddelaars aangesteld in de verschillende regio's"},
        {"code": "6", "description": "Masterclass Mobri", "target": 67, "target_unit": "medewerkers",
         "realised": "67", "realised_note": "67 medewerkers van 23 woningcorporaties"},
    ],
}  # fmt: skip

DW2015_2019 = {
    "numbers": ["2016DW2015", "2016DW2016", "2016DW2017", "2016DW2018", "2016DW2019"],
    "title": "FNV Werken aan werk",
    "applicant": "FNV",
    "executors": "FNV afd. Lokaal en Regionaal",
    "period_start": date(2016, 10, 1),
    "period_end": date(2018, 12, 31),
    "period_note": "Het project is na 1 januari 2019 voortgezet",
    "budgeted_direct_costs": Decimal("5519315"),
    "budget_note": "5 keer € 1.103.863 directe kosten; maximale subsidie 5 keer € 761.666",
    "max_subsidy": Decimal("3808330"),
    "requested_subsidy": Decimal("2896446"),
    "activities": [
        {"code": "1", "description": "Traject Veerkracht", "target": 1250, "target_unit": "deelnemers",
         "realised": "611", "realised_note": "Tot eind 2018; daarna op eigen kosten voortgezet tot juni 2019"},
        {"code": "2", "description": "Traject Bewustwording", "target": 1250, "target_unit": "deelnemers",
         "realised": "658", "realised_note": "Tot eind 2018; daarna op eigen kosten voortgezet tot juni 2019"},
    ],
}  # fmt: skip

# Per quarter of a demo year: the kind, the title and the participants of its event.
EVENTS = (
    (EventKind.JOB_FAIR, "Banenmarkt IJmond", 140),
    (EventKind.SPEED_MEET, "Speed meet zorg en welzijn", 36),
    (EventKind.MEET_AND_MATCH, "Meet & match techniek", 48),
    (EventKind.INFORMATION, "Informatiebijeenkomst werkgevers: loonkostensubsidie", 60),
)
CHANNEL_BASE = {Channel.WEBSITE: 4200, Channel.LINKEDIN: 2600, Channel.NEWSLETTER: 900, Channel.EVENTS: 250}


def seed_projects_and_events(*, today: date | None = None) -> dict[str, int]:
    """The two DWSRA projects, an event per quarter of the demo years and the reach of every ended quarter."""
    manager = User.objects.filter(role=Role.MANAGER).order_by("id").first()
    if manager is None:
        return {}
    services.project_create(by=manager, **DW2012)
    services.project_create(by=manager, **DW2015_2019)
    booked = Placement.objects.filter(status=PlacementStatus.BOOKED)
    span = booked.aggregate(first=Min("start_date"), last=Max("start_date"))
    if span["first"] is None:
        return {"projects": 2}
    today = today or span["last"]
    organisations = list(Organisation.objects.order_by("id")[:3])
    employers = list(Employer.objects.order_by("id").values_list("id", flat=True)[:40])
    events = reach = 0
    for year in range(span["first"].year, today.year + 1):
        for quarter, (kind, title, participants) in enumerate(EVENTS, start=1):
            day = date(year, 3 * quarter - 1, 15)
            if day > today:
                break
            # The placements that started in the month after the event, at its employers: what came from it.
            chosen = employers[(quarter * 7) % len(employers) :][:6] if employers else []
            came = list(
                booked.filter(employer_id__in=chosen, start_date__gt=day, start_date__lte=date(year, 3 * quarter, 28))
                .order_by("id")
                .values_list("id", "referral_id")[:5]
            )
            services.event_create(
                by=manager,
                kind=kind,
                title=f"{title} {year}",
                date=day,
                participants=participants + year % 7,
                organisers=[o.pk for o in organisations[: 1 + quarter % 3]],
                employers=chosen,
                referrals=[referral for _placement, referral in came],
                placements=[placement for placement, _referral in came],
            )
            events += 1
            if date(year + quarter // 4, 3 * quarter % 12 + 1, 1) > today:
                continue  # the running quarter's reach is entered once it ends
            for channel, base in CHANNEL_BASE.items():
                value = base + (year % 10) * 37 + quarter * 113
                services.reach_record(by=manager, year=year, quarter=quarter, channel=channel, reach=value)
                reach += 1
    return {"projects": 2, "events": events, "reach": reach}
