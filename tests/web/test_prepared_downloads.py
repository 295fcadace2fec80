"""Downloads of all comments too large to write while the request waits: prepared by the job consumer."""

import csv
import io
from datetime import timedelta
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from engage.core.models import AuditEvent
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback.exports import services as exports
from engage.feedback.exports.models import CommentExport, ExportState
from engage.notifications.models import OutboxMessage
from tests.fixtures.messaging import run_queued_jobs


@pytest.fixture
def staff_client(client, auth, staff):
    auth.login(staff.email)
    return client


@pytest.fixture
def large(app, closed_consultation, comments_of):
    """The closed consultation's four comments count as a large consultation's."""
    app.config["EXPORT_DIRECT_ROWS"] = 3
    comments_of(closed_consultation)[0].contact = "13800138000"
    db.session.commit()
    return closed_consultation


def _base(consultation) -> str:
    return f"/staff/consultations/{consultation.id}/feedback"


def _prepare(client, consultation, extension: str):
    page = client.get(f"{_base(consultation)}/comments.{extension}")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/exports/?format={extension}")
    answer = client.post(f"{_base(consultation)}/exports/", data={"extension": extension})
    assert answer.status_code == 302
    return db.session.scalar(db.select(CommentExport).order_by(CommentExport.id.desc()))


def test_a_large_download_is_prepared_by_the_consumer_then_sent_and_audited(staff_client, large, staff):
    export = _prepare(staff_client, large, "csv")
    assert export.state == ExportState.QUEUED
    waiting = staff_client.get(f"{_base(large)}/exports/").get_data(as_text=True)
    assert "等待任务处理程序" in waiting and "刷新" in waiting
    run_queued_jobs()
    db.session.refresh(export)
    assert (export.state, export.rows_done, export.rows_total) == (ExportState.DONE, 4, 4)
    page = staff_client.get(f"{_base(large)}/exports/").get_data(as_text=True)
    assert f"/exports/{export.id}/file" in page
    response = staff_client.get(f"{_base(large)}/exports/{export.id}/file")
    assert response.status_code == 200
    assert f"意见及联系方式-{large.id}.csv" in unquote(response.headers["Content-Disposition"])
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 5 and any("13800138000" in row for row in rows)
    downloaded = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "feedback.contacts_downloaded")).all()
    assert [event.detail["export"] for event in downloaded] == [export.id]
    [told] = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.template == "comment_export_ready"))
    assert told.recipient == staff.email and "4 条意见" in told.body_text


def test_an_xlsx_is_prepared_as_a_workbook(staff_client, large):
    export = _prepare(staff_client, large, "xlsx")
    run_queued_jobs()
    db.session.refresh(export)
    assert export.state == ExportState.DONE, export.error
    response = staff_client.get(f"{_base(large)}/exports/{export.id}/file")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.max_row == 5


def test_asking_twice_while_one_waits_prepares_it_once(staff_client, large):
    first = _prepare(staff_client, large, "csv")
    second = _prepare(staff_client, large, "csv")
    assert first.id == second.id
    assert db.session.scalar(db.select(db.func.count()).select_from(CommentExport)) == 1


def test_a_small_consultation_is_still_downloaded_at_once(staff_client, closed_consultation):
    response = staff_client.get(f"{_base(closed_consultation)}/comments.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"


def test_a_file_not_ready_or_expired_is_refused_with_a_reason(staff_client, large):
    export = _prepare(staff_client, large, "csv")
    refused = staff_client.get(f"{_base(large)}/exports/{export.id}/file", follow_redirects=True)
    assert "该文件尚未生成" in refused.get_data(as_text=True)
    run_queued_jobs()
    db.session.refresh(export)
    path = exports.folder() / export.stored_name
    assert path.is_file()
    assert exports.delete_expired(utcnow() + timedelta(hours=25)) == 1
    assert not path.is_file()
    gone = staff_client.get(f"{_base(large)}/exports/{export.id}/file", follow_redirects=True)
    assert "保存期满，已删除" in gone.get_data(as_text=True)


def test_a_bad_format_is_refused_and_nothing_is_queued(staff_client, large):
    answer = staff_client.post(f"{_base(large)}/exports/", data={"extension": "pdf"}, follow_redirects=True)
    assert "请选择 CSV 或 XLSX" in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(CommentExport)) == 0


def test_other_departments_cannot_ask_for_or_fetch_the_file(client, auth, large, other_staff, staff):
    export = exports.request_export(large, "csv", actor=staff, now=utcnow())
    db.session.commit()
    auth.login(other_staff.email)
    assert client.post(f"{_base(large)}/exports/", data={"extension": "csv"}).status_code == 403
    assert client.get(f"{_base(large)}/exports/{export.id}/file").status_code == 403


def test_an_export_cut_off_is_queued_again_then_failed_after_three_attempts(app, large, staff):
    export = exports.request_export(large, "csv", actor=staff, now=utcnow())
    db.session.commit()
    stale_after = timedelta(seconds=app.config["EXPORT_STALE_SECONDS"])
    for attempt in range(1, 4):
        assert exports.claim(export.id, utcnow() + stale_after * attempt * 2, stale_after) == attempt
        later = utcnow() + stale_after * (attempt * 2 + 1.5)
        assert exports.stale_exports(later, stale_after) == ([export.id] if attempt < 3 else [])
    db.session.refresh(export)
    assert export.state == ExportState.FAILED and "中断 3 次" in exports.error_message(export)


def test_an_attempt_given_up_for_dead_keeps_nothing(app, large, staff):
    export = exports.request_export(large, "csv", actor=staff, now=utcnow())
    db.session.commit()
    stale_after = timedelta(seconds=app.config["EXPORT_STALE_SECONDS"])
    first = exports.claim(export.id, utcnow(), stale_after)
    assert exports.claim(export.id, utcnow() + stale_after * 2, stale_after) == first + 1
    with pytest.raises(exports.Superseded):
        exports._finish(export.id, first, "x.csv", 4, 10, utcnow())
    db.session.refresh(export)
    assert export.state == ExportState.RUNNING and export.stored_name == ""
