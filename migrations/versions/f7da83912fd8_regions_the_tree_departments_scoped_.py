"""regions: the tree, departments, scoped staff and sessions placed in it

Existing data moves into one root region: every department and every proposal session is placed in it.
Administrators and supervisors stay unscoped (installation-wide), which is what they were.

The links are tables of their own, not columns: SQLite cannot drop a column with a foreign key, so a column on
``departments`` would make the downgrade rebuild a table that dozens of others refer to.

Revision ID: f7da83912fd8
Revises: c7d2a9e4b150
Create Date: 2026-12-04 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'f7da83912fd8'
down_revision = 'c7d2a9e4b150'
branch_labels = None
depends_on = None

LEVELS = ('province', 'city', 'district', 'street', 'community')


def upgrade():
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=150), server_default='', nullable=False),
    sa.Column('level', sa.Enum(*LEVELS, name='region_level', native_enum=False, create_constraint=True,
                               length=9), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['regions.id'], name=op.f('fk_regions_parent_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('path', name=op.f('uq_regions_path')),
    sa.UniqueConstraint('slug', name=op.f('uq_regions_slug'))
    )
    op.create_index(op.f('ix_regions_parent_id'), 'regions', ['parent_id'], unique=False)
    for table, column, target in (('department_regions', 'department_id', 'departments'),
                                  ('user_regions', 'user_id', 'users'),
                                  ('proposal_session_regions', 'session_id', 'proposal_sessions')):
        op.create_table(table,
        sa.Column(column, sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}')),
        sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f(f'fk_{table}_region_id_regions')),
        sa.PrimaryKeyConstraint(column, name=op.f(f'pk_{table}'))
        )
        op.create_index(op.f(f'ix_{table}_region_id'), table, ['region_id'], unique=False)
    _move_existing_data_into_one_root()


def _move_existing_data_into_one_root():
    """One root region holds what there is; an administrator renames it (and builds the tree below) afterwards."""
    op.execute("INSERT INTO regions (id, parent_id, slug, name, name_en, level, path, is_active) "
               "VALUES (1, NULL, 'root', '本级', 'This level', 'city', '/1/', true)")
    if op.get_bind().dialect.name == 'postgresql':
        # The row came with its id: the sequence must move past it.
        op.execute("SELECT setval(pg_get_serial_sequence('regions', 'id'), 1)")
    op.execute("INSERT INTO department_regions (department_id, region_id) SELECT id, 1 FROM departments")
    op.execute("INSERT INTO proposal_session_regions (session_id, region_id) SELECT id, 1 FROM proposal_sessions")


def downgrade():
    for table in ('proposal_session_regions', 'user_regions', 'department_regions'):
        op.drop_index(op.f(f'ix_{table}_region_id'), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f('ix_regions_parent_id'), table_name='regions')
    op.drop_table('regions')
