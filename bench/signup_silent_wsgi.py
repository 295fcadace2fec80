"""Engage with the sign-up confirmations switched off, the baseline of bench/signup_notifications.py.

Every sign-up queues its confirmation SMS (engage/events/registrations/messages.py); this module serves the same
application with that one call made a no-op, so that the rush can be measured with and without it in the same run.
Served by gunicorn as ``signup_silent_wsgi:app``; never used outside the benchmark.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engage import create_app  # noqa: E402
from engage.events.registrations import messages  # noqa: E402

app = create_app()


def _tell_no_one(registration, position, *, now, link=None):
    return None


messages.tell_signed_up = _tell_no_one
