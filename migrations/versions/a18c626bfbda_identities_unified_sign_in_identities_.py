"""identities: unified sign-in identities and sign-in requests

Staff identities of the OpenID Connect provider (issuer + subject, linked to an account or waiting for an
administrator) and the sign-ins sent to the provider and not back yet (state, nonce, PKCE verifier, used once).

Revision ID: a18c626bfbda
Revises: b2c4e6f8a013
Create Date: 2026-12-04 18:44:20.061744

"""
from alembic import op
import sqlalchemy as sa

import engage.core.columns


# revision identifiers, used by Alembic.
revision = 'a18c626bfbda'
down_revision = 'b2c4e6f8a013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state_hash', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=100), nullable=False),
    sa.Column('code_verifier', sa.String(length=128), nullable=False),
    sa.Column('redirect_uri', sa.String(length=500), nullable=False),
    sa.Column('purpose', sa.Enum('staff', 'citizen', name='sign_in_purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('next_path', sa.String(length=500), nullable=False),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_requests')),
    sa.UniqueConstraint('state_hash', name=op.f('uq_sign_in_requests_state_hash'))
    )
    op.create_index(op.f('ix_sign_in_requests_created_at'), 'sign_in_requests', ['created_at'], unique=False)

    op.create_table('identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('status', sa.Enum('pending', 'linked', 'rejected', name='identity_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('created_at', engage.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', engage.core.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_identities_decided_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identities_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identities')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_identities_issuer_subject'))
    )
    op.create_index(op.f('ix_identities_user_id'), 'identities', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_identities_user_id'), table_name='identities')
    op.drop_table('identities')
    op.drop_index(op.f('ix_sign_in_requests_created_at'), table_name='sign_in_requests')
    op.drop_table('sign_in_requests')
