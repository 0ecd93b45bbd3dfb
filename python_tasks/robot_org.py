"""The org the Robot offer suites run against: their Omni-Channel set-up and their agents, made by CumulusCI.

The offline fixtures (robot/SCCAC/resources/offline/) describe the contact center the suites expect;
these tasks make a scratch org match them, so the offline and the org run check the same thing:

- ``deploy_robot_config`` deploys unpackaged/config/robot (Omni-Queues, the agents' permission set,
  presence status and presence configuration), naming the org's own Case ServiceChannel in the status.
- ``create_robot_agents`` creates one user per agent of the staffing fixture, with ``Alias`` = the
  agent's name: CumulusCI's ``Open Test Browser    useralias=maria`` finds the user by that alias and
  signs in through the access token ``sf`` holds for it (hence ``sf org create user``). Usernames get
  the org id as a suffix (``maria.<org id>@sccac.example``): usernames are unique across Salesforce.

Both are idempotent: a second run finds everything in place and writes nothing.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from cumulusci.core.config import TaskConfig
from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.core.sfdx import sfdx
from cumulusci.tasks.salesforce import BaseSalesforceApiTask, Deploy

from python_tasks import support
from sccac.offline.staffing import AgentSpec, StaffingError, read_staffing

DEFAULT_STAFFING = Path("robot/SCCAC/resources/offline/staffing.yml")
ROBOT_CONFIG = "unpackaged/config/robot"
#: The placeholder in servicePresenceStatuses/*.servicePresenceStatus for the org's Case channel.
CASE_CHANNEL_PLACEHOLDER = "sccac_case_channel"
_ALIAS = re.compile(r"^[A-Za-z0-9_]{1,8}$")  # User.Alias: at most 8 characters


def soql_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def robot_username(agent: AgentSpec, org_id: str) -> str:
    """The agent's username in one org: the fixture's Salesforce user with the org id, unique across Salesforce."""
    local, _, domain = agent.salesforce_user.partition("@")
    return f"{local}.{org_id.lower()}@{domain or 'sccac.example'}"


class DeployRobotConfig(BaseSalesforceApiTask):
    task_docs = ("Deploys unpackaged/config/robot (the Robot suites' Omni-Queues, agent permission set, presence "
                 "status and configuration). The presence status names the org's own Case ServiceChannel, looked up "
                 "here. Run after deploy_omni_config (the queues use its routing configuration).")
    task_options = {"path": {"description": f"The metadata bundle (default: {ROBOT_CONFIG})"}}

    def _run_task(self) -> None:
        rows = self.sf.query("SELECT Id, DeveloperName FROM ServiceChannel WHERE RelatedEntity = 'Case'")["records"]
        if not rows:
            raise CumulusCIFailure("The org has no Case ServiceChannel, so the Robot agents' presence status could not "
                                   "serve Cases: add one in Setup > Service Channels (Salesforce Object: Case) and run "
                                   "deploy_robot_config again")
        find, replace = CASE_CHANNEL_PLACEHOLDER, str(rows[0]["DeveloperName"])
        self.logger.info(f"The presence status serves messaging and the org's Case channel {replace}")
        options = {"path": self.options.get("path") or ROBOT_CONFIG,
                   "transforms": [{"transform": "find_replace", "options": {"patterns": [{"find": find, "replace": replace}]}}]}
        Deploy(self.project_config, TaskConfig({"options": options}), self.org_config, logger=self.logger)()


# profile was the new users' Profile here, but the AWS profile in every other task and command.
@support.renamed_options({"profile": "user_profile"})
class CreateRobotAgents(BaseSalesforceApiTask):
    task_docs = ("Creates the Robot suites' agents (the staffing fixture's agents) in a scratch org with sf org create "
                 "user: Alias = the agent's name (CumulusCI's useralias), Service Cloud User, the SCCAC_Robot_Agent "
                 "permission set with access to the presence status, and the SCCAC_Robot_Agents presence "
                 "configuration. A second run changes nothing.")
    task_options = {
        "staffing": {"description": f"The staffing file whose agents to create (default: {DEFAULT_STAFFING})"},
        "user_profile": {"description": "Salesforce Profile of the new users (default: Standard User)"},
        "permission_set": {"description": "Permission set to assign (default: SCCAC_Robot_Agent)"},
        "presence_status": {"description": "ServicePresenceStatus the permission set gets (default: SCCAC_Available)"},
        "presence_config": {"description": "PresenceUserConfig the agents are assigned to (default: SCCAC_Robot_Agents)"},
    }

    def _init_options(self, kwargs: dict[str, Any]) -> None:
        super()._init_options(kwargs)
        support.apply_renamed_options(self)
        path = Path(self.options.get("staffing") or DEFAULT_STAFFING)
        try:
            self.staffing = read_staffing(path)
        except StaffingError as exc:
            raise TaskOptionsError(str(exc)) from None
        bad = [a.name for a in self.staffing.agents if not _ALIAS.match(a.name)]
        if bad:
            raise TaskOptionsError(f"{path}: agent name(s) {', '.join(bad)} cannot be a user Alias (1 to 8 letters, "
                                   "digits or _): CumulusCI signs the agent in by that alias; shorten the name")
        self.changes: list[str] = []

    # -- the org ------------------------------------------------------------------------------------

    def _one(self, soql: str, what: str) -> str:
        rows = self.sf.query(soql)["records"]
        if not rows:
            raise CumulusCIFailure(f"{what} is missing in the org: run deploy_robot_config first "
                                   "(cci flow run robot_org_setup does both)")
        return str(rows[0]["Id"])

    def _ensure(self, sobject: str, fields: dict[str, str], what: str) -> None:
        where = " AND ".join(f"{name} = {soql_literal(value)}" for name, value in fields.items())
        if self.sf.query(f"SELECT Id FROM {sobject} WHERE {where}")["totalSize"]:
            return
        getattr(self.sf, sobject).create(fields)
        self.changes.append(what)
        self.logger.info(what)

    def _users(self, alias: str) -> list[dict[str, Any]]:
        return list(self.sf.query(f"SELECT Id, Username FROM User WHERE Alias = {soql_literal(alias)} AND IsActive = true")["records"])

    def _create_user(self, agent: AgentSpec) -> None:
        if not self.org_config.scratch:
            raise TaskOptionsError(
                f"no active user with Alias {agent.name} in org {self.org_config.name}: create_robot_agents creates users only "
                "in scratch orgs (sf org create user); in another org create the agents yourself (Alias = the agent's "
                "name) and authorize each with sf org login web")
        username = robot_username(agent, self.org_config.org_id)
        definition = {
            "Username": username, "Alias": agent.name, "LastName": agent.name.capitalize(), "FirstName": "SCCAC Robot",
            "Email": agent.salesforce_user, "profileName": self.options.get("user_profile") or "Standard User",
            # The Service Console and Omni-Channel need the Service Cloud User feature license.
            "UserPermissionsSupportUser": True,
        }
        self._sf_create_user(definition)
        self.changes.append(f"created user {username} (Alias {agent.name})")
        self.logger.info(f"created user {username} (Alias {agent.name})")

    def _check_licenses(self, missing: list[AgentSpec]) -> None:
        """Stop before creating anyone when the org has too few free Salesforce licenses for the agents (a Developer
        Edition scratch org has two, so one user besides the admin); otherwise the run would stop half-way."""
        if not missing or not self.org_config.scratch:
            return
        rows = self.sf.query("SELECT TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = 'Salesforce'")["records"]
        if not rows:
            return  # the org does not say; sf will tell if it has to
        free = int(rows[0]["TotalLicenses"]) - int(rows[0]["UsedLicenses"])
        if free < len(missing):
            raise CumulusCIFailure(
                f"{len(missing)} agent user(s) to create ({', '.join(a.name for a in missing)}) but the org has {free} free "
                "Salesforce license(s): use an Enterprise Edition scratch org (orgs/feature.json) or fewer agents")

    def _sf_create_user(self, definition: dict[str, Any]) -> None:
        """``sf org create user``: besides the user, sf keeps its access token, which the browser sign-in needs."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "user-def.json"
            path.write_text(json.dumps(definition), encoding="utf-8")
            process = sfdx("org create user", username=self.org_config.username,
                           args=["--definition-file", str(path), "--json"])
            output = process.stdout_text.read()
        if process.returncode:
            try:
                reason = json.loads(output).get("message") or output
            except json.JSONDecodeError:
                reason = output or process.stderr_text.read()
            raise CumulusCIFailure(f"sf org create user {definition['Username']} failed: {reason}")

    # -- the task -----------------------------------------------------------------------------------

    def _run_task(self) -> None:
        permission_set = self.options.get("permission_set") or "SCCAC_Robot_Agent"
        status = self.options.get("presence_status") or "SCCAC_Available"
        config = self.options.get("presence_config") or "SCCAC_Robot_Agents"
        permission_set_id = self._one(f"SELECT Id FROM PermissionSet WHERE Name = {soql_literal(permission_set)}",
                                      f"Permission set {permission_set}")
        status_id = self._one(f"SELECT Id FROM ServicePresenceStatus WHERE DeveloperName = {soql_literal(status)}",
                              f"Presence status {status}")
        config_id = self._one(f"SELECT Id FROM PresenceUserConfig WHERE DeveloperName = {soql_literal(config)}",
                              f"Presence configuration {config}")
        # Presence status access is a SetupEntityAccess record, not part of the permission set's metadata.
        self._ensure("SetupEntityAccess", {"ParentId": permission_set_id, "SetupEntityId": status_id},
                     f"gave permission set {permission_set} the presence status {status}")
        self._check_licenses([a for a in self.staffing.agents if not self._users(a.name)])
        agents = {}
        for agent in self.staffing.agents:
            users = self._users(agent.name)
            if len(users) > 1:
                raise CumulusCIFailure(f"{len(users)} active users have Alias {agent.name} "
                                       f"({', '.join(u['Username'] for u in users)}): CumulusCI's useralias needs exactly one; "
                                       "change the Alias of the others")
            if not users:
                self._create_user(agent)
                users = self._users(agent.name)
                if not users:
                    raise CumulusCIFailure(f"sf created no active user with Alias {agent.name}")
            user_id, agents[agent.name] = str(users[0]["Id"]), str(users[0]["Username"])
            self._ensure("PermissionSetAssignment", {"AssigneeId": user_id, "PermissionSetId": permission_set_id},
                         f"assigned {permission_set} to {agent.name}")
            self._ensure("PresenceUserConfigUser", {"PresenceUserConfigId": config_id, "UserId": user_id},
                         f"assigned presence configuration {config} to {agent.name}")
        if not self.changes:
            self.logger.info(f"Agents {', '.join(agents)} already set up: nothing changed")
        self.return_values = {"agents": agents, "changes": list(self.changes)}
