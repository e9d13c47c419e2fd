"""The audit log as sentences: "2026-12-10 14:03 王芳（窗口）将兴义市 12月16日 领导接待日 由 朱桂 换为 罗磊超，理由：…".

Each action has one sentence in the catalogue (Chinese message id, English in messages.po), filled from the
names recorded with the event. An event written before names were recorded (or an action without a sentence)
reads "<actor>：<action name>（<object>）", which says what happened without ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from scheduler.audit_log import AuditLine
from scheduler.web.i18n import is_english, local
from scheduler.web.labels import action_name, actor_label, short_date, status_name

# The changes a new roster version made, one duty after another.
CHANGED = {
    "roster.swap": _l("%(actor)s将%(changes)s"),
    "roster.cover": _l("%(actor)s安排代班：%(changes)s"),
    "roster.repair": _l("%(actor)s安排补位：%(changes)s"),
    "roster.replan": _l("%(actor)s重排值班日后调整安排：%(changes)s"),
    "roster.change_duty": _l("%(actor)s因值班变更调整安排：%(changes)s"),
    "roster.cancel_duty": _l("%(actor)s因取消值班调整安排：%(changes)s"),
}
SENTENCES: dict[str, LazyString] = {
    "roster.draft": _l("%(actor)s生成了%(period)s的排班草稿"),
    "roster.discard_draft": _l("%(actor)s放弃了%(period)s的排班草稿"),
    "roster.publish": _l("%(actor)s发布了%(period)s的排班表（第 %(version)s 版）"),
    "roster.override": _l("%(actor)s不顾规则冲突采纳了%(duties)s的变更建议"),
    "proposal.discard": _l("%(actor)s放弃了%(duties)s的变更建议"),
    "swap_request.create": _l("%(actor)s请 %(to)s 与其换班：%(duties)s"),
    "swap_request.accepted": _l("%(actor)s同意了 %(from)s 的换班请求：%(duties)s"),
    "swap_request.declined": _l("%(actor)s拒绝了 %(from)s 的换班请求：%(duties)s"),
    "swap_request.withdrawn": _l("%(actor)s撤回了给 %(to)s 的换班请求：%(duties)s"),
    "swap_request.approved": _l("%(actor)s批准了 %(from)s 与 %(to)s 换班：%(duties)s"),
    "swap_request.rejected": _l("%(actor)s驳回了 %(from)s 与 %(to)s 换班：%(duties)s"),
    "swap_request.expired": _l("%(from)s 与 %(to)s 的换班请求已过期：%(duties)s"),
    "duty.cancel": _l("%(actor)s取消了%(duties)s"),
    "duty.move": _l("%(actor)s调整了%(duties)s的日期或时间"),
    "duty.edit": _l("%(actor)s修改了%(duties)s"),
    "duty.delete": _l("%(actor)s删除了%(duties)s"),
    "duties.add_leader_day": _l("%(actor)s新增了%(duties)s"),
    "duties.generate": _l("%(actor)s生成了%(period)s的值班日"),
    "duties.replan": _l("%(actor)s重排了%(period)s的值班日"),
    "lawyer.create": _l("%(actor)s新增了律师 %(lawyer)s"),
    "lawyers.create": _l("%(actor)s导入了新律师 %(lawyer)s"),
    "lawyer.update": _l("%(actor)s修改了律师 %(lawyer)s 的信息"),
    "lawyers.update": _l("%(actor)s导入更新了律师 %(lawyer)s 的信息"),
    "lawyer.suspend": _l("%(actor)s暂停了律师 %(lawyer)s 的值班资格"),
    "lawyer.remove": _l("%(actor)s取消了律师 %(lawyer)s 的值班资格"),
    "lawyer.reinstate": _l("%(actor)s恢复了律师 %(lawyer)s 的值班资格"),
    "lawyer.unavailable": _l("%(actor)s登记律师 %(lawyer)s 不能值班"),
    "unavailability.create": _l("%(actor)s导入了律师 %(lawyer)s 不能值班的时段"),
    "calendar.rotate_token": _l("%(actor)s为律师 %(lawyer)s 更换了日历订阅链接"),
    "attendance.record": _l("%(actor)s登记 %(lawyer)s 在%(duties)s的出勤：%(status)s"),
    "attendance.correct": _l("%(actor)s更正 %(lawyer)s 在%(duties)s的出勤为：%(status)s"),
    "office.create": _l("%(actor)s新增了%(office)s"),
    "office.update": _l("%(actor)s修改了%(office)s的设置"),
    "law_firm.create": _l("%(actor)s新增了律所 %(firm)s"),
    "law_firms.create": _l("%(actor)s导入了新律所 %(firm)s"),
    "law_firm.update": _l("%(actor)s修改了律所 %(firm)s"),
    "solve_job.start": _l("%(actor)s开始求解%(period)s的排班"),
    "calendar.sync": _l("%(actor)s更新了%(period)s的值班日历"),
    "account.create": _l("%(actor)s创建了账号 %(account)s"),
    "account.password": _l("%(actor)s修改了账号 %(account)s 的密码"),
    "account.enable": _l("%(actor)s启用了账号 %(account)s"),
    "account.disable": _l("%(actor)s停用了账号 %(account)s"),
}
FALLBACK = _l("%(actor)s：%(action)s")
FALLBACK_OBJECT = _l("%(actor)s：%(action)s（%(object)s）")  # an older event: what it was about, without ids
SHOWN_CHANGES = 10
WITH_REASON = _l("%(sentence)s，理由：%(reason)s")


def duty_phrase(d: Mapping[str, Any]) -> str:
    """兴义市 12月16日 领导接待日 / Xingyi Shi Dec 16 Leader reception day."""
    parts = [local(d.get("office", ""), d.get("office_en", "")), short_date(d["date"]) if d.get("date") else ""]
    parts.append(local(d.get("kind", ""), d.get("kind_en", "")))
    return " ".join(p for p in parts if p)


def _names(names: Any) -> str:
    return str(_l("、")).join(str(n) for n in names or () if n) or str(_l("（无人）"))


def _change(d: Mapping[str, Any]) -> str:
    # Only who left and who came: a lawyer who stays on the duty is not part of the change.
    before, after = list(d.get("before") or []), list(d.get("after") or [])
    old, new = [n for n in before if n not in after], [n for n in after if n not in before]
    if old and new:
        return str(_l("%(duty)s 由 %(old)s 换为 %(new)s", duty=duty_phrase(d), old=_names(old), new=_names(new)))
    if new:
        return str(_l("%(duty)s 增派 %(new)s", duty=duty_phrase(d), new=_names(new)))
    return str(_l("%(duty)s 撤下 %(old)s", duty=duty_phrase(d), old=_names(old)))


def _changes(changed: list[Mapping[str, Any]]) -> str:
    # A re-planned quarter can touch hundreds of duties: the sentence names the first few and counts the rest.
    shown = str(_l("；")).join(_change(x) for x in changed[:SHOWN_CHANGES])
    if len(changed) > SHOWN_CHANGES:
        return str(_l("%(changes)s 等 %(count)s 处变动", changes=shown, count=len(changed)))
    return shown


def _period(value: Any) -> str:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        try:
            return str(_l("%(start)s至%(end)s", start=short_date(value[0]), end=short_date(value[1])))
        except (TypeError, ValueError):  # not two dates: say nothing rather than fail the whole log
            return ""
    return ""


def _person(value: Any) -> str:
    return str(value.get("name", "")) if isinstance(value, Mapping) else ""


def _params(line: AuditLine) -> dict[str, str]:
    d = line.details
    duties = [x for x in d.get("duties") or () if isinstance(x, Mapping)]
    after = line.raw_after if isinstance(line.raw_after, Mapping) else {}
    office = d.get("office") or {}
    account = d.get("account") or {}
    return {
        "actor": actor_label(line.actor, d),
        "duties": str(_l("、")).join(duty_phrase(x) for x in duties),
        "changes": _changes([x for x in duties if x.get("before") != x.get("after")]),
        "period": _period(d.get("period")),
        "version": str(d.get("version", "")),
        "lawyer": _person(d.get("lawyer")) or str(after.get("name", "")),
        "from": _person(d.get("from")),
        "to": _person(d.get("to")),
        "office": local(office.get("name", ""), office.get("name_en", "")),
        "firm": _person(d.get("firm")) or str(after.get("name", "")),
        "account": str(account.get("username", "")),
        "status": status_name("attendance", str(after.get("status", ""))),
        "action": action_name(line.action),
    }


def audit_sentence(line: AuditLine) -> str:
    """The event as one sentence in the reader's language, with its reason."""
    params = _params(line)
    template = None
    if line.details:
        if line.action in CHANGED and params["changes"]:
            template = CHANGED[line.action]
        elif line.action in SENTENCES:
            template = SENTENCES[line.action]
    if template is None and line.entity and action_name(line.entity) not in (line.entity, params["action"]):
        template = FALLBACK_OBJECT
        params["object"] = action_name(line.entity)
    sentence = str(template or FALLBACK) % params
    if line.reason:
        sentence = str(WITH_REASON) % {"sentence": sentence, "reason": line.reason}
    return sentence if not is_english() else sentence.replace("  ", " ")
