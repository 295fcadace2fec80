"""Comments sent at the same moment: one comment per idempotency key, and no comment or count lost.

Each thread sends a real request through the app (its own app and request context, so its own database
session and connection). PostgreSQL is the production database and where row-level races really happen;
SQLite runs too, to show that its serialised writers give the same guarantees.
"""

import threading

import pytest

from engage.consultations.models import Comment, Consultation
from engage.extensions import db

THREADS = 8


def _send_at_once(app, requests: list[dict]) -> list:
    """Send each request from its own thread, all released together; returns the responses in order."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)
    errors: list = []

    def send(index: int, request: dict):
        try:
            client = app.test_client()
            barrier.wait(timeout=10)
            responses[index] = client.post(**request)
        except Exception as error:  # reported by the main thread, where pytest sees it
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


def _stored(consultation_id: int):
    db.session.rollback()
    db.session.expire_all()
    comments = db.session.scalars(db.select(Comment).where(Comment.consultation_id == consultation_id)).all()
    return comments, db.session.get(Consultation, consultation_id)


@pytest.fixture
def engine_name(app, is_postgres):
    return "postgresql" if is_postgres else "sqlite"


def test_same_idempotency_key_at_once_stores_one_comment(app, open_consultation, engine_name):
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    request = {"path": url, "json": {"body": "同时重试的意见"}, "headers": {"Idempotency-Key": "same-key"}}
    responses = _send_at_once(app, [request] * THREADS)
    assert sorted(r.status_code for r in responses) == [200] * (THREADS - 1) + [201], engine_name
    assert len({r.json["receipt_number"] for r in responses}) == 1
    comments, consultation = _stored(open_consultation.id)
    assert len(comments) == 1
    assert consultation.comment_count == 1 and consultation.published_comment_count == 1


def test_same_form_token_at_once_stores_one_comment(app, open_consultation, engine_name):
    url = f"/consultations/{open_consultation.id}/comments"
    request = {"path": url, "data": {"body": "连点两次", "submission_token": "form-token"}}
    responses = _send_at_once(app, [request] * THREADS)
    assert {r.status_code for r in responses} == {303}, engine_name
    assert len({r.headers["Location"] for r in responses}) == 1
    comments, consultation = _stored(open_consultation.id)
    assert len(comments) == 1 and consultation.comment_count == 1


def test_different_submissions_at_once_are_all_stored_and_counted(app, open_consultation, engine_name):
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    requests = [{"path": url, "json": {"body": f"第{n}位市民的意见"}, "headers": {"Idempotency-Key": f"key-{n}"}}
                for n in range(THREADS)]
    responses = _send_at_once(app, requests)
    assert [r.status_code for r in responses] == [201] * THREADS, engine_name
    comments, consultation = _stored(open_consultation.id)
    assert sorted(c.body for c in comments) == sorted(f"第{n}位市民的意见" for n in range(THREADS))
    assert consultation.comment_count == THREADS and consultation.published_comment_count == THREADS
    assert len({c.receipt_number for c in comments}) == THREADS
