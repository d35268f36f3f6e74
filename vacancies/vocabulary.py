"""The shared vocabulary of occupations, skills and competences (R-42), loaded from `vacancies/data/`.

The CSV files are the source: a data migration loads them on every new database and `manage.py
load_vocabulary` brings an existing one up to date. Rows are matched on their stable `code`, so vacancies and
candidates keep pointing at the same ids when names change or ESCO/CompetentNL codes are attached.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SKILL_FIELDS = ("kind", "name", "name_en", "group", "esco_uri", "competentnl_code")


def read_skills(data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    with open(data_dir / "skills.csv", newline="", encoding="utf-8") as handle:
        return [
            {
                "code": row["code"],
                "kind": row["kind"],
                "name": row["name_nl"],
                "name_en": row["name_en"],
                "group": row["group"],
                "esco_uri": row["esco_uri"],
                "competentnl_code": row["competentnl_code"],
            }
            for row in csv.DictReader(handle)
        ]


def read_links(data_dir: Path = DATA_DIR) -> list[tuple[str, str]]:
    with open(data_dir / "occupation_skills.csv", newline="", encoding="utf-8") as handle:
        return [(row["occupation_code"], row["skill_code"]) for row in csv.DictReader(handle)]


def load_vocabulary(skill_model, data_dir: Path = DATA_DIR) -> int:
    """Insert or update every vocabulary row and the occupations' typical skills; returns the number of rows.

    Takes the model as an argument so the data migration can pass its historical model.
    """
    rows = read_skills(data_dir)
    skill_model.objects.bulk_create(
        [skill_model(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=list(SKILL_FIELDS),
    )
    ids = dict(skill_model.objects.values_list("code", "id"))
    through = skill_model.typical_skills.through
    through.objects.bulk_create(
        [through(from_skill_id=ids[occupation], to_skill_id=ids[skill]) for occupation, skill in read_links(data_dir)],
        ignore_conflicts=True,
    )
    return len(rows)
