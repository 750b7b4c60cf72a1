"""An AWS collection and what an account read and an organization read share: the result
type, the order of read errors and entering a role. Apart from the package so that ``org``
(which the package imports) never imports the package back."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sansho.policies.console import collected_ja
from sansho.policies.model import Resource

from .core import ReadError, ReadFailure, make_client

HOME = "us-east-1"  # the region of the global APIs (STS, IAM, Organizations)


@dataclass
class AwsCollection:
    resources: list[Resource]
    errors: list[ReadError]
    calls: Counter = field(default_factory=Counter)
    account: str | None = None
    regions: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)  # every account read (several with org_role)
    failed_accounts: list[str] = field(default_factory=list)  # org_role: accounts that could not be entered or read
    organization: bool = False  # read with org_role

    def summary(self) -> dict[str, Any]:
        return {"account": self.account, "accounts": self.accounts, "failed_accounts": self.failed_accounts,
                "organization": self.organization, "regions": self.regions,
                "resources": len(self.resources), "read_errors": len(self.errors),
                "api_calls": sum(self.calls.values())}

    def summary_line(self) -> str:
        """The one line ``sansho collect aws`` prints on stderr."""
        s = self.summary()
        who = f"AWS {s['account']}"
        if self.organization:
            who = (f"AWS organization ({s['account']}): {len(self.accounts)} account(s) read "
                   f"({', '.join(self.accounts) or 'none'}), {len(self.failed_accounts)} could not be read"
                   + (f" ({', '.join(self.failed_accounts)})" if self.failed_accounts else "") + ";")
        return (f"{who}{'' if self.organization else ':'} {s['resources']} resources from {len(s['regions'])} "
                f"regions, {s['api_calls']} API calls; {s['read_errors']} items could not be read"
                + (" (they are judged UNKNOWN, with the reason)" if s["read_errors"] else "")
                + collected_ja(s["resources"], s["read_errors"]))


def assume(session: Any, role_arn: str, endpoint_url: str | None, max_attempts: int, connect_timeout: float,
           read_timeout: float) -> tuple[Any, tuple[str, ...]]:
    """A session in ``role_arn`` and its secrets; :class:`ReadFailure` (code only) when refused."""
    import boto3

    sts = make_client(session, "sts", HOME, endpoint_url, max_attempts, 1, connect_timeout, read_timeout)
    try:
        c = sts.assume_role(RoleArn=role_arn, RoleSessionName="sansho-collect")["Credentials"]
    except Exception as e:  # noqa: BLE001 - only the code is kept: messages may echo request details
        code = str(getattr(e, "response", {}).get("Error", {}).get("Code") or type(e).__name__)
        raise ReadFailure(f"{code}: sts:AssumeRole {role_arn}", "sts:AssumeRole", code, "sts", None) from None
    new = boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                        aws_session_token=c["SessionToken"])
    return new, (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


def err_key(e: ReadError) -> tuple[str, str, str, str]:
    return (e.service, e.region or "", e.api, e.resource or "")
