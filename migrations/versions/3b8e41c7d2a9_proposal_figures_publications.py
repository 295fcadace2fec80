"""proposal figures publications (建议提案办理总体情况公开)

Revision ID: 3b8e41c7d2a9
Revises: c5e7a9b1d024
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns

# revision identifiers, used by Alembic.
revision = '3b8e41c7d2a9'
down_revision = 'c5e7a9b1d024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposal_figures_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('published_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'],
                            name=op.f('fk_proposal_figures_publications_published_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['proposal_sessions.id'],
                            name=op.f('fk_proposal_figures_publications_session_id_proposal_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_figures_publications'))
    )
    op.create_index('ix_proposal_figures_publications_session', 'proposal_figures_publications',
                    ['session_id', 'published_at'], unique=False)


def downgrade():
    op.drop_index('ix_proposal_figures_publications_session', table_name='proposal_figures_publications')
    op.drop_table('proposal_figures_publications')
