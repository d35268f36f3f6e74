from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from employers.services import employers_purge_ceased


class Command(BaseCommand):
    help = (
        "R-09: purge employers that ceased before a date, keeping the figures they contributed to: employers "
        "without vacancies are deleted (their figures go into the tallies), employers with vacancies are anonymised."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", help="purge employers ceased before this date (YYYY-MM-DD)")

    def handle(self, *args, before=None, **options):
        if before:
            try:
                cutoff = date.fromisoformat(before)
            except ValueError as exc:
                raise CommandError("--before takes a date as YYYY-MM-DD") from exc
        else:
            cutoff = timezone.localdate() - relativedelta(months=settings.WSP["PURGE_CEASED_AFTER_MONTHS"])
        result = employers_purge_ceased(ceased_before=cutoff)
        self.stdout.write(
            f"Purged {result.total} ceased employers (ceased before {cutoff:%Y-%m-%d}): "
            f"{result.deleted} deleted, {result.anonymised} anonymised."
        )
