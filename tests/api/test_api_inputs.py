"""The API's input and its document agree: the request schemas are the validating models' own, and what the
document forbids (nulls, empty values, NUL, dates out of bounds, an end before its start) is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from pydantic import BaseModel

from scheduler.web.api import inputs
from scheduler.web.api.openapi import BODIES, REF, document
from tests.api.conftest import Headers, errors_of
from tests.web.conftest import SQLITE_ONLY


def test_the_request_schemas_are_the_models_schemas() -> None:
    components = document()["components"]["schemas"]
    for model in BODIES:
        assert components[model.__name__] == model.model_json_schema(ref_template=REF)
        assert components[model.__name__]["additionalProperties"] is False
    assert components["NewProposal"]["discriminator"]["propertyName"] == "kind"


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/lawyers", inputs.LawyersQuery),
        ("/duties", inputs.DutiesQuery),
        ("/duties/{duty_id}/suggestions", inputs.SuggestionsQuery),
        ("/rosters", inputs.RostersQuery),
    ],
)
def test_the_query_parameters_are_the_models_fields(path: str, model: type[BaseModel]) -> None:
    parameters = document()["paths"][path]["get"]["parameters"]
    fields = model.model_json_schema()["properties"]
    assert {p["name"] for p in parameters if p["in"] == "query"} == set(fields)


def test_text_and_dates_declare_what_validation_refuses() -> None:
    schema = document()["components"]["schemas"]["NewUnavailability"]["properties"]
    assert schema["reason"]["pattern"] == inputs.NO_NUL and schema["reason"]["maxLength"] == 200
    assert schema["start"]["pattern"] == inputs.DATE_PATTERN and schema["start"]["format"] == "date"
    assert "end is not before start" in document()["paths"]["/unavailability"]["post"]["x-rules"]


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lawyer_id": 1, "start": "2026-03-04", "end": "2026-03-04", "reason": None}, "reason"),
        ({"lawyer_id": 1, "start": "1999-12-31", "end": "2026-03-04"}, "start"),
        ({"lawyer_id": 1, "start": "2026-03-04", "end": "2100-01-01"}, "end"),
        ({"lawyer_id": 1, "start": "2026-03-04", "end": "2026-03-04", "reason": "a\x00b"}, "reason"),
        ({"lawyer_id": None, "start": "2026-03-04", "end": "2026-03-04"}, "lawyer_id"),
    ],
)
def test_what_the_document_forbids_in_a_body_is_a_400(
    client: FlaskClient, basic: Callable[..., Headers], body: dict[str, object], field: str
) -> None:
    assert set(errors_of(client.post("/api/v1/unavailability", json=body, headers=basic("clerk")))) == {field}


@SQLITE_ONLY
def test_nulls_of_defaulted_fields_are_refused(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    body = {"from": "2026-03-02", "to": "2026-03-29", "time_limit_s": None, "workers": None, "seed": None}
    errors = errors_of(client.post("/api/v1/solve-jobs", json=body, headers=basic("planner")))
    assert set(errors) == {"time_limit_s", "workers", "seed"}


@SQLITE_ONLY
def test_empty_date_and_number_parameters_are_refused_and_empty_text_means_all(
    client: FlaskClient, basic: Callable[..., Headers]
) -> None:
    assert set(errors_of(client.get("/api/v1/duties?from=&office="))) == {"from"}
    assert client.get("/api/v1/duties?from=2026-03-02&office=").status_code == 200
    clerk = basic("clerk")
    assert set(errors_of(client.get("/api/v1/lawyers?page=&q=", headers=clerk))) == {"page"}
    assert client.get("/api/v1/lawyers?q=", headers=clerk).status_code == 200
    assert set(errors_of(client.get("/api/v1/rosters?from=2026-03-02&to=2026-03-01", headers=clerk))) == {"to"}
