"""findings.basis: how each verdict is known (observed, declared, attested)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Nullable: rows saved before this revision keep NULL, and the store derives their basis when it
reads them, from the resource document saved with the scan (its kind and source type).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("basis", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("basis")
