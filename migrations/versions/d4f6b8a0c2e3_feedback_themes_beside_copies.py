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
    # Plain columns, then the check of their values where the database can add one to a table in place: on SQLite
    # a column with a CHECK makes Alembic rebuild the table, and opinion_groups cannot be dropped and rebuilt
    # while comments refer to it (the model's constraint is what the application relies on there).
    op.add_column('opinion_groups', sa.Column('kind', sa.String(length=6), server_default='copies', nullable=False))
    op.add_column('opinion_groups', sa.Column('keywords', sa.JSON(), server_default='[]', nullable=False))
    op.add_column('feedback_grouping_runs',
                  sa.Column('kind', sa.String(length=6), server_default='copies', nullable=False))
    if op.get_bind().dialect.name != 'sqlite':
        allowed = "kind IN ('copies', 'theme')"
        op.create_check_constraint(op.f('ck_opinion_groups_opinion_group_kind'), 'opinion_groups', allowed)
        op.create_check_constraint(op.f('ck_feedback_grouping_runs_grouping_run_kind'), 'feedback_grouping_runs', allowed)


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_feedback_grouping_runs_grouping_run_kind'), 'feedback_grouping_runs', type_='check')
        op.drop_constraint(op.f('ck_opinion_groups_opinion_group_kind'), 'opinion_groups', type_='check')
    op.drop_column('feedback_grouping_runs', 'kind')
    op.drop_column('opinion_groups', 'keywords')
    op.drop_column('opinion_groups', 'kind')
