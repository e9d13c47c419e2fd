"""The API answers a domain error with its stable `code` and the message worded in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from tests.web.conftest import SQLITE_ONLY


@SQLITE_ONLY
def test_an_api_error_keeps_its_code_and_words_its_message(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    response = client.get("/api/v1/solve-jobs/999999", headers=basic("planner"))
    body = response.get_json()
    assert response.status_code == 404
    assert body["code"] == "planning.job_not_found" and body["message"] == "第 999999 号求解任务不存在"
