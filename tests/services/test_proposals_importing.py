"""Importing a session's list against the database: every row stored, or nothing."""


import pytest
from flask import current_app

from engage.core.errors import NotAllowed, NotFound
from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from engage.notifications.models import OutboxMessage
from engage.proposals import services
from engage.proposals.importing import jobs as import_jobs
from engage.proposals.models import ImportState, Proposal, ProposalStatus
from engage.proposals.supervision import notices
from engage.proposals.supervision.models import UnitNotice
from tests.fixtures.proposals import SESSION


def config():
    return current_app.config


def csv_bytes(*rows: str) -> bytes:
    return ("编号,标题,领衔人,附议人,主办单位,协办单位\n" + "\n".join(rows) + "\n").encode()


def run(data: bytes, supervisor, filename="list.csv"):
    job = import_jobs.create_job("suggestion", SESSION, filename, actor=supervisor, now=utcnow())
    return import_jobs.run_import(job, data, actor=supervisor, now=utcnow(), config=config())


def test_an_import_stores_every_row_assigned_with_due_dates(app, supervisor, department, other_department):
    job = run(csv_bytes(*(f"{n:03d},标题{n},代表{n},甲、乙,{department.name},{other_department.name}"
                          for n in range(1, 21))), supervisor)
    assert job.state == ImportState.DONE and job.imported_rows == 20
    cases = db.session.scalars(db.select(Proposal).order_by(Proposal.number)).all()
    assert len(cases) == 20 and cases[0].status == ProposalStatus.ASSIGNED
    assert cases[0].due_on == services.rules.add_months(china_date(utcnow()), 3)
    assert [p.name for p in cases[0].proposers] == ["代表1", "甲", "乙"]
    assert cases[0].unit_ids() == {department.id, other_department.id}
    assert [c.to_status for c in cases[0].status_changes] == ["registered", "assigned"]


def test_a_file_with_any_bad_row_imports_nothing(app, supervisor, department):
    job = run(csv_bytes(f"001,标题,代表,,{department.name},", "002,标题,代表,,不存在的局,",
                        f"001,标题,代表,,{department.name},"), supervisor)
    assert job.state == ImportState.FAILED
    assert [(e["line"], e["field"]) for e in job.errors] == [(3, "lead_units"), (4, "number")]
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 0


def test_an_import_refuses_numbers_already_in_the_session(registered_case, supervisor):
    job = run(csv_bytes("0001,标题,代表,,,"), supervisor)
    assert job.state == ImportState.FAILED and job.errors[0]["field"] == "number"


def test_an_import_is_shown_only_to_the_supervising_office(app, supervisor, staff):
    job = import_jobs.create_job("suggestion", SESSION, "名单.csv", actor=supervisor, now=utcnow())
    assert import_jobs.get_job(job.id, actor=supervisor) is job
    with pytest.raises(NotAllowed):
        import_jobs.get_job(job.id, actor=staff)
    with pytest.raises(NotFound):
        import_jobs.get_job(job.id + 1, actor=supervisor)


def _notices_to(recipient: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.recipient == recipient, OutboxMessage.template == "supervision_notices")))


def test_the_units_of_imported_cases_are_told_in_one_message_each(app, supervisor, department, other_department,
                                                                  staff, other_staff):
    run(csv_bytes(*(f"{n:03d},标题{n},代表{n},,{department.name},{other_department.name}" for n in range(1, 4)),
                  "004,无人交办,代表4,,,"), supervisor)
    db.session.commit()
    [lead_message] = _notices_to(staff.email)
    assert [(item["kind"], item["number"]) for item in lead_message.params["items"]] == [
        ("assigned", "001"), ("assigned", "002"), ("assigned", "003")]
    assert lead_message.params["more"] == 0
    [co_message] = _notices_to(other_staff.email)
    assert {item["kind"] for item in co_message.params["items"]} == {"opinion_requested"}
    assert db.session.scalar(db.select(db.func.count()).select_from(UnitNotice)) == 6  # none for case 004


def test_a_unit_given_many_imported_cases_gets_the_first_listed_and_the_rest_counted(app, supervisor, department,
                                                                                     staff, monkeypatch):
    monkeypatch.setattr(notices, "MAX_LISTED", 2)
    run(csv_bytes(*(f"{n:03d},标题{n},代表{n},,{department.name}," for n in range(1, 6))), supervisor)
    db.session.commit()
    [message] = _notices_to(staff.email)
    assert len(message.params["items"]) == 2 and message.params["more"] == 3
    assert "另有 3 条" in message.body_text


def test_an_import_that_fails_tells_no_one(app, supervisor, department, staff):
    run(csv_bytes(f"001,标题,代表,,{department.name},", "002,标题,代表,,不存在的局,"), supervisor)
    db.session.commit()
    assert _notices_to(staff.email) == []
