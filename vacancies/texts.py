"""R-15: screening a vacancy's title and description for requirements on age, sex or origin.

Only target-group vacancies (R-14: "youth", "50+", ...) may set requirements on age; requirements on sex or origin
are never allowed. The phrases are a maintained Dutch list in `vacancies/data/discriminating_phrases.txt` (its header
says how to maintain it). A phrase matches as whole words ("mannen" does not catch "vakmannen"), `{leeftijd}` is an
age from 15 to 99 (so "maximaal 2 jaar" for a contract is no age) and may be written against its neighbours
("max25jaar"), "jaar" also matches "jr" and "jr.", and allowed phrases ("!zowel mannen als vrouwen", "!ongeacht
{kenmerken}") are taken out of the text before it is screened. `{kenmerken}` is only the characteristics right after
"ongeacht" ("ongeacht je leeftijd, geslacht of afkomst"), never the rest of the sentence.

The text is normalised first (`normalise`): compatibility forms (NFKC: full-width letters, ligatures, non-breaking
and other typographic spaces), invisible format characters (Unicode category Cf: soft hyphen, zero-width space and
joiners, word joiner, byte order mark) and fillers that show as nothing are taken out, so "jon\u00adge" or
"jon\u200bge", which show as "jonge", are screened as "jonge". Cyrillic and Greek letters that look like Latin
ones (`LOOK_ALIKES`: the Cyrillic "о" in "jоnge") are read as those Latin letters; this only serves the screening,
the text is saved as it was typed.

The list is read once per process; a change takes effect after a restart.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "discriminating_phrases.txt"

AGE = r"(?<!\d)(?:1[5-9]|[2-9]\d)(?!\d)"
# "ongeacht ..." allows only the characteristics named right after it, with a possessive and in a list.
CHARACTERISTIC = (
    r"(?:leeftijd|geslacht|gender|genderidentiteit|afkomst|herkomst|achtergrond|culturele achtergrond"
    r"|etnische achtergrond|etniciteit|nationaliteit|huidskleur|religie|geloof|levensovertuiging"
    r"|seksuele (?:geaardheid|voorkeur|oriëntatie)|geaardheid|beperking|handicap|burgerlijke staat|moedertaal)"
)
POSSESSIVE = r"(?:(?:je|jouw|uw|hun|zijn|haar|iemands|de|het) )?"
LIST_SEPARATOR = r"(?: ?, ?(?:(?:of|en) )?| (?:of|en|en/of) )"
CHARACTERISTICS = rf"{POSSESSIVE}{CHARACTERISTIC}(?:{LIST_SEPARATOR}{POSSESSIVE}{CHARACTERISTIC})*"
YEAR = r"(?:jaar|jr\.?)"
TOKENS = {"{leeftijd}": AGE, "{kenmerken}": CHARACTERISTICS}
DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
SPACE = re.compile(r"\s+")
# Characters that show as nothing but are not of category Cf: the combining grapheme joiner and the Hangul fillers.
INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0")
# Lower-case Cyrillic and Greek letters that look like a Latin letter (in either case, as the text is lower-cased
# first): Cyrillic а в е ё һ і ї ј к м н о р с т у х ѕ ԁ ԛ ԝ ӏ, Greek α β ε η ι κ μ ν ο ρ τ υ χ.
LOOK_ALIKES = str.maketrans(
    "\u0430\u0432\u0435\u0451\u04bb\u0456\u0457\u0458\u043a\u043c\u043d\u043e\u0440\u0441\u0442\u0443\u0445"
    "\u0455\u0501\u051b\u051d\u04cf"
    "\u03b1\u03b2\u03b5\u03b7\u03b9\u03ba\u03bc\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7",
    "abeehiijkmhopctyxsdqwlabenikmvoptux",
)


@dataclass(frozen=True)
class Phrase:
    text: str
    pattern: re.Pattern


@dataclass(frozen=True)
class PhraseList:
    refused: tuple[Phrase, ...]
    allowed: tuple[Phrase, ...]


def normalise(text: str) -> str:
    """Compatibility forms (NFKC), without invisible format characters (category Cf) and fillers, lower case with
    look-alike letters read as Latin, every dash as "-" without spaces around it, white space as one space."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if ch not in INVISIBLE and unicodedata.category(ch) != "Cf")
    text = DASHES.sub("-", text.lower().translate(LOOK_ALIKES))
    return SPACE.sub(" ", text).strip()


def _literal(part: str) -> str:
    """A literal part of a phrase: "jaar" also as "jr" or "jr." (R-15: "max 25 jr")."""
    words = re.split(r"(?<!\w)(jaar)(?!\w)", part)
    return "".join(YEAR if word == "jaar" else re.escape(word) for word in words if word)


def compile_phrase(phrase: str) -> re.Pattern:
    """A phrase of the list as a whole-word pattern over normalised text. The space on either side of an age may be
    left out ("max25jaar", "18-25jaar")."""
    parts = [part for part in re.split(r"(\{leeftijd\}|\{kenmerken\})", normalise(phrase)) if part]
    pieces = []
    for index, part in enumerate(parts):
        if part in TOKENS:
            pieces.append(TOKENS[part])
            continue
        if index > 0 and parts[index - 1] == "{leeftijd}" and part.startswith(" "):
            part, lead = part[1:], r" ?"
        else:
            lead = ""
        trail = ""
        if index + 1 < len(parts) and parts[index + 1] == "{leeftijd}" and part.endswith(" "):
            part, trail = part[:-1], r" ?"
        pieces.append(lead + _literal(part) + trail)
    return re.compile(rf"(?<!\w){''.join(pieces)}(?!\w)")


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
