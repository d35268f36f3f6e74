"""Two published factsheets for the demo: the last two quarters that have ended (R-55, R-57), built and published
through the same services a manager uses, so their figures hold the records they counted."""

from accounts.choices import Role
from reporting.factsheets.models import Factsheet
from reporting.factsheets.services import factsheet_build, factsheet_publish


def _ended_quarters(today, n: int) -> list[tuple[int, int]]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    quarters = []
    for _ in range(n):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        quarters.append((year, quarter))
    return quarters


def seed_factsheets(seeder) -> dict[str, int]:
    manager = next((u for u in seeder.users if u.role == Role.MANAGER), None)
    if manager is None:
        return {}
    published = 0
    for year, quarter in reversed(_ended_quarters(seeder.today, 2)):
        factsheet = Factsheet.objects.create(year=year, quarter=quarter, version=1, created_by=manager)
        factsheet_build(factsheet_id=factsheet.pk)
        factsheet_publish(by=manager, factsheet=factsheet)
        published += 1
    return {"published factsheets": published}
