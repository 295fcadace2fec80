"""The demo's proposal cases: both kinds, every state of handling, loaded through the services."""

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from engage.accounts import services as account_services
from engage.core.timeutil import china_date
from engage.demo import loader
from engage.demo import proposals as demo_proposals
from engage.demo import regions as demo_regions
from engage.extensions import db
from engage.proposals.models import Proposal, Reply


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account_services, "hash_password", cheap.hash)


@pytest.fixture
def cases(app, now) -> list[Proposal]:
    result = loader.load(now=now)
    db.session.commit()
    assert result.proposals == len(demo_proposals.CASES) + len(demo_regions.DISTRICT_CASES)
    # The city's cases: the district's session (engage/demo/regions.py) has tests of its own in tests/test_demo.py.
    return [case for case in db.session.scalars(sa.select(Proposal))
            if case.session.name != demo_regions.DISTRICT_SESSION]


def test_demo_has_both_kinds_in_their_own_sessions(cases):
    sessions = {(case.kind.value, case.session.name) for case in cases}
    assert sessions == {("suggestion", demo_proposals.SUGGESTIONS), ("proposal", demo_proposals.PROPOSALS)}


def test_demo_has_cases_in_every_status(cases):
    assert {case.status.value for case in cases} == {"registered", "assigned", "in_progress", "replied", "rated",
                                                     "reopened"}


def test_demo_has_overdue_cases_and_replies_on_time_and_late(cases, now):
    today = china_date(now)
    assert any(case.is_overdue(today) for case in cases)
    assert {case.replied_on_time for case in cases if case.replied_on} == {True, False}


def test_demo_reopened_case_keeps_its_first_round(cases):
    (reopened,) = [case for case in cases if case.status.value == "reopened"]
    assert reopened.round_number == 2 and [r.number for r in reopened.rounds] == [1, 2]


def test_demo_has_an_unpublished_reply_with_its_reason(cases):
    unpublished = db.session.scalars(sa.select(Reply).where(Reply.is_published.is_(False))).all()
    assert unpublished and all(reply.unpublished_reason for reply in unpublished)
