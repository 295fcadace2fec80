"""A page that shows a refused service call keeps nothing the service wrote before it refused, even on a redirect."""

from engage.core.errors import ValidationFailed
from engage.events.models import Registration
from engage.events.registrations import services
from engage.extensions import db
from tests.fixtures.events import make_event, sign_up


def test_a_refusal_shown_before_a_redirect_rolls_back_what_the_service_flushed(
        en_client, auth, organiser, campaign, department, monkeypatch):
    event = make_event(campaign, department, requires_approval=True)
    registration = sign_up(event)
    db.session.commit()

    def reject_after_writing(registration, reason, *, actor, now):
        registration.status = "rejected"
        db.session.flush()
        raise ValidationFailed({"reason": ["Give the reason for the rejection."]})

    monkeypatch.setattr(services, "reject", reject_after_writing)
    auth.login(organiser.email)
    response = en_client.post(f"/staff/events/{event.id}/registrations/{registration.id}/decision",
                              data={"decision": "reject", "reason": "full"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "pending"
