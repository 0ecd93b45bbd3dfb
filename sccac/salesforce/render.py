"""Render the org-specific Salesforce metadata (messaging channel, credentials, queue mappings) from options.

Output is a CumulusCI ``unpackaged/config/<name>/`` style directory: ``package.xml`` plus Metadata API
format folders, deployable with ``cci task run deploy --path <dir>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from sccac.salesforce import validation as v
from sccac.salesforce.output import PACKAGE_XML, Target, inspect_target, install, manifest_comment, staging
from sccac.checks.schema import schema_version, validate_file

#: Label of the channel definition the SCC-AC guided setup creates; when the org has it, the channel uses it instead of the package's own.
SCCAC_DEFINITION_LABEL = "Chat Channel Definition AWS SCC"
#: SOQL the wiring task runs to find it (Tooling/SOAP ConversationChannelDefinition).
SCCAC_DEFINITION_QUERY = (
    f"SELECT DeveloperName FROM ConversationChannelDefinition WHERE MasterLabel = '{SCCAC_DEFINITION_LABEL}' LIMIT 1"
)
PLATFORM_EVENT = "SCCAC_Conversation_Event__e"

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("sccac.salesforce", "templates"),
    autoescape=True,  # every template is XML: escape &, <, > in option values
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


class RenderError(RuntimeError):
    """Rendered output did not pass the Metadata API schema (a template bug, not a user error)."""


@dataclass(frozen=True)
class MessagingOptions:
    """What an org differs in for the SCC-AC messaging channel."""

    queue: str
    channel_label: str = "Amazon Connect Chat"
    channel_developer_name: str = "SCCAC_Amazon_Connect_Chat"
    routing: str = "queue"  # "queue" or "flow"
    flow: str | None = None
    existing_definition: str | None = None  # developer name of the SCC-AC "Chat Channel Definition AWS SCC"
    definition_developer_name: str = "SCCAC_Chat_Definition"
    definition_label: str = "SCCAC Chat Channel Definition"
    vendor_info_developer_name: str = "SCCAC_Amazon_Connect"
    vendor_info_label: str = "SCCAC Amazon Connect"
    description: str = "Amazon Connect chat through Salesforce Contact Center with Amazon Connect (SCC-AC)."

    def validated(self) -> MessagingOptions:
        routing = v.choice("routing", self.routing, ("queue", "flow"))
        return replace(
            self,
            channel_label=v.require_text("channel_label", self.channel_label, 80),
            channel_developer_name=v.developer_name("channel_developer_name", self.channel_developer_name, 80),
            routing=routing,
            queue=v.developer_name("queue", self.queue),
            flow=v.developer_name("flow", self.flow) if routing == "flow" else None,
            existing_definition=(
                v.developer_name("existing_definition", self.existing_definition)
                if self.existing_definition not in (None, "")
                else None
            ),
            definition_developer_name=v.developer_name("definition_developer_name", self.definition_developer_name),
            definition_label=v.require_text("definition_label", self.definition_label),
            vendor_info_developer_name=v.developer_name("vendor_info_developer_name", self.vendor_info_developer_name),
            vendor_info_label=v.require_text("vendor_info_label", self.vendor_info_label),
            description=v.require_text("description", self.description, 255),
        )


@dataclass(frozen=True)
class CredentialOptions:
    """Named Credential + External Credential (AWS Signature V4, service connect) for one region."""

    region: str
    auth: str = "access_key"  # "access_key" (IAM user keys) or "sts_role" (IAM role assumed through STS)
    aws_account_id: str | None = None  # required for sts_role
    named_credential: str | None = None  # default Amazon_Connect_<region with underscores>
    external_credential: str | None = None  # default Amazon_Connect_<region>_SigV4
    principal: str = "Connect_Integration"
    permission_set: str = "Connect_Routing_Integration"
    #: force-app's admin permission set, combined with the integration one in the permission set group.
    admin_permission_set: str = "Connect_Routing_Admin"
    permission_set_group: str = "Connect_Routing_Administration"

    def validated(self) -> CredentialOptions:
        region = v.region("region", self.region)
        auth = v.choice("auth", self.auth, ("access_key", "sts_role"))
        suffix = region.replace("-", "_")
        named = self.named_credential or f"Amazon_Connect_{suffix}"
        external = self.external_credential or f"Amazon_Connect_{suffix}_SigV4"
        return replace(
            self,
            region=region,
            auth=auth,
            aws_account_id=v.aws_account_id("aws_account_id", self.aws_account_id) if auth == "sts_role" else None,
            named_credential=v.developer_name("named_credential", named),
            external_credential=v.developer_name("external_credential", external),
            principal=v.developer_name("principal", self.principal),
            permission_set=v.developer_name("permission_set", self.permission_set),
            admin_permission_set=v.developer_name("admin_permission_set", self.admin_permission_set),
            permission_set_group=v.developer_name("permission_set_group", self.permission_set_group),
        )

    # labels derived from names, for templates
    @property
    def named_credential_label(self) -> str:
        return f"Amazon Connect {self.region}"

    @property
    def external_credential_label(self) -> str:
        return f"Amazon Connect {self.region} SigV4"

    @property
    def permission_set_label(self) -> str:
        return "Connect Routing Integration"

    @property
    def permission_set_group_label(self) -> str:
        return "Connect Routing Administration"

    @property
    def endpoint(self) -> str:
        return f"https://connect.{self.region}.amazonaws.com"


@dataclass(frozen=True)
class QueueMapping:
    """One Omni-Queue to Connect queue mapping, rendered to a Connect_Queue_Mapping__mdt record."""

    omni_queue: str
    connect_queue_arn: str
    connect_queue_name: str
    active: bool = True

    @property
    def label(self) -> str:
        return self.omni_queue[:40]

    @property
    def record_name(self) -> str:
        """Developer name of the Connect_Queue_Mapping__mdt record: the queue's, when it fits the 40 characters
        custom metadata records allow; else its first 31 characters and a hash of the whole name. The mapping
        is looked up by Omni_Queue__c (80 characters, the full queue name), never by the record name."""
        if len(self.omni_queue) <= 40:
            return self.omni_queue
        digest = hashlib.sha1(self.omni_queue.encode("utf-8")).hexdigest()[:8]
        return f"{self.omni_queue[:31].rstrip('_')}_{digest}"


@dataclass
class RenderResult:
    """What a render wrote, and what the deploy task needs to know afterwards."""

    directory: Path
    files: list[Path] = field(default_factory=list)
    channel_definition: str | None = None
    uses_existing_definition: bool = False
    #: Files replaced that no earlier render wrote (only with force).
    replaced: list[Path] = field(default_factory=list)

    @property
    def custom_msg_channel(self) -> dict[str, str] | None:
        """The MessagingChannel -> ConversationChannelDefinition link (CustomMsgChannel, API 63+).

        The MessagingChannel metadata of the 63.0 schema has no field naming the channel definition;
        the link is the CustomMsgChannel record that the deploy task creates after the deploy.
        """
        if self.channel_definition is None:
            return None
        return {"channel_definition": self.channel_definition}


def render_messaging(options: MessagingOptions, out_dir: Path, *, force: bool = False) -> RenderResult:
    """Render the messaging channel (and, without an existing SCC-AC definition, the package's own).

    Only the files an earlier messaging render wrote into ``out_dir`` are replaced; see
    :mod:`sccac.salesforce.output` for what ``force`` allows.
    """
    o = options.validated()
    target = inspect_target(Path(out_dir), "messaging", force)
    with staging(target) as stage:
        return _install(target, _render_messaging(o, RenderResult(stage)))


def _render_messaging(o: MessagingOptions, result: RenderResult) -> RenderResult:
    types: dict[str, list[str]] = {"MessagingChannel": [o.channel_developer_name]}
    _write(result, f"messagingChannels/{o.channel_developer_name}.messagingChannel", "messagingChannel.j2", o=o)
    if o.existing_definition:
        result.channel_definition = o.existing_definition
        result.uses_existing_definition = True
    else:
        result.channel_definition = o.definition_developer_name
        ctx = {"o": o, "platform_event": PLATFORM_EVENT}
        _write(result, f"objects/{PLATFORM_EVENT}.object", "platformEvent.object.j2", **ctx)
        _write(
            result,
            f"ConversationVendorInformation/{o.vendor_info_developer_name}.ConversationVendorInformation",
            "conversationVendorInfo.j2",
            **ctx,
        )
        _write(
            result,
            f"conversationChannelDefinitions/{o.definition_developer_name}.ConversationChannelDefinition",
            "conversationChannelDefinition.j2",
            **ctx,
        )
        types["CustomObject"] = [PLATFORM_EVENT]
        types["ConversationVendorInfo"] = [o.vendor_info_developer_name]
        types["ConversationChannelDefinition"] = [o.definition_developer_name]
    _write_package(result, types, "messaging")
    return result


def render_credentials(options: CredentialOptions, out_dir: Path, *, force: bool = False) -> RenderResult:
    """Render the Named Credential, External Credential, integration permission set and the admin permission set
    group (force-app's Connect_Routing_Admin + the integration set) for one region. Deploy after force-app.

    Only the files an earlier credentials render wrote into ``out_dir`` are replaced.
    """
    o = options.validated()
    target = inspect_target(Path(out_dir), "credentials", force)
    with staging(target) as stage:
        return _install(target, _render_credentials(o, RenderResult(stage)))


def _render_credentials(o: CredentialOptions, result: RenderResult) -> RenderResult:
    # validated() fills the defaulted names.
    assert o.external_credential is not None and o.named_credential is not None
    _write(result, f"externalCredentials/{o.external_credential}.externalCredential", "externalCredential.j2", o=o)
    _write(
        result, f"namedCredentials/{o.named_credential}.namedCredential", "namedCredential.j2", o=o, endpoint=o.endpoint
    )
    _write(result, f"permissionsets/{o.permission_set}.permissionset", "integrationPermissionSet.j2", o=o)
    _write(
        result,
        f"permissionsetgroups/{o.permission_set_group}.permissionsetgroup",
        "permissionSetGroup.j2",
        o=o,
    )
    _write_package(
        result,
        {
            "ExternalCredential": [o.external_credential],
            "NamedCredential": [o.named_credential],
            "PermissionSet": [o.permission_set],
            "PermissionSetGroup": [o.permission_set_group],
        },
        "credentials",
    )
    return result


def render_queue_mappings(
    mappings: Sequence[QueueMapping], out_dir: Path, region: str | None = None, *, force: bool = False
) -> RenderResult:
    """Render Connect_Queue_Mapping__mdt records; one mapping per Omni-Queue, all ARNs in one instance."""
    if not mappings:
        raise v.RenderOptionError("mappings", "is empty", "Give at least one Omni-Queue to Connect queue mapping.")
    expected_region = v.region("region", region) if region else None
    seen: dict[str, int] = {}
    instances: set[str] = set()
    clean: list[QueueMapping] = []
    for index, m in enumerate(mappings, start=1):
        where = f"mappings[{index}]"
        queue = v.developer_name(f"{where}.omni_queue", m.omni_queue, 80)
        if queue in seen:
            raise v.RenderOptionError(
                f"{where}.omni_queue",
                f"'{queue}' is already mapped by mappings[{seen[queue]}]",
                "Keep one mapping per Omni-Queue.",
            )
        seen[queue] = index
        arn = v.queue_arn(f"{where}.connect_queue_arn", m.connect_queue_arn, expected_region)
        instances.add(arn.split("/queue/")[0])
        name = v.require_text(f"{where}.connect_queue_name", m.connect_queue_name, 127)
        clean.append(QueueMapping(queue, arn, name, bool(m.active)))
    records: dict[str, str] = {}
    for m in clean:
        if m.record_name in records:
            raise v.RenderOptionError(
                "mappings",
                f"queues '{records[m.record_name]}' and '{m.omni_queue}' give the same record name '{m.record_name}'",
                "Rename one of the queues (record names are 40 characters: the first 31 of a longer name and a hash).",
            )
        records[m.record_name] = m.omni_queue
    if len(instances) > 1:
        raise v.RenderOptionError(
            "mappings",
            f"the ARNs belong to {len(instances)} Connect instances ({', '.join(sorted(instances))})",
            "Map every Omni-Queue to queues of one Connect instance.",
        )
    target = inspect_target(Path(out_dir), "queue-mappings", force)
    with staging(target) as stage:
        result = RenderResult(stage)
        for m in clean:
            _write(result, f"customMetadata/Connect_Queue_Mapping.{m.record_name}.md", "queueMapping.md.j2", m=m)
        members = [f"Connect_Queue_Mapping.{m.record_name}" for m in clean]
        _write_package(result, {"CustomMetadata": members}, "queue-mappings")
        return _install(target, result)


@dataclass(frozen=True)
class ConnectedAppOptions:
    """The connected app the Lambdas sign in with (JWT bearer, scope Interaction API): pre-authorized for the
    integration user through ``profiles`` or ``permission_sets``."""

    contact_email: str
    consumer_key: str
    developer_name: str = "SCCAC_Interaction_Service"
    label: str = "SCCAC Interaction Service"
    profiles: tuple[str, ...] = ("System Administrator",)
    permission_sets: tuple[str, ...] = ()

    def validated(self) -> ConnectedAppOptions:
        email = v.require_text("contact_email", self.contact_email, 80)
        if "@" not in email:
            raise v.RenderOptionError("contact_email", f"'{email}' is not an email address", "Give the admin's email.")
        key = v.require_text("consumer_key", self.consumer_key, 256)
        if not key.isalnum():
            raise v.RenderOptionError("consumer_key", "has characters other than letters and digits", "Generate a new one.")
        if not self.profiles and not self.permission_sets:
            raise v.RenderOptionError("profiles", "no profile or permission set pre-authorizes the integration user",
                                      "Name the profile or permission set of the user the Lambdas sign in as.")
        return replace(
            self,
            contact_email=email,
            consumer_key=key,
            developer_name=v.developer_name("developer_name", self.developer_name),
            label=v.require_text("label", self.label),
            profiles=tuple(v.require_text("profiles", p) for p in self.profiles),
            permission_sets=tuple(v.developer_name("permission_sets", p) for p in self.permission_sets),
        )


def render_connected_app(options: ConnectedAppOptions, certificate_pem: str, out_dir: Path, *, force: bool = False) -> RenderResult:
    """Render the connected app with the certificate of the key the Lambdas sign with (the key itself never)."""
    o = options.validated()
    if "PRIVATE KEY" in certificate_pem or "BEGIN CERTIFICATE" not in certificate_pem:
        raise v.RenderOptionError("certificate", "is not a PEM certificate", "Pass the certificate, never the private key.")
    target = inspect_target(Path(out_dir), "connected-app", force)
    with staging(target) as stage:
        result = RenderResult(stage)
        _write(result, f"connectedApps/{o.developer_name}.connectedApp", "connectedApp.j2", o=o,
               certificate=certificate_pem.strip())
        _write_package(result, {"ConnectedApp": [o.developer_name]}, "connected-app")
        return _install(target, result)


def _install(target: Target, staged: RenderResult) -> RenderResult:
    """Move a complete render from its staging folder into the target (see sccac.salesforce.output)."""
    relative = [p.relative_to(staged.directory).as_posix() for p in staged.files]
    replaced = install(staged.directory, target, relative)
    return replace(
        staged,
        directory=target.directory,
        files=[target.directory / r for r in relative],
        replaced=[target.directory / r for r in replaced],
    )


def _write(result: RenderResult, relative: str, template: str, **context: object) -> Path:
    path = result.directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_env.get_template(template).render(**context), encoding="utf-8")
    findings = validate_file(path)
    if findings:
        raise RenderError(
            f"rendered {relative} does not match the Metadata API {schema_version()} schema: "
            + "; ".join(str(f) for f in findings)
        )
    result.files.append(path)
    return path


def _write_package(result: RenderResult, types: dict[str, list[str]], kind: str) -> None:
    """package.xml, last: its first comment is the manifest of every file this render wrote."""
    ordered: Iterable[tuple[str, list[str]]] = sorted((k, sorted(vs)) for k, vs in types.items())
    written = sorted(p.relative_to(result.directory).as_posix() for p in result.files)
    path = result.directory / PACKAGE_XML
    path.write_text(
        _env.get_template("package.xml.j2").render(
            types=list(ordered), api_version=schema_version(), manifest=manifest_comment(kind, written)
        ),
        encoding="utf-8",
    )
    result.files.append(path)


