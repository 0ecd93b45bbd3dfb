"""CumulusCI task: deploy the SCC-AC Lambdas with `sam deploy`, parameters read from the org and the instance."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cumulusci.core.exceptions import CumulusCIFailure
from cumulusci.tasks.salesforce import BaseSalesforceApiTask

from python_tasks.support import apply_renamed_options, cumulusci_errors, renamed_options
from sccac.connect.session import aws_session, connect_client, missing_aws_setup, resolve_instance
from sccac.connect.snapshot import describe_instance
from sccac.provision.domains import scrt_domain
from sccac.provision.lambdas import LambdaStack, sam_commands, sam_executable
from sccac.salesforce import org as org_access
from sccac.salesforce.render import SCCAC_DEFINITION_LABEL


@renamed_options({"stack_name": "sam_stack"})
class DeployLambdas(BaseSalesforceApiTask):
    task_docs = (
        "Builds and deploys aws/template.yaml (CreateMessagingSession and Routing) with sam, without prompts: the org's "
        "Interaction Service domain, the secret setup_interaction_auth wrote, the channel definition and the Connect "
        "instance ARN as parameters. Its outputs feed wire_connect (sam_stack). Skipped without an instance or AWS credentials."
    )
    task_options = {
        "sam_stack": {"description": "Name of the SAM (CloudFormation) stack of aws/template.yaml (default: sccac)"},
        "instance_id": {"description": "Connect instance id, ARN or alias (unset: skipped)"},
        "region": {"description": "AWS region of the instance and the functions"},
        "profile": {"description": "AWS profile (default: the environment's credentials)"},
        "secret_name": {"description": "The Lambdas' Secrets Manager secret (default: sccac/<org id>)"},
        "channel_definition": {"description": "Developer name of the channel definition (default: the org's SCC-AC one, "
                                              "else SCCAC_Chat_Definition)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        apply_renamed_options(self)

    def _run_task(self):
        if not self.options.get("instance_id"):
            self._skip("no instance_id: set project custom connect_instance in cumulusci.yml")
            return
        missing = missing_aws_setup(self.options.get("region"), self.options.get("profile"))
        if missing:
            self._skip(missing)
            return
        with cumulusci_errors():
            session = aws_session(self.options.get("region"), self.options.get("profile"))
            client = connect_client(session)
            instance_arn = describe_instance(client, resolve_instance(client, self.options["instance_id"]))
            found = org_access.find_channel_definition(self.sf, label=SCCAC_DEFINITION_LABEL)
            stack = LambdaStack(
                stack_name=self.options.get("sam_stack") or "sccac", region=session.region_name,
                scrt_domain=scrt_domain(self.org_config.instance_url),
                secret_name=self.options.get("secret_name") or f"sccac/{self.org_config.org_id}",
                authorization_context=self.options.get("channel_definition") or (found[1] if found else "SCCAC_Chat_Definition"),
                connect_instance_arn=instance_arn,
            )
            root = Path(self.project_config.repo_root or ".")
            commands = sam_commands(sam_executable(root), stack, Path("out/sam/deploy"), self.options.get("profile"))
        for command in commands:
            self.logger.info("Running " + " ".join(command[:2]))
            result = subprocess.run(command, cwd=root, env={**os.environ, "SAM_CLI_TELEMETRY": "0"}, check=False)
            if result.returncode != 0:
                raise CumulusCIFailure(f"`{' '.join(command[:2])}` failed with exit {result.returncode}; see its output above")
        self.return_values = {"sam_stack": stack.stack_name, **stack.parameters()}

    def _skip(self, reason: str) -> None:
        self.logger.warning(f"Lambda deploy skipped: {reason}; then run cci task run deploy_lambdas")
        self.return_values = {"skipped": reason}
