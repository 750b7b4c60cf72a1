"""What Azure settings mean, for the Azure collector (live and ``az graph query`` exports) and the
IaC reader (azurerm) alike, so an account means the same thing wherever it was read.
"""

from __future__ import annotations

from collections.abc import Iterable

# Container public access levels that let anyone read without credentials.
PUBLIC_CONTAINER_ACCESS = frozenset({"blob", "container"})


def storage_account_public(anonymous: bool | None, public_network: bool | None, default_action: str | None,
                           ip_rules: bool | None, containers: Iterable[str | None] | None) -> bool | None:
    """Whether anyone on the internet can read a storage account's blobs without credentials.

    ``anonymous``: the account permits anonymous (public) blob access (``allowBlobPublicAccess``,
    ``allow_nested_items_to_be_public``); ``public_network``: public network access is enabled;
    ``default_action``: the network rules' default action (``allow`` / ``deny``); ``ip_rules``:
    the network rules let some internet address range in; ``containers``: each container's public
    access level (``None`` in the list: unresolved), or ``None`` when the containers were not read.
    ``None`` for any input means it is not known.

    The account-level settings decide first, as Azure's own benchmark judges them: anonymous
    access off, or an account no internet address can reach, is not public whatever the
    containers say; anonymous access on for an account every network reaches is public, because
    any container can be opened to the world without changing the account (no container read is
    needed to see that). Otherwise (some address ranges allowed through the firewall) the
    containers decide. ``None`` when nothing read proves it either way.
    """
    if public_network is False or (default_action == "deny" and ip_rules is False):
        reach: str | None = "none"
    elif public_network is True and default_action == "allow":
        reach = "all"
    elif public_network is True and default_action == "deny" and ip_rules is True:
        reach = "some"
    else:
        reach = None
    if anonymous is False or reach == "none":
        return False
    if anonymous is True and reach == "all":
        return True
    if containers is None:
        return None
    levels = [c.lower() if isinstance(c, str) else None for c in containers]
    if all(lv is not None and lv not in PUBLIC_CONTAINER_ACCESS for lv in levels):
        return False  # nothing opted in, whatever the account allows
    if anonymous is True and reach is not None and any(lv in PUBLIC_CONTAINER_ACCESS for lv in levels):
        return True
    return None
