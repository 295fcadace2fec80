"""The registration list of an event as CSV or XLSX, personal data masked unless explicitly opened.

An unmasked export hands out full phone and ID numbers: it is a separate action, and each one is recorded in
the event's audit history (who, when, how many rows, which format).
"""

from datetime import datetime

from flask_babel import gettext as _

from engage.core import audit, exports
from engage.core.errors import NotAllowed
from engage.core.timeutil import china_date
from engage.events import organiser_services, permissions
from engage.events.models import Event, Registration
from engage.extensions import db

FORMATS = ("csv", "xlsx")


def header(event: Event) -> list[str]:
    columns = [_("No."), _("Code"), _("Name"), _("Phone")]
    if event.requires_id_number:
        columns.append(_("ID number"))
    return [*columns, _("Party size"), _("Status"), _("Signed up"), _("Checked in"), _("Reason")]


def row(event: Event, registration: Registration, *, unmasked: bool) -> list:
    phone = registration.phone if unmasked else registration.masked_phone
    cells = [registration.number, registration.code, registration.name, phone]
    if event.requires_id_number:
        cells.append(registration.id_number if unmasked else registration.masked_id_number)
    # The status in the words of the export's language, like its headers (not the stored code).
    return [*cells, registration.party_size, str(registration.status.label), registration.created_at,
            registration.checked_in_at, registration.status_reason]


def _rows(event: Event, statement, unmasked: bool) -> list[list]:
    # Read now, inside the request: a streamed response runs after the request's session is gone.
    return [row(event, registration, unmasked=unmasked) for registration in db.session.scalars(statement)]


def filename(event: Event, fmt: str, *, unmasked: bool, now: datetime) -> str:
    kind = _("full") if unmasked else _("masked")
    name = _("sign-ups")  # outside the f-string, where message extraction finds it
    return f"{name}-{event.id}-{kind}-{china_date(now).isoformat()}.{fmt}"


def export_registrations(event: Event, fmt: str, *, actor, now: datetime, unmasked: bool = False,
                         q: str = "", status: str | None = None):
    """A download of the (filtered) registration list; an unmasked one is recorded in the audit history.

    :param fmt: ``csv`` or ``xlsx``.
    :param unmasked: full phone and ID numbers; only for those ``permissions.can_export_unmasked`` allows.
    """
    allowed = permissions.can_export_unmasked if unmasked else permissions.can_manage_event
    if not allowed(actor, event):
        raise NotAllowed()
    rows = _rows(event, organiser_services.registrations_statement(event, q=q, status=status), unmasked)
    if unmasked:
        audit.record("event.export_unmasked", event, actor=actor, now=now, format=fmt, rows=len(rows),
                     q=q, status=status or "")
    name = filename(event, fmt, unmasked=unmasked, now=now)
    if fmt == "xlsx":
        return exports.xlsx_response(name, [(_("Sign-ups"), header(event), rows)])
    return exports.csv_response(name, header(event), rows)
