"""Demo budgets (R-53), through the services so every rule holds.

"Begroting WSP 2024" of ZKIJ exactly as seed 000 chapter 4 has it: partner contributions (subtotal EUR 2,175,121),
the expected out-of-pocket balance on 31/12/23 and the incidental income (total income EUR 2,384,722), personnel per
partner, the communication advisers, and the account manager, the Oekraine desk and the jobhunters funded until
1 September 2024 with EUR 24,000, 14,460 and 37,000 still uncovered (total personnel EUR 2,259,722), the other costs
(EUR 125,000) and a result of EUR 0. ("Umond Werkt!" is the seed's spelling of IJmond Werkt!.)

For the current demo year the same budget with modest changes (2% more per partner line, the temporary posts now
funded until 1 July, with the uncovered remainder) and realised spend per cost line per month up to the current
month.
"""

from datetime import date
from decimal import Decimal

from accounts.choices import Role
from accounts.models import Organisation, User
from reporting.budgets import services
from reporting.budgets.choices import LineKind

OUT_OF_POCKET = "Personeel + € 25.000 out of pocket"
UNTIL_SEPTEMBER = date(2024, 9, 1)

# (kind, label, organisation code, planned, funded_until, uncovered, note)
ZKIJ_2024_LINES = [
    (LineKind.CONTRIBUTION, "UWV", "uwv", "1101797", None, "0", OUT_OF_POCKET),
    (LineKind.CONTRIBUTION, "Umond Werkt!", "ijmond-werkt", "530000", None, "0", OUT_OF_POCKET),
    (LineKind.CONTRIBUTION, "Spaarne Werkt", "spaarne-werkt", "543324", None, "0", OUT_OF_POCKET),
    (
        LineKind.BALANCE,
        "Verwacht saldo out of pocket 31/12/23",
        None,
        "50000",
        None,
        "0",
        "Van de out of pocket worden de overige kosten betaald. Wanneer deze dreigt op te raken, storten de partners "
        "een evenredig deel bij",
    ),
    (
        LineKind.INCIDENTAL_INCOME,
        "Incidentele baten",
        None,
        "159601",
        None,
        "0",
        "Tbv accountmanager, medewerker Oekraïne-balie en Jobhunter(s)",
    ),
    (LineKind.PERSONNEL, "Adviseurs UWV", "uwv", "1060797", None, "0", ""),
    (LineKind.PERSONNEL, "Adviseurs Umond Werkt!", "ijmond-werkt", "490000", None, "0", ""),
    (LineKind.PERSONNEL, "Adviseurs Spaarne Werkt", "spaarne-werkt", "502324", None, "0", ""),
    (LineKind.PERSONNEL, "Strategisch Communicatie-adviseur SW", "spaarne-werkt", "16000", None, "0", ""),
    (LineKind.PERSONNEL, "Strategisch Communicatie-adviseur UW", "ijmond-werkt", "15000", None, "0", ""),
    (LineKind.PERSONNEL, "Strategisch Communicatie-adviseur UWV", "uwv", "16000", None, "0", ""),
    (
        LineKind.PERSONNEL,
        "Accountmanager",
        None,
        "58539",
        UNTIL_SEPTEMBER,
        "24000",
        "Tot 1 september 2024 dekking regionale (DDJD) middelen. Voor sept. 2024 tot jan. 2025 nog geen dekking. "
        "Juni 2024 evaluatie. (€ 24000 dekking nodig tot einde jaar). Vanuit partners geen structurele "
        "financiering in begroting na september 2024.",
    ),
    (
        LineKind.PERSONNEL,
        "Medewerker Oekraïne-balie",
        None,
        "28919",
        UNTIL_SEPTEMBER,
        "14460",
        "Tot 1 september 2024 dekking landelijke middelen. Voor sept. 2024 tot jan. 2025 nog geen dekking. Juni 2024 "
        "evaluatie. (€ 14460 dekking nodig tot einde jaar) Vanuit partners geen structurele financiering in "
        "begroting na september 2024.",
    ),
    (
        LineKind.PERSONNEL,
        "Jobhunter(s)",
        None,
        "72143",
        UNTIL_SEPTEMBER,
        "37000",
        "Tot 1 september 2024 dekking incidentele regionale (DDJD) middelen. Voor sept. 2024 tot jan. 2025 nog geen "
        "dekking. (€ 37000 nodig tot einde jaar). Vanuit partners geen structurele financiering in begroting na "
        "september 2024.",
    ),
    (LineKind.OTHER_COST, "Evenementen", None, "20000", None, "0", ""),
    (LineKind.OTHER_COST, "Operationele communicatieondersteuning", None, "44000", None, "0", ""),
    (LineKind.OTHER_COST, "Deskundigheidsbevordering", None, "10000", None, "0", ""),
    (LineKind.OTHER_COST, "Communicatiemiddelen", None, "16000", None, "0", ""),
    (LineKind.OTHER_COST, "Bureaukosten", None, "10000", None, "0", ""),
    (LineKind.OTHER_COST, "Externe inhuur", None, "20000", None, "0", ""),
    (LineKind.OTHER_COST, "Onvoorzien", None, "5000", None, "0", ""),
]
ZKIJ_2024_TITLE = "Begroting WSP 2024"
# The totals of the seed: subtotal of the partner contributions, total income, total personnel, total other costs.
ZKIJ_2024_TOTALS = {
    "contributions": Decimal("2175121"),
    "total_income": Decimal("2384722"),
    "personnel": Decimal("2259722"),
    "other_cost": Decimal("125000"),
    "total_cost": Decimal("2384722"),
    "result": Decimal("0"),
}
TEMPORARY_POSTS = {"Accountmanager", "Medewerker Oekraïne-balie", "Jobhunter(s)"}


def zkij_2024_lines(orgs: dict) -> list[dict]:
    """The lines of "Begroting WSP 2024" as service input, for organisations by code (`orgs`)."""
    return [
        {
            "kind": kind,
            "label": label,
            "organisation": orgs.get(code) if code else None,
            "planned": Decimal(planned),
            "funded_until": until,
            "uncovered": Decimal(uncovered),
            "note": note,
        }
        for kind, label, code, planned, until, uncovered, note in ZKIJ_2024_LINES
    ]


def _year_lines(orgs: dict, year: int) -> list[dict]:
    """The 2024 budget adapted to `year`: partner lines 2% up (the partner contribution rises with its personnel,
    so the result stays 0), the temporary posts funded until 1 July with the remainder uncovered."""
    lines = []
    for line in zkij_2024_lines(orgs):
        line = dict(line, note="")
        if line["organisation"] is not None and line["kind"] == LineKind.PERSONNEL:
            line["planned"] += (line["planned"] * Decimal("0.02")).quantize(Decimal("1"))
        if line["label"] in TEMPORARY_POSTS:
            line["funded_until"] = date(year, 7, 1)
            line["uncovered"] = (line["planned"] * Decimal(6) / Decimal(12)).quantize(Decimal("1"))
            line["note"] = f"Tot 1 juli {year} dekking regionale middelen; daarna nog geen dekking."
        if line["kind"] == LineKind.BALANCE:
            line["label"] = f"Verwacht saldo out of pocket 31/12/{(year - 1) % 100:02d}"
        lines.append(line)
    # The partners pay their raise: each contribution rises by the raise of its personnel lines.
    raises: dict[int, Decimal] = {}
    for old, new in zip(zkij_2024_lines(orgs), lines, strict=True):
        if new["kind"] == LineKind.PERSONNEL and new["organisation"] is not None:
            key = new["organisation"].pk
            raises[key] = raises.get(key, Decimal(0)) + new["planned"] - old["planned"]
    for line in lines:
        if line["kind"] == LineKind.CONTRIBUTION and line["organisation"] is not None:
            line["planned"] += raises.get(line["organisation"].pk, Decimal(0))
    return lines


def seed_budgets(*, orgs: dict | None = None, today: date) -> dict[str, int]:
    """The ZKIJ 2024 budget as in seed 000, and a budget for `today`'s year with monthly spend up to this month."""
    if orgs is None:
        orgs = {org.code: org for org in Organisation.objects.all()}
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
    services.budget_create(by=manager, year=2024, title=ZKIJ_2024_TITLE, lines=zkij_2024_lines(orgs))
    created = 1
    spend = 0
    if today.year != 2024:
        budget = services.budget_create(
            by=manager, year=today.year, title=f"Begroting WSP {today.year}", lines=_year_lines(orgs, today.year)
        )
        created += 1
        for index, line in enumerate(budget.lines.filter(kind__in=(LineKind.PERSONNEL, LineKind.OTHER_COST))):
            for month in range(1, today.month + 1):
                if line.funded_until and date(today.year, month, 1) >= line.funded_until:
                    share = Decimal("0.9")  # the post goes on without cover, a little slimmer
                else:
                    share = Decimal(1) + Decimal((index + month) % 5 - 2) / Decimal(50)  # -4% .. +4% a month
                amount = (line.planned / 12 * share).quantize(Decimal("0.01"))
                services.budget_spend_record(
                    by=manager, line=line, month=date(today.year, month, 1), amount_spent=amount
                )
                spend += 1
    return {"budgets": created, "budget spend": spend}
