"""Flow-language facts the rules check against: known action types and their error types."""

from __future__ import annotations

COMMON_ERRORS = frozenset({"NoMatchingError", "NoMatchingCondition"})

# Error types beyond the common two that a type may declare (research table and exports).
EXTRA_ERRORS: dict[str, frozenset[str]] = {
    "TransferContactToQueue": frozenset({"QueueAtCapacity"}),
    "UpdateContactRecordingAndAnalyticsBehavior": frozenset({"ChannelMismatch", "InFlightRedactionConfigurationFailed"}),
    "GetParticipantInput": frozenset({"InputTimeLimitExceeded", "InvalidPhoneNumber"}),
    "ConnectParticipantWithLexBot": frozenset({"InputTimeLimitExceeded"}),
    "Wait": frozenset({"WaitCompleted", "CustomerReturned", "ParticipantReturned", "ExpiredTimeout"}),
}

# Types whose branches we know (error types are checked only for these).
ERROR_CHECKED_TYPES = frozenset(
    {
        "UpdateContactAttributes",
        "InvokeLambdaFunction",
        "UpdateContactTargetQueue",
        "TransferContactToQueue",
        "UpdateContactRecordingBehavior",
        "UpdateContactRecordingAndAnalyticsBehavior",
        "Compare",
        "Loop",
        "MessageParticipant",
        "UpdateFlowLoggingBehavior",
        "TransferToFlow",
        "CheckHoursOfOperation",
        "UpdateFlowAttributes",
        "InvokeFlowModule",
        "CheckMetricData",
    }
)

KNOWN_TYPES = ERROR_CHECKED_TYPES | frozenset(
    {
        "DisconnectParticipant",
        "EndFlowExecution",
        "EndFlowModuleExecution",
        "ConnectParticipantWithLexBot",
        "GetParticipantInput",
        "UpdateContactMediaStreamingBehavior",
        "UpdateContactRoutingBehavior",
        "UpdateContactRoutingCriteria",
        "UpdateContactData",
        "UpdateContactEventHooks",
        "UpdateContactTextToSpeechVoice",
        "UpdateContactCallbackNumber",
        "CreateCallbackContact",
        "CreateTask",
        "DistributeByPercentage",
        "DequeueContactAndTransferToQueue",
        "TransferParticipantToThirdParty",
        "MessageParticipantIteratively",
        "CheckVoiceId",
        "GetMetricData",
        "ResumeContact",
        "Wait",
        "InvokeExternalResource",
    }
)

# A successful run of these hands the contact on, so "no NextAction" is the normal shape.
HANDS_CONTACT_ON = frozenset({"TransferToFlow", "TransferParticipantToThirdParty", "TransferContactToQueue"})

FORBIDDEN_IDENTIFIER_CHARS = frozenset("%:()\\/=$,;[]{}")
FORBIDDEN_IDENTIFIER_NAMES = frozenset(
    {
        "__proto__",
        "constructor",
        "__defineGetter__",
        "__defineSetter__",
        "toString",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "valueOf",
    }
)
