"""A broken hard rule (scheduler.solver.check.Violation) worded for people: the rule's code with the duty and
lawyer named, not the solver's own English sentence with ids (which stays for logs and files)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from scheduler.core.errors import Message, Outcome, typed
from scheduler.core.languages import name_zh
from scheduler.models import Duty, Lawyer
from scheduler.rosters.errors import duty_name, lawyer_name

RULES = {
    "office": Outcome("rule.office", "{lawyer} 不可在{office}值班（{duty}）"),
    "active": Outcome("rule.active", "{lawyer} 在 {day} 已停止执业或被取消资格（{duty}）"),
    "available": Outcome("rule.available", "{lawyer} 在 {day} 不能值班（{duty}）"),
    "min_years": Outcome("rule.min_years", "{duty} 需要执业满 {years} 年；{lawyer} 不满足"),
    "specialty": Outcome("rule.specialty", "{duty} 需要“{specialty}”专长；{lawyer} 不具备"),
    "language": Outcome("rule.language", "{duty} 需要会{language}的律师；{lawyer} 不会"),
    "one_per_day": Outcome("rule.one_per_day", "{lawyer} 在 {day} 有两次值班（{duty}）"),
    "min_gap": Outcome("rule.min_gap", "{lawyer} 的两次值班间隔太近（{duty}）"),
    "monthly_limit": Outcome("rule.monthly_limit", "{lawyer} 超过了每月值班上限"),
    "capacity": Outcome("rule.capacity", "{duty} 的律师人数超过了需要的人数"),
    "duplicate": Outcome("rule.duplicate", "{lawyer} 在 {duty} 中出现了两次"),
    "fixed": Outcome("rule.fixed", "{duty} 中固定安排的 {lawyer} 被换下"),
}


def violation_message(session: Session, violation: Mapping[str, Any]) -> Message:
    """A stored violation ({"rule", "message", "duty_id", "lawyer_id"}) as a message; an unknown rule keeps
    the solver's sentence."""
    kind = RULES.get(str(violation.get("rule", "")))
    duty = session.get(Duty, violation["duty_id"]) if violation.get("duty_id") else None
    lawyer = session.get(Lawyer, violation["lawyer_id"]) if violation.get("lawyer_id") else None
    if kind is None or (duty is None and "{duty}" in kind.template) or (lawyer is None and "{lawyer}" in kind.template):
        return typed(str(violation.get("message", "")))
    params: dict[str, Any] = {}
    if duty is not None:
        params |= {
            "duty": duty_name(duty),
            "day": duty.date,
            "office": duty.office.name,
            "years": duty.min_years,
            "specialty": duty.specialty or "",
            "language": name_zh(duty.language) if duty.language else "",
        }
    if lawyer is not None:
        params["lawyer"] = lawyer_name(lawyer)
    return kind(**params)


def violation_messages(session: Session, violations: Iterable[Any]) -> list[Message]:
    """Each violation (a solver Violation or its stored form) as a message."""
    return [
        violation_message(
            session,
            v
            if isinstance(v, Mapping)
            else {"rule": v.rule, "message": v.message, "duty_id": v.duty_id, "lawyer_id": v.lawyer_id},
        )
        for v in violations
    ]
