"""scans.selection: the filter a scan ran with (NULL: every control)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Scans saved before this revision recorded no filter: they stay NULL, i.e. complete. A
    # filtered scan saved by an earlier sansho cannot be told apart (its controls list is shorter).
    with op.batch_alter_table("scans") as batch:
        batch.add_column(sa.Column("selection", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scans") as batch:
        batch.drop_column("selection")
