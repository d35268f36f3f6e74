from django.core.management.base import BaseCommand

from vacancies.models import Skill
from vacancies.vocabulary import load_vocabulary


class Command(BaseCommand):
    help = "Load or update the shared vocabulary of occupations, skills and competences (R-42) from vacancies/data."

    def handle(self, *args, **options):
        count = load_vocabulary(Skill)
        self.stdout.write(self.style.SUCCESS(f"Vocabulary up to date: {count} entries."))
