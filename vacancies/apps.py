from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vacancies"

    def ready(self):
        # R-09: the employers' purge reaches their vacancies (employers sends; it does not import vacancies).
        from employers.signals import employer_anonymised

        from .services.purge import on_employer_anonymised

        employer_anonymised.connect(on_employer_anonymised, dispatch_uid="vacancies.anonymise_for_employers")
