from django.db import migrations


def load(apps, schema_editor):
    from vacancies.vocabulary import load_vocabulary

    load_vocabulary(apps.get_model("vacancies", "Skill"))


class Migration(migrations.Migration):
    """R-42: every database starts with the shared vocabulary."""

    dependencies = [("vacancies", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
