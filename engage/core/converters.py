"""URL converters for every route: a path part that no record can have does not match, so it answers 404.

Registered under the names routes already use (``<code>``, ``<string:...>``), so no route has to change.
"""

from flask import Flask
from werkzeug.routing import UnicodeConverter


class StoredTextConverter(UnicodeConverter):
    """A path part without control characters: no stored code or number holds one (see ``core.inputs``)."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f-\x9f]", 1)


def register(app: Flask) -> None:
    """Install the converters; call before any blueprint adds its routes."""
    app.url_map.converters["default"] = StoredTextConverter
    app.url_map.converters["string"] = StoredTextConverter
