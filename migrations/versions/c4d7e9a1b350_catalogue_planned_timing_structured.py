"""decisions: the catalogue's planned timing is a year with its quarter or month; old words read where they can be

Entries and their changes get planned_year, planned_quarter and planned_month. Existing free text is read
(2026年第二季度, 第四季度 in the entry's year, 2026年3月, Q2 2026, 2026-03): where it is read the text is cleared,
where it is not the words stay in planned_timing, shown as typed, and an audit event on the entry says so.

Revision ID: c4d7e9a1b350
Revises: f6c8d4b12a39
Create Date: 2026-12-03 11:20:00

"""
import re
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d7e9a1b350'
down_revision = 'f6c8d4b12a39'
branch_labels = None
depends_on = None

# The reading as it was when this migration was written (engage/decisions/timing.py may change later).
_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11,
           "十二": 12}
_NUMBER = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_ZH_QUARTER = re.compile(rf"^(?:(\d{{4}})\s*年)?\s*第?\s*{_NUMBER}\s*季度?$")
_ZH_MONTH = re.compile(rf"^(?:(\d{{4}})\s*年)?\s*{_NUMBER}\s*月(?:份)?$")
_EN_QUARTER = re.compile(r"^(?:Q([1-4])\s*[-/ ]?\s*(\d{4})|(\d{4})\s*[-/ ]?\s*Q([1-4]))$", re.IGNORECASE)
_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")


def _read(text, default_year):
    """(year, quarter, month) or None."""
    words = (text or "").strip().replace("　", " ")
    for pattern, limit in ((_ZH_QUARTER, 4), (_ZH_MONTH, 12)):
        found = pattern.fullmatch(words)
        if found:
            value = int(found.group(2)) if found.group(2).isdigit() else _DIGITS[found.group(2)]
            if not 1 <= value <= limit:
                return None
            year = int(found.group(1)) if found.group(1) else default_year
            return (year, value, None) if limit == 4 else (year, None, value)
    found = _EN_QUARTER.fullmatch(words)
    if found:
        quarter, year = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
        return int(year), int(quarter), None
    found = _ISO_MONTH.fullmatch(words)
    if found and 1 <= int(found.group(2)) <= 12:
        return int(found.group(1)), None, int(found.group(2))
    return None


def _add_columns(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('planned_quarter', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('planned_month', sa.Integer(), nullable=True))


def upgrade():
    _add_columns('catalogue_entries')
    _add_columns('catalogue_changes')
    bind = op.get_bind()
    entries = sa.table('catalogue_entries', sa.column('id', sa.Integer), sa.column('year', sa.Integer),
                       sa.column('planned_timing', sa.String), sa.column('planned_year', sa.Integer),
                       sa.column('planned_quarter', sa.Integer), sa.column('planned_month', sa.Integer))
    changes = sa.table('catalogue_changes', sa.column('id', sa.Integer), sa.column('entry_id', sa.Integer),
                       sa.column('planned_timing', sa.String), sa.column('planned_year', sa.Integer),
                       sa.column('planned_quarter', sa.Integer), sa.column('planned_month', sa.Integer))
    audit = sa.table('audit_events', sa.column('created_at', sa.DateTime(timezone=True)),
                     sa.column('actor_id', sa.Integer), sa.column('action', sa.String),
                     sa.column('subject_type', sa.String), sa.column('subject_id', sa.Integer),
                     sa.column('detail', sa.JSON))
    years = {}
    now = datetime.now(UTC)
    if bind.dialect.name == 'sqlite':
        now = now.replace(tzinfo=None)  # as engage.core.columns.UTCDateTime stores it there
    notes = []
    for entry_id, year, text in bind.execute(sa.select(entries.c.id, entries.c.year, entries.c.planned_timing)):
        years[entry_id] = year
        read = _read(text, year)
        if read is None:
            notes.append({'created_at': now, 'actor_id': None, 'action': 'catalogue_entry.timing_not_read',
                          'subject_type': 'catalogue_entries', 'subject_id': entry_id,
                          'detail': {'planned_timing': text}})
            continue
        bind.execute(entries.update().where(entries.c.id == entry_id).values(
            planned_year=read[0], planned_quarter=read[1], planned_month=read[2], planned_timing=''))
    for change_id, entry_id, text in bind.execute(
            sa.select(changes.c.id, changes.c.entry_id, changes.c.planned_timing)):
        read = _read(text, years.get(entry_id))
        if read is not None and read[0] is not None:
            bind.execute(changes.update().where(changes.c.id == change_id).values(
                planned_year=read[0], planned_quarter=read[1], planned_month=read[2], planned_timing=''))
    if notes:
        op.bulk_insert(audit, notes)


def downgrade():
    # The words come back from the structured values in Chinese, as the catalogue used to word them.
    bind = op.get_bind()
    quarters = {1: "一", 2: "二", 3: "三", 4: "四"}
    for table in ('catalogue_entries', 'catalogue_changes'):
        rows = sa.table(table, sa.column('id', sa.Integer), sa.column('planned_timing', sa.String),
                        sa.column('planned_year', sa.Integer), sa.column('planned_quarter', sa.Integer),
                        sa.column('planned_month', sa.Integer))
        for row_id, year, quarter, month in bind.execute(
                sa.select(rows.c.id, rows.c.planned_year, rows.c.planned_quarter, rows.c.planned_month)
                .where(rows.c.planned_year.is_not(None))):
            words = f"{year}年第{quarters[quarter]}季度" if quarter else f"{year}年{month}月" if month else f"{year}年"
            bind.execute(rows.update().where(rows.c.id == row_id).values(planned_timing=words))
        # Plain ALTER TABLE (SQLite has DROP COLUMN since 3.35): a batch copy of catalogue_entries would break
        # the foreign keys of its changes.
        for column in ('planned_month', 'planned_quarter', 'planned_year'):
            op.drop_column(table, column)
