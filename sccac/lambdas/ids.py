"""The one definition of each id and ARN shape the package checks: UUIDs, Salesforce ids, Connect ARNs.

It lives in ``sccac/lambdas`` because only this folder is deployed to Lambda (see the Makefile
here); the flow builders, the flow linter, the Salesforce render validation and the local
Interaction Service import it from here, so every part accepts exactly the same values.
"""

from __future__ import annotations

import re

#: A UUID as Amazon Connect and Salesforce write it: lowercase hex digits, 8-4-4-4-12.
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
#: A whole value that is a UUID. Hex digits in either case: RFC 9562 reads them case-insensitively
#: and an admin may paste one in uppercase; code that stores or sends a UUID lowercases it.
#: Every pattern here ends in ``\Z``, not ``$``, which would also accept a trailing newline.
UUID_RE = re.compile(rf"^{UUID}\Z", re.IGNORECASE)

#: A Salesforce record Id: 15 case-sensitive characters, or the 18-character case-safe form.
SALESFORCE_ID_RE = re.compile(r"^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?\Z")

#: An AWS region name such as us-east-1 or us-gov-west-1. Digits are [0-9], never \\d, which also
#: matches the digits of other scripts (an ARN with Arabic-Indic digits names no AWS resource).
AWS_REGION = r"[a-z]{2}(?:-[a-z]+)+-[0-9]"


def connect_arn_re(kind: str) -> re.Pattern[str]:
    """``arn:aws[-partition]:connect:<region>:<12 digits>:instance/<uuid>/<kind>/<uuid>``.

    Lowercase hex only, unlike ``UUID_RE``: Connect generates its instance and resource ids
    as lowercase UUIDs, so every ARN it returns (console, API, exports) is lowercase, and an
    ARN is compared as an exact string (Connect's queue lookup, IAM), so an uppercase copy was
    edited by hand and names no resource. Groups: region, account, instance, id.
    """
    return re.compile(
        rf"^arn:aws[-a-z]*:connect:(?P<region>{AWS_REGION}):(?P<account>[0-9]{{12}}):"
        rf"instance/(?P<instance>{UUID})/{re.escape(kind)}/(?P<id>{UUID})\Z"
    )


#: An Amazon Connect instance ARN (``arn:aws:connect:<region>:<12 digits>:instance/<uuid>``); group: instance.
CONNECT_INSTANCE_ARN_RE = re.compile(rf"^arn:aws[-a-z]*:connect:{AWS_REGION}:[0-9]{{12}}:instance/(?P<instance>{UUID})\Z")
#: A Connect queue ARN (``.../queue/<uuid>``).
CONNECT_QUEUE_ARN_RE = connect_arn_re("queue")
#: A Connect flow module ARN (``.../flow-module/<uuid>``).
CONNECT_FLOW_MODULE_ARN_RE = connect_arn_re("flow-module")


def is_salesforce_id(value: object, prefix: str | None = None) -> bool:
    """True for a 15/18-character record Id string, starting with ``prefix`` (e.g. 00G) when given."""
    return (
        isinstance(value, str)
        and SALESFORCE_ID_RE.match(value) is not None
        and (prefix is None or value.startswith(prefix))
    )


def id15(record_id: str) -> str:
    """The 15-character form of a record Id (the case-sensitive one).

    The one place 18-character Ids become 15: calls that need the 15-character form (the
    Interaction API's ``/agentWork`` and ``/routingResult`` take a 15-character ``workItemId``)
    and lookups that compare Ids from different answers use this.
    """
    if not is_salesforce_id(record_id):
        raise ValueError("not a Salesforce record Id")
    return record_id[:15]
