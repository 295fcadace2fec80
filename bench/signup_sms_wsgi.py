"""Engage with a confirmation SMS queued by every sign-up, for bench/signup_notifications.py.

The sign-up confirmations are wired in engage/events by their own change (branch house-events); until that is
on main, this module puts the same work into the sign-up path: ``queue_message`` inside the sign-up's
transaction, its delivery job enqueued after the commit. Served by gunicorn as ``signup_sms_wsgi:app``.
"""

import sys
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engage import create_app  # noqa: E402
from engage.events.registrations import services as registrations  # noqa: E402
from engage.notifications import services as outbox  # noqa: E402

app = create_app()
app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, FileSystemLoader(str(ROOT / "bench" / "templates"))])
_register = registrations.register


def register_and_confirm(event_id, data, *, now):
    registration, token = _register(event_id, data, now=now)
    outbox.queue_message(channel="sms", recipient=registration.phone, template="bench_notice",
                         params={"code": registration.code}, about=registration, now=now)
    return registration, token


registrations.register = register_and_confirm
