"""Validation of the options that org-specific Salesforce metadata is rendered from."""

from __future__ import annotations

import re

from sccac.errors import SccacUsageError
from sccac.lambdas.ids import CONNECT_QUEUE_ARN_RE as QUEUE_ARN_RE
from sccac.lambdas.ids import UUID_RE

#: AWS regions where Amazon Connect is offered.
CONNECT_REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-west-2",
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-2",
    "us-gov-west-1",
)

# Salesforce developer names: letter first, letters/digits/underscores, no double or trailing underscore.
DEVELOPER_NAME_RE = re.compile(r"^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)$")


#: The ``sccac salesforce render`` flag of each option that has one; error messages name both forms.
CLI_FLAGS: dict[str, str] = {
    "queue": "--queue",
    "routing": "--routing",
    "flow": "--flow",
    "channel_label": "--channel-label",
    "channel_developer_name": "--channel-name",
    "existing_definition": "--existing-definition",
    "region": "--region",
    "auth": "--auth",
    "aws_account_id": "--aws-account-id",
    "named_credential": "--named-credential",
}


def option_name(option: str) -> str:
    """``'aws_account_id' (--aws-account-id)``: the Python option and, when the CLI has one, its flag."""
    flag = CLI_FLAGS.get(option)
    return f"'{option}' ({flag})" if flag else f"'{option}'"


class RenderOptionError(SccacUsageError, ValueError):
    """A render option is missing or malformed; the message names the option (and its CLI flag) and the fix."""

    def __init__(self, option: str, problem: str, fix: str) -> None:
        self.option = option
        self.flag = CLI_FLAGS.get(option)
        self.problem = problem
        self.fix = fix
        super().__init__(f"option {option_name(option)}: {problem}. {fix}")


# Characters XML 1.0 cannot hold (C0 controls but tab/newline, lone surrogates, U+FFFE/U+FFFF), and every
# other control: a label or name is one line of printable text.
_UNUSABLE_CHAR_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def require_text(option: str, value: str | None, max_length: int = 80) -> str:
    if value is None or not str(value).strip():
        raise RenderOptionError(option, "is empty", f"Give a value for {option_name(option)}.")
    text = str(value).strip()
    bad = _UNUSABLE_CHAR_RE.search(text)
    if bad:
        code = f"\\x{ord(bad.group()):02x}" if ord(bad.group()) <= 0xFF else f"\\u{ord(bad.group()):04x}"
        raise RenderOptionError(
            option,
            f"has a control or non-text character ({code}) at position {bad.start() + 1}",
            "Use printable text: metadata XML cannot hold control characters.",
        )
    if len(text) > max_length:
        raise RenderOptionError(option, f"is {len(text)} characters long, more than {max_length}", "Use a shorter value.")
    return text


def developer_name(option: str, value: str | None, max_length: int = 80) -> str:
    text = require_text(option, value, max_length)
    if not DEVELOPER_NAME_RE.match(text):
        raise RenderOptionError(
            option,
            f"'{text}' is not a Salesforce developer name",
            "Use letters, digits and single underscores, starting with a letter and not ending with '_' "
            "(the API name, not the label).",
        )
    return text


def region(option: str, value: str | None) -> str:
    text = require_text(option, value, 30)
    if text not in CONNECT_REGIONS:
        raise RenderOptionError(
            option,
            f"'{text}' is not a region where Amazon Connect is offered",
            f"Use one of: {', '.join(CONNECT_REGIONS)}.",
        )
    return text


def queue_arn(option: str, value: str | None, expected_region: str | None = None) -> str:
    text = require_text(option, value, 255)
    match = QUEUE_ARN_RE.match(text)
    if not match:
        raise RenderOptionError(
            option,
            f"'{text}' is not an Amazon Connect queue ARN",
            "Expected arn:aws:connect:<region>:<12-digit account>:instance/<instance uuid>/queue/<queue uuid>; "
            "copy it from the Amazon Connect console (Routing > Queues > the queue > Show additional queue information).",
        )
    if expected_region and match.group("region") != expected_region:
        raise RenderOptionError(
            option,
            f"the ARN is in region {match.group('region')}, not {expected_region}",
            "Use a queue of the Connect instance in the configured region.",
        )
    return text


def uuid(option: str, value: str | None) -> str:
    text = require_text(option, value, 36).lower()
    if not UUID_RE.match(text):
        raise RenderOptionError(option, f"'{value}' is not a UUID", "Use the id part of the ARN (36 characters, 8-4-4-4-12).")
    return text


def aws_account_id(option: str, value: str | None) -> str:
    text = require_text(option, value, 12)
    if not re.fullmatch(r"[0-9]{12}", text):
        raise RenderOptionError(option, f"'{text}' is not a 12-digit AWS account id", "Use the account that owns the IAM role.")
    return text


def choice(option: str, value: str | None, allowed: tuple[str, ...]) -> str:
    text = require_text(option, value, 40)
    if text not in allowed:
        raise RenderOptionError(option, f"'{text}' is not one of {', '.join(allowed)}", f"Use one of: {', '.join(allowed)}.")
    return text
