"""scans, findings and resources

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_Json = sa.JSON(none_as_null=True)


def upgrade() -> None:
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("tool_version", sa.String(length=64), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("controls", _Json, nullable=False),
        sa.Column("inputs", _Json, nullable=False),
        sa.Column("notes", _Json, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scans")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_scans_period_as_of", "scans", ["period", "as_of"])

    op.create_table(
        "findings",
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("control_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resource_kind", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.Text(), nullable=False),
        sa.Column("message_ja", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("evidence", _Json, nullable=True),
        sa.Column("suppression", _Json, nullable=True),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], name=op.f("fk_findings_scan_id_scans"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scan_id", "position", name=op.f("pk_findings")),
    )
    op.create_index("ix_findings_control", "findings", ["control_id", "scan_id"])
    op.create_index("ix_findings_scan_status", "findings", ["scan_id", "status"])

    op.create_table(
        "resources",
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.Text(), nullable=False),
        sa.Column("document", _Json, nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], name=op.f("fk_resources_scan_id_scans"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scan_id", "position", name=op.f("pk_resources")),
    )
    op.create_index("ix_resources_kind_id", "resources", ["kind", "resource_id"])


def downgrade() -> None:
    op.drop_table("resources")
    op.drop_table("findings")
    op.drop_table("scans")
