"""Find a chat contact's transcript where Connect stores it, waiting for it to land, within the time left.

The instance's ``CHAT_TRANSCRIPTS`` storage configuration (``ListInstanceStorageConfigs``) names
the S3 bucket and prefix; Connect writes ``<prefix>/<yyyy>/<mm>/<dd>/<contactId>_<time>.json``,
usually a few seconds after the disconnect event. So the function looks (``ListObjectsV2`` on
that key prefix, for the event's day and the chat's start day when they differ), waits
``interval_s``, looks again, at most ``attempts`` times, and never past the deadline less the time
kept for sending the history. The waiting goes through the deadline's clock (``sccac.clock``),
so tests run on virtual time.

Every AWS call is bounded by the botocore client's own timeouts and checked against the
deadline first; AWS errors become the functions' typed errors with the setting to check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sccac.lambdas.budget import Deadline
from sccac.lambdas.errors import ConfigurationError, InvalidInputError, LambdaError
from sccac.lambdas.redact import clip, escape, quote

# A day-long chat with attachments stays far below this; more is not a Connect transcript.
MAX_TRANSCRIPT_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class PollPlan:
    """How often to look for a transcript that is not there yet (SCC-AC's own: 3 looks, 10 s apart)."""

    attempts: int = 3
    interval_s: float = 10.0
    reserve_s: float = 5.0  # kept back for the Salesforce calls after the transcript is found


@dataclass(frozen=True)
class TranscriptLocation:
    bucket: str
    prefix: str  # without a trailing slash; may be empty


@dataclass(frozen=True)
class Transcript:
    bucket: str
    key: str
    document: Any
    looks: int  # how many times the bucket was listed


class AwsUnavailableError(LambdaError):
    """Connect or S3 failed, throttled or timed out; the event's next delivery tries again."""

    code = "AWS_UNAVAILABLE"
    retryable = True


class TranscriptNotFoundError(LambdaError):
    """Connect had not stored the transcript when the function's time ran out."""

    code = "TRANSCRIPT_NOT_FOUND"
    retryable = True


def aws_call(what: str, setting: str, deadline: Deadline, call: Callable[..., Any], **params: Any) -> Any:
    """``call(**params)`` if time is left, with AWS errors turned into typed errors naming ``setting``."""
    deadline.call_timeout(what)  # raises the timeout error when no time is left
    try:
        return call(**params)
    except Exception as exc:  # noqa: BLE001 - botocore's errors are translated below, others re-raised
        raise _translated(exc, what, setting) from None


def _translated(exc: Exception, what: str, setting: str) -> Exception:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        if type(exc).__module__.startswith(("botocore", "urllib3")):
            return AwsUnavailableError(f"{what} did not answer ({type(exc).__name__}).",
                                       fix="The event's next delivery tries again; check the function's network egress.")
        return exc
    error = response.get("Error") or {}
    code = str(error.get("Code") or "")
    message = quote(error.get("Message") or "no message", 160)
    if code in ("AccessDenied", "AccessDeniedException", "AllAccessDisabled", "KMS.AccessDeniedException"):
        return ConfigurationError(f"{what} was denied ({code}: {message}).", field=setting,
                                  fix=f"Check {setting} in the SAM template parameters: the function's role may "
                                  "only read what they name.")
    if code in ("NoSuchBucket", "ResourceNotFoundException", "InvalidParameterException", "InvalidRequestException"):
        return InvalidInputError(f"{what} failed ({code}: {message}).", field=setting,
                                 fix=f"Check {setting}: it must name this Connect instance's resources.")
    return AwsUnavailableError(f"{what} failed ({code or type(exc).__name__}: {message}).",
                               fix="The event's next delivery tries again.")


def transcript_location(connect: Any, instance_id: str, deadline: Deadline) -> TranscriptLocation:
    """The instance's chat transcript bucket and prefix, or a configuration error saying where to set it."""
    params: dict[str, Any] = {"InstanceId": instance_id, "ResourceType": "CHAT_TRANSCRIPTS"}
    while True:
        page = aws_call("Connect ListInstanceStorageConfigs", "ConnectInstanceArn", deadline,
                        connect.list_instance_storage_configs, **params)
        for config in page.get("StorageConfigs") or []:
            s3 = config.get("S3Config") if config.get("StorageType") == "S3" else None
            if s3 and s3.get("BucketName"):
                return TranscriptLocation(s3["BucketName"], str(s3.get("BucketPrefix") or "").strip("/"))
        if not page.get("NextToken"):
            break
        params["NextToken"] = page["NextToken"]
    raise ConfigurationError(
        f"The Connect instance {quote(instance_id, 80)} stores no chat transcripts in S3.",
        field="ConnectInstanceArn",
        fix="Turn on chat transcripts in the Amazon Connect console (instance > Data storage > Chat "
        "transcripts) and give that bucket as the stack's ChatTranscriptBucket parameter.",
    )


def key_prefixes(location: TranscriptLocation, contact_id: str, days: Iterable[datetime]) -> list[str]:
    """``<prefix>/<yyyy>/<mm>/<dd>/<contactId>_`` for each distinct UTC day, in the order given."""
    base = f"{location.prefix}/" if location.prefix else ""
    prefixes = [f"{base}{day:%Y/%m/%d}/{contact_id}_" for day in days]
    return list(dict.fromkeys(prefixes))


def find_transcript(
    s3: Any,
    location: TranscriptLocation,
    prefixes: list[str],
    deadline: Deadline,
    plan: PollPlan = PollPlan(),
) -> Transcript:
    """Look for the transcript until it is there, ``plan.attempts`` looks, or the time is up.

    The waits between looks run on the deadline's clock, so they count against it.
    """
    clock = deadline.clock
    started = clock.monotonic()
    usable_s = deadline.remaining_s() - plan.reserve_s
    looks = 0
    while True:
        looks += 1
        key = _newest_key(s3, location.bucket, prefixes, deadline)
        if key is not None:
            return Transcript(location.bucket, key, _read(s3, location.bucket, key, deadline), looks)
        waited = clock.monotonic() - started
        if looks >= plan.attempts or waited + plan.interval_s > usable_s:
            break
        clock.sleep(plan.interval_s)
    raise TranscriptNotFoundError(
        # Bucket and key are names, not server text: escaped and clipped, not redacted as credentials.
        f"No chat transcript under s3://{clip(escape(location.bucket), 63)}/{clip(escape(prefixes[0]), 300)} after "
        f"{looks} looks over {waited:.0f} s.",
        field="ChatTranscriptBucket",
        fix="Connect writes the transcript shortly after the chat ends; the event's next delivery "
        "looks again. If it never appears, check the instance's chat transcript storage (Data storage).",
    )


def _newest_key(s3: Any, bucket: str, prefixes: list[str], deadline: Deadline) -> str | None:
    keys: list[str] = []
    for prefix in prefixes:
        page = aws_call("S3 ListObjectsV2", "ChatTranscriptBucket", deadline, s3.list_objects_v2,
                        Bucket=bucket, Prefix=prefix, MaxKeys=100)
        keys += [o["Key"] for o in page.get("Contents") or [] if o.get("Key", "").endswith(".json")]
    # The key ends in the time Connect wrote it: the last one is the most complete.
    return max(keys) if keys else None


def _read(s3: Any, bucket: str, key: str, deadline: Deadline) -> Any:
    answer = aws_call("S3 GetObject", "ChatTranscriptBucket", deadline, s3.get_object, Bucket=bucket, Key=key)
    if int(answer.get("ContentLength") or 0) > MAX_TRANSCRIPT_BYTES:
        raise _not_a_transcript(key, f"larger than {MAX_TRANSCRIPT_BYTES // (1024 * 1024)} MB")
    data = answer["Body"].read(MAX_TRANSCRIPT_BYTES + 1)
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise _not_a_transcript(key, f"larger than {MAX_TRANSCRIPT_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:
        raise _not_a_transcript(key, "not JSON") from None


def _not_a_transcript(key: str, why: str) -> InvalidInputError:
    return InvalidInputError(
        f"The object {clip(escape(key), 300)} is {why}: not a Connect chat transcript.",
        field="ChatTranscriptBucket",
        fix="Check that the bucket and prefix of the instance's chat transcript storage hold only "
        "what Connect writes there.",
    )
