"""Reading a session's list from CSV or XLSX and checking every row before anything is stored.

Plain functions: the caller passes what the database knows (unit names, numbers already registered), so the
validator can be tested with a table of bad rows and no database.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

#: column -> the headings accepted for it (Chinese as the offices write them, and English)
COLUMNS = {
    "number": ("编号", "案号", "建议号", "提案号", "number"),
    "title": ("标题", "案由", "题目", "title"),
    "body": ("内容", "正文", "body"),
    "category": ("类别", "分类", "category"),
    "lead_proposer": ("领衔人", "领衔代表", "提出人", "提案人", "lead_proposer", "proposer"),
    "affiliation": ("代表团", "界别", "affiliation"),
    "phone": ("联系电话", "电话", "phone"),
    "email": ("电子邮箱", "邮箱", "email"),
    "co_signers": ("附议人", "联名人", "co_signers"),
    "lead_units": ("主办单位", "lead_units", "lead_unit"),
    "co_units": ("协办单位", "co_units"),
    "assigned_on": ("交办日期", "assigned_on"),
}
REQUIRED_COLUMNS = ("number", "title", "lead_proposer")
#: how a problem names its column to the supervisor (``file``: the file as a whole)
COLUMN_LABELS = {
    "number": _l("Case number"),
    "title": _l("Title"),
    "body": _l("Text"),
    "category": _l("Category"),
    "lead_proposer": _l("Lead proposer"),
    "affiliation": _l("Delegation or sector"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "co_signers": _l("Co-signers"),
    "lead_units": _l("Lead unit(s)"),
    "co_units": _l("Co-units"),
    "assigned_on": _l("Assignment date"),
    "file": _l("File"),
}
_HEADING_TO_COLUMN = {heading.lower(): column for column, headings in COLUMNS.items() for heading in headings}
#: separators between several names in one cell: 、，,；;／/ and line breaks
_LIST_SEPARATORS = re.compile(r"[、，,；;／/\n]+")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
NUMBER_MAX, TITLE_MAX, NAME_MAX = 30, 300, 100


def N_(message: str) -> str:
    """Marks a message for the catalog (``N_`` is a name the extractors know) and leaves it untranslated."""
    return message


def problem_text(problem: dict) -> str:
    """A stored problem in the interface language.

    A problem is kept as its message id and parameters, so whoever reads it sees it in their own language.
    Problems stored before that hold their text as it was written (no ``params``): they show as stored.
    """
    message, params = str(problem.get("message", "")), problem.get("params") or {}
    try:
        return gettext(message, **params)
    except (KeyError, ValueError, TypeError):  # parameters that no longer fit the message: never fail the page
        return message


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX list Engage can read; ``message`` (a message id) and ``params`` say why."""

    def __init__(self, message: str, **params):
        self.message, self.params = message, params
        super().__init__(message)

    @property
    def text(self) -> str:
        return problem_text({"message": self.message, "params": self.params})


@dataclass
class RowError:
    """A problem of one row (``line`` 0: of the file), kept untranslated until it is shown."""

    line: int
    field: str
    #: the message id (English, as written in the code); ``params`` fill its placeholders
    message: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message, "params": self.params}

    @property
    def text(self) -> str:
        return problem_text(self.as_dict())


@dataclass
class CaseRow:
    """One checked row, ready to be stored."""

    line: int
    number: str
    title: str
    body: str = ""
    category: str = ""
    proposers: list[dict] = field(default_factory=list)
    lead_unit_ids: list[int] = field(default_factory=list)
    co_unit_ids: list[int] = field(default_factory=list)
    assigned_on: date | None = None


def column_label(column: str) -> str:
    """The column of a problem in the interface language (an unknown name as it is)."""
    return str(COLUMN_LABELS.get(column, column))


# ---- reading -------------------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> list[tuple[int, dict]]:
    """The file's data rows as (spreadsheet row number, {column: text}); blank rows are skipped."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "csv":
        rows = _csv_rows(data)
    elif extension == "xlsx":
        rows = _xlsx_rows(data)
    else:
        raise UnreadableFile(N_("Upload the list as a CSV or XLSX file."))
    header = next(rows, None)
    if header is None:
        raise UnreadableFile(N_("The file is empty."))
    columns = [_HEADING_TO_COLUMN.get(str(h or "").strip().lower()) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        names = "、".join(COLUMNS[c][0] for c in missing)
        raise UnreadableFile(N_("The first row must name the columns; missing: %(names)s."), names=names)
    table = []
    for line, values in enumerate(rows, start=2):
        record = {c: _cell_text(v) for c, v in zip(columns, values, strict=False) if c}
        if any(value for value in record.values()):
            table.append((line, record))
    return table


def _csv_rows(data: bytes) -> Iterable[list]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030 by default
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(N_("The CSV file must be saved as UTF-8 or GB18030 text."))
    return iter(csv.reader(io.StringIO(text, newline="")))


def _xlsx_rows(data: bytes) -> Iterable[list]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a damaged or disguised file
        raise UnreadableFile(N_("The XLSX file could not be read. Save it again from the spreadsheet program.")) \
            from None
    return (list(row) for row in workbook.worksheets[0].iter_rows(values_only=True))


def _cell_text(value) -> str | date:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---- checking ------------------------------------------------------------------------------------------


@dataclass
class Lookups:
    """What the database knows, passed in so the checks need no database."""

    #: unit name (Chinese or English, as written) -> department id
    units: dict[str, int]
    #: numbers already registered in the session for this kind
    taken_numbers: set[str]
    today: date


def split_names(text: str) -> list[str]:
    return [name.strip() for name in _LIST_SEPARATORS.split(text or "") if name.strip()]


def parse_date(value) -> date | None:
    """A date from a cell: a spreadsheet date, or text as 2026-03-01, 2026/3/1, 2026.3.1 or 2026年3月1日."""
    if isinstance(value, date):
        return value
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def check_rows(table: list[tuple[int, dict]], lookups: Lookups,
               progress: Callable[[int], None] | None = None) -> tuple[list[CaseRow], list[RowError]]:
    """Check every row; returns the good rows and every problem found, each with its line number."""
    good, errors = [], []
    first_line_of: dict[str, int] = {}
    for index, (line, record) in enumerate(table, start=1):
        row_errors: list[RowError] = []
        case = _check_row(line, record, lookups, first_line_of, row_errors)
        errors.extend(row_errors)
        if not row_errors:
            good.append(case)
        if progress is not None and (index % 250 == 0 or index == len(table)):
            progress(index)
    return good, errors


def _check_row(line: int, record: dict, lookups: Lookups, first_line_of: dict, errors: list) -> CaseRow:
    def fail(field_name, message, **params):
        errors.append(RowError(line, field_name, message, params))

    number, title = _text(record, "number"), _text(record, "title")
    _check_number(number, lookups, first_line_of, line, fail)
    if not title:
        fail("title", N_("The title is missing."))
    elif len(title) > TITLE_MAX:
        fail("title", N_("The title is longer than %(max)d characters."), max=TITLE_MAX)
    lead_name = _text(record, "lead_proposer")
    if not lead_name:
        fail("lead_proposer", N_("The lead proposer is missing."))
    names = [lead_name, *split_names(_text(record, "co_signers"))]
    if any(len(name) > NAME_MAX for name in names):
        fail("co_signers", N_("A name is longer than %(max)d characters."), max=NAME_MAX)
    lead_ids = _unit_ids(record, "lead_units", lookups, fail)
    co_ids = _unit_ids(record, "co_units", lookups, fail)
    if co_ids and not lead_ids and "lead_units" not in {e.field for e in errors}:
        fail("lead_units", N_("Co-units are given but no lead unit."))
    if set(lead_ids) & set(co_ids):
        fail("co_units", N_("A unit cannot be lead unit and co-unit of the same case."))
    # Units named (known or not) mean an assignment; problems with the units themselves are reported above.
    units_named = bool(split_names(_text(record, "lead_units")) or split_names(_text(record, "co_units")))
    assigned_on = _assigned_on(record, units_named, lookups.today, fail)
    proposers = [{"name": lead_name, "affiliation": _text(record, "affiliation"), "phone": _text(record, "phone"),
                  "email": _text(record, "email")}] + [{"name": name} for name in names[1:]]
    return CaseRow(line=line, number=number, title=title, body=_text(record, "body"),
                   category=_text(record, "category")[:100], proposers=proposers, lead_unit_ids=lead_ids,
                   co_unit_ids=co_ids, assigned_on=assigned_on)


def _text(record: dict, column: str) -> str:
    value = record.get(column, "")
    return value.isoformat() if isinstance(value, date) else str(value).strip()


def _check_number(number: str, lookups: Lookups, first_line_of: dict, line: int, fail) -> None:
    if not number:
        fail("number", N_("The number is missing."))
    elif len(number) > NUMBER_MAX:
        fail("number", N_("The number is longer than %(max)d characters."), max=NUMBER_MAX)
    elif number in lookups.taken_numbers:
        fail("number", N_("Number %(number)s is already registered in this session."), number=number)
    elif number in first_line_of:
        fail("number", N_("Number %(number)s appears twice in the file (first in row %(line)d)."),
             number=number, line=first_line_of[number])
    else:
        first_line_of[number] = line


def _unit_ids(record: dict, column: str, lookups: Lookups, fail) -> list[int]:
    ids = []
    for name in split_names(_text(record, column)):
        if name in lookups.units:
            ids.append(lookups.units[name])
        else:
            fail(column, N_("Unknown unit “%(name)s”."), name=name)
    return list(dict.fromkeys(ids))


def _assigned_on(record: dict, has_units: bool, today: date, fail) -> date | None:
    raw = record.get("assigned_on", "")
    if raw in ("", None):
        return today if has_units else None
    day = parse_date(raw)
    if day is None:
        fail("assigned_on", N_("“%(value)s” is not a date (write it as 2026-03-01)."), value=raw)
    elif day > today:
        fail("assigned_on", N_("The assignment date %(day)s is in the future."), day=day.isoformat())
    elif not has_units:
        fail("assigned_on", N_("An assignment date is given but no lead unit."))
    return day
