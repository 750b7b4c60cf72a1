"""Azure setting semantics shared by the Azure collector (live and exports) and the IaC reader."""

from __future__ import annotations

import pytest

from sansho.collectors.azure_documents import storage_account_public

PRIVATE, PUBLIC = ["none", "private"], ["none", "Blob"]


@pytest.mark.parametrize(("anonymous", "network", "action", "ips", "containers", "expected"), [
    (False, True, "allow", False, None, False),     # anonymous access off: nothing to read without credentials
    (True, False, "allow", False, None, False),     # no public network access
    (True, True, "deny", False, None, False),       # firewall denies by default, no address range let in
    (True, True, "allow", False, None, True),       # the benchmark case: proven from the account alone
    (True, True, "allow", False, PRIVATE, True),    # ... whatever the containers say today
    (True, True, "deny", True, None, None),         # a range let in: the containers decide, and were not read
    (True, True, "deny", True, PRIVATE, False),
    (True, True, "deny", True, PUBLIC, True),
    (None, True, "allow", False, PUBLIC, None),     # anonymous access unresolved, a container opted in
    (None, True, "allow", False, PRIVATE, False),    # nothing opted in
    (True, None, None, None, None, None),           # nothing read proves it either way
    (True, True, "deny", True, ["none", None], None),
])
def test_storage_account_public(anonymous, network, action, ips, containers, expected):
    assert storage_account_public(anonymous, network, action, ips, containers) is expected
