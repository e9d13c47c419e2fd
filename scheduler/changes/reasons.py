"""Why a place stayed open (scheduler.solver.report.Reason), stored as data and read back for wording.

A proposal keeps each reason as {"code", "params"} so that a page can say it in the reader's language
(Reason.text); proposals stored before that kept an English sentence, which is read back as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scheduler.solver.report import REASON_CODES, Reason


@dataclass(frozen=True)
class ReasonText:
    """A reason in both languages, for a page to pick the reader's (`local(zh, en)`)."""

    zh: str
    en: str


def reason_json(reason: Reason) -> dict[str, Any]:
    return {"code": reason.code, "params": [list(pair) for pair in reason.params]}


def reason_text(stored: Any) -> ReasonText:
    """A stored reason in both languages; an old stored sentence stays as it was written."""
    if isinstance(stored, dict) and stored.get("code") in REASON_CODES:
        reason = Reason(str(stored["code"]), tuple((str(k), v) for k, v in stored.get("params", [])))
        return ReasonText(reason.text("zh"), reason.text("en"))
    return ReasonText(str(stored), str(stored))
