"""Flow settings from options: the one place `sccac flows build`'s flags and the build_contact_flows task's options
become :class:`FlowSettings`, with every bad option reported at once (as CumulusCI's ``CCIOptions`` does).

An option's name is its FlowSettings field (``lambda_timeout_seconds``); the task spells it so and the command line
``--lambda-timeout-seconds``. Values arrive as the CLI's strings or as YAML values from cumulusci.yml; both are read
here, so a value the CLI accepts the task accepts too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from sccac.errors import SccacUsageError
from sccac.flows.builders import FlowSettings, settings_problems
from sccac.flows.files import EXAMPLE_ACCOUNT, EXAMPLE_SETTINGS, REQUIRED_SETTINGS
from sccac.flows.text import printable
from sccac.option_values import Read, read_pairs, read_text, read_whole, shown, yes_or_no

#: How a front end spells a setting's name in its messages: the task as is, the CLI as a flag.
Spelling = Callable[[str], str]


def task_option(name: str) -> str:
    return name


def cli_flag(name: str) -> str:
    return "--" + name.replace("_", "-")


@dataclass(frozen=True)
class SettingOption:
    """One flow setting as an option: its name (the FlowSettings field), what it is, and how its value is read."""

    name: str
    help: str
    kind: str = "text"  # "text", "number" (a whole number) or "pairs" (NAME=VALUE items)

    @property
    def required(self) -> bool:
        return self.name in REQUIRED_SETTINGS

    @property
    def default(self) -> Any:
        default = next(f.default for f in fields(FlowSettings) if f.name == self.name)
        return None if default is MISSING else default

    def describe(self, spelling: Spelling, required_note: str) -> str:
        """The option's help as a front end shows it: other settings named its way, then required or the default."""
        text = spelled(self.help, spelling)
        if self.required:
            return f"{text} {required_note}"
        if self.default in (None, ()):
            return text
        return f"{text} Default: {self.default if isinstance(self.default, int) else repr(self.default)}."


SETTING_OPTIONS: tuple[SettingOption, ...] = (
    SettingOption("session_lambda_arn", "CreateMessagingSession Lambda function ARN."),
    SettingOption("routing_lambda_arn", "Routing Lambda function ARN."),
    SettingOption("channel_address_identifier", "ChannelAddressIdentifier of the Salesforce MessagingChannel (a UUID)."),
    SettingOption("fallback_queue_arn", "Connect queue ARN used when routing returns no queue."),
    SettingOption("retry_count", "Lambda attempts in each retry loop (1..100).", "number"),
    SettingOption("lambda_timeout_seconds", "Timeout of each Lambda block in seconds (1..8, Connect's limit).", "number"),
    SettingOption("name_prefix", "Prefix of the flow names."),
    SettingOption("client_id", "clientId set before the session Lambda: a value or a JSONPath such as $.Attributes.email "
                  "(default: StartChatContact's attribute)."),
    SettingOption("salesforce_queue_id", "Routing override: the Omni-Queue (00G...) to route to (salesforceQueueId)."),
    SettingOption("salesforce_flow_id", "Routing override: the Omni-Flow to route with (salesforceFlowId); needs "
                  "salesforce_flow_fallback_queue_id."),
    SettingOption("salesforce_flow_fallback_queue_id", "The Omni-Flow's fallback Omni-Queue, 00G... "
                  "(salesforceFlowFallbackQueueId)."),
    SettingOption("routing_attributes", "NAME=VALUE sent to the Omni-Flow as routing attribute NAME (with "
                  "salesforce_flow_id); VALUE may be a JSONPath such as $.Attributes.tier.", "pairs"),
    SettingOption("transcription_module_arn", "ARN of the deployed transcription flow module; the inbound flow invokes it first."),
    SettingOption("disconnect_flow_arn", "ARN of the deployed disconnect flow with re-queue; the inbound flow sets it as "
                  "its disconnect flow."),
    SettingOption("requeue_wait_seconds", "How long the disconnect flow waits for the customer's reply, in seconds.", "number"),
    SettingOption("requeue_message", "What the disconnect flow tells the customer when the agent left."),
    SettingOption("failure_message", "What a chat customer reads before a final error disconnects the contact."),
    SettingOption("analytics_language", "Contact Lens chat analytics language of the transcription module."),
)
SETTING_NAMES = tuple(option.name for option in SETTING_OPTIONS)
#: Not a setting, but part of the rules: the four org-specific values are required unless it is true.
EXAMPLE_OPTION = "example"


class FlowSettingsOptionsError(SccacUsageError):
    """Every flow setting option to fix, each with what is wrong and what to do; one message for all of them."""

    def __init__(self, problems: list[tuple[str, str]], spelling: Spelling) -> None:
        self.problems = tuple(problems)
        lines = [f"  {spelling(name)}: {printable(message)}" for name, message in problems]
        count = f"{len(problems)} flow setting{'s' if len(problems) > 1 else ''}"
        super().__init__(f"{count} to fix:\n" + "\n".join(lines))


def settings_from_options(options: Mapping[str, Any], spelling: Spelling = task_option) -> FlowSettings:
    """FlowSettings from option values (absent, None or "" = not given). The four org-specific settings are required
    unless ``example`` is true, which fills them with example values. Raises :class:`FlowSettingsOptionsError`
    naming every bad option, spelled the caller's way."""
    example = yes_or_no(options.get(EXAMPLE_OPTION))
    values: dict[str, Any] = {option.name: option.default for option in SETTING_OPTIONS}
    problems: list[tuple[str, str]] = []
    if example is None:
        problems.append((EXAMPLE_OPTION, f"{shown(options.get(EXAMPLE_OPTION))} is not true or false"))
    for option in SETTING_OPTIONS:
        given = options.get(option.name)
        if _absent(given):
            if option.required and not example:
                problems.append((option.name, f"missing: give the org's real value (or {spelling(EXAMPLE_OPTION)} "
                                              "for example flows that are not for Connect)"))
            values[option.name] = EXAMPLE_SETTINGS[option.name] if option.required else option.default
            continue
        value, problem = _READERS[option.kind](given)
        if problem:
            problems.append((option.name, problem))
        else:
            values[option.name] = value
    unreadable = {name for name, _ in problems}
    problems += [(name, spelled(message, spelling)) for name, message in settings_problems(values)
                 if name not in unreadable]
    if problems:
        raise FlowSettingsOptionsError(_in_option_order(problems), spelling)
    return FlowSettings(**values)


def example_filled(options: Mapping[str, Any]) -> tuple[str, ...]:
    """The org-specific settings ``example`` filled with example values (account EXAMPLE_ACCOUNT)."""
    if not yes_or_no(options.get(EXAMPLE_OPTION)):
        return ()
    return tuple(name for name in REQUIRED_SETTINGS if _absent(options.get(name)))


EXAMPLE_NOTE = (f"set to example values (account {EXAMPLE_ACCOUNT}); not for Connect, and flow lint rejects the "
                "example channel address identifier (SCCAC-FLOW-026)")


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, (str, tuple, list, dict)) and not value)


_READERS: dict[str, Callable[[Any], Read]] = {"text": read_text, "number": read_whole, "pairs": read_pairs}


def spelled(message: str, spelling: Spelling) -> str:
    """``message`` with the settings it names by field ("needs salesforce_flow_id") spelled the caller's way."""
    for name in sorted(SETTING_NAMES, key=len, reverse=True):
        if name in message and spelling(name) != name:
            message = message.replace(name, spelling(name))
    return message


def _in_option_order(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    order = {name: index for index, name in enumerate((EXAMPLE_OPTION, *SETTING_NAMES))}
    return sorted(dict.fromkeys(problems), key=lambda problem: order.get(problem[0], len(order)))
