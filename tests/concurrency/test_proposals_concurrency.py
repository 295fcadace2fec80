"""Changes to one case at the same moment: the case row is held, so one reply per round and one rating per
proposer, and the status follows the table. PostgreSQL is where row-level races really happen."""

import pytest

from engage.extensions import db
from engage.proposals.models import Proposal, Rating, Reply
from tests.api.conftest import _token_for
from tests.concurrency.test_comment_idempotency import _send_at_once

THREADS = 6


@pytest.fixture
def tokens(staff, supervisor):
    return {"staff": _token_for(staff), "supervisor": _token_for(supervisor)}


def test_replies_sent_at_once_store_one_reply(app, assigned_case, tokens):
    request = {"path": f"/api/v1/proposals/{assigned_case.id}/replies", "headers": tokens["staff"],
               "json": {"body": "同时提交的答复", "outcome": "A"}}
    responses = _send_at_once(app, [request] * THREADS)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (THREADS - 1)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Reply)) == 1
    assert db.session.get(Proposal, assigned_case.id).status == "replied"


def test_ratings_sent_at_once_store_one_and_reopen_once(app, replied_case, tokens):
    lead = replied_case.proposers[0]
    request = {"path": f"/api/v1/proposals/{replied_case.id}/ratings", "headers": tokens["supervisor"],
               "json": {"proposer": lead.id, "satisfaction": "unsatisfied", "comments": "未解决"}}
    responses = _send_at_once(app, [request] * THREADS)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (THREADS - 1)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Rating)) == 1
    case = db.session.get(Proposal, replied_case.id)
    assert (case.status, case.round_number, len(case.rounds)) == ("reopened", 2, 2)
