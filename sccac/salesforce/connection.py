"""A simple-salesforce client for a CumulusCI org, for commands that run outside a CumulusCI task."""

from __future__ import annotations

from typing import Any

from sccac.salesforce.org import OrgSetupError


def org_client(org_name: str) -> Any:
    """The org's simple-salesforce client, from CumulusCI's keychain (``cci org connect`` / scratch orgs).

    Inside a task use the task's own ``self.sf``; this is for `sccac` commands run in a CumulusCI project.
    """
    from cumulusci.cli.runtime import CliRuntime
    from cumulusci.core.exceptions import CumulusCIException
    from cumulusci.salesforce_api.utils import get_simple_salesforce_connection

    try:
        runtime = CliRuntime(load_keychain=True)
        _, org_config = runtime.get_org(org_name)
        org_config.refresh_oauth_token(runtime.keychain)
        return get_simple_salesforce_connection(runtime.project_config, org_config)
    except CumulusCIException as exc:
        raise OrgSetupError(f"cannot connect to org '{org_name}': {exc}. List the orgs with `cci org list`; "
                            "connect one with `cci org connect <name>`") from None
