"""Routing Lambda: ask Salesforce Omni-Channel to route the work item; return the mapped Connect queue.

Input, as SCC-AC's own routing function reads it: ``routingType`` (``Initial`` |
``Transfer``), contact attribute ``conversationIdentifier``, optional block parameters
``salesforceQueueId`` (route to that Omni-Queue), or ``salesforceFlowId`` with
``salesforceFlowFallbackQueueId`` (route with that Omni-Flow; the Route API requires both,
error 10024), and ``salesforceFlowRoutingAttributes.<name>`` parameters sent with the flow as
``routingInfo.routingAttributes``. One ``POST /api/v1/route`` call.

When the answer's ``contextParamMap`` has no ``externalQueueId``, the routed Omni-Queue is looked
up in the org's mapping (``queue_mapping``: at most one extra round trip per container per TTL).

Output (flat string map): ``routingStatus``, ``workItemId`` (``PostRouteResponse.workItemId``,
the MessagingSession Id), ``routingCorrelationId``, ``psrId``, ``routedQueueId`` (the Omni-Queue
Salesforce routed to) and, when the queue is mapped to a Connect queue, ``externalQueueId``
(its ARN). A routed contact whose queue is not mapped is a result,
not an exception: the source document sends such contacts to the Set working queue
block's Error branch (the fallback queue), whereas a Lambda error disconnects them.
"""

from __future__ import annotations

import logging
from typing import Any

from sccac.lambdas import runtime
from sccac.lambdas.answers import (
    PSR_PREFIX,
    QUEUE_PREFIX,
    optional_opaque_id,
    optional_record_id,
    require_success,
)
from sccac.clock import Clock
from sccac.lambdas.budget import Deadline
from sccac.lambdas.errors import RoutingRejectedError
from sccac.lambdas.event import PARAM_FLOW, PARAM_QUEUE, RouteRequest, parse_route_request
from sccac.lambdas.handler_support import run
from sccac.lambdas.ids import CONNECT_QUEUE_ARN_RE
from sccac.lambdas.interaction_api import request_id_for
from sccac.lambdas.log import log
from sccac.lambdas.redact import quote

MAPPED = "MAPPED_QUEUE"
NOT_MAPPED = "NO_MAPPED_QUEUE"


def handler(event: Any, context: Any) -> dict[str, str]:
    """Lambda entry point (Handler: sccac.lambdas.routing.handler)."""
    return handle(event, context, runtime.CONTAINER)


def handle(event: Any, context: Any, container: runtime.Container) -> dict[str, str]:
    """``handler`` in ``container`` (tests and the offline mode bring their own clock and dependencies)."""
    started = container.starts.next()  # first: Connect's clock is already running
    clock = container.clock
    return run("routing", event, lambda: _route(event, context, container.dependencies(), started, clock), clock)


def route(event: Any, context: Any, deps: runtime.Dependencies) -> dict[str, str]:
    """Same as ``handler`` with explicit dependencies (tests, offline mode)."""
    clock = deps.clock
    started = clock.monotonic()
    return run("routing", event, lambda: _route(event, context, deps, started, clock), clock)


def routing_info(request: RouteRequest) -> dict[str, Any] | None:
    """The Route API's routingInfo for the overrides, or None to use the channel's setup.

    Shapes from inbound-interaction-api.yaml: ``RoutingInfo.flow`` is a ``FlowInfo``
    ``{flowId, queueId}`` whose ``queueId`` is the fallback queue; ``RoutingInfo.queueId``
    routes to a queue directly; ``RoutingInfo.routingAttributes`` maps names to strings. As in
    SCC-AC's function, routing attributes travel with a flow only (they feed the Omni-Flow's
    input variables); without one they are left out, with a warning in the log.
    """
    if request.flow_id:
        # parse_route_request guarantees the fallback queue (Route API error 10024 otherwise).
        info: dict[str, Any] = {"flow": {"flowId": request.flow_id, "queueId": request.fallback_queue_id or ""}}
        if request.routing_attributes:
            info["routingAttributes"] = dict(request.routing_attributes)
        return info
    if request.routing_attributes:
        log(logging.WARNING, "routing.attributes_without_flow", contactId=request.contact_id,
            names=",".join(sorted(request.routing_attributes)),
            note="salesforceFlowRoutingAttributes.* parameters are sent only with salesforceFlowId.")
    if request.queue_id:
        return {"queueId": request.queue_id}
    return None


def _route(
    event: Any, context: Any, deps: runtime.Dependencies, started: float, clock: Clock
) -> dict[str, str]:
    request = parse_route_request(event)
    deadline = Deadline.for_invocation(context, deps.settings.connect_timeout_ms, started, clock)
    data = deps.api.post_route(
        request.conversation_identifier,
        request.routing_type,
        routing_info(request),
        # Same RequestId for Connect's own retries of this contact's routing request; a new one
        # for each session (a re-queued contact routes its new session).
        request_id_for(request.contact_id, f"route/{request.routing_type}/{request.work_item_id or ''}"),
        deadline,
    )
    what = "POST /api/v1/route"
    if not require_success(data, what):
        raw_errors = data.get("errors")
        errors = raw_errors if isinstance(raw_errors, dict) else {}
        reason = data.get("reasonForNotRouting") or errors.get("errorMessage") or "no reason given"
        raise RoutingRejectedError(
            f"Salesforce did not route conversation {quote(request.conversation_identifier, 64)}: "
            f"{quote(reason, 200)}",
            contact_id=request.contact_id,
            field=PARAM_FLOW if request.flow_id else PARAM_QUEUE if request.queue_id else None,
            fix="Check the messaging channel's routing (Omni-Flow or Omni-Queue) or the block's "
            "salesforceQueueId / salesforceFlowId overrides.",
        )
    raw_context = data.get("contextParamMap")
    context_map = raw_context if isinstance(raw_context, dict) else {}
    result = {
        "workItemId": optional_record_id(data, "workItemId", None, what),
        "routingCorrelationId": optional_opaque_id(data, "routingCorrelationId", what),
        "psrId": optional_record_id(data, "psrId", PSR_PREFIX, what),
        "routedQueueId": optional_record_id(context_map, "queueId", QUEUE_PREFIX, what),
    }
    raw_external = context_map.get("externalQueueId")
    external = raw_external if isinstance(raw_external, str) else ""
    if raw_external in (None, "") and result["routedQueueId"]:
        # Salesforce did not name the Connect queue: look the Omni-Queue up in the mapping.
        external = deps.mappings.resolve(result["routedQueueId"], deadline, request.contact_id) or ""
        if external:
            log(logging.INFO, "routing.queue_from_mapping", contactId=request.contact_id,
                routedQueueId=result["routedQueueId"], externalQueueId=external)
    if CONNECT_QUEUE_ARN_RE.match(external):
        result["routingStatus"] = MAPPED
        result["externalQueueId"] = external
        return result
    queue = result["routedQueueId"] or "the routed queue"
    why = (
        f"is mapped to '{quote(raw_external, 80)}', which is not a Connect queue ARN"
        if raw_external not in (None, "")
        else "is not mapped to an Amazon Connect queue"
    )
    result["routingStatus"] = NOT_MAPPED
    result["routingMessage"] = (
        f"Omni-Queue {queue} {why}; the flow's fallback queue will be used. "
        "Map the Omni-Queue to a Connect queue in Connect_Queue_Mapping__mdt (Setup > Custom "
        "Metadata Types), or route to a mapped queue."
    )
    log(logging.WARNING, "routing.no_mapped_queue", contactId=request.contact_id,
        routingType=request.routing_type, routedQueueId=result["routedQueueId"])
    return result
