"""The whole role x action matrix of the organiser desk, on an event hosted by department A.

Who may: administrators; organisers without a department (the office running the open month); organisers of
department A. Refused (403): organisers of department B, department staff, supervisors. Anonymous visitors
are sent to the login page. Campaigns are managed only by administrators and office organisers.
"""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from engage.accounts import services as account_services
from engage.core.timeutil import utcnow
from engage.events.models import Campaign, Event, Registration
from engage.events.opinions.models import Questionnaire
from engage.extensions import db
from tests import factories
from tests.fixtures.events import make_event, sign_up

ACTORS = ("anonymous", "organiser_a", "organiser_b", "office_organiser", "admin", "staff_a", "supervisor")
MANAGE_EVENT = {"organiser_a", "office_organiser", "admin"}
MANAGE_CAMPAIGNS = {"office_organiser", "admin"}
ORGANISERS = {"organiser_a", "organiser_b", "office_organiser", "admin"}


def _event_form(ids):
    now = utcnow()
    fmt = "%Y-%m-%dT%H:%M"
    return {"title": "改过的标题", "campaign_id": str(ids["campaign"]), "department_id": str(ids["department"]),
            "kind": "forum", "venue": "会议室", "starts_at": (now + timedelta(days=30)).strftime(fmt),
            "ends_at": (now + timedelta(days=30, hours=2)).strftime(fmt),
            "registration_opens_at": (now - timedelta(days=1)).strftime(fmt),
            "registration_closes_at": (now + timedelta(days=29)).strftime(fmt), "capacity": "60",
            "max_party_size": "3", "waitlist_enabled": "y"}


#: action -> (method, url, form data builder, who may)
ACTIONS = {
    "desk": ("GET", "/staff/events/", None, ORGANISERS),
    "campaigns": ("GET", "/staff/events/campaigns", None, ORGANISERS),
    "new_campaign": ("POST", "/staff/events/campaigns/new", lambda ids: {"title": "新活动月"}, MANAGE_CAMPAIGNS),
    "publish_campaign": ("POST", "/staff/events/campaigns/{draft_campaign}/publish", lambda ids: {},
                         MANAGE_CAMPAIGNS),
    "overview": ("GET", "/staff/events/{event}", None, MANAGE_EVENT),
    "edit": ("POST", "/staff/events/{event}/edit", _event_form, MANAGE_EVENT),
    "new_event_for_a": ("POST", "/staff/events/new", _event_form, MANAGE_EVENT),
    "publish": ("POST", "/staff/events/{draft_event}/publish", lambda ids: {}, MANAGE_EVENT),
    "cancel": ("POST", "/staff/events/{event}/cancel", lambda ids: {"reason": "场地维修"}, MANAGE_EVENT),
    "registrations": ("GET", "/staff/events/{event}/registrations", None, MANAGE_EVENT),
    "approve": ("POST", "/staff/events/{event}/registrations/{registration}/decision",
                lambda ids: {"decision": "approve"}, MANAGE_EVENT),
    "export_masked": ("GET", "/staff/events/{event}/registrations.csv", None, MANAGE_EVENT),
    "export_unmasked": ("POST", "/staff/events/{event}/registrations/full.csv", lambda ids: {}, MANAGE_EVENT),
    "check_in_screen": ("GET", "/staff/events/{event}/check-in", None, MANAGE_EVENT),
    "check_in": ("POST", "/staff/events/{event}/check-in/confirm", lambda ids: {"code": ids["code"]}, set()),
    "no_shows": ("POST", "/staff/events/{event}/no-shows", lambda ids: {}, MANAGE_EVENT),
    "opinions": ("GET", "/staff/events/{event}/opinions", None, MANAGE_EVENT),
    "add_question": ("POST", "/staff/events/{event}/opinions/questions",
                     lambda ids: {"kind": "free_text", "text": "意见建议"}, MANAGE_EVENT),
    "links": ("GET", "/staff/events/{event}/opinions/links", None, MANAGE_EVENT),
    "history": ("GET", "/staff/events/{event}/history", None, MANAGE_EVENT),
}


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Seven argon2 hashes per test at production cost would make the matrix take minutes."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account_services, "hash_password", cheap.hash)


@pytest.fixture
def world(department, other_department, staff, admin, campaign):
    """A published approval event of A with a pending sign-up, a draft event of A, a draft campaign."""
    event = make_event(campaign, department, requires_approval=True)
    draft_event = make_event(campaign, department, title="草稿活动", status="draft")
    registration = sign_up(event)
    draft_campaign = Campaign(title="草稿活动月", status="draft", created_at=utcnow(), updated_at=utcnow())
    db.session.add(draft_campaign)
    db.session.commit()
    users = {
        "organiser_a": factories.make_user("org-a@example.gov.cn", role="organiser", department=department),
        "organiser_b": factories.make_user("org-b@example.gov.cn", role="organiser", department=other_department),
        "office_organiser": factories.make_user("office@example.gov.cn", role="organiser"),
        "admin": admin, "staff_a": staff,
        "supervisor": factories.make_user("supervisor@example.gov.cn", role="supervisor"),
    }
    return {"department": department.id, "campaign": campaign.id, "event": event.id, "draft_event": draft_event.id,
            "registration": registration.id, "code": registration.code, "draft_campaign": draft_campaign.id,
            "users": users}


def _state(world) -> tuple:
    """Everything the matrix's actions could change, to show that a refused action changed nothing."""
    db.session.expire_all()
    event = db.session.get(Event, world["event"])
    return (event.title, event.status, db.session.get(Event, world["draft_event"]).status,
            db.session.get(Registration, world["registration"]).status,
            db.session.scalar(db.select(db.func.count()).select_from(Campaign)),
            db.session.get(Campaign, world["draft_campaign"]).status,
            db.session.scalar(db.select(db.func.count()).select_from(Event)),
            db.session.scalar(db.select(db.func.count()).select_from(Questionnaire)),
            len(event_audit(world)))


def event_audit(world):
    from engage.core.audit import history_of

    return history_of(db.session.get(Event, world["event"]))


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_role_action_matrix(client, auth, world, actor, action):
    if actor != "anonymous":
        assert auth.login(world["users"][actor].email).status_code == 302
    method, url, data, allowed = ACTIONS[action]
    url = url.format(**world)
    before = _state(world)
    response = client.get(url) if method == "GET" else client.post(url, data=data(world))
    if actor == "anonymous":
        assert response.status_code == 302 and response.location.startswith("/account/login")
    elif action == "check_in" and actor in MANAGE_EVENT:
        assert response.status_code == 409  # allowed in, but a pending sign-up is refused at the door
    elif actor in allowed:
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:300]
    elif action == "new_event_for_a" and actor in ORGANISERS:
        assert response.status_code == 422  # the department is not one of theirs to choose
    else:
        assert response.status_code == 403
    if method == "POST" and action not in ("check_in", "no_shows"):
        assert (_state(world) != before) == (actor in allowed), action


def test_every_desk_page_is_nested_behind_the_one_guard(app):
    """The guard lives on the parent blueprint, so a desk page registered beside it would go unguarded."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff/events")]
    assert len(rules) > 20
    assert all(rule.endpoint.startswith("events_staff.") for rule in rules), [rule.endpoint for rule in rules]
