"""`manage.py ensure_admin_group [--add USERNAME ...]`: create or update the administrators' group "Beheerders".

The group may view every model the admin shows and maintain the reference data (accounts.admin.REFERENCE_DATA);
domain records are read-only in the admin for everyone. Run it after a migration that adds a model to the admin;
`--add` puts staff members in the group (and makes them staff, so they can open the admin).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.admin import administrators_group
from accounts.models import User


class Command(BaseCommand):
    help = 'Create or update the administrators\' group "Beheerders" and optionally add staff members to it.'

    def add_arguments(self, parser):
        parser.add_argument("--add", nargs="*", default=[], metavar="USERNAME", help="staff members to add")

    def handle(self, *args, add=(), **options):
        users = list(User.objects.filter(username__in=add))
        missing = sorted(set(add) - {u.username for u in users})
        if missing:
            raise CommandError(f"Unknown user name(s): {', '.join(missing)}")
        group = administrators_group()
        for user in users:
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        group.user_set.add(*users)
        self.stdout.write(f"{group.name}: {group.permissions.count()} permissions, {group.user_set.count()} members")
