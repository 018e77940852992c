#!/usr/bin/env python3
"""Validate JSON request bodies against a schema of OpenAI's published OpenAPI spec.

Usage:
    python3 Scripts/validate_openai_request.py SCHEMA_NAME FILE...

Each FILE is validated against ``#/components/schemas/SCHEMA_NAME`` (for example
``CreateChatCompletionRequest`` or ``CreateEmbeddingRequest``) of the spec at
``$OPENAI_OPENAPI_SPEC``, by default ``../shared/reference/specs/openai-openapi.json`` relative to
the repository root. Validation uses the ``jsonschema`` package (Draft 2020-12) with a
``referencing`` registry holding the whole spec, so internal ``$ref``s resolve.

The spec is OpenAPI 3.1 but still marks some properties with the OpenAPI 3.0 keyword
``nullable: true``, which JSON Schema ignores; those schemas are rewritten to also accept
``null`` (``--strict-nullable`` turns this off).

Exit status: 0 when every file is valid, 1 when any file is invalid or unreadable, 2 on usage
errors (unknown schema, missing spec, missing packages).
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import os
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError, best_match, relevance
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - depends on the environment
    sys.exit(f"error: {error}. Install the validator with: python3 -m pip install 'jsonschema>=4.18'")

SPEC_URI = "urn:openai:openapi"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = (REPO_ROOT / ".." / "shared" / "reference" / "specs" / "openai-openapi.json").resolve()
MAX_ERRORS_PER_FILE = 20


def accept_nullable(node):
    """Rewrite OpenAPI 3.0 ``nullable: true`` into JSON Schema that also accepts ``null``."""
    if isinstance(node, list):
        return [accept_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: accept_nullable(value) for key, value in node.items()}
    if node.get("nullable") is True:
        node.pop("nullable")
        kind = node.get("type")
        if isinstance(kind, str):
            node["type"] = [kind, "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        elif isinstance(kind, list):
            if "null" not in kind:
                node["type"] = [*kind, "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        else:
            # $ref, allOf, oneOf ... without a type: allow null alongside the whole schema.
            keep = {k: v for k, v in node.items() if k in ("description", "title", "default", "example")}
            rest = {k: v for k, v in node.items() if k not in keep}
            node = {**keep, "anyOf": [rest, {"type": "null"}]}
    return node


def load_spec(path: Path, strict_nullable: bool) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            spec = json.load(handle)
    except FileNotFoundError:
        sys.stderr.write(
            f"error: OpenAPI spec not found at {path}\n"
            "Set OPENAI_OPENAPI_SPEC to the path of openai-openapi.json.\n"
        )
        sys.exit(2)
    except json.JSONDecodeError as error:
        sys.stderr.write(f"error: {path} is not valid JSON: {error}\n")
        sys.exit(2)
    if not strict_nullable:
        spec = copy.deepcopy(spec)
        spec["components"] = accept_nullable(spec.get("components", {}))
    return spec


def json_path(parts) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def describe(error: ValidationError, indent: str = "  ") -> list[str]:
    """Readable lines for one error; for anyOf/oneOf failures, why each alternative failed."""
    lines = [f"{indent}{json_path(error.absolute_path)}: {error.message}"]
    if not error.context:
        return lines
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        if sub.relative_schema_path:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    alternatives = error.schema.get(error.validator, []) if isinstance(error.schema, dict) else []
    for index, subs in sorted(branches.items()):
        branch = alternatives[index] if isinstance(index, int) and index < len(alternatives) else {}
        label = branch.get("title") or branch.get("$ref", "").rsplit("/", 1)[-1] or f"alternative {index}"
        reason = best_match(subs)
        lines.append(f"{indent}  - as {label}: {json_path(reason.absolute_path)}: {reason.message}")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Validate JSON request bodies against a component schema of the OpenAI OpenAPI spec."
    )
    parser.add_argument("schema", metavar="SCHEMA_NAME", help="e.g. CreateChatCompletionRequest")
    parser.add_argument("files", metavar="FILE", nargs="+", help="JSON files to validate ('-' for stdin)")
    parser.add_argument(
        "--strict-nullable",
        action="store_true",
        help="do not treat OpenAPI 3.0 'nullable: true' as allowing null",
    )
    args = parser.parse_args(argv)

    spec_path = Path(os.environ.get("OPENAI_OPENAPI_SPEC") or DEFAULT_SPEC)
    spec = load_spec(spec_path, args.strict_nullable)

    schemas = spec.get("components", {}).get("schemas", {})
    if args.schema not in schemas:
        close = difflib.get_close_matches(args.schema, schemas.keys(), n=5, cutoff=0.6)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        sys.stderr.write(f"error: no schema #/components/schemas/{args.schema} in {spec_path}.{hint}\n")
        return 2

    registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    validator = Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/{args.schema}"}, registry=registry
    )

    failures = 0
    for name in args.files:
        try:
            if name == "-":
                instance = json.load(sys.stdin)
            else:
                with open(name, encoding="utf-8") as handle:
                    instance = json.load(handle)
        except (OSError, json.JSONDecodeError) as error:
            print(f"{name}: ERROR: cannot read JSON: {error}")
            failures += 1
            continue

        errors = sorted(validator.iter_errors(instance), key=relevance)
        if not errors:
            print(f"{name}: valid {args.schema}")
            continue
        failures += 1
        print(f"{name}: INVALID {args.schema} ({len(errors)} error{'s' if len(errors) != 1 else ''})")
        for error in errors[:MAX_ERRORS_PER_FILE]:
            print("\n".join(describe(error)))
        if len(errors) > MAX_ERRORS_PER_FILE:
            print(f"  ... and {len(errors) - MAX_ERRORS_PER_FILE} more")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
