"""Check sfdx-project.json and the scratch org definitions (orgs/*.json) against the JSON schemas Salesforce publishes.

The schemas come with the Salesforce CLI in npm `@salesforce/schemas` (`sfdx-project.schema.json`,
`project-scratch-def.schema.json`, JSON Schema draft 7). Each problem names the file and the key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from sccac.checks import tools
from sccac.checks.results import CheckResult, Problem, ToolMissing
from sccac.checks.source import PROJECT_FILE

SCHEMAS = Path("node_modules/@salesforce/schemas")
PROJECT_SCHEMA = "sfdx-project.schema.json"
SCRATCH_DEF_SCHEMA = "project-scratch-def.schema.json"
# CumulusCI's convention: cumulusci.yml points each scratch org config at orgs/<name>.json.
SCRATCH_DEFS = "orgs/*.json"
_MAX_MESSAGE = 300


def _validator(project_root: Path, name: str) -> Draft7Validator:
    path = project_root / SCHEMAS / name
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ToolMissing(f"the Salesforce JSON schemas are missing ({path}); {tools.INSTALL_HINT}") from None
    except (OSError, ValueError) as exc:
        raise ToolMissing(f"cannot read the Salesforce JSON schema {path} ({exc}); {tools.INSTALL_HINT}") from None
    return Draft7Validator(schema)


def key_path(error: ValidationError) -> str:
    """``packageDirectories[0].path`` style, as a user would look it up in the file."""
    key = ""
    for part in error.absolute_path:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(top level)"


def _message(error: ValidationError) -> str:
    # anyOf/oneOf say only "is not valid under any of the given schemas"; the closest branch says why.
    if error.context:
        error = best_match(error.context)
    message = error.message
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + "..."


def _load(path: Path) -> tuple[Any, Problem | None]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except json.JSONDecodeError as exc:
        return None, Problem(str(path), f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno, "json")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or str(exc))
        return None, Problem(str(path), f"cannot read the file ({reason})", rule="json")


def validate_json_file(path: Path, validator: Draft7Validator, what: str) -> list[Problem]:
    data, problem = _load(path)
    if problem is not None:
        return [problem]
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [
        Problem(str(path), f"key {key_path(e)}: {_message(e)} (the {what} schema)", rule="json-schema") for e in errors
    ]


def _files(project_root: Path) -> Iterator[tuple[Path, str, str]]:
    yield project_root / PROJECT_FILE, PROJECT_SCHEMA, "sfdx-project.json"
    for path in sorted(project_root.glob(SCRATCH_DEFS)):
        yield path, SCRATCH_DEF_SCHEMA, "scratch org definition"


def check_project_files(project_root: Path) -> CheckResult:
    result = CheckResult("project files (sfdx-project.json, orgs/*.json against Salesforce's JSON schemas)")
    validators = {name: _validator(project_root, name) for name in (PROJECT_SCHEMA, SCRATCH_DEF_SCHEMA)}
    for path, schema, what in _files(project_root):
        result.checked += 1
        result.problems.extend(validate_json_file(path, validators[schema], what))
    return result
