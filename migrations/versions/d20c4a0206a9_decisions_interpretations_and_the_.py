"""decisions, interpretations and the annual catalogue

Revision ID: d20c4a0206a9
Revises: d6726770b269
Create Date: 2026-11-23 08:42:54.404763

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = 'd20c4a0206a9'
down_revision = 'd6726770b269'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('decision_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_decision_files_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_decision_files_stored_name'))
    )
    op.create_table('catalogue_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('planned_timing', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('listed', 'postponed', 'dropped', name='catalogue_entry_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('meeting', sa.String(length=200), nullable=False),
    sa.Column('deliberated_on', sa.Date(), nullable=True),
    sa.Column('deliberation_outcome', sa.Text(), nullable=False),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_catalogue_entries_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_catalogue_entries_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_entries'))
    )
    with op.batch_alter_table('catalogue_entries', schema=None) as batch_op:
        batch_op.create_index('ix_catalogue_entries_year_department', ['year', 'department_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('document_number', sa.String(length=100), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('interpretation_due_on', sa.Date(), nullable=False),
    sa.Column('interpretation_title', sa.String(length=200), nullable=False),
    sa.Column('interpretation_url', sa.String(length=500), nullable=False),
    sa.Column('interpretation_file_id', sa.Integer(), nullable=True),
    sa.Column('interpreted_on', sa.Date(), nullable=True),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_decisions_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_decisions_created_by_id_users')),
    sa.ForeignKeyConstraint(['file_id'], ['decision_files.id'], name=op.f('fk_decisions_file_id_decision_files')),
    sa.ForeignKeyConstraint(['interpretation_file_id'], ['decision_files.id'], name=op.f('fk_decisions_interpretation_file_id_decision_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_decisions_consultation_id'))
    )
    op.create_table('catalogue_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('change', sa.Enum('added', 'amended', 'postponed', 'dropped', 'restored', name='catalogue_change_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('planned_timing', sa.String(length=100), nullable=False),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_catalogue_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['catalogue_entries.id'], name=op.f('fk_catalogue_changes_entry_id_catalogue_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_changes'))
    )
    with op.batch_alter_table('catalogue_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_changes_entry_id'), ['entry_id'], unique=False)


def downgrade():
    with op.batch_alter_table('catalogue_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_changes_entry_id'))

    op.drop_table('catalogue_changes')
    op.drop_table('decisions')
    with op.batch_alter_table('catalogue_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_catalogue_entries_year_department')

    op.drop_table('catalogue_entries')
    op.drop_table('decision_files')
