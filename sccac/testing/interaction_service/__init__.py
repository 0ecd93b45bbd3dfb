"""Local stand-in for the Salesforce Interaction Service and its OAuth token endpoint.

A real HTTP server on 127.0.0.1 that answers the endpoints the SCC-AC Lambdas call, with the
request and response shapes of salesforce-misc/interaction-service-apis
``inbound-interaction-api.yaml``:

- ``POST /services/oauth2/token``: OAuth 2.0 JWT bearer grant; verifies the RS256
  assertion against the connected app certificate's public key, iss/sub/aud/exp (aud
  must be https://login.salesforce.com, as for a production org, unless configured).
- ``POST /api/v1/interactions`` (multipart/form-data, one ``json`` part:
  ``InteractionRequestJson`` with ``to``, ``from`` and exactly one interaction): finds or
  creates the conversation of (``to``, ``from``) and its open MessagingSession and answers
  ``PostInteractionResponse`` (``conversationIdentifier``, ``workItemIds``, ``success``).
- ``POST /api/v1/conversation``: establishes the conversation for (channel, participant
  subject) and its open messaging session; a repeat returns the same records.
- ``POST /api/v1/route``: creates the PendingServiceRouting for the conversation's
  session and resolves the Omni-Queue (directly, by Omni-Flow, or from the channel's setup).
- ``POST /services/data/v62.0/composite`` (the org's REST API at the token's ``instance_url``):
  the two queries the Routing function's mapping lookup sends, answered from ``queues``
  (``Connect_Queue_Mapping__mdt`` records, active ones with an ARN) and ``queue_names``
  (Group DeveloperName per Omni-Queue Id). A token without the ``api`` scope
  (``api_scope`` off) gets 401 ``INVALID_SESSION_ID``, as Salesforce answers.
- ``POST /api/v1/conversationHistory``: ``AddConversationHistoryRequest`` (at most 5 entries and
  3 participants, header ``AuthorizationContextType: ConversationChannelDefinition``); the
  entries are kept on the conversation of the request's end user (``Conversation.history``).

Errors use the published ``Error`` body ``{"code": int, "message": str}`` with the
Interaction API error codes and descriptions of ERRORCODES.md. Used by the Lambda tests, the
benchmark and the offline mode.

Laid out as moto lays out a service (and as the Connect fake, ``sccac.testing.connect``):

- ``models.py``: the org's state and rules (:class:`InteractionBackend`), no HTTP;
- ``responses.py``: the wire format: reading requests, the published JSON answers;
- ``exceptions.py``: one error class per Interaction API error code, OAuth and REST API errors;
- ``urls.py``: the paths answered and the response method of each;
- ``oauth.py``: the JWT bearer grant's checks;
- ``faults.py``: injected latency, HTTP status and error-code faults;
- ``server.py``: the HTTP server, request recording, test controls and ``main()``.
"""

from sccac.testing.interaction_service.exceptions import ERROR_CODES
from sccac.testing.interaction_service.faults import Fault
from sccac.testing.interaction_service.models import (
    ChannelSetup,
    Conversation,
    InteractionBackend,
    MessagingSession,
    Routing,
    ServiceConfig,
    salesforce_id,
)
from sccac.testing.interaction_service.oauth import DEFAULT_AUDIENCE, JWT_BEARER_GRANT
from sccac.testing.interaction_service.responses import HISTORY_MAX_ENTRIES, HISTORY_MAX_PARTICIPANTS
from sccac.testing.interaction_service.server import LocalInteractionService, RecordedRequest, main
from sccac.testing.interaction_service.urls import HISTORY_PATH, INTERACTIONS, REST_COMPOSITE

__all__ = [
    "DEFAULT_AUDIENCE",
    "ERROR_CODES",
    "HISTORY_MAX_ENTRIES",
    "HISTORY_MAX_PARTICIPANTS",
    "HISTORY_PATH",
    "INTERACTIONS",
    "JWT_BEARER_GRANT",
    "REST_COMPOSITE",
    "ChannelSetup",
    "Conversation",
    "Fault",
    "InteractionBackend",
    "LocalInteractionService",
    "MessagingSession",
    "RecordedRequest",
    "Routing",
    "ServiceConfig",
    "main",
    "salesforce_id",
]
