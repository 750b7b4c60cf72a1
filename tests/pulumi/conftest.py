"""Importing pulumi_aws.s3 warns about the deprecated V2 classes (BucketV2 …), importing pulumi_gcp
about its misspelt aliases; those warnings are the SDKs' own, not ours, so only they are filtered."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:pulumi_aws")
    # pulumi_gcp's __init__ imports its own deprecated aliases (MangedSslCertificate …)
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:pulumi_gcp")
    config.addinivalue_line("filterwarnings", "ignore:.*is deprecated.*:DeprecationWarning:pulumi")


@pytest.fixture(scope="session")
def dev_resources() -> list[dict]:
    """The landing zone with the example stack config (Pulumi.dev.yaml), run once per session."""
    from .harness import dev_config, run_landing_zone

    return run_landing_zone(dev_config())
