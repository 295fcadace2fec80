"""Staff publishing a feedback report at the same moment: each publication is its own revision, the chain holds.

Each thread sends a real API request (its own app and request context, database session and connection).
"""

from engage.accounts import services as accounts
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import services
from tests.concurrency.test_comment_idempotency import _send_at_once

THREADS = 4


def test_simultaneous_publications_make_consecutive_chained_revisions(app, answered_consultation, staff):
    # A token each: one shared token's row would serialise the requests before they reach the report.
    tokens = [accounts.create_api_token(staff, name=f"concurrency {n}", now=utcnow())[1] for n in range(THREADS)]
    db.session.commit()
    requests = [{"path": f"/api/v1/consultations/{answered_consultation.id}/feedback/publish",
                 # Each a different explanation: a correction that changes nothing is refused.
                 "json": {"reason": "同时提交的更正", "explanation": f"共收到意见4条（第{n}稿）。"},
                 "headers": {"Authorization": f"Bearer {token}"}}
                for n, token in enumerate(tokens)]
    responses = _send_at_once(app, requests)
    assert sorted(response.status_code for response in responses) == [201] * THREADS
    assert sorted(response.json["number"] for response in responses) == list(range(1, THREADS + 1))
    db.session.rollback()
    assert services.verify(answered_consultation.id).valid
