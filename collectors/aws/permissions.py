"""The least-privilege read-only IAM policy the AWS collector needs.

It is generated from the ``PERMISSIONS`` list each service module declares; a test fails when
the collector calls an API that no module declares.
"""

from __future__ import annotations

from typing import Any

from . import org
from .services import MODULES

# Needed before any service is read: who am I, which regions are on.
FRAME_PERMISSIONS = ["sts:GetCallerIdentity", "ec2:DescribeRegions"]


def declared() -> dict[str, list[str]]:
    """Module name → the IAM actions it declares."""
    out = {"frame": list(FRAME_PERMISSIONS)}
    for m in MODULES:
        out[m.__name__.rsplit(".", 1)[-1]] = list(m.PERMISSIONS)
    out["org"] = list(org.PERMISSIONS)  # only with --org-role
    return out


def all_actions() -> list[str]:
    return sorted({a for actions in declared().values() for a in actions})


def policy_document() -> dict[str, Any]:
    """An IAM policy document granting exactly the read actions the collector calls."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "SanshoReadOnly",
            "Effect": "Allow",
            "Action": all_actions(),
            "Resource": "*",
        }],
    }
