"""Build the boto3 clients for a run (profile, region, retry mode) and resolve an instance alias to its id."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import NoRegionError, ProfileNotFound

from sccac.connect.errors import ConnectUsageError
from sccac.connect.snapshot import paginate
from sccac.lambdas.ids import UUID_RE



def aws_session(region: str | None, profile: str | None) -> Any:
    try:
        session = boto3.session.Session(profile_name=profile, region_name=region)
    except ProfileNotFound:
        raise ConnectUsageError(f"--profile {profile}: no such AWS profile (see `aws configure list-profiles`)") from None
    if not session.region_name:
        raise ConnectUsageError("no AWS region: pass --region (the Connect instance's region) or set AWS_REGION")
    if session.get_credentials() is None:
        raise ConnectUsageError(
            f"no AWS credentials for region {session.region_name}: pass --profile, set AWS_PROFILE or the AWS_* "
            "variables, or run `aws configure`"
        )
    return session


def connect_client(session: Any, *, retry_mode: str = "standard", max_attempts: int = 10) -> Any:
    try:
        return session.client("connect", config=Config(retries={"mode": retry_mode, "total_max_attempts": max_attempts}))
    except NoRegionError:
        raise ConnectUsageError("no AWS region: pass --region") from None


def resolve_instance(client: Any, instance: str) -> str:
    """An instance id, ARN or alias -> the instance id (an alias costs one ListInstances page per 10 instances)."""
    if UUID_RE.match(instance):
        return instance
    if instance.startswith("arn:") and "/" in instance:
        return instance.rsplit("/", 1)[-1]
    aliases = {}
    for summary in paginate(client, "ListInstances", "InstanceSummaryList"):
        aliases[summary.get("InstanceAlias", "")] = summary["Id"]
    if instance not in aliases:
        known = ", ".join(sorted(a for a in aliases if a)) or "none"
        raise ConnectUsageError(
            f"--instance-id {instance}: not an instance id, ARN or alias in {client.meta.region_name} (aliases there: {known})"
        )
    return aliases[instance]


def missing_aws_setup(region: str | None, profile: str | None) -> str | None:
    """Why no AWS call can be made here (no credentials, no region), or None when one can: what a
    flow step checks to skip the Connect side with one clear line instead of failing."""
    try:
        aws_session(region, profile)
    except ConnectUsageError as exc:
        return str(exc)
    return None
