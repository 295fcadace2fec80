"""Files handed to citizens: the iCalendar file of an event and the QR code of a confirmation code."""

import io
from datetime import datetime

import icalendar
import qrcode
import qrcode.image.svg

from engage.events import rules
from engage.events.models import Event, Registration


def calendar_file(event: Event, *, now: datetime, url: str, registration: Registration | None = None) -> bytes:
    """An .ics with the event (times in UTC, which every calendar shows in the reader's own zone).

    With a ``registration``, the description carries its confirmation code, so it is at hand at the door; the
    status follows the sign-up (a waitlist place is TENTATIVE) and a confirmed one gets a reminder the day before.
    """
    registration_status = registration.status if registration is not None else None
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Engage//Open-government events//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.id}@engage")
    entry.add("dtstamp", now)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("location", event.online_link if event.is_online else event.venue)
    lines = [event.description.strip(), url]
    if registration is not None:
        lines.insert(0, f"确认码 Confirmation code: {registration.code}")
    entry.add("description", "\n\n".join(line for line in lines if line))
    entry.add("url", url)
    entry.add("status", rules.calendar_status(event.status, registration_status))
    if rules.has_calendar_reminder(registration_status):
        entry.add_component(_reminder(event))
    calendar.add_component(entry)
    return calendar.to_ical()


def _reminder(event: Event) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -rules.CALENDAR_REMINDER_BEFORE)
    alarm.add("description", f"明天 Tomorrow: {event.title}")
    return alarm


def qr_svg(text: str) -> bytes:
    """A QR code as SVG paths: sharp at any size, small, and drawn by the browser without scripts."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
