"""certificates: the camp's title and dates on the rule, and kept on each certificate

Revision ID: b41c0e7d9a35
Revises: 706e6dcecee8
Create Date: 2026-12-04 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b41c0e7d9a35'
down_revision = '706e6dcecee8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('camp_title', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohort_name', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('camp_title', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')
        batch_op.drop_column('camp_title')
        batch_op.drop_column('cohort_name')

    with op.batch_alter_table('certificate_rules', schema=None) as batch_op:
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')
        batch_op.drop_column('camp_title')
