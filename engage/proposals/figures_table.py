"""The figures table of a session, as the public page, its spreadsheet and a published statement show it."""

from flask_babel import get_locale
from flask_babel import gettext as _


def percent(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def unit_label(figures) -> str:
    return figures.unit.display_name(str(get_locale()))


def stats_table(figures, columns, *, for_spreadsheet: bool = False) -> tuple[list, list]:
    """The header and rows of the figures table: the page and the spreadsheet show the same figures.

    The spreadsheet gets the satisfaction rate as a number of percent (so offices can compute with it), the page
    as text with its sign.
    """
    rate_heading = _("Satisfaction rate (%)") if for_spreadsheet else _("Satisfaction rate")
    header = [_("Unit"), _("Assigned (lead)"), _("Co-handled"), _("Replied"), _("Replied on time"),
              _("Replied late"), _("Overdue now"), *[label for _code, label in columns], _("Ratings"), rate_heading]
    rate = _percent_number if for_spreadsheet else percent
    rows = [_row(unit_label(f), f, columns, rate) for f in figures.units]
    rows.append(_row(_("All units (each case once)"), figures.total, columns, rate))
    return header, rows


def _percent_number(value) -> float | None:
    return None if value is None else round(value * 100, 1)


def _row(label, f, columns, rate) -> list:
    return [label, f.assigned, f.co_handled if f.unit else "", f.replied, f.on_time, f.late, f.overdue,
            *[f.outcomes.get(code, 0) for code, _label in columns], f.rated, rate(f.satisfaction_rate)]
