"""feedback: opinion groups, comments' answers, offline opinions, reports and their hash-chained revisions

Revision ID: f976511417b3
Revises: d20c4a0206a9
Create Date: 2026-11-23 08:43:15.135628

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = 'f976511417b3'
down_revision = 'd20c4a0206a9'
branch_labels = None
depends_on = None

OUTCOMES = ('adopted', 'partly_adopted', 'not_adopted', 'out_of_scope')
OLD_STATUSES = ('pending', 'published', 'rejected')
NEW_STATUSES = (*OLD_STATUSES, 'recorded')


def _status_check(statuses):
    return "status IN (" + ", ".join(f"'{status}'" for status in statuses) + ")"


def upgrade():
    op.create_table('feedback_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('current_revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_feedback_reports_consultation_id_consultations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_reports')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_feedback_reports_consultation_id'))
    )
    op.create_table('feedback_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('published_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_by_name', sa.String(length=100), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_feedback_revisions_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_feedback_revisions_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_revisions')),
    sa.UniqueConstraint('consultation_id', 'number', name=op.f('uq_feedback_revisions_consultation_id_number'))
    )
    op.create_table('opinion_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'accepted', name='opinion_group_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('representative_id', sa.Integer(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum(*OUTCOMES, name='answer_outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('answered_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_opinion_groups_answered_by_id_users')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_opinion_groups_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['representative_id'], ['comments.id'], name=op.f('fk_opinion_groups_representative_id_comments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opinion_groups'))
    )
    with op.batch_alter_table('opinion_groups', schema=None) as batch_op:
        batch_op.create_index('ix_opinion_groups_consultation', ['consultation_id', 'status'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('opinion_group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answer_outcome', sa.Enum(*OUTCOMES, name='comment_answer_outcome', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('answer_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('answered_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_outcome', sa.Enum(*OUTCOMES, name='comment_published_outcome', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('published_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_index('ix_comments_opinion_group', ['opinion_group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_opinion_group_id_opinion_groups'), 'opinion_groups', ['opinion_group_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_comments_answered_by_id_users'), 'users', ['answered_by_id'], ['id'])
        # Offline opinions kept off the public list get a status of their own.
        batch_op.drop_constraint(op.f('ck_comments_comment_status'), type_='check')
        batch_op.alter_column('status', existing_type=sa.String(length=9), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_comments_comment_status'), _status_check(NEW_STATUSES))


def downgrade():
    op.execute("UPDATE comments SET status = 'rejected' WHERE status = 'recorded'")
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_comments_comment_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_comments_comment_status'), _status_check(OLD_STATUSES))
        batch_op.drop_constraint(batch_op.f('fk_comments_answered_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_comments_opinion_group_id_opinion_groups'), type_='foreignkey')
        batch_op.drop_index('ix_comments_opinion_group')
        batch_op.drop_constraint(op.f('ck_comments_comment_published_outcome'), type_='check')
        batch_op.drop_column('published_reason')
        batch_op.drop_column('published_outcome')
        batch_op.drop_column('answered_by_id')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answer_reason')
        batch_op.drop_constraint(op.f('ck_comments_comment_answer_outcome'), type_='check')
        batch_op.drop_column('answer_outcome')
        batch_op.drop_column('opinion_group_id')
        batch_op.drop_column('received_on')

    with op.batch_alter_table('opinion_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_opinion_groups_consultation')
    op.drop_table('opinion_groups')
    op.drop_table('feedback_revisions')
    op.drop_table('feedback_reports')
