"""Codes become names in the reader's language: languages, statuses, roles, actions and actors."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Flask, session

from scheduler.web.labels import action_name, actor_label, language_names, office_names, role_name, status_name
from tests.web.conftest import SQLITE_ONLY


def _in(app: Flask, language: str) -> None:
    session["lang"] = language


@SQLITE_ONLY
def test_codes_read_as_chinese_names_by_default_and_english_on_request(app: Flask) -> None:
    with app.test_request_context("/"):
        assert language_names(["mandarin", "buyi"]) == "普通话、布依语"
        assert status_name("swap_request", "accepted") == "对方已同意，待审批"
        assert status_name("roster", "published") == "已发布" and status_name("roster", "odd") == "odd"
        assert role_name("clerk") == "窗口" and action_name("roster.swap") == "换班"
        assert actor_label("cli") == "命令行" and actor_label("system") == "系统"
        details = {"actor": {"kind": "user", "name": "王芳", "role": "clerk"}}
        assert actor_label("user:wangfang", details) == "王芳（窗口）"
        assert (
            actor_label("lawyer:7", {"actor": {"kind": "lawyer", "name": "罗磊超", "role": "lawyer"}})
            == "罗磊超（律师）"
        )
    with app.test_request_context("/"):
        _in(app, "en")
        assert language_names(["mandarin", "buyi"]) == "Mandarin, Buyi"
        assert action_name("roster.swap") == "Swap" and actor_label("cli") == "command line"
        assert actor_label("user:wangfang", details) == "王芳 (front desk)"


@SQLITE_ONLY
def test_offices_given_by_code_read_as_their_names(app: Flask) -> None:
    rows = [SimpleNamespace(code="yilong", fields=SimpleNamespace(name="义龙新区信访局", name_en="Yilong Xinqu"))]
    with app.test_request_context("/"):
        assert office_names(["yilong", "522399"], rows) == "义龙新区信访局、522399"  # an unknown code stays as it is
