"""Check what `sam build` produced: each function's artifact imports its handler and answers a Connect event.

Run after `sam build -t aws/template.yaml --build-dir DIR`: ``python aws/check_build.py DIR``.
Each function runs in a fresh interpreter that sees only its artifact and the libraries the
Lambda Python runtime provides (boto3, botocore, urllib3 and their dependencies), as in AWS.
The handler gets an incomplete event (a flow's event without channelAddressIdentifier or conversationIdentifier; for
ContactDisconnected, an EventBridge contact event without contactId) and must raise the structured INVALID_INPUT error.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

import yaml

# What the AWS Lambda Python runtime ships besides the standard library.
RUNTIME_PROVIDED = ("boto3", "botocore", "urllib3", "jmespath", "dateutil", "s3transfer", "six")
# Native wheels in the artifact are built for the Lambda runtime's Python, not this one: check they are there.
BUNDLED = ("jwt", "cryptography")

_PROBE = """
import json, os, sys
artifact, runtime_libs, handler, event = sys.argv[1:5]
sys.path[:0] = [artifact, runtime_libs]
os.environ.update(SF_SCRT_DOMAIN="example.my.salesforce-scrt.com", SALESFORCE_SECRET_NAME="sccac/check", AUTHORIZATION_CONTEXT="SCCAC_Check")
module_name, _, function = handler.rpartition(".")
module = __import__(module_name, fromlist=[function])
try:
    getattr(module, function)(json.loads(event), None)
except Exception as exc:
    print(json.dumps({"file": module.__file__, "error": type(exc).__name__, "message": str(exc)}))
else:
    print(json.dumps({"file": module.__file__, "error": None}))
"""


# What each handler is invoked with; an incomplete event of that kind.
FLOW_EVENT = {"Name": "ContactFlowEvent", "Details": {"ContactData": {"ContactId": "check-build", "Attributes": {}},
                                                      "Parameters": {"routingType": "Initial"}}}
EVENTS = {
    "sccac.lambdas.contact_disconnected.handler": {
        "source": "aws.connect", "detail-type": "Amazon Connect Contact Event",
        "detail": {"eventType": "DISCONNECTED", "channel": "CHAT"},
    },
}


class _Loader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !Sub, ...) as plain values."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _runtime_libs(folder: Path) -> Path:
    for name in RUNTIME_PROVIDED:
        spec = find_spec(name)
        if spec is None or spec.origin is None:
            raise SystemExit(f"{name} is not installed here; it stands in for the Lambda runtime's copy")
        source = Path(spec.origin).parent if spec.submodule_search_locations else Path(spec.origin)
        (folder / source.name).symlink_to(source)
    return folder


def check(build_dir: Path) -> list[str]:
    template = yaml.load((build_dir / "template.yaml").read_text(), Loader=_Loader)
    functions = {name: r["Properties"] for name, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::Function"}
    if not functions:
        return [f"{build_dir}/template.yaml has no AWS::Serverless::Function"]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        runtime_libs = _runtime_libs(Path(tmp))
        for name, props in functions.items():
            artifact = build_dir / props["CodeUri"]
            problems += [f"{name}: {lib} is not bundled in {artifact}" for lib in BUNDLED if not (artifact / lib).is_dir()]
            event = json.dumps(EVENTS.get(props["Handler"], FLOW_EVENT))
            proc = subprocess.run([sys.executable, "-S", "-c", _PROBE, str(artifact), str(runtime_libs), props["Handler"], event],
                                  capture_output=True, text=True, timeout=60, check=False)
            if proc.returncode != 0 or not proc.stdout.strip():
                problems.append(f"{name}: {props['Handler']} does not import from {artifact}: {proc.stderr.strip()[-800:]}")
                continue
            answer = json.loads(proc.stdout.strip().splitlines()[-1])
            if not answer["file"].startswith(str(artifact.resolve())) and not answer["file"].startswith(str(artifact)):
                problems.append(f"{name}: the handler came from {answer['file']}, not from the artifact")
            elif answer["error"] != "InvalidInputError" or '"INVALID_INPUT"' not in answer.get("message", ""):
                problems.append(f"{name}: expected the INVALID_INPUT error for an incomplete event, got {answer}")
            else:
                print(f"{name}: {props['Handler']} imports from its artifact and rejects an incomplete event with INVALID_INPUT")
    return problems


if __name__ == "__main__":
    found = check(Path(sys.argv[1]))
    for problem in found:
        print(f"FAIL {problem}", file=sys.stderr)
    sys.exit(1 if found else 0)
