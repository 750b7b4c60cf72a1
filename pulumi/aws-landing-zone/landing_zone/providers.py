"""One explicit AWS provider per region, so no resource depends on the operator's AWS_REGION."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_aws as aws

import pulumi

from .settings import Settings
from .tags import default_tags


@dataclass(frozen=True)
class Providers:
    primary: aws.Provider
    copy: aws.Provider

    def opts(self, *, copy: bool = False, **kw) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(provider=self.copy if copy else self.primary, **kw)


def make(s: Settings) -> Providers:
    dt = aws.ProviderDefaultTagsArgs(tags=default_tags(s))
    return Providers(
        primary=aws.Provider("primary", region=s.primary_region, default_tags=dt),
        copy=aws.Provider("copy", region=s.copy_region, default_tags=dt),
    )
