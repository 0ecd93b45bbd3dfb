"""The paths the stand-in answers (all POST) and the :class:`InteractionResponses` method answering each."""

from __future__ import annotations

TOKEN = "/services/oauth2/token"
INTERACTIONS = "/api/v1/interactions"
CONVERSATION = "/api/v1/conversation"
ROUTE = "/api/v1/route"
HISTORY_PATH = "/api/v1/conversationHistory"
# The org's REST API at the token's instance_url (the Routing function's mapping lookup).
REST_COMPOSITE = "/services/data/v62.0/composite"

URL_PATHS: dict[str, str] = {
    TOKEN: "token",
    INTERACTIONS: "interactions",
    CONVERSATION: "conversation",
    ROUTE: "route",
    HISTORY_PATH: "conversation_history",
    REST_COMPOSITE: "composite",
}
