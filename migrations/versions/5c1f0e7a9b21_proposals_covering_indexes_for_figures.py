"""proposals: covering indexes for the public figures and list (proposals-public)

Revision ID: 5c1f0e7a9b21
Revises: 92b0eca96316
Create Date: 2026-11-23 09:05:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c1f0e7a9b21"
down_revision = "92b0eca96316"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_proposals_figures",
            ["session_id", "kind", "outcome", "status", "due_on", "replied_on", "replied_on_time", "assigned_on",
             "updated_at"],
            unique=False,
        )
    with op.batch_alter_table("proposal_units", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_units_case_role", ["proposal_id", "role", "department_id"], unique=False)
    with op.batch_alter_table("proposal_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_ratings_case", ["proposal_id", "satisfaction"], unique=False)


def downgrade():
    with op.batch_alter_table("proposal_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_proposal_ratings_case")
    with op.batch_alter_table("proposal_units", schema=None) as batch_op:
        batch_op.drop_index("ix_proposal_units_case_role")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_figures")
