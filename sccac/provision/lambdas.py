"""`sam deploy` of aws/template.yaml with the parameters read from the org, non-interactive.

The stack's outputs (the two function ARNs) are what the Connect wiring associates and puts in the flows.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sccac.errors import SccacUsageError

TEMPLATE = Path("aws/template.yaml")


@dataclass(frozen=True)
class LambdaStack:
    stack_name: str
    region: str
    scrt_domain: str
    secret_name: str
    authorization_context: str
    connect_instance_arn: str

    def parameters(self) -> Mapping[str, str]:
        return {
            "SalesforceScrtDomain": self.scrt_domain,
            "SalesforceSecretName": self.secret_name,
            "AuthorizationContext": self.authorization_context,
            "ConnectInstanceArn": self.connect_instance_arn,
        }


def sam_executable(project_root: Path) -> str:
    """The project's own SAM CLI (make sam installs it in .venv-sam), else one on PATH."""
    own = project_root / ".venv-sam" / "bin" / "sam"
    if own.is_file():
        return str(own)
    found = shutil.which("sam")
    if not found:
        raise SccacUsageError("the AWS SAM CLI is not installed: run `make sam` (it installs .venv-sam) or pip install aws-sam-cli")
    return found


def sam_commands(sam: str, stack: LambdaStack, build_dir: Path, profile: str | None = None) -> list[list[str]]:
    """`sam build` then `sam deploy` without prompts: a re-run with nothing changed is a no-op
    (--no-fail-on-empty-changeset)."""
    overrides = [f"{key}={value}" for key, value in stack.parameters().items()]
    common = ["--region", stack.region, *(["--profile", profile] if profile else [])]
    return [
        [sam, "build", "-t", str(TEMPLATE), "--build-dir", str(build_dir)],
        [sam, "deploy", "-t", str(build_dir / "template.yaml"), "--stack-name", stack.stack_name, "--resolve-s3",
         "--capabilities", "CAPABILITY_IAM", "--no-confirm-changeset", "--no-fail-on-empty-changeset",
         "--parameter-overrides", *overrides, *common],
    ]
