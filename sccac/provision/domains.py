"""The org's hosts the Lambdas call: the Interaction Service domain and the login URL, from the org's My Domain."""

from __future__ import annotations

from urllib.parse import urlsplit

from sccac.errors import SccacUsageError


def scrt_domain(instance_url: str) -> str:
    """``https://acme.my.salesforce.com`` -> ``acme.my.salesforce-scrt.com`` (sandboxes keep their
    ``.sandbox`` part): the Interaction Service lives on the My Domain with ``-scrt`` added."""
    host = (urlsplit(instance_url).hostname or "").lower()
    if not host.endswith(".my.salesforce.com"):
        raise SccacUsageError(
            f"the org's URL {instance_url} is not a My Domain URL (*.my.salesforce.com); the Interaction Service "
            "needs My Domain: turn it on in Setup > My Domain, then reconnect the org (cci org connect)"
        )
    return host[: -len(".my.salesforce.com")] + ".my.salesforce-scrt.com"


def login_url(instance_url: str) -> str:
    """The token endpoint host for the JWT bearer flow: the org's own My Domain URL (works for every org kind)."""
    host = urlsplit(instance_url).hostname
    if not host:
        raise SccacUsageError(f"the org's URL {instance_url!r} has no host name")
    return f"https://{host.lower()}"
