"""consultations: each article keeps its count of published comments; an index lists them by article

Revision ID: c3f1a9d27e54
Revises: d4f6b8a0c2e3
Create Date: 2026-12-03 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a9d27e54'
down_revision = 'd4f6b8a0c2e3'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuilds the table, and articles cannot be dropped and
# rebuilt while comments refer to it.
def upgrade():
    op.add_column('articles', sa.Column('published_comment_count', sa.Integer(), server_default='0', nullable=False))
    op.execute(
        "UPDATE articles SET published_comment_count = (SELECT count(*) FROM comments "
        "WHERE comments.article_id = articles.id AND comments.status = 'published')"
    )
    op.create_index('ix_comments_article_listing', 'comments', ['consultation_id', 'status', 'article_id', 'id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_comments_article_listing', table_name='comments')
    op.drop_column('articles', 'published_comment_count')
