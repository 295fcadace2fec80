"""feedback: downloads of all comments prepared by a job consumer (a national consultation's are too large to
write while a request waits)

Revision ID: c5e7a9b1d024
Revises: a18c626bfbda
Create Date: 2026-12-04 19:20:00
"""

import sqlalchemy as sa
from alembic import op

import engage.core.columns

revision = "c5e7a9b1d024"
down_revision = "a18c626bfbda"
branch_labels = None
depends_on = None

STATES = ("queued", "running", "done", "failed", "expired")


def upgrade():
    op.create_table(
        "feedback_comment_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("extension", sa.String(10), nullable=False),
        sa.Column("state", sa.Enum(*STATES, name="comment_export_state", native_enum=False, create_constraint=True,
                                   length=7), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", engage.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", engage.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("beat_at", engage.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", engage.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("expires_at", engage.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"],
                                name=op.f("fk_feedback_comment_exports_consultation_id_consultations")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_feedback_comment_exports_requested_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_comment_exports")),
    )
    op.create_index("ix_feedback_comment_exports_consultation", "feedback_comment_exports", ["consultation_id", "id"])


def downgrade():
    op.drop_index("ix_feedback_comment_exports_consultation", table_name="feedback_comment_exports")
    op.drop_table("feedback_comment_exports")
