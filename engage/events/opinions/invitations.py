"""The questionnaire's private link, sent by SMS to those who may answer once the event is over.

Sent when the organiser opens the questionnaire after the event, or by the periodic task (``engage.events.jobs``)
when an event with an open questionnaire ends. Idempotent like the reminders: ``questionnaire_sent_at`` is set
in the UPDATE that picks the sign-up, so nobody gets the link twice.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from engage.core.links import public_url
from engage.events.models import Event, EventStatus, Registration
from engage.events.opinions import rules as opinion_rules
from engage.events.opinions import services as opinion_services
from engage.events.opinions.models import Questionnaire
from engage.events.registrations import messages
from engage.extensions import db

#: events that ended longer ago than this are not looked at again by the periodic task
LOOK_BACK = timedelta(days=14)


def send_links(event: Event, questionnaire: Questionnaire, *, now: datetime) -> int:
    """Queue the link for every sign-up that may answer and has not had it; returns how many. Only flushes."""
    if not questionnaire.is_open or event.status != EventStatus.PUBLISHED:
        return 0
    claimed = db.session.execute(
        update(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(sorted(opinion_rules.MAY_GIVE_OPINION)),
               Registration.questionnaire_sent_at.is_(None))
        .values(questionnaire_sent_at=now)
        .returning(Registration.id, Registration.phone, Registration.language)
        .execution_options(synchronize_session=False)
    ).all()
    secret = current_app.config["SECRET_KEY"]
    links = [(registration_id, phone, language,
              public_url("events_opinions.respond",
                         token=opinion_services.opinion_token_for_id(registration_id, secret)))
             for registration_id, phone, language in claimed]
    return messages.tell_questionnaire(event, links, now=now) if links else 0


def send_links_after_events(*, now: datetime) -> int:
    """For every event that ended lately with its questionnaire open, send the links not yet sent."""
    found = db.session.execute(
        select(Event, Questionnaire).join(Questionnaire, Questionnaire.event_id == Event.id)
        .where(Questionnaire.is_open, Event.status == EventStatus.PUBLISHED, Event.ends_at <= now,
               Event.ends_at > now - LOOK_BACK)
    ).all()
    return sum(send_links(event, questionnaire, now=now) for event, questionnaire in found)
