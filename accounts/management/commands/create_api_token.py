"""`manage.py create_api_token --user USERNAME | --organisation CODE [--read-only] [--expires-days N] [--name NAME]`.

Prints the new key on stdout, and nothing else there, so a script can capture it: the key is shown once and only
its hash is stored (API.md). Organisation tokens are read-only data pulls whatever the flags say.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user or a partner organisation and print its key (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("--user", metavar="USERNAME", help="the staff member the token acts as")
        parser.add_argument("--organisation", metavar="CODE", help="the partner organisation that pulls data")
        parser.add_argument(
            "--read-only", action="store_true", help="the token may only read (organisation tokens always do)"
        )
        parser.add_argument("--expires-days", type=int, metavar="N", help="the token expires after N days")
        parser.add_argument("--name", default="", help="what the token is for, to recognise it later")

    def handle(self, *args, user=None, organisation=None, read_only=False, expires_days=None, name="", **options):
        if bool(user) == bool(organisation):
            raise CommandError("Give exactly one of --user USERNAME or --organisation CODE.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")

        owner = {}
        if user:
            owner["user"] = User.objects.filter(username=user).first()
            if owner["user"] is None:
                raise CommandError(f"No user with username {user!r}.")
            if not owner["user"].is_active:
                raise CommandError(f"User {user!r} is not active.")
        else:
            owner["organisation"] = Organisation.objects.filter(code=organisation).first()
            if owner["organisation"] is None:
                raise CommandError(f"No partner organisation with code {organisation!r}.")

        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        token, key = api_token_create(read_only=read_only, name=name, expires_at=expires_at, **owner)

        # Everything but the key goes to stderr, so `KEY=$(manage.py create_api_token ...)` captures the key alone.
        details = ["read-only" if token.read_only else "read-write"]
        if token.expires_at:
            details.append(f"expires {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}")
        self.stderr.write(f"Token {token.prefix}… for {token.user or token.organisation} ({', '.join(details)}).")
        self.stderr.write("Store the key now: it is not kept and cannot be shown again.")
        self.stdout.write(key)
