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


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        for name in FEATURES:
            batch_op.add_column(sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('accessibility_notes', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('accessibility_notes')
        for name in reversed(FEATURES):
            batch_op.drop_column(name)
