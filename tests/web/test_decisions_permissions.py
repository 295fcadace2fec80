"""Role x action matrix of the decision, dashboard and catalogue staff pages, on department A's records."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from engage.accounts import services as account_services
from engage.consultations.models import Consultation
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import china_date, utcnow
from engage.decisions import catalogue, services
from engage.decisions.catalogue import EntryFields
from engage.decisions.models import CatalogueEntry
from engage.decisions.timing import PlannedTiming
from engage.extensions import db
from tests import factories

ACTORS = ("anonymous", "staff_a", "staff_b", "admin", "organiser", "supervisor")
#: who may act on department A's decision and catalogue entry; everyone else logged in is refused
ALLOWED = {"staff_a", "admin"}


def _decision(ids):
    return {"title": "改过的决定", "document_number": "临府规〔2026〕9号",
            "published_on": china_date(utcnow()).isoformat(), "url": "https://www.linjiang.gov.cn/9.htm"}


def _interpretation(ids):
    return {"interpreted_on": china_date(utcnow()).isoformat(), "interpretation_url": "https://www.linjiang.gov.cn/j.htm"}


def _entry(ids):
    return {"name": "改过的事项", "planned_year": "2026", "planned_part": "q4", "consultation": "", "reason": "调整"}


def _new_entry_for_a(ids):
    return {"year": "2026", "department": str(ids["department"]), "name": "他人的事项", "planned_year": "2026",
            "planned_part": "m6",
            "consultation": "", "reason": "列入"}


#: action -> (method, url template, form data builder)
ACTIONS = {
    "decision_page": ("GET", "/staff/consultations/{consultation}/decision", None),
    "link_decision": ("POST", "/staff/consultations/{consultation}/decision", _decision),
    "link_interpretation": ("POST", "/staff/consultations/{consultation}/interpretation", _interpretation),
    "entry_page": ("GET", "/staff/catalogue/{entry}", None),
    "edit_entry": ("POST", "/staff/catalogue/{entry}", _entry),
    "drop_entry": ("POST", "/staff/catalogue/{entry}/status", lambda ids: {"change": "dropped", "change_reason": "x"}),
    "deliberate": ("POST", "/staff/catalogue/{entry}/deliberation",
                   lambda ids: {"meeting": "常务会议", "deliberated_on": "2026-06-18", "deliberation_outcome": "通过"}),
    "add_entry_for_a": ("POST", "/staff/catalogue/new", _new_entry_for_a),
}


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Five argon2 hashes at production cost per test make the matrix slow; the permissions are the same."""
    monkeypatch.setattr(account_services, "hash_password",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash)


@pytest.fixture
def world(department, other_department, staff, other_staff, admin, now):
    """A closed consultation of department A with its decision linked, an A catalogue entry, one user per role."""
    consultation = factories.make_consultation(department, staff, opens_at=now - timedelta(days=40),
                                               closes_at=now - timedelta(days=5))
    services.link_decision(consultation, services.DecisionFields("决定", "临府规〔2026〕1号",
                                                                 factories.day_after_close(consultation),
                                                                 "https://www.linjiang.gov.cn/1.htm"),
                           None, actor=staff, now=now, working_days=3, calendar=load_work_calendar(),
                           store=services.FileStore("/nonexistent", 1))
    entry = catalogue.add_entry(2026, department.id, EntryFields("事项", PlannedTiming(2026, quarter=1)), "列入",
                                actor=staff, now=now)
    db.session.commit()
    users = {
        "staff_a": staff, "staff_b": other_staff, "admin": admin,
        "organiser": factories.make_user("organiser@example.gov.cn", role="organiser", department=department),
        "supervisor": factories.make_user("supervisor@example.gov.cn", role="supervisor"),
    }
    return {"department": department.id, "consultation": consultation.id, "entry": entry.id, "users": users}


def _state(world) -> tuple:
    db.session.expire_all()
    decision = services.decision_of(world["consultation"])
    entry = db.session.get(CatalogueEntry, world["entry"])
    entries = db.session.scalar(db.select(db.func.count()).select_from(CatalogueEntry))
    return (decision.title, decision.interpreted_on, entry.name, entry.status, entry.meeting, entries,
            db.session.get(Consultation, world["consultation"]).public_version)


def _expected(actor: str, action: str) -> set[int]:
    if actor == "anonymous":
        return {302}
    if actor == "staff_b" and action == "add_entry_for_a":
        return {422}  # department A is not among B's choices, so the form refuses it
    return {200, 302} if actor in ALLOWED else {403}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_role_action_matrix(client, auth, world, actor, action):
    if actor != "anonymous":
        assert auth.login(world["users"][actor].email).status_code == 302
    method, url, data = ACTIONS[action]
    before = _state(world)
    response = client.get(url.format(**world)) if method == "GET" else client.post(url.format(**world),
                                                                                    data=data(world))
    assert response.status_code in _expected(actor, action), response.get_data(as_text=True)[:500]
    if actor == "anonymous":
        assert response.location.startswith("/account/login")
    if method == "POST":
        assert (_state(world) != before) == (actor in ALLOWED)


@pytest.mark.parametrize(("actor", "status"), [("staff_a", 200), ("staff_b", 200), ("admin", 200),
                                               ("organiser", 403), ("supervisor", 403)])
def test_dashboard_shows_only_the_departments_own_work(client, auth, world, actor, status):
    auth.login(world["users"][actor].email)
    response = client.get("/staff/dashboard")
    assert response.status_code == status
    if status == 200:
        assert ("临府规〔2026〕1号" in response.text) == (actor in ALLOWED)


@pytest.mark.parametrize(("actor", "shown"), [("staff_a", True), ("staff_b", False), ("admin", True)])
def test_staff_catalogue_lists_only_the_departments_entries(client, auth, world, actor, shown):
    auth.login(world["users"][actor].email)
    assert (f'href="/staff/catalogue/{world["entry"]}"' in client.get("/staff/catalogue/?year=2026").text) == shown
