"""The decisions API: a consultation's decision with its interpretation, a year's catalogue; in OpenAPI."""

from datetime import UTC, date, datetime

import pytest

from engage.core.calendar_days import load_work_calendar
from engage.decisions import catalogue, services
from engage.decisions.catalogue import EntryFields
from engage.decisions.models import ChangeKind
from engage.decisions.timing import PlannedTiming
from engage.extensions import db
from engage.feedback import services as feedback
from tests import factories


@pytest.fixture
def decided(department, staff, now):
    # A period that ended on 31 December 2025 (China time), decided five days later on Monday 5 January 2026.
    consultation = factories.make_consultation(department, staff, opens_at=datetime(2025, 11, 20, 1, tzinfo=UTC),
                                               closes_at=datetime(2025, 12, 31, 9, tzinfo=UTC))
    services.link_decision(consultation, services.DecisionFields("临江市生活垃圾分类管理办法", "临府规〔2026〕5号",
                                                                 factories.day_after_close(consultation, 5),
                                                                 "https://www.linjiang.gov.cn/5.htm"),
                           None, actor=staff, now=now, working_days=3, calendar=load_work_calendar(),
                           store=services.FileStore("/nonexistent", 1))
    db.session.commit()
    return consultation


def test_the_decision_of_a_consultation(client, decided):
    answer = client.get(f"/api/v1/consultations/{decided.id}/decision").json
    assert answer["document_number"] == "临府规〔2026〕5号" and answer["published_on"] == "2026-01-05"
    assert answer["url"] == "https://www.linjiang.gov.cn/5.htm" and answer["file_url"] is None
    assert answer["interpretation"] == {"state": "late", "due_on": "2026-01-08", "published_on": None, "title": "",
                                        "url": None, "file_url": None}


def test_no_decision_yet_is_404(client, open_consultation):
    assert client.get(f"/api/v1/consultations/{open_consultation.id}/decision").status_code == 404


def test_a_drafts_decision_does_not_exist(client, department, staff):
    draft = factories.make_consultation(department, staff, publish=False)
    assert client.get(f"/api/v1/consultations/{draft.id}/decision").status_code == 404


def test_the_catalogue_of_a_year(client, decided, department, staff, now):
    fields = EntryFields("临江市生活垃圾分类管理办法", PlannedTiming(2026, quarter=2), decided.id)
    entry = catalogue.add_entry(2026, department.id, fields, "列入", actor=staff, now=now)
    catalogue.change_status(entry, ChangeKind.POSTPONED, "需补充论证", planned=PlannedTiming(2026, month=11),
                            actor=staff, now=now)
    catalogue.record_deliberation(entry, meeting="常务会议", deliberated_on=date(2026, 1, 2), outcome="原则通过",
                                  actor=staff, now=now)
    feedback.save_explanation(decided, "未收到意见。", actor=staff, now=now)
    feedback.publish(decided, actor=staff, now=now)
    db.session.commit()
    answer = client.get("/api/v1/catalogue/2026").json
    [item] = answer["entries"]
    assert answer["year"] == 2026 and item["status"] == "postponed" and item["planned_timing"] == "2026年11月"
    assert item["planned"] == {"year": 2026, "quarter": None, "month": 11}
    assert [c["planned"] for c in item["changes"]] == [{"year": 2026, "quarter": 2, "month": None},
                                                       {"year": 2026, "quarter": None, "month": 11}]
    assert [(c["change"], c["reason"]) for c in item["changes"]] == [("added", "列入"), ("postponed", "需补充论证")]
    assert item["consultation_url"].endswith(f"/consultations/{decided.id}")
    assert item["feedback_report_url"].endswith(f"/consultations/{decided.id}/feedback")
    assert item["deliberation"] == {"meeting": "常务会议", "date": "2026-01-02", "outcome": "原则通过"}
    assert item["decision"]["document_number"] == "临府规〔2026〕5号"
    assert item["department"]["name"] == department.name


def test_an_entry_never_links_an_unpublished_draft(client, department, staff, now):
    draft = factories.make_consultation(department, staff, publish=False)
    entry = catalogue.add_entry(2026, department.id, EntryFields("事项", PlannedTiming(2026, quarter=3)), "列入",
                                actor=staff, now=now)
    entry.consultation_id = draft.id  # as if the draft had been unpublished after linking
    db.session.commit()
    [item] = client.get("/api/v1/catalogue/2026").json["entries"]
    assert item["consultation_url"] is None and item["decision"] is None and item["feedback_report_url"] is None


@pytest.mark.parametrize(("year", "status"), [(2031, 200), (1800, 404)])
def test_years(client, year, status):
    response = client.get(f"/api/v1/catalogue/{year}")
    assert response.status_code == status
    if status == 200:
        assert response.json == {"year": 2031, "entries": []}


def test_the_decisions_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/consultations/{consultation_id}/decision"]
    assert "get" in paths["/api/v1/catalogue/{year}"]




def test_the_catalogue_words_the_timing_in_the_requests_language(en_client, department, staff, now):
    catalogue.add_entry(2026, department.id, EntryFields("事项", PlannedTiming(2026, quarter=3)), "列入", actor=staff,
                        now=now)
    db.session.commit()
    [item] = en_client.get("/api/v1/catalogue/2026").json["entries"]
    assert item["planned_timing"] == "Q3 2026"
