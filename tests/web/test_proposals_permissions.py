"""The role x action matrix of the proposal staff pages: a unit sees and answers only its own cases; only
supervisors (and administrators) register, assign, reassign, extend and enter ratings."""

from datetime import timedelta

import pytest

from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from engage.proposals.models import CoUnitOpinion, HandlingNote, Objection, Proposal, Rating
from engage.proposals.publication.models import FiguresPublication
from engage.proposals.supervision.models import SupervisionStep
from tests import factories
from tests.fixtures.proposals import assign_case, make_case, reply_to

ACTORS = ("anonymous", "lead_unit", "co_unit", "other_unit", "supervisor", "admin", "organiser")
SUPERVISING = {"supervisor", "admin"}


def today() -> str:
    return china_date(utcnow()).isoformat()


#: action -> (method, url template, form data builder, who may do it)
ACTIONS = {
    "list": ("GET", "/staff/proposals/", None, {"lead_unit", "co_unit", "other_unit", *SUPERVISING}),
    "view_case": ("GET", "/staff/proposals/{assigned}", None, {"lead_unit", "co_unit", *SUPERVISING}),
    "register_form": ("GET", "/staff/proposals/new", None, SUPERVISING),
    "register": ("POST", "/staff/proposals/new",
                 lambda w: {"kind": "suggestion", "session": "第一次会议", "number": "9", "title": "标题",
                            "lead_proposer": "张明"}, SUPERVISING),
    "import_form": ("GET", "/staff/proposals/import", None, SUPERVISING),
    "assign": ("POST", "/staff/proposals/{registered}/assign",
               lambda w: {"lead_units": [w["lead"]], "assigned_on": today()}, SUPERVISING),
    "reassign": ("POST", "/staff/proposals/{assigned}/reassign",
                 lambda w: {"lead_units": [w["co"]], "reassign_reason": "职责调整"}, SUPERVISING),
    "extend": ("POST", "/staff/proposals/{assigned}/extend",
               lambda w: {"due_on": w["later"], "extension_reason": "需协调"}, SUPERVISING),
    "object": ("POST", "/staff/proposals/{assigned}/objection",
               lambda w: {"reason": "不属于本单位职责", "suggested_unit": "0"}, {"lead_unit", "co_unit"}),
    "opinion": ("POST", "/staff/proposals/{assigned}/opinions", lambda w: {"opinion": "协办意见"}, {"co_unit"}),
    "note": ("POST", "/staff/proposals/{assigned}/notes",
             lambda w: {"kind": "contact", "happened_on": today(), "note_text": "电话联系代表"},
             {"lead_unit", "admin"}),
    "reply": ("POST", "/staff/proposals/{assigned}/reply",
              lambda w: {"body": "答复全文", "replied_on": today(), "outcome": "A", "publish": "yes"},
              {"lead_unit", "admin"}),
    "enter_rating": ("POST", "/staff/proposals/{replied}/ratings",
                     lambda w: {"proposer": w["proposer"], "satisfaction": "satisfied"}, SUPERVISING),
    "dashboard": ("GET", "/staff/proposals/supervision", None, SUPERVISING),
    "chase": ("POST", "/staff/proposals/{assigned}/chasing-notices", lambda w: {"chase_text": "请报送进度"},
              SUPERVISING),
    "figures_page": ("GET", "/staff/proposals/figures", None, SUPERVISING),
    "publish_figures": ("POST", "/staff/proposals/figures/{session}/publications", lambda w: {"note": "办理情况"},
                        SUPERVISING),
}


#: how to make the acting user, made only for the test that needs it (password hashing is slow)
MAKE_ACTOR = {
    "lead_unit": lambda w: w["staff"],
    "supervisor": lambda w: w["supervisor"],
    "co_unit": lambda w: factories.make_user("co@example.gov.cn", department=w["co_department"]),
    "admin": lambda w: factories.make_user("admin@example.gov.cn", role="admin"),
    "other_unit": lambda w: factories.make_user("edu@example.gov.cn", department=factories.make_department("市教育局")),
    "organiser": lambda w: factories.make_user("organiser@example.gov.cn", role="organiser"),
}


@pytest.fixture
def world(department, other_department, staff, supervisor):
    registered = make_case(number="1", actor=supervisor)
    assigned = assign_case(make_case(number="2", actor=supervisor), [department], [other_department],
                           actor=supervisor)
    replied = assign_case(make_case(number="3", actor=supervisor), [department], actor=supervisor)
    reply_to(replied, staff)
    return {"registered": registered.id, "assigned": assigned.id, "replied": replied.id, "lead": department.id,
            "session": registered.session_id,
            "co": other_department.id, "later": (assigned.due_on + timedelta(days=10)).isoformat(),
            "proposer": replied.proposers[0].id, "staff": staff, "supervisor": supervisor,
            "co_department": other_department}


def _state() -> tuple:
    """Everything the matrix's actions could change, to show a refused action changed nothing."""
    db.session.expire_all()
    cases = db.session.scalars(db.select(Proposal).order_by(Proposal.id)).all()
    counts = tuple(db.session.scalar(db.select(db.func.count()).select_from(model))
                   for model in (CoUnitOpinion, HandlingNote, Objection, Rating, SupervisionStep, FiguresPublication))
    return tuple((c.status, c.due_on, tuple(sorted(c.unit_ids()))) for c in cases), len(cases), counts


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_role_action_matrix(client, auth, world, actor, action):
    if actor != "anonymous":
        assert auth.login(MAKE_ACTOR[actor](world).email).status_code == 302
    method, url, data, allowed = ACTIONS[action]
    url = url.format(**world)
    before = _state()
    response = client.get(url) if method == "GET" else client.post(url, data=data(world))
    if actor == "anonymous":
        assert response.status_code == 302 and response.location.startswith("/account/login")
    elif actor in allowed:
        assert response.status_code in {200, 302}, response.get_data(as_text=True)[:800]
    else:
        assert response.status_code == 403
    if method == "POST":
        assert (_state() != before) == (actor in allowed)


def test_a_unit_lists_only_its_own_cases(client, auth, world):
    auth.login(MAKE_ACTOR["other_unit"](world).email)
    assert f'/staff/proposals/{world["assigned"]}"' not in client.get("/staff/proposals/").get_data(as_text=True)
    auth.logout()
    auth.login(MAKE_ACTOR["co_unit"](world).email)
    page = client.get("/staff/proposals/").get_data(as_text=True)
    assert f'/staff/proposals/{world["assigned"]}"' in page
    assert f'/staff/proposals/{world["replied"]}"' not in page


def test_every_page_under_staff_proposals_needs_a_login(app, client):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff/proposals")]
    assert {rule.endpoint.split(".")[1] for rule in rules} == {"cases", "handling", "importing", "supervision",
                                                               "figures"}
    for rule in rules:
        url = rule.build({name: 1 for name in rule.arguments})[1]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code == 302 and response.location.startswith("/account/login"), (method, url)
