"""comments: the fingerprint of each text and a key of its source, to show staff suspected campaigns

Existing comments get their fingerprint here (their sources were never kept: they count as one unknown source).

Revision ID: d7f9b3c5e146
Revises: 3b8e41c7d2a9
Create Date: 2026-12-04 19:40:00
"""

import hashlib
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "d7f9b3c5e146"
down_revision = "3b8e41c7d2a9"
branch_labels = None
depends_on = None

BATCH = 5000


def _fingerprint(text: str) -> str:
    # As engage.consultations.campaigns.fingerprint was when this migration was written.
    normalised = "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())
    return hashlib.sha1(normalised.encode()).hexdigest()  # noqa: S324


def upgrade():
    op.add_column("comments", sa.Column("text_fingerprint", sa.String(40), nullable=True))
    op.add_column("comments", sa.Column("source_key", sa.String(16), nullable=False, server_default=""))
    comments = sa.table("comments", sa.column("id", sa.Integer), sa.column("body", sa.Text),
                        sa.column("text_fingerprint", sa.String))
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(sa.select(comments.c.id, comments.c.body).where(comments.c.id > last_id)
                                  .order_by(comments.c.id).limit(BATCH)).all()
        if not rows:
            break
        connection.execute(sa.update(comments).where(comments.c.id == sa.bindparam("comment_id"))
                           .values(text_fingerprint=sa.bindparam("value")),
                           [{"comment_id": row.id, "value": _fingerprint(row.body or "")} for row in rows])
        last_id = rows[-1].id
    op.create_index("ix_comments_campaigns", "comments",
                    ["consultation_id", "text_fingerprint", "source_key", "created_at"])


def downgrade():
    op.drop_index("ix_comments_campaigns", table_name="comments")
    op.drop_column("comments", "source_key")
    op.drop_column("comments", "text_fingerprint")
