"""The OpenAPI document describes exactly the API's routes, with the errors each can answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from scheduler.web.api.openapi import document
from tests.web.conftest import SQLITE_ONLY

METHODS = ("get", "post", "put", "patch", "delete")
_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@SQLITE_ONLY
def test_the_document_is_served_as_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json()["openapi"] == "3.1.0"
    assert response.get_json()["paths"] == document()["paths"]


@SQLITE_ONLY
def test_every_api_route_is_documented_and_nothing_else(app: Flask) -> None:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = _VARIABLE.sub(r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, m.lower()) for m in rule.methods or () if m.lower() in METHODS}
    documented = {(path, method) for path, method, _op in _operations(document())}
    assert routes == documented


def test_every_path_variable_is_a_declared_parameter() -> None:
    for path, method, op in _operations(document()):
        variables = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"] for p in op.get("parameters", ()) if p["in"] == "path"}
        assert variables == declared, f"{method} {path}"


def test_every_operation_documents_the_errors_it_can_answer() -> None:
    for path, method, op in _operations(document()):
        codes = set(op["responses"])
        assert {"401", "429"} <= codes, f"{method} {path}"
        if op.get("parameters") or "requestBody" in op:
            assert "400" in codes, f"{method} {path}"
        if "{" in path:
            assert "404" in codes, f"{method} {path}"
        if op["security"] != [{}, {"basicAuth": []}]:
            assert "403" in codes, f"{method} {path}"
        if method == "post" and path.endswith(("/accept", "/discard", "/approve", "/reject", "/publish")):
            assert "409" in codes, f"{method} {path}"


def test_every_reference_resolves_and_operation_ids_are_unique() -> None:
    doc = document()
    schemas = doc["components"]["schemas"]
    assert {ref.removeprefix("#/components/schemas/") for ref in _refs(doc)} <= set(schemas)
    ids = [op["operationId"] for _path, _method, op in _operations(doc)]
    assert len(ids) == len(set(ids))


def test_400_answers_are_described_as_naming_the_bad_fields() -> None:
    schema = document()["components"]["schemas"]["ValidationError"]
    assert "errors" in schema["required"]
    assert document()["components"]["schemas"]["FieldError"]["required"] == ["field", "message"]
