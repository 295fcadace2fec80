"""Drafting, publishing, attachments, moderation and history of consultations, through the services."""

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app

from engage.consultations import comment_services, services
from engage.consultations.models import CommentStatus, ConsultationKind, ModerationMode, Stage
from engage.core.calendar_days import load_work_calendar
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from engage.core.models import AuditEvent
from engage.core.timeutil import CHINA_TZ
from engage.extensions import db
from tests import factories

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def china(*args) -> datetime:
    return datetime(*args, tzinfo=CHINA_TZ)


def draft_fields(**changes) -> services.DraftFields:
    values = {"title": "生活垃圾分类管理办法", "kind": ConsultationKind.MAJOR_DECISION,
              "draft_text": factories.DRAFT_TEXT, "opens_at": china(2026, 3, 2, 9, 0),
              "closes_at": china(2026, 4, 1, 17, 0)}
    values.update(changes)
    return services.DraftFields(**values)


def publish(consultation, actor, now):
    return services.publish(consultation, actor=actor, now=now, config=current_app.config,
                            calendar=load_work_calendar())


def test_create_draft_splits_articles_and_records_audit(department, staff, now):
    consultation = services.create_draft(draft_fields(), department_id=department.id, actor=staff, now=now)
    assert consultation.stage == Stage.DRAFT
    assert [a.label for a in consultation.articles] == ["第一条", "第二条", "第三条", "第四条"]
    assert consultation.preamble == "某某市生活垃圾分类管理办法（征求意见稿）"
    history = comment_services.staff_history(consultation, actor=staff).items
    assert [e.action for e in history] == ["consultation.created"]


def test_staff_cannot_create_for_another_department(other_department, staff, now):
    with pytest.raises(NotAllowed):
        services.create_draft(draft_fields(), department_id=other_department.id, actor=staff, now=now)


def test_update_draft_renumbers_articles(department, staff, now):
    consultation = services.create_draft(draft_fields(), department_id=department.id, actor=staff, now=now)
    services.update_draft(consultation, draft_fields(draft_text="第一条 甲。\n第二条 乙。"), actor=staff, now=now)
    db.session.commit()
    db.session.expire_all()
    assert [(a.number, a.body) for a in consultation.articles] == [(1, "甲。"), (2, "乙。")]


def test_period_closing_before_it_opens_is_refused(department, staff, now):
    with pytest.raises(ValidationFailed) as error:
        services.create_draft(draft_fields(closes_at=china(2026, 3, 1, 9, 0)), department_id=department.id,
                              actor=staff, now=now)
    assert "closes_at" in error.value.errors


def test_admin_moves_a_draft_to_another_department(department, other_department, admin, staff, now):
    consultation = services.create_draft(draft_fields(), department_id=department.id, actor=staff, now=now)
    services.update_draft(consultation, draft_fields(), actor=admin, now=now, department_id=other_department.id)
    assert consultation.department_id == other_department.id


def test_staff_cannot_move_a_draft_to_another_department(department, other_department, staff, now):
    consultation = services.create_draft(draft_fields(), department_id=department.id, actor=staff, now=now)
    with pytest.raises(NotAllowed):
        services.update_draft(consultation, draft_fields(), actor=staff, now=now, department_id=other_department.id)


# ---- publishing: minimum periods -----------------------------------------------------------------------

OPENS = china(2026, 9, 30, 10, 0)


@pytest.mark.parametrize(
    ("kind", "closes_at", "accepted"),
    [
        (ConsultationKind.MAJOR_DECISION, china(2026, 10, 30, 17, 0), True),  # exactly 30 days
        (ConsultationKind.MAJOR_DECISION, china(2026, 10, 29, 17, 0), False),  # one day less
        (ConsultationKind.DRAFT_RULE, china(2026, 10, 29, 23, 59), False),
        (ConsultationKind.NORMATIVE_DOCUMENT_MARKET, china(2026, 10, 30, 9, 0), True),
        # 7 working days across National Day (Oct 1-7 off, Sat Oct 10 worked): Oct 8, 9, 10, 12, 13, 14, 15
        (ConsultationKind.NORMATIVE_DOCUMENT, china(2026, 10, 15, 17, 0), True),
        (ConsultationKind.NORMATIVE_DOCUMENT, china(2026, 10, 14, 17, 0), False),
    ],
)
def test_publish_enforces_minimum_period(department, staff, kind, closes_at, accepted):
    consultation = services.create_draft(draft_fields(kind=kind, opens_at=OPENS, closes_at=closes_at),
                                         department_id=department.id, actor=staff, now=OPENS)
    if accepted:
        assert publish(consultation, staff, OPENS).stage == Stage.PUBLISHED
    else:
        with pytest.raises(ValidationFailed) as error:
            publish(consultation, staff, OPENS)
        assert "short_period_reason" in error.value.errors
        assert consultation.stage == Stage.DRAFT


def test_short_period_with_reason_is_published(department, staff):
    fields = draft_fields(opens_at=OPENS, closes_at=china(2026, 10, 10, 17, 0), short_period_reason="上级要求限期出台")
    consultation = services.create_draft(fields, department_id=department.id, actor=staff, now=OPENS)
    assert publish(consultation, staff, OPENS).stage == Stage.PUBLISHED


def test_minimum_periods_come_from_configuration(app, department, staff):
    app.config["CONSULTATION_MIN_PERIODS"] = {**app.config["CONSULTATION_MIN_PERIODS"],
                                              "major_decision": {"length": 10, "unit": "days"}}
    fields = draft_fields(opens_at=OPENS, closes_at=china(2026, 10, 10, 17, 0))
    consultation = services.create_draft(fields, department_id=department.id, actor=staff, now=OPENS)
    assert publish(consultation, staff, OPENS).stage == Stage.PUBLISHED


def test_period_whose_opening_passed_counts_from_publication(department, staff):
    # Opening was set for Sep 1 but the draft is published on Sep 30: the 30 days run from Sep 30.
    fields = draft_fields(opens_at=china(2026, 9, 1, 9, 0), closes_at=china(2026, 10, 15, 17, 0))
    consultation = services.create_draft(fields, department_id=department.id, actor=staff, now=OPENS)
    with pytest.raises(ValidationFailed):
        publish(consultation, staff, OPENS)


def test_publish_without_text_or_period_lists_every_problem(department, staff, now):
    fields = draft_fields(draft_text="", opens_at=None, closes_at=None)
    consultation = services.create_draft(fields, department_id=department.id, actor=staff, now=now)
    with pytest.raises(ValidationFailed) as error:
        publish(consultation, staff, now)
    assert set(error.value.errors) == {"draft_text", "opens_at", "closes_at"}


def test_publish_of_a_published_consultation_is_refused(open_consultation, staff, now):
    with pytest.raises(InvalidTransition):
        publish(open_consultation, staff, now)


def test_edit_after_publish_is_refused(open_consultation, staff, now):
    with pytest.raises(InvalidTransition):
        services.update_draft(open_consultation, draft_fields(title="改"), actor=staff, now=now)


def test_staff_of_another_department_cannot_publish(department, staff, other_staff, now):
    consultation = factories.make_consultation(department, staff, publish=False)
    with pytest.raises(NotAllowed):
        publish(consultation, other_staff, now)


# ---- attachments ---------------------------------------------------------------------------------------


def test_attachment_is_stored_outside_static_under_a_generated_name(app, department, staff, now):
    consultation = factories.make_consultation(department, staff, publish=False)
    attachment = services.add_attachment(
        consultation, io.BytesIO(MINIMAL_PDF), "../../static/起草说明.pdf", actor=staff, now=now,
        folder=app.config["UPLOAD_FOLDER"], max_bytes=1024 * 1024,
    )
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    assert stored.read_bytes() == MINIMAL_PDF
    assert "/" not in attachment.stored_name and "起草说明" not in attachment.stored_name
    assert Path(app.static_folder).resolve() not in stored.resolve().parents
    assert attachment.content_type == "application/pdf"


def test_removing_an_attachment_deletes_the_file(app, department, staff, now):
    consultation = factories.make_consultation(department, staff, publish=False)
    folder = app.config["UPLOAD_FOLDER"]
    attachment = services.add_attachment(consultation, io.BytesIO(MINIMAL_PDF), "a.pdf", actor=staff, now=now,
                                         folder=folder, max_bytes=1024 * 1024)
    stored = Path(folder) / attachment.stored_name
    services.remove_attachment(attachment, actor=staff, now=now, folder=folder)
    assert not stored.exists()


def test_attachment_to_published_consultation_is_refused(app, open_consultation, staff, now):
    with pytest.raises(InvalidTransition):
        services.add_attachment(open_consultation, io.BytesIO(MINIMAL_PDF), "a.pdf", actor=staff, now=now,
                                folder=app.config["UPLOAD_FOLDER"], max_bytes=1024 * 1024)


# ---- moderation ----------------------------------------------------------------------------------------


@pytest.fixture
def reviewed(department, staff):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    comments = [factories.make_comment(consultation, f"意见{i}") for i in range(3)]
    return consultation, comments


def test_bulk_approve_publishes_and_counts(reviewed, staff, now):
    consultation, comments = reviewed
    comment_services.moderate(consultation, [c.id for c in comments[:2]], approve=True, actor=staff, now=now)
    db.session.commit()
    db.session.refresh(consultation)
    assert consultation.published_comment_count == 2
    assert comment_services.pending_count(consultation) == 1
    assert comment_services.pending_counts([consultation.id]) == {consultation.id: 1}


def test_reject_after_approve_lowers_the_published_count(reviewed, staff, now):
    consultation, comments = reviewed
    ids = [c.id for c in comments]
    comment_services.moderate(consultation, ids, approve=True, actor=staff, now=now)
    comment_services.moderate(consultation, ids[:1], approve=False, reason="含有广告", actor=staff, now=now)
    db.session.commit()
    db.session.refresh(consultation)
    assert consultation.published_comment_count == 2
    assert comments[0].status == CommentStatus.REJECTED and comments[0].rejection_reason == "含有广告"


def test_reject_without_reason_is_refused(reviewed, staff, now):
    consultation, comments = reviewed
    with pytest.raises(ValidationFailed) as error:
        comment_services.moderate(consultation, [comments[0].id], approve=False, reason="  ", actor=staff, now=now)
    assert "reason" in error.value.errors


def test_moderating_a_comment_of_another_consultation_is_refused(reviewed, department, staff, now):
    consultation, _ = reviewed
    other = factories.make_consultation(department, staff, title="另一个")
    foreign = factories.make_comment(other)
    with pytest.raises(NotFound):
        comment_services.moderate(consultation, [foreign.id], approve=True, actor=staff, now=now)


def test_history_lists_moderation_with_who_and_when(reviewed, staff, now):
    consultation, comments = reviewed
    comment_services.moderate(consultation, [comments[0].id], approve=False, reason="重复", actor=staff, now=now)
    db.session.commit()
    events = comment_services.staff_history(consultation, actor=staff).items
    rejected = [e for e in events if e.action == "comment.rejected"]
    assert len(rejected) == 1
    assert rejected[0].actor_id == staff.id and rejected[0].detail["reason"] == "重复"
    assert rejected[0].created_at == now
    assert comment_services.receipt_numbers([comments[0].id]) == {comments[0].id: comments[0].receipt_number}


def test_history_leaves_out_other_consultations(reviewed, department, staff, now):
    consultation, _ = reviewed
    other = factories.make_consultation(department, staff, title="另一个", moderation=ModerationMode.REVIEW)
    comment_services.moderate(other, [factories.make_comment(other).id], approve=True, actor=staff, now=now)
    db.session.commit()
    history = comment_services.staff_history(consultation, actor=staff).items
    assert all(e.subject_id == consultation.id for e in history if e.subject_type == "consultations")
    assert not [e for e in history if e.subject_type == "comments"]
    assert db.session.query(AuditEvent).filter_by(subject_type="comments").count() == 1


def test_history_is_refused_to_other_departments(reviewed, other_staff):
    with pytest.raises(NotAllowed):
        comment_services.staff_history(reviewed[0], actor=other_staff)


def test_moderation_queue_is_oldest_first(reviewed, staff, now):
    consultation, comments = reviewed
    queue = comment_services.moderation_queue(consultation, actor=staff, per_page=2)
    assert [c.id for c in queue.items] == [comments[0].id, comments[1].id]
    assert queue.total == 3 and queue.has_next
    comment_services.moderate(consultation, [comments[0].id], approve=True, actor=staff, now=now + timedelta(seconds=1))
    assert comment_services.moderation_queue(consultation, actor=staff).total == 2
