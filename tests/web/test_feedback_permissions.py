"""The role x action matrix of the staff feedback pages: no department answers or publishes for another."""

import pytest
from sqlalchemy import func, select

from engage.consultations.models import Comment
from engage.core.models import AuditEvent
from engage.extensions import db
from engage.feedback.models import FeedbackRevision, OpinionGroup
from tests import factories
from tests.fixtures.feedback import FORM_COPIES, OTHER_COMMENT, make_closed_consultation
from tests.fixtures.messaging import run_queued_jobs

ACTORS = ("anonymous", "staff_a", "staff_b", "admin", "organiser", "supervisor")
#: who may act on department A's feedback; everyone else logged in gets 403
ALLOWED = {"staff_a", "admin"}

ACTIONS = {
    "work_view": ("GET", "/staff/consultations/{closed}/feedback/", None),
    "answer_comments": ("POST", "/staff/consultations/{closed}/feedback/",
                        lambda ids: {"comment_ids": [str(ids["comment"])], "action": "answer", "outcome": "adopted"}),
    "group_comments": ("POST", "/staff/consultations/{closed}/feedback/",
                       lambda ids: {"comment_ids": [str(ids["comment"])], "action": "group", "title": "组"}),
    "groups": ("GET", "/staff/consultations/{closed}/feedback/groups", None),
    "propose_groups": ("POST", "/staff/consultations/{closed}/feedback/groups/proposals", lambda ids: {}),
    "answer_group": ("POST", "/staff/consultations/{answered}/feedback/groups/{group}/answer",
                     lambda ids: {"outcome": "not_adopted", "reason": "理由"}),
    "offline_form": ("GET", "/staff/consultations/{closed}/feedback/offline", None),
    "record_offline": ("POST", "/staff/consultations/{closed}/feedback/offline",
                       lambda ids: {"channel": "phone", "received_on": "2026-10-08", "body": "电话意见"}),
    "report_draft": ("GET", "/staff/consultations/{answered}/feedback/report", None),
    "publish": ("POST", "/staff/consultations/{answered}/feedback/publish", lambda ids: {}),
    "download_contacts": ("GET", "/staff/consultations/{closed}/feedback/comments.csv", None),
}


@pytest.fixture
def world(department, other_department, staff, other_staff, admin, answered_consultation):
    """Two closed consultations of department A (one ready to publish) and one user per role."""
    closed, comments = make_closed_consultation(department, staff, [*FORM_COPIES, OTHER_COMMENT],
                                                title="第二个征求意见")
    users = {
        "staff_a": staff,
        "staff_b": other_staff,
        "admin": admin,
        "organiser": factories.make_user("organiser@example.gov.cn", role="organiser", department=department),
        "supervisor": factories.make_user("supervisor@example.gov.cn", role="supervisor"),
    }
    group = db.session.scalar(select(OpinionGroup.id).where(OpinionGroup.consultation_id == answered_consultation.id))
    return {"closed": closed.id, "answered": answered_consultation.id, "comment": comments[3].id, "group": group,
            "users": users}


def _state() -> tuple:
    """Everything the matrix's actions could change, to show a refused action changed nothing."""
    db.session.expire_all()
    count = func.count()
    return (
        db.session.scalar(select(count).select_from(Comment)),
        db.session.scalar(select(count).select_from(Comment).where(Comment.answer_outcome.is_not(None))),
        tuple(db.session.execute(select(OpinionGroup.id, OpinionGroup.status, OpinionGroup.outcome)
                                 .order_by(OpinionGroup.id)).all()),
        db.session.scalar(select(count).select_from(FeedbackRevision)),
    )


def _downloads() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "feedback.contacts_downloaded"))


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_role_action_matrix(client, auth, world, actor, action):
    if actor != "anonymous":
        assert auth.login(world["users"][actor].email).status_code == 302
    method, url, data = ACTIONS[action]
    url = url.format(**world)
    before, downloads = _state(), _downloads()
    response = client.get(url) if method == "GET" else client.post(url, data=data(world))
    expected = {302} if actor == "anonymous" else {200, 302} if actor in ALLOWED else {403}
    assert response.status_code in expected, response.get_data(as_text=True)[:500]
    run_queued_jobs()  # the search for similar comments runs on the queue
    if method == "POST":
        assert (_state() != before) == (actor in ALLOWED)
    if action == "download_contacts":
        assert (_downloads() > downloads) == (actor in ALLOWED)
