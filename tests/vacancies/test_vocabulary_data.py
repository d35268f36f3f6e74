"""R-42: the shared vocabulary files in `vacancies/data/` are well-formed.

Plain file checks with the stdlib `csv` module: no database, no Django models (no `db` fixture, no
`django_db` mark), so this runs anywhere, also with `-p no:django`.
"""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / "vacancies" / "data"
SKILLS_HEADER = ["code", "kind", "name_nl", "name_en", "group", "esco_uri", "competentnl_code"]
LINKS_HEADER = ["occupation_code", "skill_code"]
CODE_RE = re.compile(r"^(occ|skl|cmp)-[a-z0-9-]+$")
PREFIX_FOR_KIND = {"occupation": "occ", "skill": "skl", "competence": "cmp"}
MINIMA = {"occupation": 180, "skill": 140, "competence": 40}
GROUPS = {
    "zorg", "onderwijs", "techniek", "bouw", "logistiek", "horeca", "detailhandel", "schoonmaak", "groen",
    "administratief", "ict", "productie", "overheid", "beveiliging", "algemeen",
}  # fmt: skip


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def skills() -> list[dict[str, str]]:
    return read("skills.csv")[1]


@pytest.fixture(scope="module")
def links() -> list[dict[str, str]]:
    return read("occupation_skills.csv")[1]


def test_headers_are_exact():
    assert read("skills.csv")[0] == SKILLS_HEADER
    assert read("occupation_skills.csv")[0] == LINKS_HEADER


def test_every_row_has_all_columns(skills, links):
    # DictReader puts surplus fields under None and fills missing ones with None.
    for row in skills:
        assert None not in row and None not in row.values(), row
    for row in links:
        assert None not in row and None not in row.values(), row


def test_codes_are_unique_slugs_prefixed_by_kind(skills):
    codes = [row["code"] for row in skills]
    assert [code for code, n in Counter(codes).items() if n > 1] == []
    for row in skills:
        assert CODE_RE.match(row["code"]), row["code"]
        assert row["kind"] in PREFIX_FOR_KIND, row
        assert row["code"].split("-", 1)[0] == PREFIX_FOR_KIND[row["kind"]], row
        assert len(row["code"]) <= 80, row["code"]  # Skill.code max_length


def test_names_are_present_and_unique(skills):
    names = [row["name_nl"].strip().casefold() for row in skills]
    assert [name for name, n in Counter(names).items() if n > 1] == []
    for row in skills:
        assert row["name_nl"] and row["name_nl"] == row["name_nl"].strip(), row
        assert row["name_en"] and row["name_en"] == row["name_en"].strip(), row
        assert len(row["name_nl"]) <= 120 and len(row["name_en"]) <= 120, row  # Skill.name max_length


def test_counts_per_kind_meet_the_minima(skills):
    counts = Counter(row["kind"] for row in skills)
    for kind, minimum in MINIMA.items():
        assert counts[kind] >= minimum, (kind, counts[kind])
    assert len(skills) >= sum(MINIMA.values())


def test_groups_are_from_the_allowed_set(skills):
    assert {row["group"] for row in skills} <= GROUPS


def test_external_code_columns_are_present(skills):
    # Empty until ESCO / CompetentNL are mapped; when filled, an ESCO URI must be a URI.
    for row in skills:
        assert "esco_uri" in row and "competentnl_code" in row
        assert row["esco_uri"] == "" or row["esco_uri"].startswith("http"), row


def test_links_reference_existing_codes_from_occupation_to_skill_or_competence(skills, links):
    kind_of = {row["code"]: row["kind"] for row in skills}
    for link in links:
        assert kind_of.get(link["occupation_code"]) == "occupation", link
        assert kind_of.get(link["skill_code"]) in {"skill", "competence"}, link


def test_no_duplicate_links(links):
    pairs = [(link["occupation_code"], link["skill_code"]) for link in links]
    assert [pair for pair, n in Counter(pairs).items() if n > 1] == []


def test_every_occupation_has_at_least_three_links(skills, links):
    per_occupation = Counter(link["occupation_code"] for link in links)
    occupations = [row["code"] for row in skills if row["kind"] == "occupation"]
    assert [code for code in occupations if per_occupation[code] < 3] == []
