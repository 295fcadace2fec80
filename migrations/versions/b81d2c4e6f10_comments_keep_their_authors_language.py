"""consultations: a comment keeps the language its author wrote in, for the messages sent to them

Revision ID: b81d2c4e6f10
Revises: a7e3c5d19b42
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b81d2c4e6f10'
down_revision = 'a7e3c5d19b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='zh', nullable=False))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('language')
