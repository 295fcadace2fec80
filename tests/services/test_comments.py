from datetime import timedelta

import pytest

from engage.consultations import comment_services
from engage.consultations.comment_services import CommentInput
from engage.consultations.models import CommentStatus, ModerationMode
from engage.core.errors import PeriodClosed, ValidationFailed
from engage.extensions import db
from tests import factories


def test_comment_on_open_consultation_is_published_with_receipt(open_consultation, now):
    comment, created = comment_services.submit_comment(open_consultation.id, CommentInput(body="同意"), now=now)
    assert created and comment.status == CommentStatus.PUBLISHED
    assert len(comment.receipt_number) == 14
    db.session.refresh(open_consultation)
    assert open_consultation.published_comment_count == 1


def test_comment_after_close_is_refused(open_consultation):
    with pytest.raises(PeriodClosed):
        comment_services.submit_comment(open_consultation.id, CommentInput(body="同意"),
                                now=open_consultation.closes_at)


def test_same_idempotency_key_stores_one_comment(open_consultation, now):
    data = CommentInput(body="同意", idempotency_key="abc")
    first, _ = comment_services.submit_comment(open_consultation.id, data, now=now)
    second, created = comment_services.submit_comment(open_consultation.id, data, now=now + timedelta(seconds=1))
    assert not created and second.id == first.id


def test_contact_without_consent_is_refused(open_consultation, now):
    with pytest.raises(ValidationFailed) as error:
        comment_services.submit_comment(open_consultation.id, CommentInput(body="x", contact="13812345678"),
                                now=now)
    assert "consent" in error.value.errors


def test_review_mode_keeps_comment_pending(department, staff, now):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    comment, _ = comment_services.submit_comment(consultation.id, CommentInput(body="好"), now=now)
    assert comment.status == CommentStatus.PENDING
