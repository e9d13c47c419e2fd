"""The errors and worded outcomes of the people area (standing, directory, accounts), as data."""

from __future__ import annotations

from scheduler.core.errors import Conflict, InputError, NotFound, Outcome

# A lawyer's standing in words (停止执业 / 取消资格), for the messages that name it.
STANDING = {
    "suspended": Outcome("standing.suspended", "停止执业"),
    "removed": Outcome("standing.removed", "取消资格"),
    "active": Outcome("standing.active", "在职"),
}

# Why a repair was proposed: stored with the proposal as data, worded when shown.
RemovalReason = Outcome("repair.removal", "{name} 自 {start} 起取消资格：{reason}")
SuspensionReason = Outcome("repair.suspension", "{name} 停止执业（{start} 至 {end}）：{reason}")
UnavailableReason = Outcome("repair.unavailable", "{name} 在 {start} 至 {end} 不能值班：{reason}")


class LawyerNotFound(NotFound):
    code = "people.lawyer_not_found"
    template = "没有执业证号为 {value} 的律师"


class ReasonRequired(InputError):
    code = "people.reason_required"
    template = "请填写原因"


class AlreadyRemoved(Conflict):
    code = "people.already_removed"
    template = "{name}（{licence}）已被取消资格"


class AlreadyStanding(Conflict):
    code = "people.already_standing"
    template = "{name}（{licence}）自 {start} 起已{standing}"


class NotSuspended(Conflict):
    code = "people.not_suspended"
    template = "{name}（{licence}）在 {day} 没有停止执业或被取消资格"
