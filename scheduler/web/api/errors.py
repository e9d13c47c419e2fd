"""The API's own not-found and request errors, as data (scheduler.core.errors): the number or code in the
request's path is what the caller typed, so the message names it."""

from __future__ import annotations

from scheduler.core.errors import NotFound, Outcome


class NoOffice(NotFound):
    code = "api.no_office"
    template = "没有代码为“{value}”的信访局"


class NoLawyer(NotFound):
    code = "api.no_lawyer"
    template = "没有编号为 {value} 的律师"


class NoRoster(NotFound):
    code = "api.no_roster"
    template = "没有编号为 {value} 的排班表"


class NoProposal(NotFound):
    code = "api.no_proposal"
    template = "没有编号为 {value} 的变更建议"


OtherPeriod = Outcome(
    "api.other_period",
    "排班表 {other} 覆盖 {other_start} 至 {other_end}，而排班表 {roster} 覆盖 {start} 至 {end}：只能比较同一时段的版本",
)
