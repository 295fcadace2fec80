"""outbox: a message staff sent again is not held back by the per-recipient limits, now checked at delivery

Revision ID: a7e1c3f5b902
Revises: c4d7e9a1b350
Create Date: 2026-12-03 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7e1c3f5b902'
down_revision = 'c4d7e9a1b350'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('outbox_messages', sa.Column('limits_waived', sa.Boolean(), nullable=False,
                                               server_default=sa.false()))


def downgrade():
    op.drop_column('outbox_messages', 'limits_waived')
