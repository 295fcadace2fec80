"""Linking decisions and interpretations; the department dashboard."""

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from engage.consultations.models import Stage
from engage.core.audit import history_of
from engage.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from engage.core.workdays import WorkCalendar
from engage.decisions import dashboard, services
from engage.decisions.services import DecisionFields, FileStore, InterpretationFields, Upload
from engage.extensions import db
from tests import factories

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
#: a day in December 2025, well after the National Day holiday the deadlines cross
LATER = datetime(2025, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def closed_consultation(department, staff):
    return factories.make_consultation(department, staff, opens_at=datetime(2025, 8, 1, tzinfo=UTC),
                                       closes_at=datetime(2025, 9, 1, tzinfo=UTC))


@pytest.fixture
def store(app, tmp_path) -> FileStore:
    return FileStore(folder=str(tmp_path / "uploads"), max_bytes=1024 * 1024)


def link(consultation, actor, store, *, now=LATER, upload=None, **changes):
    fields = DecisionFields(title="临江市生活垃圾分类管理办法", document_number="临府规〔2025〕5号",
                            published_on=date(2025, 9, 30), url="https://www.linjiang.gov.cn/zfgb/5.htm")
    for name, value in changes.items():
        setattr(fields, name, value)
    return services.link_decision(consultation, fields, upload, actor=actor, now=now, working_days=3,
                                  calendar=WorkCalendar(), store=store)


def test_linking_the_decision_makes_the_consultation_decided(closed_consultation, staff, store):
    version = closed_consultation.public_version
    decision = link(closed_consultation, staff, store)
    assert closed_consultation.stage == Stage.DECIDED
    assert closed_consultation.public_version == version + 1
    assert decision.interpretation_due_on == date(2025, 10, 11)  # across National Day, make-up Saturday
    assert "decision.linked" in [e.action for e in history_of(closed_consultation)]


def test_correcting_the_publication_date_moves_the_deadline(closed_consultation, staff, store):
    link(closed_consultation, staff, store)
    decision = link(closed_consultation, staff, store, published_on=date(2025, 11, 3))
    assert decision.interpretation_due_on == date(2025, 11, 6)
    assert services.decision_of(closed_consultation.id).id == decision.id


def test_no_decision_while_comments_are_being_taken(open_consultation, staff, store, now):
    with pytest.raises(InvalidTransition):
        link(open_consultation, staff, store, now=now)


def test_another_department_cannot_link_the_decision(closed_consultation, other_staff, store):
    with pytest.raises(NotAllowed):
        link(closed_consultation, other_staff, store)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"document_number": ""}, "document_number"),
        ({"published_on": None}, "published_on"),
        ({"published_on": date(2025, 12, 2)}, "published_on"),  # after "now"
        ({"url": ""}, "url"),  # neither file nor address
        ({"url": "javascript:alert(1)"}, "url"),
    ],
)
def test_incomplete_decisions_are_refused(closed_consultation, staff, store, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        link(closed_consultation, staff, store, **changes)
    assert field in refused.value.errors


def test_an_uploaded_document_stands_in_for_the_address(closed_consultation, staff, store):
    decision = link(closed_consultation, staff, store, url="", upload=Upload(io.BytesIO(MINIMAL_PDF), "决定.pdf"))
    assert decision.file.original_name == "决定.pdf"
    assert (Path(store.folder) / decision.file.stored_name).read_bytes() == MINIMAL_PDF
    assert services.get_public_file(decision.file.id).id == decision.file.id


def test_a_refused_form_leaves_no_file_behind(closed_consultation, staff, store):
    with pytest.raises(ValidationFailed):
        link(closed_consultation, staff, store, title="", upload=Upload(io.BytesIO(MINIMAL_PDF), "决定.pdf"))
    assert not Path(store.folder).exists() or not any(Path(store.folder).iterdir())


def test_a_fake_pdf_is_refused(closed_consultation, staff, store):
    with pytest.raises(ValidationFailed) as refused:
        link(closed_consultation, staff, store, url="", upload=Upload(io.BytesIO(b"MZ not a pdf"), "决定.pdf"))
    assert "file" in refused.value.errors


def interpret(decision, actor, store, day, *, now=LATER):
    return services.record_interpretation(decision, InterpretationFields(
        interpreted_on=day, title="一图读懂", url="https://www.linjiang.gov.cn/zcjd/5.htm"),
        None, actor=actor, now=now, store=store)


@pytest.mark.parametrize(("day", "state"), [(date(2025, 10, 11), "on_time"), (date(2025, 10, 13), "late")])
def test_the_interpretation_is_on_time_or_late(closed_consultation, staff, store, day, state):
    decision = interpret(link(closed_consultation, staff, store), staff, store, day)
    assert decision.interpretation_state(date(2025, 12, 1)) == state


def test_an_interpretation_before_the_decision_is_refused(closed_consultation, staff, store):
    decision = link(closed_consultation, staff, store)
    with pytest.raises(ValidationFailed) as refused:
        interpret(decision, staff, store, date(2025, 9, 29))
    assert "interpreted_on" in refused.value.errors


@pytest.mark.parametrize(("day", "allowed"), [(date(2025, 8, 31), False), (date(2025, 9, 1), True)])
def test_a_decision_cannot_predate_the_close_of_its_consultation(closed_consultation, staff, store, day, allowed):
    """The period ended on 1 September 2025 (08:00 in Beijing): a decision of that day is fine, not one before."""
    if allowed:
        assert link(closed_consultation, staff, store, published_on=day).published_on == day
        return
    with pytest.raises(ValidationFailed) as refused:
        link(closed_consultation, staff, store, published_on=day)
    [message] = refused.value.errors["published_on"]
    assert "2025-09-01" in str(message)  # the closing day it may not precede
    assert services.decision_of(closed_consultation.id) is None
    assert closed_consultation.stage != Stage.DECIDED


def test_a_corrected_decision_date_cannot_pass_its_interpretation(closed_consultation, staff, store):
    decision = interpret(link(closed_consultation, staff, store), staff, store, date(2025, 10, 9))
    with pytest.raises(ValidationFailed) as refused:
        link(closed_consultation, staff, store, published_on=date(2025, 10, 10))
    assert "published_on" in refused.value.errors
    db.session.rollback()
    assert decision.published_on == date(2025, 9, 30)


def test_another_department_cannot_interpret(closed_consultation, staff, other_staff, store):
    decision = link(closed_consultation, staff, store)
    with pytest.raises(NotAllowed):
        interpret(decision, other_staff, store, date(2025, 10, 9))


def test_dashboard_lists_what_the_department_owes(closed_consultation, department, staff, other_staff, store, now):
    factories.make_comment(closed_consultation, now=datetime(2025, 8, 2, tzinfo=UTC))
    board = dashboard.department_dashboard(staff, now=now)
    assert [c.id for c in board.reports_missing] == [closed_consultation.id]
    assert board.unanswered == [(closed_consultation, 1)]
    assert board.interpretations == []
    link(closed_consultation, staff, store)
    db.session.flush()
    late = dashboard.department_dashboard(staff, now=now).interpretations
    assert [(w.decision.consultation_id, w.state) for w in late] == [(closed_consultation.id, "late")]
    assert dashboard.department_dashboard(other_staff, now=now).is_empty


def test_dashboard_shows_a_due_interpretation_until_it_is_published(closed_consultation, staff, store):
    decision = link(closed_consultation, staff, store, now=datetime(2025, 10, 1, tzinfo=UTC),
                    published_on=date(2025, 9, 30))
    board = dashboard.department_dashboard(staff, now=datetime(2025, 10, 10, tzinfo=UTC))
    assert [w.state for w in board.interpretations] == ["due"]
    interpret(decision, staff, store, date(2025, 10, 10), now=datetime(2025, 10, 10, 3, tzinfo=UTC))
    assert dashboard.department_dashboard(staff, now=datetime(2025, 10, 20, tzinfo=UTC)).interpretations == []


def test_the_dashboard_is_for_staff_and_administrators(app):
    organiser = factories.make_user("org@example.gov.cn", role="organiser")
    with pytest.raises(NotAllowed):
        dashboard.department_dashboard(organiser, now=LATER - timedelta(days=1))
