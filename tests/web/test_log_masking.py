"""Private feed tokens never reach the logs: gunicorn's access lines, Werkzeug's, the application's."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from scheduler.web.log_masking import mask_tokens
from tests.web.conftest import SQLITE_ONLY

TOKEN = "AbC123_-xyzXYZ0123456789abcdefgh"
PATH = f"/calendars/private/{TOKEN}.ics"


def test_mask_tokens_keeps_the_rest_of_the_line() -> None:
    line = f'10.0.0.1 - - "GET {PATH}?x=1 HTTP/1.1" 200 512 "-" "DAVx5"'
    assert mask_tokens(line) == '10.0.0.1 - - "GET /calendars/private/***.ics?x=1 HTTP/1.1" 200 512 "-" "DAVx5"'
    assert mask_tokens("/calendars/office/522301.ics") == "/calendars/office/522301.ics"


@SQLITE_ONLY
def test_gunicorn_access_lines_and_app_logs_carry_no_token(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    # What gunicorn's glogging.Logger.access() logs: its format, with the request's atoms as a dict.
    atoms = {"h": "10.0.0.1", "r": f"GET {PATH} HTTP/1.1", "U": PATH, "s": "200", "f": f"https://x{PATH}"}
    logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s %(U)s "%(f)s"', atoms)
    logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" %s -', f"GET {PATH} HTTP/1.1", "200")
    app.logger.warning(f"slow feed {PATH}")
    assert len(caplog.records) == 3
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert "/calendars/private/***.ics" in record.getMessage()
