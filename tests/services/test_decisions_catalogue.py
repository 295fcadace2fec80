"""The annual decision catalogue: entries, changes with reasons, progress, departments kept apart."""

from datetime import date

import pytest

from engage.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from engage.decisions import catalogue
from engage.decisions.catalogue import EntryFields
from engage.decisions.models import ChangeKind, EntryStatus
from engage.decisions.timing import PlannedTiming
from tests import factories

Q2_2026 = PlannedTiming(2026, quarter=2)


@pytest.fixture
def entry(department, staff, now):
    return catalogue.add_entry(2026, department.id, EntryFields("临江市生活垃圾分类管理办法", Q2_2026),
                               "列入市政府2026年重大行政决策事项目录", actor=staff, now=now)


def test_an_entry_starts_with_its_reason(entry):
    assert entry.status == EntryStatus.LISTED
    assert [(c.change, c.reason) for c in entry.changes] == [(ChangeKind.ADDED, "列入市政府2026年重大行政决策事项目录")]


@pytest.mark.parametrize(
    ("name", "timing", "reason", "field"),
    [("", Q2_2026, "理由", "name"), ("名称", PlannedTiming(), "理由", "planned_year"),
     ("名称", PlannedTiming(1999, quarter=2), "理由", "planned_year"),
     ("名称", PlannedTiming(2026), "理由", "planned_part"),
     ("名称", PlannedTiming(2026, quarter=5), "理由", "planned_part"),
     ("名称", PlannedTiming(2026, quarter=2, month=4), "理由", "planned_part"), ("名称", Q2_2026, "  ", "reason")],
)
def test_an_entry_needs_name_timing_and_reason(department, staff, now, name, timing, reason, field):
    with pytest.raises(ValidationFailed) as refused:
        catalogue.add_entry(2026, department.id, EntryFields(name, timing), reason, actor=staff, now=now)
    assert field in refused.value.errors


def test_no_department_adds_entries_for_another(other_department, staff, now):
    with pytest.raises(NotAllowed):
        catalogue.add_entry(2026, other_department.id, EntryFields("名称", Q2_2026), "理由", actor=staff, now=now)


def test_administrators_keep_every_departments_entries(other_department, admin, now):
    added = catalogue.add_entry(2026, other_department.id, EntryFields("名称", Q2_2026), "理由", actor=admin, now=now)
    assert added.department_id == other_department.id


def test_postponing_needs_a_new_timing_and_a_reason(entry, staff, now):
    with pytest.raises(ValidationFailed) as refused:
        catalogue.change_status(entry, ChangeKind.POSTPONED, "", actor=staff, now=now)
    assert set(refused.value.errors) == {"reason", "planned_year"}
    catalogue.change_status(entry, ChangeKind.POSTPONED, "需进一步开展社会稳定风险评估",
                            planned=PlannedTiming(2027, month=3), actor=staff, now=now)
    assert entry.status == EntryStatus.POSTPONED and entry.planned == PlannedTiming(2027, month=3)
    assert entry.changes[-1].planned == PlannedTiming(2027, month=3)
    assert entry.changes[-1].reason == "需进一步开展社会稳定风险评估"


def test_a_dropped_entry_can_only_be_restored(entry, staff, now):
    catalogue.change_status(entry, ChangeKind.DROPPED, "上位法已作规定，无需另行决策", actor=staff, now=now)
    with pytest.raises(InvalidTransition):
        catalogue.change_status(entry, ChangeKind.POSTPONED, "理由", planned=PlannedTiming(2027, quarter=1),
                                actor=staff, now=now)
    catalogue.change_status(entry, ChangeKind.RESTORED, "重新列入", actor=staff, now=now)
    assert entry.status == EntryStatus.LISTED
    assert [c.change for c in entry.changes] == ["added", "dropped", "restored"]


def test_another_department_cannot_change_an_entry(entry, other_staff, now):
    with pytest.raises(NotAllowed):
        catalogue.change_status(entry, ChangeKind.DROPPED, "理由", actor=other_staff, now=now)
    with pytest.raises(NotAllowed):
        catalogue.update_entry(entry, EntryFields("改名", Q2_2026), "理由", actor=other_staff, now=now)
    with pytest.raises(NotAllowed):
        catalogue.get_entry_for_staff(entry.id, other_staff)


def test_renaming_needs_a_reason_but_linking_the_consultation_does_not(entry, staff, department, now):
    consultation = factories.make_consultation(department, staff)
    catalogue.update_entry(entry, EntryFields(entry.name, entry.planned, consultation.id), "", actor=staff,
                           now=now)
    assert entry.consultation_id == consultation.id and len(entry.changes) == 1
    with pytest.raises(ValidationFailed) as refused:
        catalogue.update_entry(entry, EntryFields("新名称", entry.planned), "", actor=staff, now=now)
    assert "reason" in refused.value.errors
    catalogue.update_entry(entry, EntryFields("新名称", entry.planned), "名称调整", actor=staff, now=now)
    assert entry.changes[-1].change == ChangeKind.AMENDED


def test_only_the_departments_published_consultations_can_be_linked(entry, staff, other_staff, other_department, now):
    theirs = factories.make_consultation(other_department, other_staff)
    draft = factories.make_consultation(entry.department, staff, publish=False)
    for consultation in (theirs, draft):
        with pytest.raises(ValidationFailed) as refused:
            catalogue.update_entry(entry, EntryFields(entry.name, entry.planned, consultation.id), "",
                                   actor=staff, now=now)
        assert "consultation_id" in refused.value.errors


def test_deliberation_is_recorded(entry, staff, now):
    catalogue.record_deliberation(entry, meeting="市政府第12次常务会议", deliberated_on=date(2026, 6, 18),
                                  outcome="原则通过", actor=staff, now=now)
    assert (entry.meeting, entry.deliberated_on, entry.deliberation_outcome) == (
        "市政府第12次常务会议", date(2026, 6, 18), "原则通过")


def test_years_and_their_entries(entry, other_department, admin, now):
    catalogue.add_entry(2025, other_department.id, EntryFields("旧事项", PlannedTiming(2025, quarter=4)), "理由",
                        actor=admin, now=now)
    assert catalogue.catalogue_years() == [(2026, 1), (2025, 1)]
    assert [e.id for e in catalogue.entries_of_year(2026)] == [entry.id]


def test_a_new_timing_is_a_change_with_a_reason(entry, staff, now):
    with pytest.raises(ValidationFailed) as refused:
        catalogue.update_entry(entry, EntryFields(entry.name, PlannedTiming(2026, month=11)), "", actor=staff, now=now)
    assert "reason" in refused.value.errors
    catalogue.update_entry(entry, EntryFields(entry.name, PlannedTiming(2026, month=11)), "调整时间", actor=staff,
                           now=now)
    assert entry.changes[-1].change == ChangeKind.AMENDED and entry.changes[-1].planned == PlannedTiming(2026, month=11)


def test_a_year_can_be_read_by_planned_timing(department, staff, now):
    for name, planned in [("第四季度的", PlannedTiming(2026, quarter=4)), ("五月的", PlannedTiming(2026, month=5)),
                          ("第二季度的", PlannedTiming(2026, quarter=2)), ("六月的", PlannedTiming(2026, month=6)),
                          ("一月的", PlannedTiming(2026, month=1))]:
        catalogue.add_entry(2026, department.id, EntryFields(name, planned), "理由", actor=staff, now=now)
    assert [e.name for e in catalogue.entries_of_year(2026)] == [
        "第四季度的", "五月的", "第二季度的", "六月的", "一月的"]
    # a month before the quarter it ends; the quarter ending in June after May's entry
    assert [e.name for e in catalogue.entries_of_year(2026, by_timing=True)] == [
        "一月的", "五月的", "六月的", "第二季度的", "第四季度的"]
