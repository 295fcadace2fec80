"""The moderation queue and the history page of a consultation."""

import html
import re

import pytest

from engage.consultations.models import Comment, CommentStatus, Consultation, ModerationMode
from engage.core.models import AuditEvent
from engage.extensions import db
from tests import factories

PAYLOAD = '<img src=x onerror="alert(1)">'


@pytest.fixture
def staff_client(en_client, auth, staff):
    auth.login(staff.email)
    return en_client


@pytest.fixture
def reviewed(department, staff):
    """A consultation published after review, with three comments awaiting it."""
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    factories.make_comment(consultation, "第一条意见\n第二行", article_number=1, display_name="王先生",
                           contact="13812345678", consent=True)
    factories.make_comment(consultation, "第二条意见")
    factories.make_comment(consultation, "第三条意见")
    return consultation


def comments_of(consultation) -> list[Comment]:
    db.session.expire_all()
    return db.session.scalars(db.select(Comment).where(Comment.consultation_id == consultation.id)
                              .order_by(Comment.id)).all()


def moderation_url(consultation, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/staff/consultations/{consultation.id}/moderation" + (f"?{query}" if query else "")


def test_queue_shows_pending_oldest_first_with_contact_for_staff(staff_client, reviewed):
    page = staff_client.get(moderation_url(reviewed)).get_data(as_text=True)
    assert "3 comments awaiting review" in page
    assert page.index("第一条意见") < page.index("第二条意见") < page.index("第三条意见")
    assert "王先生" in page and "13812345678" in page and "第一条" in page and "Anonymous" in page
    assert "第一条意见\n第二行" in page  # line breaks kept as typed (comment-body keeps them visible)
    assert "Approve selected" in page and "Reject selected" in page


def test_queue_is_paginated(app, staff_client, reviewed):
    for i in range(50):
        factories.make_comment(reviewed, f"批量意见{i:02d}")
    first = staff_client.get(moderation_url(reviewed)).get_data(as_text=True)
    [following] = re.findall(r'<a href="([^"]+)" rel="next">', first)
    second = staff_client.get(html.unescape(following)).get_data(as_text=True)
    assert "批量意见46" in first and "批量意见47" not in first
    assert "批量意见47" in second and "第一条意见" not in second and "53 comments awaiting review" in second


def test_bulk_approve_publishes_counts_and_records(staff_client, reviewed, staff):
    ids = [c.id for c in comments_of(reviewed)[:2]]
    response = staff_client.post(moderation_url(reviewed), data={"comment_ids": ids, "action": "approve"})
    assert response.status_code == 302
    assert [c.status for c in comments_of(reviewed)] == [CommentStatus.PUBLISHED, CommentStatus.PUBLISHED,
                                                         CommentStatus.PENDING]
    assert db.session.get(Consultation, reviewed.id).published_comment_count == 2
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "comment.published")).all()
    assert sorted(e.subject_id for e in events) == sorted(ids) and {e.actor_id for e in events} == {staff.id}
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "2 comments approved and published." in page and "1 comment awaiting review" in page


def test_bulk_reject_with_reason_hides_comments(staff_client, reviewed):
    ids = [c.id for c in comments_of(reviewed)]
    response = staff_client.post(moderation_url(reviewed),
                                 data={"comment_ids": ids, "action": "reject", "reason": "与本草案无关"})
    assert response.status_code == 302
    assert {(c.status, c.rejection_reason) for c in comments_of(reviewed)} == {(CommentStatus.REJECTED, "与本草案无关")}
    rejected_page = staff_client.get(moderation_url(reviewed, status="rejected")).get_data(as_text=True)
    assert "与本草案无关" in rejected_page and "第二条意见" in rejected_page


def test_reject_without_reason_is_refused_with_message(staff_client, reviewed):
    first = comments_of(reviewed)[0]
    response = staff_client.post(moderation_url(reviewed),
                                 data={"comment_ids": [first.id], "action": "reject", "reason": " "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the reason for not publishing" in page
    assert f'aria-describedby="reason-{first.id}-error"' in page  # shown on the comment that was acted on
    assert comments_of(reviewed)[0].status == CommentStatus.PENDING


def test_nothing_selected_is_refused_with_message(staff_client, reviewed):
    response = staff_client.post(moderation_url(reviewed), data={"action": "approve"})
    assert response.status_code == 422
    assert "Select at least one comment." in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [{"comment_ids": ["abc"], "action": "approve"},
                                  {"comment_ids": ["1"], "action": "delete"}])
def test_malformed_moderation_is_refused(staff_client, reviewed, data):
    assert staff_client.post(moderation_url(reviewed), data=data).status_code == 422
    assert all(c.status == CommentStatus.PENDING for c in comments_of(reviewed))


def test_approving_one_comment_then_rejecting_it_keeps_the_count_right(staff_client, reviewed):
    comment = comments_of(reviewed)[0]
    staff_client.post(moderation_url(reviewed), data={"comment_ids": [comment.id], "action": "approve"})
    staff_client.post(moderation_url(reviewed, status="published"),
                      data={"comment_ids": [comment.id], "action": "reject", "reason": "含个人信息"})
    assert db.session.get(Consultation, reviewed.id).published_comment_count == 0
    assert comments_of(reviewed)[0].status == CommentStatus.REJECTED


def test_comment_and_reason_payloads_are_escaped(staff_client, reviewed):
    factories.make_comment(reviewed, PAYLOAD, display_name=PAYLOAD)
    comment = comments_of(reviewed)[-1]
    staff_client.post(moderation_url(reviewed), data={"comment_ids": [comment.id], "action": "reject",
                                                      "reason": PAYLOAD})
    for url in (moderation_url(reviewed, status="rejected"), f"/staff/consultations/{reviewed.id}/history"):
        page = staff_client.get(url).get_data(as_text=True)
        assert PAYLOAD not in page, url
        assert "&lt;img src=x onerror=" in page, url


def test_history_shows_who_did_what_and_when(staff_client, reviewed, staff):
    comment = comments_of(reviewed)[1]
    staff_client.post(moderation_url(reviewed), data={"comment_ids": [comment.id], "action": "reject",
                                                      "reason": "重复提交"})
    page = staff_client.get(f"/staff/consultations/{reviewed.id}/history").get_data(as_text=True)
    assert "Draft created" in page and "Consultation published" in page and "Comment rejected" in page
    assert comment.receipt_number in page and "Reason: 重复提交" in page
    assert staff.name in page
