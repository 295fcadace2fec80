"""events: what the venue offers visitors with a disability (step-free access, hearing loop, ...) and notes

Revision ID: d4a2b8e61f07
Revises: c3f1a9d27e54
Create Date: 2026-12-03 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a2b8e61f07'
down_revision = 'c3f1a9d27e54'
branch_labels = None
depends_on = None

FEATURES = ('step_free_access', 'hearing_loop', 'accessible_toilet', 'sign_language')


# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuilds the table, and events cannot be dropped and
# rebuilt while sign-ups refer to it.
def upgrade():
    for name in FEATURES:
        op.add_column('events', sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('events', sa.Column('accessibility_notes', sa.Text(), server_default='', nullable=False))


def downgrade():
    op.drop_column('events', 'accessibility_notes')
    for name in reversed(FEATURES):
        op.drop_column('events', name)
