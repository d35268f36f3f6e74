"""`manage.py seed_demo`: the WSP Zuid-Kennemerland en IJmond demo region (see demo.seed.seeder)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation, Sector, User
from demo.seed.seeder import Seeder, _domain_tables
from demo.seed.vocabulary import BENCH_SCALE, DEMO_PASSWORD, DEMO_PER_2000_EMPLOYERS
from employers.choices import (
    AccessRequestStatus,
    EmployerStatus,
    EmployerType,
)
from employers.models import (
    AccessRequest,
    AccountHolder,
    ContactMoment,
    ContactRequest,
    Employer,
    EmployerFeedback,
)
from matching.models import Candidate, Placement, Referral
from vacancies.models import Vacancy


class Command(BaseCommand):
    help = (
        "Seed the WSP Zuid-Kennemerland en IJmond demo: organisations, staff, sectors, employers and their history, "
        "vacancies, candidates, referrals and placements."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employers", type=int, default=None, help="number of employers (default 2000; 100000 with --scale)"
        )
        parser.add_argument(
            "--contacts-per-employer", type=int, default=10, help="average contact moments per employer (default 10)"
        )
        parser.add_argument(
            "--scale",
            action="store_true",
            help="the benchmark volume: 100,000 employers, 200,000 vacancies, 100,000 candidates, 1,000,000 "
            "referrals and 200,000 placements (each can still be set with its own option)",
        )
        for name in DEMO_PER_2000_EMPLOYERS:
            parser.add_argument(
                f"--{name}",
                type=int,
                default=None,
                help=f"number of {name} (default {DEMO_PER_2000_EMPLOYERS[name]:,} per 2,000 employers; "
                f"{BENCH_SCALE[name]:,} with --scale)",
            )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when organisations already exist")
        parser.add_argument("--reset", action="store_true", help="delete the domain data first")

    def handle(self, *args, employers, contacts_per_employer, scale, if_empty, reset, **options):
        if employers is None:
            employers = BENCH_SCALE["employers"] if scale else 2000
        volumes = {}
        for name, per_2000 in DEMO_PER_2000_EMPLOYERS.items():
            given = options.get(name)
            if given is not None:
                volumes[name] = given
            elif scale:
                volumes[name] = BENCH_SCALE[name]
            else:
                # The demo's proportions: what 2,000 employers have, scaled to the number asked for.
                volumes[name] = round(per_2000 * employers / 2000)
        if employers < 0 or contacts_per_employer < 1 or min(volumes.values()) < 0:
            raise CommandError("Counts must be >= 0 and --contacts-per-employer >= 1.")
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
            f"about {employers * contacts_per_employer:,} contact moments, "
            + ", ".join(f"{count:,} {name}" for name, count in volumes.items())
            + "..."
        )
        seeder = Seeder(employers=employers, contacts_per_employer=contacts_per_employer, stdout=self.stdout, **volumes)
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
        counts["vacancies"] = Vacancy.objects.count()
        counts["candidates"] = Candidate.objects.count()
        counts["referrals"] = Referral.objects.count()
        counts["placements booked"] = Placement.objects.filter(status="booked").count()
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
