"""What every route reads from the address: a path part or query number no record can have is not taken.

The converters are registered under the names routes already use (``<code>``, ``<int:...>``): a path part that
no stored record can have does not match, so it answers 404. The request class bounds the whole numbers views
read with ``request.args.get(..., type=int)``: one the database cannot hold is treated as no number at all.
"""

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, UnicodeConverter

from engage.core.inputs import DB_INT_MAX, is_db_integer


class StoredTextConverter(UnicodeConverter):
    """A path part without control characters: no stored code or number holds one (see ``core.inputs``)."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f-\x9f]", 1)


def digits_up_to(bound: int) -> str:
    """A regular expression for the decimal numbers from 0 to ``bound`` (100 gives ``\\d{1,2}|[0-0]\\d{2}|100``)."""
    digits = str(bound)
    same_length = [rf"{digits[:i]}[0-{int(digit) - 1}]\d{{{len(digits) - i - 1}}}"
                   for i, digit in enumerate(digits) if digit != "0"]
    shorter = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    return "(?:" + "|".join([*shorter, *same_length, digits]) + ")"


class StoredIdConverter(IntegerConverter):
    """An id or number in a path, no larger than a stored integer (PostgreSQL refuses a larger one).

    The bound is in the pattern, not only in ``to_python``: Werkzeug checks a rule's methods before converting, so
    a number refused there would answer 405 wherever the same path takes another method, instead of 404.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)
        if not signed and not fixed_digits and max is not None:
            self.regex = digits_up_to(max)


def _stored_int(value) -> int:
    number = int(value)
    if not is_db_integer(number):
        raise ValueError("out of the database's range")
    return number


class _BoundedNumbers(ImmutableMultiDict):
    def get(self, key, default=None, type=None):
        return super().get(key, default, _stored_int if type is int else type)


class StoredInputRequest(Request):
    parameter_storage_class = _BoundedNumbers


def register(app: Flask) -> None:
    """Install the converters and the request class; call before any blueprint adds its routes."""
    app.url_map.converters["default"] = StoredTextConverter
    app.url_map.converters["string"] = StoredTextConverter
    app.url_map.converters["int"] = StoredIdConverter
    app.request_class = StoredInputRequest
