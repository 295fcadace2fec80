"""events: a waitlisted sign-up remembers when free seats were too few for its party, and how many there were

Revision ID: f6c8d4b12a39
Revises: e5b7c3a90d21
Create Date: 2026-12-03 12:00:00

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = 'f6c8d4b12a39'
down_revision = 'e5b7c3a90d21'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuilds the table, and the sign-ups' changes refer to it.
def upgrade():
    op.add_column('event_registrations',
                  sa.Column('passed_over_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True))
    op.add_column('event_registrations', sa.Column('passed_over_seats', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('event_registrations', 'passed_over_seats')
    op.drop_column('event_registrations', 'passed_over_at')
