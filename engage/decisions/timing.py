"""When a catalogue decision is planned: a year with its quarter or month, read, checked, ordered and worded.

Plain values, as rules are: no Flask, no database. The catalogue once took free text (2026年第二季度, 第四季度,
Q2 2026); ``parse`` reads those forms, and the words that cannot be read are kept as they were typed.
"""

import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton, get_month_names, get_quarter_names
from flask_babel import lazy_gettext as _l

CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                  "十一": 11, "十二": 12}
_NUMBER = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_ZH_QUARTER = re.compile(rf"^(?:(\d{{4}})\s*年)?\s*第?\s*{_NUMBER}\s*季度?$")
_ZH_MONTH = re.compile(rf"^(?:(\d{{4}})\s*年)?\s*{_NUMBER}\s*月(?:份)?$")
_EN_QUARTER = re.compile(r"^(?:Q([1-4])\s*[-/ ]?\s*(\d{4})|(\d{4})\s*[-/ ]?\s*Q([1-4]))$", re.IGNORECASE)
_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
#: part codes the forms use: q1..q4 for a quarter, m1..m12 for a month
PART_CODES = tuple(f"q{q}" for q in range(1, 5)) + tuple(f"m{m}" for m in range(1, 13))


@dataclass(frozen=True)
class PlannedTiming:
    """A year with a quarter (1-4) or a month (1-12). ``year`` None: not given (or old words not read)."""

    year: int | None = None
    quarter: int | None = None
    month: int | None = None

    @property
    def is_given(self) -> bool:
        return self.year is not None

    @property
    def part(self) -> str:
        """The form's code for the quarter or month (q2, m3), "" when neither."""
        return f"q{self.quarter}" if self.quarter else f"m{self.month}" if self.month else ""

    def sort_key(self) -> tuple:
        """Earliest deadline first: a month before the quarter it ends, timings not given last."""
        if self.year is None:
            return (1, 0, 0, 0)
        last_month = self.month or (self.quarter or 4) * 3
        return (0, self.year, last_month, 0 if self.month else 1)


def from_part(year: int | None, part: str) -> PlannedTiming:
    """The timing of a form's year and part code; an unknown code leaves the part out (``problem`` says so)."""
    if part and part[0] == "q" and part in PART_CODES:
        return PlannedTiming(year, quarter=int(part[1:]))
    if part and part[0] == "m" and part in PART_CODES:
        return PlannedTiming(year, month=int(part[1:]))
    return PlannedTiming(year)


def problem(timing: PlannedTiming, years: range) -> tuple[str, str] | None:
    """What is wrong with the timing: ("year" or "part", a message), or None."""
    if timing.year is None or timing.year not in years:
        return "year", _l("Enter the planned year, between %(first)d and %(last)d.", first=years[0], last=years[-1])
    quarter_ok = timing.quarter is not None and 1 <= timing.quarter <= 4 and timing.month is None
    month_ok = timing.month is not None and 1 <= timing.month <= 12 and timing.quarter is None
    if not (quarter_ok or month_ok):
        return "part", _l("Choose the quarter or the month it is planned for.")
    return None


def _number(text: str) -> int:
    return int(text) if text.isdigit() else CHINESE_DIGITS[text]


def parse(text: str, default_year: int) -> PlannedTiming | None:
    """Read free-text timing (2026年第二季度, 第四季度, 2026年3月, 三月, Q2 2026, 2026-03); None if it cannot be read.

    A quarter or month without a year is in ``default_year``, the year of the catalogue it is listed in.
    """
    words = text.strip().replace("　", " ")
    for pattern, kind in ((_ZH_QUARTER, "quarter"), (_ZH_MONTH, "month")):
        found = pattern.fullmatch(words)
        if found:
            year = int(found.group(1)) if found.group(1) else default_year
            value = _number(found.group(2))
            timing = PlannedTiming(year, quarter=value) if kind == "quarter" else PlannedTiming(year, month=value)
            return timing if problem(timing, range(1000, 10000)) is None else None
    found = _EN_QUARTER.fullmatch(words)
    if found:
        quarter, year = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
        return PlannedTiming(int(year), quarter=int(quarter))
    found = _ISO_MONTH.fullmatch(words)
    if found and 1 <= int(found.group(2)) <= 12:
        return PlannedTiming(int(found.group(1)), month=int(found.group(2)))
    return None


def describe(timing: PlannedTiming, locale: str, original: str = "") -> str:
    """The timing in the visitor's language (2026年第二季度 / Q2 2026, 2026年3月 / March 2026), else ``original``."""
    if not timing.is_given:
        return original
    if timing.month:
        return format_skeleton("yMMMM", date(timing.year, timing.month, 1), locale=locale)
    if timing.quarter:
        if locale.startswith("zh"):
            return f"{timing.year}年{get_quarter_names('wide', locale=locale)[timing.quarter]}"
        return format_skeleton("yQQQ", date(timing.year, timing.quarter * 3, 1), locale=locale)
    return str(timing.year)


def part_choices(locale: str) -> list[tuple[str, str]]:
    """The form's choices: the four quarters, then the twelve months, named in ``locale``."""
    quarters = [(f"q{q}", get_quarter_names("wide", locale=locale)[q]) for q in range(1, 5)]
    months = [(f"m{m}", get_month_names("wide", locale=locale)[m]) for m in range(1, 13)]
    return quarters + months
