"""R-15: screening a vacancy's title and description for requirements on age, sex or origin.

Only target-group vacancies (R-14: "youth", "50+", ...) may set requirements on age; requirements on sex or origin
are never allowed. The phrases are a maintained Dutch list in `vacancies/data/discriminating_phrases.txt` (its header
says how to maintain it). A phrase matches as whole words ("mannen" does not catch "vakmannen"), `{leeftijd}` is an
age from 15 to 99 (so "maximaal 2 jaar" for a contract is no age), and allowed phrases ("!zowel mannen als vrouwen",
"!ongeacht {zin}") are taken out of the text before it is screened.

The list is read once per process; a change takes effect after a restart.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "discriminating_phrases.txt"

AGE = r"(?<!\d)(?:1[5-9]|[2-9]\d)(?!\d)"
REST_OF_SENTENCE = r"[^.!?\n]*"
TOKENS = {"{leeftijd}": AGE, "{zin}": REST_OF_SENTENCE}
DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Phrase:
    text: str
    pattern: re.Pattern


@dataclass(frozen=True)
class PhraseList:
    refused: tuple[Phrase, ...]
    allowed: tuple[Phrase, ...]


def normalise(text: str) -> str:
    """Lower case, every dash as "-" without spaces around it, white space as one space."""
    text = DASHES.sub("-", (text or "").lower())
    return SPACE.sub(" ", text).strip()


def compile_phrase(phrase: str) -> re.Pattern:
    """A phrase of the list as a whole-word pattern over normalised text."""
    parts = re.split(r"(\{leeftijd\}|\{zin\})", normalise(phrase))
    body = "".join(TOKENS.get(part) or re.escape(part) for part in parts if part)
    return re.compile(rf"(?<!\w){body}(?!\w)" if not phrase.endswith("{zin}") else rf"(?<!\w){body}")


def parse(lines) -> PhraseList:
    refused, allowed = [], []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        target = allowed if line.startswith("!") else refused
        text = line.lstrip("!").strip()
        target.append(Phrase(text=text, pattern=compile_phrase(text)))
    return PhraseList(refused=tuple(refused), allowed=tuple(allowed))


@lru_cache(maxsize=1)
def phrase_list() -> PhraseList:
    return parse(PHRASES_FILE.read_text(encoding="utf-8").splitlines())


def discriminating_phrases(text: str, phrases: PhraseList | None = None) -> list[str]:
    """The phrases of the list found in the text (normalised: lower case), in order of appearance, each once.

    Overlapping hits are named as one ("leeftijd: 18-25 jaar", "niet-westerse afkomst").
    """
    phrases = phrases or phrase_list()
    normalised = normalise(text)
    for allowed in phrases.allowed:
        normalised = allowed.pattern.sub(lambda m: " " * len(m.group(0)), normalised)
    hits = sorted(match.span() for phrase in phrases.refused for match in phrase.pattern.finditer(normalised))
    merged: list[list[int]] = []
    for start, end in hits:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    found: list[str] = []
    for start, end in merged:
        if normalised[start:end] not in found:
            found.append(normalised[start:end])
    return found
