"""What any typed input must be to be stored: text without control characters, whole numbers the database holds.

Plain functions with no Flask and no database, shared by the WTForms side (``core.forms``), the marshmallow
side (``core.schemas``) and the URL converters, so a page and the API refuse the same input.
"""

import re

# PostgreSQL refuses NUL in text outright, and the other control characters break exports and terminals; lone
# surrogates (possible in JSON, "\ud800") cannot be written as UTF-8 at all. Tab and line breaks are text only
# where a field holds several lines.
_SINGLE_LINE_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MULTILINE_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

#: Ids and counts are stored as 32-bit signed integers (SQLAlchemy ``Integer``: PostgreSQL ``integer``).
DB_INT_MIN, DB_INT_MAX = -(2**31), 2**31 - 1


def has_refused_characters(text: str, *, multiline: bool) -> bool:
    """Whether ``text`` holds a character no stored text may hold (tab and line breaks count only on one line)."""
    return bool((_MULTILINE_REFUSED if multiline else _SINGLE_LINE_REFUSED).search(text))


def without_refused_characters(text: str, *, multiline: bool = False) -> str:
    """``text`` with those characters dropped: what a search looks for, or a refused field shows back."""
    return (_MULTILINE_REFUSED if multiline else _SINGLE_LINE_REFUSED).sub("", text)


def is_db_integer(number: int) -> bool:
    return DB_INT_MIN <= number <= DB_INT_MAX
