"""Codes become names in the reader's language: languages, statuses, roles, actions and actors."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from flask import Flask, session

from scheduler.audit_log import AuditLine
from scheduler.web.audit_sentences import audit_sentence
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


@SQLITE_ONLY
def test_a_change_to_many_duties_names_the_first_ten_and_counts_them_all(app: Flask) -> None:
    duties = [
        {
            "id": i,
            "office": "兴义市信访局",
            "date": f"2026-03-{i + 1:02d}",
            "kind": "窗口",
            "before": ["甲"],
            "after": ["乙"],
        }
        for i in range(12)
    ]
    details = {"actor": {"kind": "cli"}, "duties": duties}
    line = AuditLine(1, dt.datetime(2026, 3, 1), "cli", "roster.replan", "roster", "3", "", "", "", details)
    with app.test_request_context("/"):
        sentence = audit_sentence(line)
    assert sentence.startswith("命令行重排值班日后调整安排：兴义市信访局 3月1日 窗口 由 甲 换为 乙；")
    assert "3月10日" in sentence and "3月11日" not in sentence and sentence.endswith("等 12 处变动")
