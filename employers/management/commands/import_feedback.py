"""R-11: import employer feedback from a CSV file, as the page under Beheer does (the same service)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from employers.services import feedback_import
from wsp.errors import DomainError


class Command(BaseCommand):
    help = (
        "R-11: import employer feedback from a CSV file (columns employer, adviser, score, comment, source, "
        "received_at and optionally external_id). Nothing is saved when any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file")
        parser.add_argument("--by", required=True, help="username of the administrator who imports it")

    def handle(self, *args, path: str, by: str, **options):
        administrator = User.objects.filter(username=by).first()
        if administrator is None:
            raise CommandError(f"No user {by!r}.")
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            result = feedback_import(by=administrator, content=content)
        except DomainError as error:
            lines = [str(error.detail), *(str(m) for m in (error.fields or {}).get("file", []))]
            raise CommandError("\n".join(lines)) from error
        self.stdout.write(f"Imported {result.created} responses; {result.already_present} were already present.")
