"""CumulusCI tasks over `sccac.mappings`: validate the admin's mapping file against the org, show status, export."""

from __future__ import annotations

from pathlib import Path

from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.tasks.salesforce import BaseSalesforceApiTask

from python_tasks import support
from python_tasks.support import cumulusci_errors
from sccac.connect.document import DEFAULT_WIRING_DOCUMENT, read_wiring_document
from sccac.mappings.export import dump_mapping_file, entries_from_records
from sccac.mappings.records import resolve_mappings
from sccac.mappings.model import DEFAULT_MAPPING_FILE, MappingFile, MappingFileError
from sccac.mappings.reader import read_mapping_file
from sccac.mappings.status import mapping_status
from sccac.mappings.validate import check_mapping_file, omni_queues_by_name
from sccac.salesforce import agents as agent_mapping
from sccac.salesforce import org as org_access
from sccac.salesforce.org import OrgSetupError
from sccac.salesforce.render import render_queue_mappings

_MAPPING_OPTION = {"description": f"The mapping file (default: {DEFAULT_MAPPING_FILE})"}


@support.renamed_options({"path": "mapping"})
class _MappingFileTask(BaseSalesforceApiTask):
    """A task over the mapping file, option ``mapping`` (as `sccac connect --mapping` and the wire_connect task)."""

    task_options = {"mapping": _MAPPING_OPTION}
    file_option = "mapping"

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        support.apply_renamed_options(self)
        self.path = Path(self.options.get(self.file_option) or DEFAULT_MAPPING_FILE)

    def _read(self) -> MappingFile:
        try:
            return read_mapping_file(self.path)
        except MappingFileError as exc:
            raise TaskOptionsError(str(exc)) from None


class ValidateQueueMappings(_MappingFileTask):
    task_docs = "Checks the mapping file against the org's Omni-Queues and their routing configurations; fails on any error."

    def _run_task(self):
        mapping = self._read()
        problems = check_mapping_file(mapping, omni_queues_by_name(org_access.read_omni_queues(self.sf)))
        for problem in problems:
            (self.logger.error if problem.severity == "error" else self.logger.warning)(str(problem))
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise CumulusCIFailure(f"{self.path}: {len(errors)} mapping error(s); fix them and re-run")
        self.logger.info(f"{self.path}: {len(mapping.entries)} mappings valid against the org")
        self.return_values = {"mappings": len(mapping.entries), "warnings": len(problems)}


class QueueMappingStatus(BaseSalesforceApiTask):
    task_docs = "Logs every Omni-Queue with its Connect queue and state (ok, unmapped, duplicate, not mirrored, ...)."
    task_options = {
        "call_center": {"description": "Internal name of the contact center when the org has several"},
        "region": {"description": "Connect region: also check that the External Credential Amazon_Connect_<region>_SigV4 "
                                  "has its AWS keys or role set"},
    }

    def _run_task(self):
        try:
            center = org_access.find_contact_center(self.sf, self.options.get("call_center"))
        except OrgSetupError as exc:
            raise TaskOptionsError(str(exc)) from None
        routing_map = org_access.read_routing_map(self.sf, center) if center else None
        rows = mapping_status(org_access.read_omni_queues(self.sf), org_access.read_deployed_mappings(self.sf), None, routing_map)
        for row in rows:
            advice = f" ({row.advice})" if row.advice else ""
            self.logger.info(f"{row.omni_queue}: {row.connect_queue or '-'}: {row.state.value}{advice}")
        self.return_values = {"states": {r.omni_queue: r.state.value for r in rows}}
        region = self.options.get("region")
        if region:
            self.return_values["credential"] = self._credential_state(f"Amazon_Connect_{region.replace('-', '_')}_SigV4")

    def _credential_state(self, name: str) -> str:
        principals = org_access.credential_principals(self.sf, name)
        if principals is None:
            self.logger.warning(f"External Credential {name} is missing: run deploy_connect_credentials")
            return "missing"
        unset = sorted(p for p, status in principals.items() if status != "Configured")
        if unset or not principals:
            self.logger.warning(f"External Credential {name}: principal {', '.join(unset) or '(none)'} has no AWS keys or "
                                "role yet: set them in Setup > Named Credentials > External Credentials > "
                                f"{name} > Principals; until then Case routing records Failed")
            return "not configured"
        self.logger.info(f"External Credential {name}: AWS credentials set")
        return "configured"


@support.renamed_options({"path": "out"})
class ExportQueueMappings(_MappingFileTask):
    task_docs = "Writes the mapping file from the org's mapping records, keeping the file's wiring options."
    # What the task writes is `out`, as `sccac mappings export --out`.
    task_options = {"out": {"description": f"The mapping file to write (default: {DEFAULT_MAPPING_FILE})"}}
    file_option = "out"

    def _run_task(self):
        current = self._read() if self.path.is_file() else None
        text = dump_mapping_file(entries_from_records(org_access.read_deployed_mappings(self.sf), current))
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(self.path)
        self.logger.info(f"wrote {self.path}")


@support.renamed_options({"path": "mapping", "render_path": "out"})
class DeployQueueMappings(_MappingFileTask):
    task_docs = (
        "Deploys a Connect_Queue_Mapping__mdt record per entry of the mapping file, with the queue ARNs the Connect "
        "wiring resolved (out/connect/wiring.json), and mirrors each mapping into the contact center's "
        "CallCenterRoutingMap when the org has an Amazon Connect contact center. Entries named by queue name that "
        "the wiring has not resolved yet are skipped with a warning."
    )
    task_options = {
        "mapping": _MAPPING_OPTION,
        "wiring": {"description": f"The Connect wiring's output document (default: {DEFAULT_WIRING_DOCUMENT})"},
        "out": {"description": "Folder the records are rendered into (default: out/render/queue_mappings)"},
        "call_center": {"description": "Internal name of the contact center when the org has several"},
    }

    def _run_task(self):
        mapping = self._read()
        wiring_path = Path(self.options.get("wiring") or DEFAULT_WIRING_DOCUMENT)
        with cumulusci_errors():
            wiring = read_wiring_document(wiring_path) if wiring_path.is_file() else None
        resolved = resolve_mappings(mapping, wiring)
        for entry in resolved.unresolved:
            self.logger.warning(f"{self.path}:{entry.line}: {entry.omni_queue}: no ARN for Connect queue "
                                f"'{entry.connect_queue}' yet; run wire_connect, then this task again")
        if not resolved.records:
            self.logger.warning("No mapping with a known queue ARN: nothing deployed")
            return
        with cumulusci_errors():
            queues = {q.developer_name: q for q in org_access.read_omni_queues(self.sf)}
            unknown = [r.omni_queue for r in resolved.records if r.omni_queue not in queues]
            if unknown:
                raise OrgSetupError(f"{self.path}: the org has no queue {', '.join(unknown)}; run validate_queue_mappings")
            rendered = render_queue_mappings(resolved.records, Path(self.options.get("out") or "out/render/queue_mappings"))
            support.deploy_folder(self, rendered.directory)
            center = org_access.find_contact_center(self.sf, self.options.get("call_center"))
            mirrored = (0, 0)
            if center:
                wanted = [org_access.RoutingTarget.for_queue(queues[r.omni_queue], r.connect_queue_arn,
                                                             resolved.quick_connects.get(r.omni_queue))
                          for r in resolved.records if r.active]
                mirrored = org_access.mirror_routing_map(self.sf, center, wanted)
        self.logger.info(f"Deployed {len(resolved.records)} mapping record(s)"
                         + (f"; routing map: {mirrored[0]} created, {mirrored[1]} updated" if center else
                            "; the org has no Amazon Connect contact center: no routing map to mirror"))
        self.return_values = {"deployed": len(resolved.records), "unresolved": [e.omni_queue for e in resolved.unresolved],
                              "routing_map_created": mirrored[0], "routing_map_updated": mirrored[1]}


class MapConnectAgents(BaseSalesforceApiTask):
    task_docs = (
        "Maps the Connect agents wire_connect created (its output's agents, from a staffing file) to their Salesforce "
        "users: adds each user to the Amazon Connect contact center and writes a CallCenterRoutingMap row (the user, "
        "the Connect user ARN), so Omni-Channel can offer an agent's work to the right user. Checks every agent "
        "before writing; a re-run writes nothing. Skipped with a warning when the org has no contact center."
    )
    task_options = {
        "wiring": {"description": f"The Connect wiring's output document (default: {DEFAULT_WIRING_DOCUMENT})"},
        "call_center": {"description": "Internal name of the contact center when the org has several"},
        "match_users_by": {"description": "How an agent's Salesforce user is found: username (the staffing file's "
                                          "salesforce_user, default) or alias (User.Alias = the agent's name, as "
                                          "create_robot_agents makes them)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        self.match_by = str(self.options.get("match_users_by") or "username").strip().lower()
        if self.match_by not in agent_mapping.MATCH_BY:
            raise TaskOptionsError(f"match_users_by: {self.match_by!r} is not one of {', '.join(agent_mapping.MATCH_BY)}")
        self.wiring_path = Path(self.options.get("wiring") or DEFAULT_WIRING_DOCUMENT)

    def _run_task(self):
        if not self.wiring_path.is_file():
            raise TaskOptionsError(f"{self.wiring_path}: no Connect wiring output; run wire_connect with a staffing "
                                   "file first")
        with cumulusci_errors():
            agents = agent_mapping.wired_agents(read_wiring_document(self.wiring_path), str(self.wiring_path))
            if not agents:
                self.logger.warning(f"{self.wiring_path}: no Connect agents (wire_connect ran without staffing): "
                                    "nothing to map")
                self.return_values = {"agents": 0}
                return
            center = org_access.find_contact_center(self.sf, self.options.get("call_center"))
            if not center:
                self.logger.warning("The org has no Amazon Connect contact center: no agent to map; set up the contact "
                                    "center (Setup > Contact Centers), then run this task again")
                self.return_values = {"agents": 0, "skipped": "no contact center"}
                return
            result = agent_mapping.map_agents(self.sf, agents, center, self.match_by)
        for agent in agents:
            self.logger.info(f"agent {agent.name}: Connect user {agent.connect_user} mapped")
        self.logger.info(f"{result['agents']} agent(s): {result['added_to_contact_center']} added to the contact center; "
                         f"routing map: {result['routing_map_created']} created, {result['routing_map_updated']} updated")
        self.return_values = result
