"""feedback: themes (comments making the same point in other words) beside near-identical copies

Revision ID: d4f6b8a0c2e3
Revises: c3e5a7b9d1f2
Create Date: 2026-12-03 11:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f6b8a0c2e3'
down_revision = 'c3e5a7b9d1f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('opinion_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('copies', 'theme', name='opinion_group_kind', native_enum=False,
                                                      create_constraint=True, length=6),
                                      server_default='copies', nullable=False))
        batch_op.add_column(sa.Column('keywords', sa.JSON(), server_default='[]', nullable=False))
    with op.batch_alter_table('feedback_grouping_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('copies', 'theme', name='grouping_run_kind', native_enum=False,
                                                      create_constraint=True, length=6),
                                      server_default='copies', nullable=False))


def downgrade():
    with op.batch_alter_table('feedback_grouping_runs', schema=None) as batch_op:
        batch_op.drop_column('kind')
    with op.batch_alter_table('opinion_groups', schema=None) as batch_op:
        batch_op.drop_column('keywords')
        batch_op.drop_column('kind')
