"""The demo events: a 2026年政府开放月 campaign with a full event, one needing approval, one past with feedback."""

import pytest
from argon2 import PasswordHasher

from engage.accounts import services as account_services
from engage.demo import loader
from engage.events.models import Campaign, Event, Registration
from engage.events.opinions.models import Questionnaire
from engage.extensions import db


@pytest.fixture
def loaded(app, now, monkeypatch):
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account_services, "hash_password", cheap.hash)
    result = loader.load(now=now)
    db.session.commit()
    return result


def _event(title_part: str) -> Event:
    return db.session.scalar(db.select(Event).where(Event.title.contains(title_part)))


def _statuses(event) -> list[str]:
    return [r.status for r in db.session.scalars(db.select(Registration).where(Registration.event_id == event.id))]


def test_demo_has_a_published_open_month(loaded):
    campaign = db.session.scalar(db.select(Campaign))
    assert campaign.title == "2026年政府开放月" and campaign.status == "published"
    assert loaded.events == len(campaign.events) == 5
    assert {e.status for e in campaign.events} == {"published"}


def test_demo_forum_is_full_with_a_waitlist(loaded):
    forum = _event("座谈会")
    assert forum.seats_left == 0 and "waitlisted" in _statuses(forum)


def test_demo_visit_needs_approval_with_some_still_pending(loaded):
    visit = _event("指挥中心")
    assert visit.requires_approval and visit.requires_id_number
    assert "pending" in _statuses(visit) and "confirmed" in _statuses(visit)


def test_demo_past_event_has_attendance_and_published_feedback(loaded, now):
    past = _event("快检")
    assert past.ends_at < now
    assert set(_statuses(past)) == {"attended", "no_show"}
    questionnaire = db.session.scalar(db.select(Questionnaire).where(Questionnaire.event_id == past.id))
    assert questionnaire.is_feedback_published
