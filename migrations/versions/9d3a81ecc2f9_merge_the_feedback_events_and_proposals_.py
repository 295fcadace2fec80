"""Merge the feedback, events and proposals migrations

Revision ID: 9d3a81ecc2f9
Revises: 0b7d2e4c6a13, c10c107f1ae2, f976511417b3
Create Date: 2026-11-23 11:17:57.026183

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = '9d3a81ecc2f9'
down_revision = ('0b7d2e4c6a13', 'c10c107f1ae2', 'f976511417b3')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
