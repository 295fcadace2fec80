"""accounts: the language of the messages a staff member gets (notices, digests, the self-check)

Revision ID: b2c4e6f8a013
Revises: 1600a008efbd
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b2c4e6f8a013"
down_revision = "1600a008efbd"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("message_language", sa.String(10), nullable=False, server_default="zh"))


def downgrade():
    op.drop_column("users", "message_language")
