"""The sansho CrossGuard policy pack: `pulumi preview --policy-pack <this folder>`.

The policies are built from sansho's catalog in sansho_policies.py (importable without starting
the analyzer, which is what tests do); constructing PolicyPack starts Pulumi's analyzer server.
"""

from pulumi_policy import EnforcementLevel, PolicyPack
from sansho_policies import PACK_NAME, build_policies

PolicyPack(
    name=PACK_NAME,
    # Each policy carries its own level (from the control's severity); this is only the fallback.
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=build_policies(),
)
