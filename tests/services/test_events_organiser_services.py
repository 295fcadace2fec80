"""The organiser's services on a database: editing seats, publishing, cancelling, check-in."""


import pytest

from engage.core.audit import history_of
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.events import organiser_services
from engage.events.models import CampaignStatus, Registration
from engage.extensions import db
from tests.fixtures.events import make_campaign, make_event, phone_number, sign_up

EVENT_FIELDS = ("title", "campaign_id", "department_id", "kind", "description", "venue", "online_link", "starts_at",
                "ends_at", "registration_opens_at", "registration_closes_at", "capacity", "max_party_size",
                "requires_id_number", "requires_approval", "waitlist_enabled")


def _values(event, **changes):
    return {name: getattr(event, name) for name in EVENT_FIELDS} | changes


def test_capacity_cannot_drop_below_the_seats_held(organiser, open_event, now):
    sign_up(open_event, party_size=3)
    with pytest.raises(ValidationFailed) as error:
        organiser_services.update_event(open_event, _values(open_event, capacity=2, max_party_size=1),
                                        actor=organiser, now=now)
    assert "capacity" in error.value.errors


def test_added_seats_go_to_the_waitlist_first(organiser, campaign, department, now):
    event = make_event(campaign, department, capacity=2)
    sign_up(event, phone=phone_number(1), party_size=2)
    waiting = sign_up(event, phone=phone_number(2), party_size=2)
    organiser_services.update_event(event, _values(event, capacity=4), actor=organiser, now=now)
    db.session.commit()
    assert db.session.get(Registration, waiting.id).status == "confirmed"
    assert event.seats_taken == 4


def test_an_event_of_a_draft_campaign_cannot_be_published(organiser, department, now):
    event = make_event(make_campaign(status=CampaignStatus.DRAFT), department, status="draft")
    with pytest.raises(ValidationFailed) as error:
        organiser_services.publish_event(event, actor=organiser, now=now)
    assert "campaign_id" in error.value.errors


def test_publishing_twice_is_refused(organiser, open_event, now):
    with pytest.raises(InvalidTransition):
        organiser_services.publish_event(open_event, actor=organiser, now=now)


def test_cancelling_keeps_every_change_with_its_reason(organiser, campaign, department, now):
    event = make_event(campaign, department, capacity=1)
    seated, waiting = sign_up(event, phone=phone_number(1)), sign_up(event, phone=phone_number(2))
    assert organiser_services.cancel_event(event, "场地维修", actor=organiser, now=now) == 2
    for registration in (seated, waiting):
        change = registration.changes[-1]
        assert (change.to_status, change.reason, change.actor_id) == ("cancelled", "场地维修", organiser.id)
    assert history_of(event)[-1].detail == {"reason": "场地维修", "sign_ups": 2}


def test_cancelling_needs_a_reason_and_an_event_not_over(organiser, started_event, now):
    with pytest.raises(ValidationFailed):
        organiser_services.cancel_event(started_event, "  ", actor=organiser, now=now)
    with pytest.raises(InvalidTransition):
        organiser_services.cancel_event(started_event, "原因", actor=organiser, now=started_event.ends_at)


def test_organiser_of_another_department_is_refused(open_event, other_department, now):
    from tests import factories

    other = factories.make_user("b@example.gov.cn", role="organiser", department=other_department)
    with pytest.raises(NotAllowed):
        organiser_services.get_event(open_event.id, other)
    with pytest.raises(NotAllowed):
        organiser_services.cancel_event(open_event, "原因", actor=other, now=now)


def test_check_in_candidate_refusals(organiser, started_event, open_event):
    with pytest.raises(NotFound):
        organiser_services.check_in_candidate(started_event, "NOPE2345", organiser)
    with pytest.raises(RuleViolation, match=open_event.title):  # names the event the code is for
        organiser_services.check_in_candidate(started_event, sign_up(open_event).code, organiser)
