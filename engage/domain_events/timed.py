"""Events that happen by the clock, not by anyone's action: a consultation's period begins or ends, an event's
sign-up window opens. A periodic task notices them; ``emit`` records each once, however often it runs.

Only moments within ``LOOK_BACK`` are noticed, so the first run after an upgrade does not announce years of
past consultations as if they had just opened.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from engage.domain_events.bus import emit
from engage.domain_events.models import DomainEvent, EventType
from engage.extensions import db

LOOK_BACK = timedelta(days=2)


def _not_yet_emitted(name: EventType, model):
    once_key = sa.literal(f"{name}:", sa.String).concat(sa.cast(model.id, sa.String))
    return ~sa.exists().where(DomainEvent.once_key == once_key)


def notice_timed_events(now: datetime) -> int:
    """Emit the openings and closings whose moment has come since the last run; returns how many."""
    from engage.consultations.models import Consultation, Stage
    from engage.events.models import Event, EventStatus

    since = now - LOOK_BACK
    found = [(EventType.CONSULTATION_OPENED, Consultation, Consultation.stage != Stage.DRAFT,
              Consultation.opens_at),
             (EventType.CONSULTATION_CLOSED, Consultation, Consultation.stage != Stage.DRAFT,
              Consultation.closes_at),
             (EventType.EVENT_REGISTRATION_OPENED, Event, Event.status == EventStatus.PUBLISHED,
              Event.registration_opens_at)]
    emitted = 0
    for name, model, visible, moment in found:
        # Published lately with its moment already past counts too (an event published with sign-up open).
        recent = sa.or_(moment > since, model.published_at > since)
        subjects = db.session.scalars(sa.select(model).where(visible, moment <= now, recent,
                                                             _not_yet_emitted(name, model)).order_by(moment))
        for subject in subjects.all():
            emitted += emit(name, subject, now=now) is not None
    return emitted
