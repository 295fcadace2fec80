"""The migration that structures the catalogue's planned timing reads the old words it can and keeps the others."""

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from engage import create_app
from engage.extensions import db
from tests.conftest import test_config as config_for

BEFORE = "f6c8d4b12a39"
WORDS = {
    "2026年第二季度": (2026, 2, None),
    "第四季度": (2025, 4, None),  # no year: the catalogue's own
    "2026年3月": (2026, None, 3),
    "Q2 2026": (2026, 2, None),
    "2026年上半年": None,
    "年底前": None,
}


@pytest.fixture
def old_database(tmp_path, instance_dir):
    """A database at the revision before, with one 2025 catalogue entry (and its change) per old wording."""
    app = create_app(config_for(f"sqlite:///{tmp_path / 'old.db'}", instance_dir))
    with app.app_context():
        upgrade(revision=BEFORE)
        now = datetime(2025, 1, 5, tzinfo=UTC).replace(tzinfo=None)
        db.session.execute(sa.text("INSERT INTO departments (id, name, name_en, is_active) "
                                   "VALUES (1, '市生态环境局', 'Ecology', 1)"))
        for number, words in enumerate(WORDS, start=1):
            db.session.execute(sa.text(
                "INSERT INTO catalogue_entries (id, year, department_id, name, planned_timing, status, meeting, "
                "deliberation_outcome, created_at, updated_at) VALUES (:id, 2025, 1, :name, :words, 'listed', '', '', "
                ":now, :now)"), {"id": number, "name": f"事项{number}", "words": words, "now": now})
            db.session.execute(sa.text(
                "INSERT INTO catalogue_changes (entry_id, change, reason, planned_timing, created_at) "
                "VALUES (:id, 'added', '列入', :words, :now)"), {"id": number, "words": words, "now": now})
        db.session.commit()
        yield app
        db.engine.dispose()


def _rows(table: str) -> dict:
    rows = db.session.execute(sa.text(
        f"SELECT {'id' if table == 'catalogue_entries' else 'entry_id'}, planned_year, planned_quarter, "
        f"planned_month, planned_timing FROM {table}"))
    return {row[0]: tuple(row[1:]) for row in rows}


def test_old_words_are_read_where_they_can_be_and_kept_where_not(old_database):
    upgrade()
    for table in ("catalogue_entries", "catalogue_changes"):
        rows = _rows(table)
        for number, (words, read) in enumerate(WORDS.items(), start=1):
            assert rows[number] == ((*read, "") if read else (None, None, None, words)), (table, words)


def test_each_entry_not_read_gets_a_note_in_its_history(old_database):
    upgrade()
    notes = db.session.execute(sa.text(
        "SELECT subject_id, detail FROM audit_events WHERE action = 'catalogue_entry.timing_not_read' "
        "AND subject_type = 'catalogue_entries' ORDER BY subject_id")).all()
    assert [row[0] for row in notes] == [5, 6]
    details = [row[1] if isinstance(row[1], dict) else json.loads(row[1]) for row in notes]
    assert details == [{"planned_timing": "2026年上半年"}, {"planned_timing": "年底前"}]


def test_going_back_words_the_read_timings_again(old_database):
    upgrade()
    downgrade(revision=BEFORE)
    words = dict(db.session.execute(sa.text("SELECT id, planned_timing FROM catalogue_entries")).all())
    assert words == {1: "2026年第二季度", 2: "2025年第四季度", 3: "2026年3月", 4: "2026年第二季度", 5: "2026年上半年",
                     6: "年底前"}
