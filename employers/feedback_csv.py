"""Reading a feedback file (R-11): the CSV format only; the rules are in services.feedback_import.

A spreadsheet saved as CSV: comma or semicolon separated (Dutch Excel uses a semicolon), UTF-8 (with or without a
byte-order mark) or Windows-1252, a header row with the column names in any order. Each data row becomes a `Row`
with typed values and the format errors of that row, by its line number in the file.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wsp.inputs import int_or_none

from .choices import FeedbackSource

REQUIRED_COLUMNS = ("employer", "adviser", "score", "comment", "source", "received_at")
OPTIONAL_COLUMNS = ("external_id",)
MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y")


@dataclass
class Row:
    line: int
    employer_id: int | None = None
    kvk: str = ""
    adviser: str = ""
    score: int | None = None
    comment: str = ""
    source: str = ""
    received_at: datetime | None = None
    external_id: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)


def _text(content: bytes | str) -> str | None:
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _source(value: str) -> str | None:
    value = value.strip()
    if not value:
        return FeedbackSource.SURVEY
    for choice in FeedbackSource:
        if value.lower() in (choice.value, str(choice.label).lower()):
            return choice.value
    return None


def _moment(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "T", 1)) if "T" not in value else parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        for pattern in DATE_FORMATS:
            try:
                moment = datetime.strptime(value, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def read(content: bytes | str) -> Parsed:
    """Parse the file; format problems of the whole file in `file_errors`, of a row in its `errors`."""
    parsed = Parsed()
    if isinstance(content, bytes) and len(content) > MAX_BYTES:
        parsed.file_errors.append(_("The file is larger than 5 MB; split it into smaller files."))
        return parsed
    text = _text(content)
    if text is None:
        parsed.file_errors.append(_("The file cannot be read as text; save it as CSV (UTF-8)."))
        return parsed
    if not text.strip():
        parsed.file_errors.append(_("The file is empty."))
        return parsed
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        parsed.file_errors.append(
            _("Line 1: the columns %(missing)s are missing (expected: %(expected)s).")
            % {"missing": ", ".join(missing), "expected": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}
        )
        return parsed
    unknown = [name for name in header if name and name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        parsed.file_errors.append(_("Line 1: unknown columns %(unknown)s.") % {"unknown": ", ".join(unknown)})
        return parsed
    for values in reader:
        if not any(v.strip() for v in values):
            continue  # an empty line, as spreadsheets leave at the end
        if len(parsed.rows) >= MAX_ROWS:
            parsed.file_errors.append(_("The file has more than 10,000 rows; split it into smaller files."))
            return parsed
        parsed.rows.append(_row(reader.line_num, dict(zip(header, values, strict=False)), len(values) > len(header)))
    if not parsed.rows:
        parsed.file_errors.append(_("The file has no rows below the header."))
    return parsed


def _row(line: int, cells: dict[str, str], too_many: bool) -> Row:
    row = Row(line=line)
    if too_many:
        row.errors.append(_("more values than columns (is there a separator in a comment? put it in quotes)"))
    employer = (cells.get("employer") or "").strip().replace(" ", "")
    if not employer:
        row.errors.append(_("employer is missing"))
    elif len(employer) == 8 and employer.isascii() and employer.isdecimal():
        row.kvk = employer
    elif (employer_id := int_or_none(employer)) is not None:
        row.employer_id = employer_id
    else:
        row.errors.append(_("employer %(value)s is neither an employer number nor a KvK number") % {"value": employer})
    row.adviser = (cells.get("adviser") or "").strip()
    if not row.adviser:
        row.errors.append(_("adviser is missing"))
    score = (cells.get("score") or "").strip()
    # int_or_none reads ASCII digits only ("²" or "٣" are no score) and starts at 1; 0 is a score too.
    number = 0 if score and set(score) == {"0"} else int_or_none(score)
    if number is not None and 0 <= number <= 10:
        row.score = number
    else:
        row.errors.append(_("score %(value)s is not a whole number from 0 to 10") % {"value": score or "—"})
    row.comment = (cells.get("comment") or "").strip()
    source = _source(cells.get("source") or "")
    if source is None:
        row.errors.append(
            _("source %(value)s is not one of direct_feedback, survey, other") % {"value": cells.get("source")}
        )
    else:
        row.source = source
    received = (cells.get("received_at") or "").strip()
    row.received_at = _moment(received)
    if row.received_at is None:
        row.errors.append(
            _("received_at %(value)s is not a date (write 2026-03-12 14:30 or 12-03-2026)") % {"value": received or "—"}
        )
    row.external_id = (cells.get("external_id") or "").strip()
    if len(row.external_id) > 100:
        row.errors.append(_("external_id is longer than 100 characters"))
    return row
