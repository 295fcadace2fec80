"""events: a sign-up keeps its holder's language, and when the reminder and the questionnaire link were sent

Revision ID: a7e3c5d19b42
Revises: a4c1e2f3b5d6
Create Date: 2026-12-02 18:55:00

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = 'a7e3c5d19b42'
down_revision = 'a4c1e2f3b5d6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='zh', nullable=False))
        batch_op.add_column(sa.Column('reminded_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('questionnaire_sent_at', engage.core.columns.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.drop_column('questionnaire_sent_at')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('language')
