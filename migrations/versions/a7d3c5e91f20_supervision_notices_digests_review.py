"""supervision (督办): staff phone and message preferences, units' head contacts, review per session,
notices to units and who got them, digests sent, 督办 steps, replies held for review and their sign-offs

Revision ID: a7d3c5e91f20
Revises: a7e1c3f5b902
Create Date: 2026-12-03 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3c5e91f20'
down_revision = 'a7e1c3f5b902'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True)


NOTICE_KINDS = ('assigned', 'opinion_requested', 'objection_decided', 'due_soon', 'due_today', 'overdue', 'chased',
                'escalated', 'reply_returned', 'signoff_requested')
STEP_KINDS = ('chased', 'chase_answered', 'escalated', 'submitted', 'signoff_requested', 'signed_off', 'approved',
              'returned')


def upgrade():
    op.add_column('users', sa.Column('phone', sa.String(length=40), server_default='', nullable=False))
    op.add_column('users', sa.Column('notify_by', _enum('user_notify_by', 'email', 'sms'), server_default='email',
                                     nullable=False))
    op.add_column('users', sa.Column('message_timing', _enum('user_message_timing', 'immediate', 'daily', 'weekly'),
                                     server_default='immediate', nullable=False))
    for name, length in (('head_contact_name', 100), ('head_contact_email', 254), ('head_contact_phone', 40)):
        op.add_column('departments', sa.Column(name, sa.String(length=length), server_default='', nullable=False))
    op.add_column('proposal_sessions', sa.Column('review_required', sa.Boolean(), server_default='0', nullable=False))

    op.create_table(
        'proposal_unit_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('round_number', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('kind', _enum('proposal_notice_kind', *NOTICE_KINDS), nullable=False),
        sa.Column('step', sa.Integer(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=40), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('proposal_id', 'round_number', 'department_id', 'dedupe_key',
                            name='uq_proposal_unit_notices_key'),
    )
    op.create_index('ix_proposal_unit_notices_proposal_id', 'proposal_unit_notices', ['proposal_id'])
    op.create_index('ix_proposal_unit_notices_department_created', 'proposal_unit_notices',
                    ['department_id', 'created_at'])
    op.create_table(
        'proposal_notice_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('via', sa.String(length=10), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['notice_id'], ['proposal_unit_notices.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('notice_id', 'user_id', name='uq_proposal_notice_deliveries_pair'),
    )
    op.create_index('ix_proposal_notice_deliveries_notice_id', 'proposal_notice_deliveries', ['notice_id'])
    op.create_index('ix_proposal_notice_deliveries_user_id', 'proposal_notice_deliveries', ['user_id'])
    op.create_table(
        'proposal_digests_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('items', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'kind', 'period_start', name='uq_proposal_digests_sent_period'),
    )
    op.create_table(
        'proposal_supervision_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('round_number', sa.Integer(), nullable=False),
        sa.Column('kind', _enum('proposal_supervision_step_kind', *STEP_KINDS), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('answers_id', sa.Integer(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id']),
        sa.ForeignKeyConstraint(['answers_id'], ['proposal_supervision_steps.id']),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_proposal_supervision_steps_proposal_id', 'proposal_supervision_steps', ['proposal_id'])
    op.create_index('ix_proposal_supervision_steps_kind_at', 'proposal_supervision_steps', ['kind', 'at'])
    op.create_table(
        'proposal_reply_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('round_number', sa.Integer(), nullable=False),
        sa.Column('state', _enum('proposal_review_state', 'signoff', 'pending', 'approved', 'returned'),
                  nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('replied_on', sa.Date(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('is_published', sa.Boolean(), nullable=False),
        sa.Column('unpublished_reason', sa.Text(), nullable=False),
        sa.Column('pdf_stored_name', sa.String(length=80), nullable=True),
        sa.Column('pdf_filename', sa.String(length=200), nullable=False),
        sa.Column('pdf_size', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('return_reason', sa.Text(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reply_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id']),
        sa.ForeignKeyConstraint(['reply_id'], ['proposal_replies.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_proposal_reply_drafts_proposal_id', 'proposal_reply_drafts', ['proposal_id'])
    op.create_index('ix_proposal_reply_drafts_state', 'proposal_reply_drafts', ['state'])
    op.create_table(
        'proposal_reply_signoffs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('signed_by_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.ForeignKeyConstraint(['draft_id'], ['proposal_reply_drafts.id']),
        sa.ForeignKeyConstraint(['signed_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('draft_id', 'department_id', name='uq_proposal_reply_signoffs_unit'),
    )
    op.create_index('ix_proposal_reply_signoffs_draft_id', 'proposal_reply_signoffs', ['draft_id'])


def downgrade():
    op.drop_table('proposal_reply_signoffs')
    op.drop_table('proposal_reply_drafts')
    op.drop_table('proposal_supervision_steps')
    op.drop_table('proposal_digests_sent')
    op.drop_table('proposal_notice_deliveries')
    op.drop_table('proposal_unit_notices')
    # Plain drops (SQLite 3.35+ drops a column in place): no table rebuild of tables others reference.
    op.drop_column('proposal_sessions', 'review_required')
    for name in ('head_contact_phone', 'head_contact_email', 'head_contact_name'):
        op.drop_column('departments', name)
    op.drop_column('users', 'message_timing')
    op.drop_column('users', 'notify_by')
    op.drop_column('users', 'phone')
