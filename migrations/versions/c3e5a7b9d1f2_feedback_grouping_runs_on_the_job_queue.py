"""feedback: the search for similar comments runs on the job queue, one row per run

Revision ID: c3e5a7b9d1f2
Revises: b81d2c4e6f10
Create Date: 2026-12-03 11:25:00

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = 'c3e5a7b9d1f2'
down_revision = 'b81d2c4e6f10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'feedback_grouping_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='grouping_run_state',
                                   native_enum=False, create_constraint=True, length=7), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column('started_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('groups_proposed', sa.Integer(), nullable=True),
        sa.Column('comments_grouped', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_feedback_grouping_runs_consultation_id_consultations')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_feedback_grouping_runs_requested_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_grouping_runs')),
    )
    with op.batch_alter_table('feedback_grouping_runs', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_grouping_runs_consultation', ['consultation_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('feedback_grouping_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_grouping_runs_consultation')
    op.drop_table('feedback_grouping_runs')
