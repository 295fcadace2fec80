"""The search for similar comments as a run on the job queue: one at a time, all or nothing, taken up again after
a consumer died, failed with a reason after three tries."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.core.errors import NotAllowed, RuleViolation
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import answer_services, grouping_runs
from engage.feedback.models import GroupingRun, OpinionGroup, RunState
from tests.fixtures.messaging import run_queued_jobs

STALE = timedelta(seconds=900)


def _request(consultation, staff) -> GroupingRun:
    run = grouping_runs.request_run(consultation, actor=staff, now=utcnow())
    db.session.commit()
    return run


def _groups() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OpinionGroup))


def _reload(run) -> GroupingRun:
    db.session.expire_all()
    return db.session.get(GroupingRun, run.id)


def test_a_run_proposes_the_groups_and_says_how_many(closed_consultation, staff):
    run = _request(closed_consultation, staff)
    assert run.state == RunState.QUEUED and _groups() == 0  # nothing happens in the request
    grouping_runs.execute(run.id, clock=utcnow, stale_after=STALE)
    run = _reload(run)
    assert (run.state, run.groups_proposed, run.comments_grouped, run.attempts) == (RunState.DONE, 1, 3, 1)
    assert run.finished_at is not None and _groups() == 1


def test_one_run_at_a_time_per_consultation_and_only_by_its_department(closed_consultation, staff, other_staff):
    _request(closed_consultation, staff)
    with pytest.raises(RuleViolation):
        grouping_runs.request_run(closed_consultation, actor=staff, now=utcnow())
    with pytest.raises(NotAllowed):
        grouping_runs.request_run(closed_consultation, actor=other_staff, now=utcnow())


def test_the_queued_job_runs_the_search(closed_consultation, staff):
    from engage.feedback import jobs as feedback_jobs

    run = _request(closed_consultation, staff)
    assert feedback_jobs.enqueue(run.id)
    assert run_queued_jobs() == 1
    assert _reload(run).state == RunState.DONE


def test_an_error_half_way_leaves_nothing_and_fails_the_run_with_its_reason(closed_consultation, staff,
                                                                            monkeypatch):
    real = answer_services.propose_groups

    def breaks_after_writing(consultation, *, actor, now):
        real(consultation, actor=actor, now=now)  # the groups are written ...
        raise RuntimeError("the database went away")  # ... then the run dies before its end

    monkeypatch.setattr(answer_services, "propose_groups", breaks_after_writing)
    run = _request(closed_consultation, staff)
    grouping_runs.execute(run.id, clock=utcnow, stale_after=STALE)
    run = _reload(run)
    assert run.state == RunState.FAILED and _groups() == 0
    assert "内部错误" in grouping_runs.error_message(run)
    # A new search may start at once.
    assert grouping_runs.request_run(closed_consultation, actor=staff, now=utcnow()).state == RunState.QUEUED


def test_a_run_cut_off_by_a_dead_consumer_is_taken_up_again(closed_consultation, staff):
    run = _request(closed_consultation, staff)
    began = utcnow() - timedelta(hours=1)
    assert grouping_runs.claim(run.id, began, STALE) == 1  # a consumer took it, then was killed
    assert grouping_runs.stale_runs(began + timedelta(seconds=60), STALE) == []  # not silent long enough yet
    assert grouping_runs.claim(run.id, began + timedelta(seconds=60), STALE) is None  # no one else may take it
    assert grouping_runs.stale_runs(utcnow(), STALE) == [run.id]
    grouping_runs.execute(run.id, clock=utcnow, stale_after=STALE)
    run = _reload(run)
    assert (run.state, run.attempts, run.groups_proposed) == (RunState.DONE, 2, 1)


def test_a_run_that_kills_its_consumer_every_time_fails_after_three_attempts(closed_consultation, staff):
    run = _request(closed_consultation, staff)
    began = utcnow() - timedelta(days=1)
    for attempt in range(1, grouping_runs.MAX_ATTEMPTS + 1):
        assert grouping_runs.claim(run.id, began + attempt * 2 * STALE, STALE) == attempt
    assert grouping_runs.stale_runs(utcnow(), STALE) == []
    run = _reload(run)
    assert run.state == RunState.FAILED and _groups() == 0
    assert "中断3次" in grouping_runs.error_message(run)


def test_a_run_no_consumer_ever_picked_up_is_queued_again(closed_consultation, staff):
    run = grouping_runs.request_run(closed_consultation, actor=staff, now=utcnow() - 2 * STALE)
    db.session.commit()
    assert grouping_runs.stale_runs(utcnow(), STALE) == [run.id]
