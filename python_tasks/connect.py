"""CumulusCI task over the Connect wiring engine: plan and apply the Connect side for the org's mapping."""

from __future__ import annotations

import json
from pathlib import Path

from cumulusci.core.exceptions import TaskOptionsError
from cumulusci.core.utils import process_bool_arg
from cumulusci.tasks.salesforce import BaseSalesforceApiTask

from python_tasks.support import apply_renamed_options, cumulusci_errors, renamed_options
from sccac.connect.document import DEFAULT_WIRING_DOCUMENT
from sccac.connect.render import LoggingProgress, plan_lines, summary_line
from sccac.connect.options import wiring_options_from
from sccac.connect.run import WiringOptions, open_run
from sccac.connect.session import aws_session, missing_aws_setup
from sccac.connect.stack import lambda_arns_from_stack
from sccac.mappings.model import DEFAULT_MAPPING_FILE
from sccac.salesforce import org as org_access

#: Where the wiring's output document goes; deploy_queue_mappings and configure_case_routing read it.


@renamed_options({"output": "out", "project": "project_tag"})
class WireConnect(BaseSalesforceApiTask):
    task_docs = (
        "Wires the Amazon Connect instance for this org: associates the Lambdas, creates the mapped queues, deploys the "
        "flows and module with real ARNs (the inbound flow gets the org's ChannelAddressIdentifier), creates quick "
        "connects. A re-run makes no write call. Skipped with one line when no instance or no AWS credentials are set."
    )
    task_options = {
        "instance_id": {"description": "Connect instance id, ARN or alias (unset: the step is skipped)"},
        "region": {"description": "AWS region of the instance (default: the profile's)"},
        "profile": {"description": "AWS profile (default: the environment's credentials)"},
        "sam_stack": {"description": "Name of the SAM stack of aws/template.yaml: the Lambda ARNs come from its outputs"},
        "session_lambda_arn": {"description": "CreateMessagingSession ARN (instead of sam_stack)"},
        "routing_lambda_arn": {"description": "Routing ARN (instead of sam_stack)"},
        "channel_name": {"description": "MessagingChannel developer name whose ChannelAddressIdentifier the inbound flow "
                                        "gets (default: SCCAC_Amazon_Connect_Chat)"},
        "channel_address_identifier": {"description": "The ChannelAddressIdentifier itself, instead of reading it "
                                                      "from the org"},
        "mapping": {"description": f"The queue mapping file (default: {DEFAULT_MAPPING_FILE})"},
        "fallback_queue": {"description": "Queue name or ARN for contacts routing leaves unqueued (default: the first mapping's)"},
        "routing_profile": {"description": "Add every mapped queue to this routing profile"},
        "staffing": {"description": "A staffing file (path): agents' routing profiles and Connect users to create; on an "
                                    "instance that manages its own users their password comes from SCCAC_CONNECT_AGENT_PASSWORD"},
        "dry_run": {"description": "True: show the plan, write nothing (default: False)"},
        "create_queues": {"description": "True: create every missing Connect queue the mapping names (default: each "
                                         "entry's create flag)"},
        "take_ownership": {"description": "True: update same-name resources sccac did not create"},
        "overwrite_console_edits": {"description": "True: replace flows edited in the console since sccac deployed them"},
        "out": {"description": f"The output document for the Salesforce side (default: {DEFAULT_WIRING_DOCUMENT})"},
        "offline": {"description": "True: wire a new in-memory Connect instance (no AWS; to try the flow)"},
        "skip_service_quotas": {"description": "True: use Connect's default quotas without asking Service Quotas"},
        # The rest of `sccac connect`'s flags, by the same names.
        "retry_count": {"description": "Lambda attempts in each retry loop of the flows, 1..100 (default: 3)"},
        "name_prefix": {"description": "Prefix of the flow names (default: SCCAC)"},
        "transcription": {"description": "False: do not deploy the transcription module or invoke it (default: True)"},
        "quick_connects": {"description": "False: create no queue quick connects (default: True)"},
        "hours_of_operation": {"description": "Hours of operation of new queues (default: Basic Hours)"},
        "project_tag": {"description": "Value of the sccac:project ownership tag on what the wiring creates (default: sccac)"},
        "rate": {"description": "Requests a second (default: 2.0, Connect's default quota)"},
        "burst": {"description": "Burst of requests (default: 5, Connect's default quota)"},
        "retry_mode": {"description": "botocore retry mode, standard or adaptive (default: standard)"},
        "max_attempts": {"description": "botocore attempts per call, the first included (default: 10)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        apply_renamed_options(self)
        o = self.options
        self.dry_run = process_bool_arg(o.get("dry_run") or False)
        self.offline = process_bool_arg(o.get("offline") or False)
        self.output = Path(o.get("out") or DEFAULT_WIRING_DOCUMENT)
        self.channel_name = o.get("channel_name") or "SCCAC_Amazon_Connect_Chat"
        if o.get("sam_stack") and (o.get("session_lambda_arn") or o.get("routing_lambda_arn")):
            raise TaskOptionsError("Give sam_stack or the two Lambda ARNs, not both")

    def _skip_reason(self) -> str | None:
        if not self.options.get("instance_id"):
            return "no instance_id: set it in cumulusci.yml or with -o instance_id <id or alias>"
        if self.offline:
            return None
        missing = missing_aws_setup(self.options.get("region"), self.options.get("profile"))
        return f"{missing}; then run cci task run wire_connect" if missing else None

    def _run_task(self):
        reason = self._skip_reason()
        if reason:
            self.logger.warning(f"Connect wiring skipped: {reason}")
            self.return_values = {"skipped": reason}
            return
        with cumulusci_errors():
            run = open_run(self._wiring_options())
            if self.dry_run:
                for line in plan_lines(run.plan().plan, run.meter.reset()):
                    self.logger.info(line)
                return
            result = run.apply(LoggingProgress(self.logger))
        self.logger.info(summary_line(result))
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.output.write_text(json.dumps(result.output, indent=2) + "\n", encoding="utf-8")
        self.logger.info(f"Wrote {self.output}")
        self.logger.info(f"Chat entry point: point the chat widget at the inbound flow {result.output.get('inbound_chat_flow_id')} "
                         f"of instance {result.output.get('instance_id')}")
        self.return_values = result.output

    def _wiring_options(self) -> WiringOptions:
        o = self.options
        session_arn, routing_arn = o.get("session_lambda_arn"), o.get("routing_lambda_arn")
        if o.get("sam_stack") and not self.offline:
            cloudformation = aws_session(o.get("region"), o.get("profile")).client("cloudformation")
            session_arn, routing_arn = lambda_arns_from_stack(cloudformation, o["sam_stack"])
        identifier = o.get("channel_address_identifier") or org_access.read_channel_address_identifier(self.sf, self.channel_name)
        return wiring_options_from({**o, "session_lambda_arn": session_arn, "routing_lambda_arn": routing_arn,
                                    "channel_address_identifier": identifier, "offline": self.offline})
