"""proposal imports run on the job queue: the file on the row, attempts and a heartbeat

Revision ID: a4c1e2f3b5d6
Revises: 53b0966f0b7a
Create Date: 2026-12-02 18:30:00

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = 'a4c1e2f3b5d6'
down_revision = '53b0966f0b7a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal_import_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('heartbeat_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('proposal_import_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('data')
