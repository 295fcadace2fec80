"""The whole role x action matrix of the staff consultation pages, on consultations of department A."""

import io

import pytest

from engage.consultations.models import Comment, Consultation, ModerationMode
from engage.extensions import db
from tests import factories

ACTORS = ("anonymous", "staff_a", "staff_b", "admin", "organiser", "supervisor")
#: who may act on department A's consultations; everyone else logged in gets 403
ALLOWED = {"staff_a", "admin"}

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _edit_form(ids, title="改过的标题"):
    # "department" is read only from administrators; staff always draft for their own department.
    return {"title": title, "kind": "major_decision", "draft_text": factories.DRAFT_TEXT, "moderation": "immediate",
            "department": str(ids["department"])}


#: action -> (method, url template, form data builder); {draft} and {published} name the consultations
ACTIONS = {
    "list": ("GET", "/staff/consultations/", None),
    "view_edit_form": ("GET", "/staff/consultations/{draft}/edit", None),
    "post_edit": ("POST", "/staff/consultations/{draft}/edit", _edit_form),
    "preview": ("GET", "/staff/consultations/{draft}/preview", None),
    "publish": ("POST", "/staff/consultations/{draft}/publish", lambda ids: {}),
    "upload_attachment": ("POST", "/staff/consultations/{draft}/attachments",
                          lambda ids: {"file": (io.BytesIO(MINIMAL_PDF), "草案.pdf")}),
    "moderation_queue": ("GET", "/staff/consultations/{published}/moderation", None),
    "moderate": ("POST", "/staff/consultations/{published}/moderation",
                 lambda ids: {"comment_ids": [str(ids["comment"])], "action": "approve"}),
    "history": ("GET", "/staff/consultations/{draft}/history", None),
}


@pytest.fixture
def world(department, other_department, staff, other_staff, admin):
    """A draft and a published consultation (with a comment awaiting review) of department A, and one user per role."""
    draft = factories.make_consultation(department, staff, publish=False)
    published = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    comment = factories.make_comment(published)
    users = {
        "staff_a": staff,
        "staff_b": other_staff,
        "admin": admin,
        "organiser": factories.make_user("organiser@example.gov.cn", role="organiser", department=department),
        "supervisor": factories.make_user("supervisor@example.gov.cn", role="supervisor"),
    }
    return {"department": department.id, "draft": draft.id, "published": published.id, "comment": comment.id,
            "users": users}


def _expected(actor: str, action: str) -> set[int]:
    if actor == "anonymous":
        return {302}
    if action == "list" and actor == "staff_b":
        return {200}  # staff of B see their own department's list (which does not show A's consultations)
    return {200, 302} if actor in ALLOWED else {403}


def _state(world) -> tuple:
    """Everything the matrix's actions could change, to show a refused action changed nothing."""
    db.session.expire_all()
    draft = db.session.get(Consultation, world["draft"])
    comment = db.session.get(Comment, world["comment"])
    return draft.title, draft.stage, len(draft.attachments), comment.status


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_role_action_matrix(client, auth, world, actor, action):
    if actor != "anonymous":
        assert auth.login(world["users"][actor].email).status_code == 302
    method, url, data = ACTIONS[action]
    url = url.format(**world)
    before = _state(world)
    response = client.get(url) if method == "GET" else client.post(url, data=data(world))
    assert response.status_code in _expected(actor, action), response.get_data(as_text=True)[:500]
    if actor == "anonymous":
        assert response.location.startswith("/account/login")
    if actor == "staff_b" and action == "list":
        assert "生活垃圾分类" not in response.get_data(as_text=True)
    if method == "POST":
        assert (_state(world) != before) == (actor in ALLOWED)


# ---- the region dimension --------------------------------------------------------------------------------

#: actors of the region tree (tests/fixtures/regions.py) on consultations of a district's department (江东区)
REGION_ACTORS = ("east_staff", "east_admin", "city_admin", "west_admin", "city_staff", "east_supervisor")
#: who acts on them: their department and the district's administrator
REGION_ACTING = {"east_staff", "east_admin"}
#: who sees them without acting: the city above (read-only where the record belongs to a lower level)
REGION_READING = {"city_admin"}
#: what a reader may open: the list, the preview and the history; not the form to change the draft, nor the queue
#: of comments awaiting review (unpublished comments are for those who moderate them)
READ_ACTIONS = {"list", "preview", "history"}


@pytest.fixture
def region_world(city):
    author = city.east_staff
    draft = factories.make_consultation(city.east_department, author, publish=False)
    published = factories.make_consultation(city.east_department, author, moderation=ModerationMode.REVIEW)
    comment = factories.make_comment(published)
    return {"department": city.east_department.id, "draft": draft.id, "published": published.id,
            "comment": comment.id, "users": {name: getattr(city, name) for name in REGION_ACTORS}}


def _region_expected(actor: str, action: str) -> set[int]:
    if actor in REGION_ACTING or (actor in REGION_READING and action in READ_ACTIONS):
        return {200, 302}
    if action == "list" and actor in {"west_admin", "city_staff"}:
        return {200}  # their own list, without the district's consultations
    return {403}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", REGION_ACTORS)
def test_role_action_matrix_across_regions(client, auth, region_world, actor, action):
    assert auth.login(region_world["users"][actor].email).status_code == 302
    method, url, data = ACTIONS[action]
    url = url.format(**region_world)
    before = _state(region_world)
    response = client.get(url) if method == "GET" else client.post(url, data=data(region_world))
    assert response.status_code in _region_expected(actor, action), response.get_data(as_text=True)[:500]
    if action == "list" and response.status_code == 200:
        assert ("生活垃圾分类" in response.get_data(as_text=True)) == (actor in REGION_ACTING | REGION_READING)
    if method == "POST":
        assert (_state(region_world) != before) == (actor in REGION_ACTING)


def test_a_region_administrator_drafts_for_a_department_of_its_own_level(client, auth, city):
    auth.login(city.east_admin.email)
    form = client.get("/staff/consultations/new").get_data(as_text=True)
    assert "江东区住房和城乡建设局" in form and "江东街道办事处" not in form and "江西区教育局" not in form
    data = _edit_form({"department": city.east_department.id}, title="江东区的草案")
    assert client.post("/staff/consultations/new", data=data).status_code == 302
    below = _edit_form({"department": city.street_department.id}, title="街道的草案")
    assert client.post("/staff/consultations/new", data=below).status_code in {403, 422}
    db.session.expire_all()
    titles = {c.title for c in db.session.scalars(db.select(Consultation))}
    assert "江东区的草案" in titles and "街道的草案" not in titles
