"""feedback: a comment remembers the opinion group it was in when the report was published, for its receipt

Revision ID: e5b7c3a90d21
Revises: d4a2b8e61f07
Create Date: 2026-12-03 11:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b7c3a90d21'
down_revision = 'd4a2b8e61f07'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuilds the table, which others refer to.
def upgrade():
    op.add_column('comments', sa.Column('published_opinion_group_id', sa.Integer(), nullable=True))
    # Reports published before this column: their groups are the comments' groups of then, as far as is known.
    op.execute("UPDATE comments SET published_opinion_group_id = opinion_group_id WHERE published_outcome IS NOT NULL")


def downgrade():
    op.drop_column('comments', 'published_opinion_group_id')
