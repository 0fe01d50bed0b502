"""users locale: the interface language a user chose (None until they choose)

Revision ID: a1d4e7c3b9f2
Revises: 8e4b6d1a2c95
Create Date: 2026-12-04 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1d4e7c3b9f2'
down_revision = '8e4b6d1a2c95'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
