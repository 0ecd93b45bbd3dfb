"""The fake's wire format: answer a real boto3 Connect client's requests from :class:`ConnectBackend`.

botocore does everything it does for the real service: it validates the parameters against
its Connect model, serialises the REST request, then emits ``before-send.connect.<Operation>``;
this module answers that event with a :class:`botocore.awsrequest.AWSResponse` (JSON body, or an
error with ``x-amzn-ErrorType`` and the status of the model), which botocore parses, turns into
``ClientError`` and retries by its own retry mode.

The operation is taken from the operation model (the event name and the request context), not
from the URL: a ``before-parameter-build`` hook copies the validated-to-be parameters into the
request context, which botocore carries onto the prepared request.
"""

from __future__ import annotations

import base64
import functools
import datetime
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import boto3
import botocore.endpoint
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError

from sccac.clock import Clock
from sccac.testing.connect.exceptions import ConnectError, InvalidParameterException, ResourceNotFoundException
from sccac.testing.connect.models import (
    ConnectBackend,
    ContactFlow,
    FlowModule,
    Instance,
    Queue,
    QuickConnect,
    RoutingProfile,
    content_sha256,
)

_CONTEXT_KEY = "sccac_fake_params"


@functools.lru_cache(maxsize=1)
def _shared_botocore_session() -> botocore.session.Session:
    # One session for every fake client: botocore loads and caches the Connect model once, so a
    # test making many clients does not parse it again each time. Handlers go on each client's
    # own event emitter (a copy), so clients stay independent.
    return botocore.session.Session()


class _Body:
    """The ``raw`` object botocore reads an ``AWSResponse`` body from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _response(url: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> AWSResponse:
    data = json.dumps(body, default=_json_default).encode("utf-8")
    all_headers = {"Content-Type": "application/json", "x-amzn-RequestId": "fake-request", **(headers or {})}
    return AWSResponse(url, status, all_headers, _Body(data))


class ConnectFake:
    """Attach to boto3 Connect clients; ``backend`` holds the state every attached client shares."""

    def __init__(self, backend: ConnectBackend | None = None) -> None:
        self.backend = backend or ConnectBackend()
        self._operations: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "DescribeInstance": self._describe_instance,
            "ListInstances": self._list_instances,
            "ListHoursOfOperations": self._list_hours,
            "ListLambdaFunctions": self._list_lambda_functions,
            "AssociateLambdaFunction": self._associate_lambda_function,
            "SearchQueues": self._search_queues,
            "CreateQueue": self._create_queue,
            "UpdateQueueName": self._update_queue_name,
            "SearchRoutingProfiles": self._search_routing_profiles,
            "AssociateRoutingProfileQueues": self._associate_routing_profile_queues,
            "SearchContactFlows": self._search_flows,
            "DescribeContactFlow": self._describe_flow,
            "CreateContactFlow": self._create_flow,
            "UpdateContactFlowContent": self._update_flow_content,
            "SearchContactFlowModules": self._search_modules,
            "CreateContactFlowModule": self._create_module,
            "UpdateContactFlowModuleContent": self._update_module_content,
            "SearchQuickConnects": self._search_quick_connects,
            "CreateQuickConnect": self._create_quick_connect,
            "UpdateQuickConnectConfig": self._update_quick_connect_config,
            "TagResource": self._tag_resource,
            "UntagResource": self._untag_resource,
            "StartTaskContact": self._start_task_contact,
            "StartChatContact": self._start_chat_contact,
        }
        self._page_sizes: dict[str, int] = {}

    @property
    def operations(self) -> list[str]:
        return sorted(self._operations)

    def register(self, operation: str, handler: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        """Answer ``operation`` with ``handler`` (modules beside this one add operations this way)."""
        self._operations[operation] = handler

    # -- attaching ---------------------------------------------------------------------------

    def client(self, *, max_attempts: int = 10, retry_mode: str = "standard") -> Any:
        """A real boto3 Connect client (dummy credentials, no network) answered by this fake."""
        client = boto3.session.Session(botocore_session=_shared_botocore_session()).client(
            "connect",
            region_name=self.backend.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"mode": retry_mode, "total_max_attempts": max_attempts}),
        )
        return self.attach(client)

    def attach(self, client: Any) -> Any:
        events = client.meta.events
        # unique ids: attaching twice must not answer (and change state) twice
        events.register("before-parameter-build.connect", self._capture_params, unique_id=f"sccac-fake-params-{id(self)}")
        events.register("before-send.connect", self._answer, unique_id=f"sccac-fake-answer-{id(self)}")
        return client

    @staticmethod
    def _capture_params(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        context[_CONTEXT_KEY] = (model.name, json.loads(json.dumps(params, default=_json_default)))
        context["sccac_fake_over_max"] = over_model_maximum(model.input_shape, params) if model.input_shape else []
        if model.input_shape is not None and "MaxResults" in model.input_shape.members:
            context["sccac_fake_page_size"] = model.input_shape.members["MaxResults"].metadata.get("max")

    def _answer(self, request: Any, **_: Any) -> AWSResponse:
        operation, params = request.context[_CONTEXT_KEY]
        page_size = request.context.get("sccac_fake_page_size")
        if page_size:
            self._page_sizes[operation] = page_size
        handler = self._operations.get(operation)
        try:
            if handler is None:
                raise InvalidParameterException(f"the Connect fake does not implement {operation}")
            over = request.context.get("sccac_fake_over_max")
            if over:
                raise InvalidParameterException("; ".join(over))
            times_out = self.backend.admit(operation)
            body = handler(params)
        except ConnectError as exc:
            return _response(request.url, exc.status, exc.body(), {"x-amzn-ErrorType": f"{exc.code}:"})
        if times_out:
            # The service applied the call; the caller never hears so (the nasty case for idempotency).
            raise ReadTimeoutError(endpoint_url=request.url)
        return _response(request.url, 200, body)

    # -- pagination ---------------------------------------------------------------------------

    def _page(self, operation: str, params: dict[str, Any], items: list[Any]) -> tuple[list[Any], dict[str, Any]]:
        limit = self._page_sizes.get(operation, 100)
        size = params.get("MaxResults") or limit
        if size > limit:
            # botocore validates only the minimum of a range; the service rejects the maximum.
            raise InvalidParameterException(f"MaxResults must be at most {limit} for {operation}")
        start = 0
        token = params.get("NextToken")
        if token:
            try:
                decoded = json.loads(base64.b64decode(token))
                start = int(decoded["offset"])
                if decoded["op"] != operation:
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                raise InvalidParameterException("NextToken is not valid for this request") from None
        page = items[start:start + size]
        extra: dict[str, Any] = {}
        if start + size < len(items):
            extra["NextToken"] = base64.b64encode(json.dumps({"op": operation, "offset": start + size}).encode()).decode()
        return page, extra

    def _search(self, operation: str, params: dict[str, Any], key: str, items: list[Any], render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        matching = [i for i in items if _matches(i, params.get("SearchCriteria") or {}) and _tag_match(i, params.get("SearchFilter") or {})]
        page, extra = self._page(operation, params, matching)
        return {key: [render(i) for i in page], "ApproximateTotalCount": len(matching), **extra}

    def _instance(self, params: dict[str, Any]) -> Instance:
        return self.backend.instance(params["InstanceId"])

    # -- instances, hours, Lambda functions -------------------------------------------------

    def _describe_instance(self, p: dict[str, Any]) -> dict[str, Any]:
        inst = self._instance(p)
        return {"Instance": _instance_body(inst)}

    def _list_instances(self, p: dict[str, Any]) -> dict[str, Any]:
        page, extra = self._page("ListInstances", p, list(self.backend.instances.values()))
        return {"InstanceSummaryList": [_instance_body(i) for i in page], **extra}

    def _list_hours(self, p: dict[str, Any]) -> dict[str, Any]:
        page, extra = self._page("ListHoursOfOperations", p, list(self._instance(p).hours.values()))
        return {"HoursOfOperationSummaryList": [{"Id": h.id, "Arn": h.arn, "Name": h.name} for h in page], **extra}

    def _list_lambda_functions(self, p: dict[str, Any]) -> dict[str, Any]:
        page, extra = self._page("ListLambdaFunctions", p, list(self._instance(p).lambda_functions))
        return {"LambdaFunctions": page, **extra}

    def _associate_lambda_function(self, p: dict[str, Any]) -> dict[str, Any]:
        self.backend.associate_lambda_function(p["InstanceId"], p["FunctionArn"])
        return {}

    # -- queues and routing profiles ---------------------------------------------------------

    def _search_queues(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._search("SearchQueues", p, "Queues", list(self._instance(p).queues.values()), _queue_body)

    def _create_queue(self, p: dict[str, Any]) -> dict[str, Any]:
        q = self.backend.create_queue(
            self._instance(p).id, p["Name"], p["HoursOfOperationId"],
            description=p.get("Description", ""), tags=p.get("Tags"), max_contacts=p.get("MaxContacts"),
        )
        return {"QueueArn": q.arn, "QueueId": q.id}

    def _update_queue_name(self, p: dict[str, Any]) -> dict[str, Any]:
        self.backend.update_queue_name(p["InstanceId"], p["QueueId"], p.get("Name"), p.get("Description"))
        return {}

    def _search_routing_profiles(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._search("SearchRoutingProfiles", p, "RoutingProfiles", list(self._instance(p).routing_profiles.values()), _profile_body)

    def _associate_routing_profile_queues(self, p: dict[str, Any]) -> dict[str, Any]:
        self.backend.associate_routing_profile_queues(p["InstanceId"], p["RoutingProfileId"], p.get("QueueConfigs", []))
        return {}

    # -- flows and modules -----------------------------------------------------------------------

    def _search_flows(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._search("SearchContactFlows", p, "ContactFlows", list(self._instance(p).flows.values()), _flow_body)

    def _describe_flow(self, p: dict[str, Any]) -> dict[str, Any]:
        inst = self._instance(p)
        return {"ContactFlow": _flow_body(self.backend.flow(inst, p["ContactFlowId"]))}

    def _create_flow(self, p: dict[str, Any]) -> dict[str, Any]:
        f = self.backend.create_contact_flow(
            self._instance(p).id, p["Name"], p["Type"], p["Content"],
            description=p.get("Description", ""), status=p.get("Status", "PUBLISHED"), tags=p.get("Tags"),
        )
        return {"ContactFlowId": f.id, "ContactFlowArn": f.arn, "FlowContentSha256": content_sha256(f.content)}

    def _update_flow_content(self, p: dict[str, Any]) -> dict[str, Any]:
        self.backend.update_contact_flow_content(p["InstanceId"], p["ContactFlowId"], p["Content"])
        return {}

    def _search_modules(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._search("SearchContactFlowModules", p, "ContactFlowModules", list(self._instance(p).modules.values()), _module_body)

    def _create_module(self, p: dict[str, Any]) -> dict[str, Any]:
        m = self.backend.create_flow_module(
            self._instance(p).id, p["Name"], p["Content"],
            description=p.get("Description", ""), settings=p.get("Settings"), tags=p.get("Tags"),
        )
        return {"Id": m.id, "Arn": m.arn}

    def _update_module_content(self, p: dict[str, Any]) -> dict[str, Any]:
        self.backend.update_flow_module_content(p["InstanceId"], p["ContactFlowModuleId"], p.get("Content"), p.get("Settings"))
        return {}

    # -- quick connects, tags, contacts ---------------------------------------------------------

    def _search_quick_connects(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._search("SearchQuickConnects", p, "QuickConnects", list(self._instance(p).quick_connects.values()), _quick_connect_body)

    def _create_quick_connect(self, p: dict[str, Any]) -> dict[str, Any]:
        qc = self.backend.create_quick_connect(
            self._instance(p).id, p["Name"], p["QuickConnectConfig"], description=p.get("Description", ""), tags=p.get("Tags"),
        )
        return {"QuickConnectARN": qc.arn, "QuickConnectId": qc.id}

    def _update_quick_connect_config(self, p: dict[str, Any]) -> dict[str, Any]:
        self.backend.update_quick_connect_config(p["InstanceId"], p["QuickConnectId"], p["QuickConnectConfig"])
        return {}

    def _tag_resource(self, p: dict[str, Any]) -> dict[str, Any]:
        self.backend.tag_resource(p["resourceArn"], p["tags"])
        return {}

    def _untag_resource(self, p: dict[str, Any]) -> dict[str, Any]:
        self.backend.untag_resource(p["resourceArn"], p["tagKeys"])
        return {}

    def _start_task_contact(self, p: dict[str, Any]) -> dict[str, Any]:
        if "ContactFlowId" not in p:
            raise ResourceNotFoundException("the Connect fake starts tasks from a ContactFlowId only")
        c = self.backend.start_contact(p["InstanceId"], "TASK", p["ContactFlowId"], p.get("Attributes", {}), p["Name"])
        return {"ContactId": c.id}

    def _start_chat_contact(self, p: dict[str, Any]) -> dict[str, Any]:
        c = self.backend.start_contact(p["InstanceId"], "CHAT", p["ContactFlowId"], p.get("Attributes", {}),
                                       p["ParticipantDetails"]["DisplayName"])
        return {"ContactId": c.id, "ParticipantId": self.backend.new_id(), "ParticipantToken": f"token-{c.id}"}


# -- search criteria (the subset the engine and tests use: name conditions, type, tags) ----------

def _matches(item: Any, criteria: dict[str, Any]) -> bool:
    if not criteria:
        return True
    if "AndConditions" in criteria:
        return all(_matches(item, c) for c in criteria["AndConditions"])
    if "OrConditions" in criteria:
        return any(_matches(item, c) for c in criteria["OrConditions"])
    if "StringCondition" in criteria:
        cond = criteria["StringCondition"]
        if cond.get("FieldName", "").lower() != "name":
            raise InvalidParameterException(f"the Connect fake searches by name only, not {cond.get('FieldName')}")
        value, name = cond.get("Value", ""), item.name
        return {"EXACT": name == value, "STARTS_WITH": name.startswith(value), "CONTAINS": value in name}[cond.get("ComparisonType", "EXACT")]
    if "QueueTypeCondition" in criteria:
        return bool(criteria["QueueTypeCondition"] == "STANDARD")  # the fake has no agent queues
    if "TypeCondition" in criteria:
        return bool(getattr(item, "type", None) == criteria["TypeCondition"])
    raise InvalidParameterException(f"the Connect fake does not support the search criteria {sorted(criteria)}")


def _tag_match(item: Any, search_filter: dict[str, Any]) -> bool:
    tag_filter = search_filter.get("TagFilter") or {}
    cond = tag_filter.get("TagCondition")
    if cond is None:
        return True
    return bool(item.tags.get(cond["TagKey"]) == cond.get("TagValue"))


# -- bodies -------------------------------------------------------------------------------------

def _instance_body(inst: Instance) -> dict[str, Any]:
    return {"Id": inst.id, "Arn": inst.arn, "InstanceAlias": inst.alias, "IdentityManagementType": inst.identity_management,
            "InstanceStatus": "ACTIVE", "CreatedTime": inst.created, "InboundCallsEnabled": True, "OutboundCallsEnabled": True}


def _tags(tags: dict[str, str]) -> dict[str, Any]:
    return {"Tags": dict(tags)} if tags else {}


def _queue_body(q: Queue) -> dict[str, Any]:
    body: dict[str, Any] = {"Name": q.name, "QueueArn": q.arn, "QueueId": q.id, "Description": q.description,
                            "HoursOfOperationId": q.hours_of_operation_id, "Status": q.status, **_tags(q.tags)}
    if q.max_contacts is not None:
        body["MaxContacts"] = q.max_contacts
    return body


def _profile_body(r: RoutingProfile) -> dict[str, Any]:
    queue_ids = sorted({qid for qid, _ in r.queue_configs})
    return {"Name": r.name, "RoutingProfileArn": r.arn, "RoutingProfileId": r.id, "Description": r.description,
            "DefaultOutboundQueueId": r.default_outbound_queue_id, "NumberOfAssociatedQueues": len(queue_ids),
            "AssociatedQueueIds": queue_ids, "IsDefault": r.is_default, **_tags(r.tags)}


def _flow_body(f: ContactFlow) -> dict[str, Any]:
    return {"Arn": f.arn, "Id": f.id, "Name": f.name, "Type": f.type, "State": f.state, "Status": f.status,
            "Description": f.description, "Content": f.content, "FlowContentSha256": content_sha256(f.content), **_tags(f.tags)}


def _module_body(m: FlowModule) -> dict[str, Any]:
    body = {"Arn": m.arn, "Id": m.id, "Name": m.name, "Content": m.content, "Description": m.description,
            "State": m.state, "Status": m.status, "FlowModuleContentSha256": content_sha256(m.content), **_tags(m.tags)}
    if m.settings is not None:
        body["Settings"] = m.settings
    return body


def _quick_connect_body(q: QuickConnect) -> dict[str, Any]:
    return {"QuickConnectARN": q.arn, "QuickConnectId": q.id, "Name": q.name, "Description": q.description,
            "QuickConnectConfig": q.config, **_tags(q.tags)}


@contextmanager
def virtual_retry_sleep(clock: Clock) -> Iterator[None]:
    """Put botocore's retry back-off (``botocore.endpoint`` calls ``time.sleep``) on ``clock`` while inside.

    botocore sleeps between retries in ``Endpoint._needs_retry`` with the ``time`` module; the
    standard and legacy modes have no hook for a clock, so tests and the bench swap that module
    reference for one whose ``sleep`` advances the virtual clock.
    """
    original = botocore.endpoint.time
    botocore.endpoint.time = SimpleNamespace(sleep=clock.sleep, time=clock.time)
    try:
        yield
    finally:
        botocore.endpoint.time = original


def over_model_maximum(shape: Any, value: Any, where: str = "") -> list[str]:
    """Every value above its model maximum (a number's range, a string's or list's length): botocore checks only the
    minimum before sending, and the service refuses the rest."""
    limit = shape.metadata.get("max")
    found: list[str] = []
    if shape.type_name in ("integer", "long") and limit is not None and isinstance(value, int) and value > limit:
        found.append(f"{where or shape.name}: {value} is above the maximum {limit}")
    elif shape.type_name in ("string", "list", "map") and limit is not None and len(value) > limit:
        found.append(f"{where or shape.name}: length {len(value)} is above the maximum {limit}")
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                found += over_model_maximum(member, value[name], f"{where}.{name}" if where else name)
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            found += over_model_maximum(shape.member, item, f"{where}[{index}]")
    return found
