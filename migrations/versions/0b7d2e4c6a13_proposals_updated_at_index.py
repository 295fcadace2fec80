"""proposals: index on updated_at, the version of the cached public list (proposals-public)

Revision ID: 0b7d2e4c6a13
Revises: 5c1f0e7a9b21
Create Date: 2026-11-23 09:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0b7d2e4c6a13"
down_revision = "5c1f0e7a9b21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index("ix_proposals_updated_at", ["updated_at"], unique=False)


def downgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_updated_at")
