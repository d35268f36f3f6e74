"""Name and postcode normalisation for the duplicate check (R-07).

"De Vries Bouw B.V." and "DeVries-bouw" must meet: case, accents, punctuation, spaces and legal forms are removed,
leaving the key `devriesbouw` that the trigram index compares.
"""

import re
import unicodedata

# Legal forms and their spelled-out variants; abbreviations may carry dots and spaces ("B. V.").
_LEGAL_ABBREVIATIONS = re.compile(
    r"(?:(?<=\s)|^)(?:b\s*\.?\s*v|v\s*\.?\s*o\s*\.?\s*f|n\s*\.?\s*v|c\s*\.?\s*v|u\s*\.?\s*a)\s*\.?(?=\s|$|[,;)])"
)
_LEGAL_WORDS = re.compile(
    r"\b(?:holding|stichting|vereniging|cooperatie|eenmanszaak|besloten vennootschap|naamloze vennootschap"
    r"|vennootschap onder firma|commanditaire vennootschap)\b"
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([a-zA-Z]{2})\s*$")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_key(name: str) -> str:
    """The comparable key of an employer name: lowercase letters and digits without legal forms."""
    folded = _fold(name).replace("&", " en ")
    stripped = _LEGAL_WORDS.sub(" ", _LEGAL_ABBREVIATIONS.sub(" ", folded))
    key = _NOT_ALNUM.sub("", stripped)
    # A name that is nothing but a legal form keeps its letters rather than becoming empty.
    return key or _NOT_ALNUM.sub("", folded)


def normalise_postcode(value: str) -> str | None:
    """'2011ab' -> '2011 AB'; None when it is not a Dutch postcode."""
    match = _POSTCODE.match(value or "")
    if not match:
        return None
    return f"{match.group(1)} {match.group(2).upper()}"
