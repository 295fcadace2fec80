"""comments: the staff search index of their words (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL)

Every comment starts as not indexed: the job consumers' sweep indexes them in the minutes after the upgrade, or
``flask comments reindex`` does it at once (segmenting takes about 0.1 ms a comment, so a migration of 500,000
would hold the upgrade for minutes).

Revision ID: c7d2a9e4b150
Revises: d7f9b3c5e146
Create Date: 2026-12-04 19:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c7d2a9e4b150"
down_revision = "d7f9b3c5e146"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("comments", sa.Column("words_indexed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_comments_words_pending", "comments", ["consultation_id", "id"],
                    sqlite_where=sa.text("words_indexed = 0"), postgresql_where=sa.text("NOT words_indexed"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE comments ADD COLUMN search_words tsvector")
        op.execute("CREATE INDEX ix_comments_search_words ON comments USING gin (search_words)")
    else:
        # The default tokenizer (unicode61) reads each space-separated jieba word, Chinese characters included,
        # as one token.
        op.execute("CREATE VIRTUAL TABLE comment_words USING fts5(words)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_comments_search_words", table_name="comments")
        op.drop_column("comments", "search_words")
    else:
        op.execute("DROP TABLE comment_words")
    op.drop_index("ix_comments_words_pending", table_name="comments")
    op.drop_column("comments", "words_indexed")
