"""The shared vocabulary (R-42) as the demo generator uses it: occupations per group and their typical skills."""

import random
from collections import defaultdict

from django.db import connection

from vacancies.choices import SkillKind
from vacancies.models import Skill
from vacancies.vocabulary import load_vocabulary

from .bulk import Weighted
from .vocabulary import SECTOR_OCCUPATION_GROUPS


class SkillIndex:
    """Occupations by group (a sector key such as `zorg`), their typical skills and the generic competences.

    Vacancies and candidates pick an occupation first and then its typical skills (occupation_skills.csv), so a
    candidate and a vacancy of the same occupation share skills the way real ones do.
    """

    def __init__(self):
        if not Skill.objects.exists():
            # The data migration loads the vocabulary; a test database flushed between tests has lost it.
            load_vocabulary(Skill)
        rows = list(Skill.objects.active().values_list("id", "kind", "group", "name"))
        self.name = {pk: name for pk, _, _, name in rows}
        self.occupations_by_group: dict[str, list[int]] = defaultdict(list)
        self.group_of: dict[int, str] = {}
        self.competences: list[int] = []
        self.skills: list[int] = []
        for pk, kind, group, _ in rows:
            if kind == SkillKind.OCCUPATION:
                self.occupations_by_group[group].append(pk)
                self.group_of[pk] = group
            elif kind == SkillKind.COMPETENCE:
                self.competences.append(pk)
            else:
                self.skills.append(pk)
        self.occupations = sorted(self.group_of)
        active = set(self.name)
        self.typical: dict[int, list[int]] = defaultdict(list)
        through = Skill.typical_skills.through._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT from_skill_id, to_skill_id FROM {through} ORDER BY from_skill_id, to_skill_id")
            for occupation, skill in cursor.fetchall():
                if occupation in self.group_of and skill in active:
                    self.typical[occupation].append(skill)
        self._by_sector = {
            code: Weighted((group, weight) for group, weight in pairs if self.occupations_by_group.get(group))
            for code, pairs in SECTOR_OCCUPATION_GROUPS.items()
            if any(self.occupations_by_group.get(group) for group, _ in pairs)
        }

    def __bool__(self) -> bool:
        return bool(self.occupations)

    def occupation_for_sector(self, rng: random.Random, sector_code: str) -> int:
        choose = self._by_sector.get(sector_code)
        if choose is None:
            return rng.choice(self.occupations)
        return rng.choice(self.occupations_by_group[choose(rng)])

    def skills_for(self, rng: random.Random, occupations: list[int], low: int, high: int) -> list[int]:
        """The occupations themselves, a sample of their typical skills and maybe a competence: low..high ids."""
        wanted = rng.randint(low, high)
        chosen = list(dict.fromkeys(occupations))
        typical = list(dict.fromkeys(s for o in occupations for s in self.typical.get(o, ())))
        rng.shuffle(typical)
        for skill in typical:
            if len(chosen) >= wanted:
                break
            if skill not in chosen:
                chosen.append(skill)
        extra = self.competences or self.skills
        attempts = 0
        while extra and (len(chosen) < wanted or (len(chosen) < high and rng.random() < 0.3)) and attempts < 20:
            attempts += 1
            skill = rng.choice(extra)
            if skill not in chosen:
                chosen.append(skill)
        return chosen[:high]
