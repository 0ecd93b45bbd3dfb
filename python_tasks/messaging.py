"""CumulusCI tasks that put the org-specific Salesforce side in place: the messaging channel and the Connect credentials."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cumulusci.core.exceptions import TaskOptionsError
from cumulusci.tasks.salesforce import BaseSalesforceApiTask

from python_tasks import support
from python_tasks.support import cumulusci_errors
from sccac.salesforce import org as org_access
from sccac.salesforce.render import (
    SCCAC_DEFINITION_LABEL,
    CredentialOptions,
    MessagingOptions,
    render_credentials,
    render_messaging,
)
from sccac.salesforce.validation import RenderOptionError


@support.renamed_options({"path": "out"})
class DeployMessagingChannel(BaseSalesforceApiTask):
    task_docs = (
        "Renders the SCC-AC messaging channel for this org (and the package's own channel definition unless the org "
        "has SCC-AC's 'Chat Channel Definition AWS SCC'), deploys it, links channel and definition with a "
        "CustomMsgChannel record when the link is missing, and returns the channel's ChannelAddressIdentifier "
        "(return value channel_address_identifier) for the inbound flow."
    )
    task_options = {
        "queue": {"description": "Omni-Queue developer name the channel routes to (default: SCCAC_Support)"},
        "routing": {"description": "queue or flow (default: queue)"},
        "flow": {"description": "Omni-Flow developer name (with routing: flow)"},
        "channel_label": {"description": "Channel label (default: Amazon Connect Chat)"},
        "channel_name": {"description": "Channel developer name (default: SCCAC_Amazon_Connect_Chat)"},
        "existing_definition": {
            "description": "Developer name of a channel definition the org has; default: SCC-AC's own when the org has it, "
            "else the package's"
        },
        "out": {"description": "Folder the metadata is rendered into before the deploy (default: out/render/messaging)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        support.apply_renamed_options(self)
        self.messaging = MessagingOptions(
            queue=self.options.get("queue") or "SCCAC_Support",
            routing=self.options.get("routing") or "queue",
            flow=self.options.get("flow"),
            channel_label=self.options.get("channel_label") or "Amazon Connect Chat",
            channel_developer_name=self.options.get("channel_name") or "SCCAC_Amazon_Connect_Chat",
            existing_definition=self.options.get("existing_definition"),
        )
        try:
            self.messaging = self.messaging.validated()
        except RenderOptionError as exc:
            raise TaskOptionsError(str(exc)) from None
        self.path = Path(self.options.get("out") or "out/render/messaging")

    def _run_task(self):
        options = self.messaging
        with cumulusci_errors():
            if not options.existing_definition:
                found = org_access.find_channel_definition(self.sf, label=SCCAC_DEFINITION_LABEL)
                if found:
                    self.logger.info(f"Using the org's SCC-AC channel definition {found[1]}")
                    options = replace(options, existing_definition=found[1])
            result = render_messaging(options, self.path)
            support.deploy_folder(self, result.directory)
            channel_id, identifier = org_access.read_messaging_channel(self.sf, options.channel_developer_name)
            definition = org_access.find_channel_definition(self.sf, developer_name=result.channel_definition)
            if definition is None:
                raise org_access.OrgSetupError(
                    f"the channel definition {result.channel_definition} is not in the org after the deploy; "
                    "check the deploy's messages and that the org has Bring Your Own Channel for CCaaS"
                )
            created = org_access.ensure_custom_msg_channel(self.sf, channel_id, definition[0])
        self.logger.info(("Linked" if created else "Already linked") + f" {options.channel_developer_name} to {definition[1]}")
        self.logger.info(f"ChannelAddressIdentifier of {options.channel_developer_name}: {identifier}")
        self.return_values = {"channel_address_identifier": identifier, "channel_id": channel_id,
                              "channel_definition": definition[1]}


@support.renamed_options({"path": "out"})
class DeployConnectCredentials(BaseSalesforceApiTask):
    task_docs = (
        "Renders and deploys the Named Credential and External Credential (AWS Signature V4, service connect) the Case "
        "routing calls Amazon Connect through, with the integration permission set. The AWS keys stay a manual Setup step."
    )
    task_options = {
        "region": {"description": "AWS region of the Connect instance", "required": True},
        "auth": {"description": "access_key or sts_role (default: access_key)"},
        "aws_account_id": {"description": "12-digit AWS account of the IAM role (with auth: sts_role)"},
        "named_credential": {"description": "Named Credential developer name (default: Amazon_Connect_<region>)"},
        "out": {"description": "Folder the metadata is rendered into (default: out/render/connect_credentials)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        support.apply_renamed_options(self)
        try:
            self.credentials = CredentialOptions(
                region=self.options.get("region") or "",
                auth=self.options.get("auth") or "access_key",
                aws_account_id=self.options.get("aws_account_id"),
                named_credential=self.options.get("named_credential"),
            ).validated()
        except RenderOptionError as exc:
            raise TaskOptionsError(str(exc)) from None
        self.path = Path(self.options.get("out") or "out/render/connect_credentials")

    def _run_task(self):
        with cumulusci_errors():
            result = render_credentials(self.credentials, self.path)
            support.deploy_folder(self, result.directory)
        self.return_values = {"named_credential": self.credentials.named_credential, "region": self.credentials.region}
        self.logger.info(f"Deployed {self.credentials.named_credential}; its AWS keys are set in Setup > Named Credentials "
                         f"> External Credentials > {self.credentials.external_credential} > Principals")
