"""Filters and globals that every template can use."""

from datetime import datetime

from babel.units import format_unit
from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale, gettext

from engage.core.timeutil import utcnow


def china_time(moment: datetime | None, style: str = "medium") -> str:
    """A stored UTC time as people in China read it (flask-babel's timezone is Asia/Shanghai)."""
    if moment is None:
        return ""
    if style == "date":
        return format_date(moment, "long")
    return format_datetime(moment, "yyyy-MM-dd HH:mm" if style == "short" else style)


def file_size(size: int) -> str:
    """A file's size in the interface language (Jinja's own filesizeformat says "45 Bytes" on Chinese pages)."""
    locale = get_locale()
    if size < 1000:
        return format_unit(size, "digital-byte", locale=locale)
    for unit, factor in (("digital-kilobyte", 1e3), ("digital-megabyte", 1e6), ("digital-gigabyte", 1e9)):
        if size < factor * 1000 or unit == "digital-gigabyte":
            return format_unit(size / factor, unit, length="short", format="#,##0.#", locale=locale)
    raise AssertionError("unreachable")


def with_colon(label) -> str:
    """A label followed by the colon of the interface language (Chinese uses the full-width ：)."""
    return gettext("%(label)s:", label=label)


def department_name(department) -> str:
    return department.display_name(str(get_locale())) if department else ""


def url_with(**changes) -> str:
    """The current URL with some query arguments replaced (for filters and page links)."""
    args = request.args.to_dict()
    args.update({key: value for key, value in changes.items() if value is not None})
    for key in [key for key, value in changes.items() if value is None]:
        args.pop(key, None)
    from urllib.parse import urlencode

    return f"{request.path}?{urlencode(args)}" if args else request.path


def register(app: Flask) -> None:
    app.jinja_env.filters["china_time"] = china_time
    app.jinja_env.filters["department_name"] = department_name
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["with_colon"] = with_colon
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def common_context():
        return {"now": utcnow(), "current_locale": str(get_locale())}
