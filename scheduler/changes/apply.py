"""Changes to a roster as plain values: apply them, diff two rosters, and judge a change.

No ORM here: the services load assignments as `{duty id: lawyer ids}` and hand them over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scheduler.core.problem import Problem
from scheduler.solver import Violation, check

Assignments = Mapping[int, Sequence[int]]


@dataclass(frozen=True)
class Change:
    """On one duty: these lawyers leave, these join."""

    duty_id: int
    remove: tuple[int, ...] = ()
    add: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"duty_id": self.duty_id, "remove": list(self.remove), "add": list(self.add)}

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Change:
        return cls(int(doc["duty_id"]), tuple(doc.get("remove", ())), tuple(doc.get("add", ())))


def apply_changes(assignments: Assignments, changes: Iterable[Change]) -> dict[int, tuple[int, ...]]:
    """The roster after `changes`; a lawyer to remove who is not on the duty is an error."""
    result = {duty: list(lawyers) for duty, lawyers in assignments.items()}
    for change in changes:
        current = result.setdefault(change.duty_id, [])
        for lawyer in change.remove:
            if lawyer not in current:
                raise ValueError(f"lawyer {lawyer} is not on duty {change.duty_id}")
            current.remove(lawyer)
        current.extend(change.add)
    return {duty: tuple(sorted(lawyers)) for duty, lawyers in result.items()}


def diff(old: Assignments, new: Assignments) -> list[Change]:
    """What changed from `old` to `new`, one Change per duty whose lawyers differ, by duty id."""
    changes = []
    for duty in sorted(set(old) | set(new)):
        before, after = set(old.get(duty, ())), set(new.get(duty, ()))
        if before != after:
            changes.append(Change(duty, tuple(sorted(before - after)), tuple(sorted(after - before))))
    return changes


def changed_assignments(changes: Iterable[Change]) -> int:
    """The number of lawyer-duty pairs a change creates: a replacement counts once."""
    return sum(max(len(c.add), len(c.remove)) for c in changes)


@dataclass(frozen=True)
class Evaluation:
    """What a change does: the hard rules it would newly break, and the objective before and after."""

    new_violations: tuple[Violation, ...]
    objective_before: int
    objective_after: int
    terms_delta: dict[str, int]

    @property
    def allowed(self) -> bool:
        return not self.new_violations

    @property
    def objective_delta(self) -> int:
        return self.objective_after - self.objective_before

    def to_json(self) -> dict[str, Any]:
        return {
            "new_violations": [
                {"rule": v.rule, "message": v.message, "duty_id": v.duty_id, "lawyer_id": v.lawyer_id}
                for v in self.new_violations
            ],
            "objective_before": self.objective_before,
            "objective_after": self.objective_after,
            "objective_delta": self.objective_delta,
            "terms_delta": self.terms_delta,
        }


def _key(v: Violation) -> tuple[str, int | None, int | None]:
    return (v.rule, v.duty_id, v.lawyer_id)


def evaluate(problem: Problem, before: Assignments, after: Assignments) -> Evaluation:
    """Judge `after` against `before` with the independent checker.

    Only violations that `before` did not already have count against the change: a clerk swapping
    two duties is not blamed for a court date entered elsewhere in the roster.
    """
    old, new = check(problem, before), check(problem, after)
    known = {_key(v) for v in old.violations}
    fresh = tuple(v for v in new.violations if _key(v) not in known)
    delta = {name: new.terms.get(name, 0) - old.terms.get(name, 0) for name in new.terms}
    return Evaluation(fresh, old.objective, new.objective, {k: v for k, v in delta.items() if v})
