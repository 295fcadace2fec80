"""events: campaigns, events, registrations and their status changes

Revision ID: 48091548a559
Revises: d6726770b269
Create Date: 2026-11-23 08:43:07.549949

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = '48091548a559'
down_revision = 'd6726770b269'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('event_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='campaign_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_event_campaigns_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_campaigns'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('institution_visit', 'service_site_visit', 'online_broadcast', 'forum', 'meeting_observation', name='event_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=False),
    sa.Column('online_link', sa.String(length=500), nullable=False),
    sa.Column('starts_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('registration_opens_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('registration_closes_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('max_party_size', sa.Integer(), nullable=False),
    sa.Column('requires_id_number', sa.Boolean(), nullable=False),
    sa.Column('requires_approval', sa.Boolean(), nullable=False),
    sa.Column('waitlist_enabled', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'cancelled', name='event_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('cancellation_reason', sa.Text(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_sign_up_number', sa.Integer(), server_default='0', nullable=False),
    sa.Column('public_version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('published_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_events_seats_within_capacity')),
    sa.ForeignKeyConstraint(['campaign_id'], ['event_campaigns.id'], name=op.f('fk_events_campaign_id_event_campaigns')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_events_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_campaign_start', ['campaign_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_department_id'), ['department_id'], unique=False)

    op.create_table('event_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('cancel_token_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('active_phone', sa.String(length=20), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('party_size', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected', 'attended', 'no_show', name='registration_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('checked_in_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_event_registrations_checked_in_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_registrations_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registrations')),
    sa.UniqueConstraint('code', name=op.f('uq_event_registrations_code')),
    sa.UniqueConstraint('event_id', 'active_phone', name='uq_event_registrations_active_phone'),
    sa.UniqueConstraint('event_id', 'number', name=op.f('uq_event_registrations_event_id_number'))
    )
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.create_index('ix_event_registrations_listing', ['event_id', 'status', 'number'], unique=False)
        batch_op.create_index('ix_event_registrations_phone', ['phone'], unique=False)

    op.create_table('event_registration_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('from_status', sa.Enum('pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected', 'attended', 'no_show', name='registration_change_from', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected', 'attended', 'no_show', name='registration_change_to', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_event_registration_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registrations.id'], name=op.f('fk_event_registration_changes_registration_id_event_registrations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration_changes'))
    )
    with op.batch_alter_table('event_registration_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_changes_registration_id'), ['registration_id'], unique=False)




def downgrade():
    
    with op.batch_alter_table('event_registration_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_changes_registration_id'))

    op.drop_table('event_registration_changes')
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_event_registrations_phone')
        batch_op.drop_index('ix_event_registrations_listing')

    op.drop_table('event_registrations')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_department_id'))
        batch_op.drop_index('ix_events_campaign_start')

    op.drop_table('events')
    op.drop_table('event_campaigns')

