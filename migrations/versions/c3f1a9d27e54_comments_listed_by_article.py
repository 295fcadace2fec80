"""consultations: each article keeps its count of published comments; an index lists them by article

Revision ID: c3f1a9d27e54
Revises: c3e5a7b9d1f2
Create Date: 2026-12-03 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a9d27e54'
down_revision = 'c3e5a7b9d1f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_comment_count', sa.Integer(), server_default='0', nullable=False))
    op.execute(
        "UPDATE articles SET published_comment_count = (SELECT count(*) FROM comments "
        "WHERE comments.article_id = articles.id AND comments.status = 'published')"
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_article_listing', ['consultation_id', 'status', 'article_id', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_article_listing')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('published_comment_count')
