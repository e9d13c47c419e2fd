"""Names, not codes: the words every page and export uses for the codes the data holds.

Offices, languages, duty kinds, statuses, roles, audit actions and actors appear by their names in the
reader's language; the wording is in the catalogue (Chinese message ids, English in messages.po). The
functions are Jinja filters and globals (installed by `init_app`) and plain functions for exports.
The audit log's sentences are built here too: one catalogue entry per action, filled from the names
recorded with the event (scheduler.audit_details), with a plain fallback for events written before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from babel.dates import format_skeleton
from flask import Blueprint, Flask, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from scheduler.audit_details import actor_details
from scheduler.web import db_session
from scheduler.web.i18n import language_name, local

# No routes: the blueprint only lets create_app install the filters below like every other web module.
bp = Blueprint("labels", __name__)

ROLES: dict[str, LazyString] = {
    "admin": _l("管理员"),
    "planner": _l("排班员"),
    "clerk": _l("窗口"),
    "lawyer": _l("律师"),
}
MACHINES: dict[str, LazyString] = {"cli": _l("命令行"), "system": _l("系统"), "demo": _l("演示程序")}

STATUSES: dict[str, dict[str, LazyString]] = {
    "roster": {"draft": _l("草稿"), "published": _l("已发布"), "superseded": _l("已被新版本取代")},
    "proposal": {"open": _l("待处理"), "accepted": _l("已采纳"), "discarded": _l("已放弃")},
    "swap_request": {
        "proposed": _l("待对方答复"),
        "accepted": _l("对方已同意，待审批"),
        "approved": _l("已批准"),
        "rejected": _l("已驳回"),
        "declined": _l("对方已拒绝"),
        "withdrawn": _l("已撤回"),
        "expired": _l("已过期"),
    },
    "attendance": {"attended": _l("出勤"), "late": _l("迟到"), "absent": _l("缺勤"), "substituted": _l("替班")},
    "job": {"queued": _l("排队中"), "running": _l("求解中"), "succeeded": _l("已完成"), "failed": _l("失败")},
    "standing": {"active": _l("正常"), "suspended": _l("暂停中"), "removed": _l("已取消资格")},
    "change_kind": {"swap": _l("换班"), "cover": _l("代班"), "repair": _l("补位")},
}

ACTIONS: dict[str, LazyString] = {
    "roster": _l("排班表"),
    "roster.draft": _l("生成草稿"),
    "roster.discard_draft": _l("放弃草稿"),
    "roster.publish": _l("发布排班表"),
    "roster.swap": _l("换班"),
    "roster.cover": _l("代班"),
    "roster.repair": _l("补位"),
    "roster.replan": _l("重排值班日后调整"),
    "roster.change_duty": _l("值班变更后调整"),
    "roster.cancel_duty": _l("取消值班后调整"),
    "roster.override": _l("不顾规则冲突采纳建议"),
    "proposal": _l("变更建议"),
    "proposal.discard": _l("放弃变更建议"),
    "swap_request": _l("换班请求"),
    "swap_request.create": _l("提出换班请求"),
    "swap_request.accepted": _l("同意换班请求"),
    "swap_request.declined": _l("拒绝换班请求"),
    "swap_request.withdrawn": _l("撤回换班请求"),
    "swap_request.approved": _l("批准换班请求"),
    "swap_request.rejected": _l("驳回换班请求"),
    "swap_request.expired": _l("换班请求过期"),
    "duty": _l("值班"),
    "duty.cancel": _l("取消值班"),
    "duty.move": _l("调整值班日期或时间"),
    "duty.edit": _l("修改值班"),
    "duty.delete": _l("删除值班"),
    "duties": _l("值班日"),
    "duties.generate": _l("生成值班日"),
    "duties.add_leader_day": _l("新增领导接待日"),
    "duties.replan": _l("重排值班日"),
    "lawyer": _l("律师"),
    "lawyer.create": _l("新增律师"),
    "lawyer.update": _l("修改律师信息"),
    "lawyer.suspend": _l("暂停值班资格"),
    "lawyer.remove": _l("取消值班资格"),
    "lawyer.reinstate": _l("恢复值班资格"),
    "lawyer.unavailable": _l("登记不能值班"),
    "lawyers": _l("律师名册"),
    "lawyers.create": _l("导入新律师"),
    "lawyers.update": _l("导入更新律师"),
    "law_firm": _l("律所"),
    "law_firm.create": _l("新增律所"),
    "law_firm.update": _l("修改律所"),
    "law_firms": _l("律所名册"),
    "law_firms.create": _l("导入新律所"),
    "office": _l("信访局"),
    "office.create": _l("新增信访局"),
    "office.update": _l("修改信访局"),
    "unavailability": _l("不能值班"),
    "unavailability.create": _l("导入不能值班的时段"),
    "attendance": _l("出勤"),
    "attendance.record": _l("登记出勤"),
    "attendance.correct": _l("更正出勤"),
    "meeting": _l("联席会议"),
    "meeting.add": _l("新增联席会议"),
    "meeting.change": _l("修改联席会议"),
    "meeting.remove": _l("删除联席会议"),
    "allowance_rate": _l("补贴标准"),
    "allowance_rate.set": _l("设置补贴标准"),
    "holidays": _l("节假日"),
    "holidays.import": _l("导入节假日"),
    "calendar": _l("日历"),
    "calendar.sync": _l("同步日历"),
    "calendar.rotate_token": _l("更换日历订阅链接"),
    "solve_job": _l("求解任务"),
    "solve_job.start": _l("开始求解"),
    "solve_job.succeeded": _l("求解完成"),
    "solve_job.failed": _l("求解失败"),
    "account": _l("账号"),
    "account.create": _l("创建账号"),
    "account.password": _l("修改密码"),
    "account.enable": _l("启用账号"),
    "account.disable": _l("停用账号"),
    "account.logout": _l("退出登录"),
    "auth": _l("登录"),
    "auth.login": _l("登录"),
    "demo": _l("演示数据"),
    "demo.build": _l("生成演示数据"),
    # --- grades ---
    "assessment": _l("年度考核"),
    "assessment.grade": _l("计算考核等次"),
    "assessment.override": _l("调整考核等次"),
    # --- the merged branches' actions: accounts, availability requests, cases, hotline, minutes, reception,
    # trainings, unavailability ---
    "account.update": _l("修改账号"),
    "account.temporary_password": _l("发放临时密码"),
    "account.reset_link": _l("生成密码重置链接"),
    "account.password_reset": _l("通过链接重设密码"),
    "availability": _l("值班意愿申请"),
    "availability.window": _l("开放值班意愿申请"),
    "availability.request": _l("提交值班意愿申请"),
    "availability.approve": _l("批准值班意愿申请"),
    "availability.decline": _l("不批准值班意愿申请"),
    "lawyer.weekdays": _l("修改律师希望值班的星期"),
    "case": _l("委托案件"),
    "case.create": _l("新增委托案件"),
    "case.edit": _l("修改案件信息"),
    "case.assign": _l("指定承办律师"),
    "case.status": _l("修改案件状态"),
    "case.opinion": _l("上传法律意见书"),
    "case.remind": _l("提醒办理期限"),
    "hotline": _l("咨询电话"),
    "hotline.set": _l("设置咨询电话"),
    "hotline.remove": _l("删除咨询电话"),
    "meeting.minutes_upload": _l("上传会议纪要"),
    "meeting.decision_add": _l("新增议定事项"),
    "meeting.decision_done": _l("更新议定事项办理情况"),
    "reception": _l("接待登记"),
    "reception.record": _l("登记接待"),
    "reception.remove": _l("删除接待登记"),
    "reception.category_add": _l("新增咨询类别"),
    "reception.category_change": _l("修改咨询类别"),
    "training": _l("培训"),
    "training.add": _l("新增培训"),
    "training.change": _l("修改培训"),
    "training.invite": _l("邀请律师参加培训"),
    "training.attendance": _l("登记培训出勤"),
    "unavailability.update": _l("修改不能值班的时段"),
    "unavailability.delete": _l("删除不能值班的时段"),
}


def role_name(role: str) -> str:
    """管理员 / Administrator; an unknown role as it is."""
    return str(ROLES[role]) if role in ROLES else role


def status_name(kind: str, status: str) -> str:
    """A status of a roster, proposal, swap request, attendance record, solve job or lawyer, by its name."""
    names = STATUSES.get(kind, {})
    return str(names[status]) if status in names else status


def action_name(action: str) -> str:
    """An audit action's (or area's) name: 换班 for roster.swap."""
    return str(ACTIONS[action]) if action in ACTIONS else action


def language_names(codes: Iterable[str] | None) -> str:
    """普通话、布依语 / Mandarin, Buyi for the codes of the language vocabulary."""
    return str(_l("、")).join(language_name(c) for c in codes or ())


def office_name(office: Any) -> str:
    """An office (anything with `name` and `name_en`) by its name in the reader's language."""
    return local(getattr(office, "name", ""), getattr(office, "name_en", "") or "")


def office_names(codes: Iterable[str], offices: Iterable[Any]) -> str:
    """Offices given by code as their names (兴义市信访局、义龙新区信访局), from rows with `code` and `fields` or
    `name`/`name_en`; a code without a row stays as it is."""
    names = {}
    for o in offices:
        named = getattr(o, "fields", o)
        names[o.code] = office_name(named)
    return str(_l("、")).join(names.get(c, c) for c in codes)


def short_date(day: dt.date | str) -> str:
    """12月16日 / Dec 16."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return str(format_skeleton("MMMd", day, locale=get_locale() or "zh_CN"))


def _who(actor: str) -> Mapping[str, Any]:
    """The actor as the audit log would record it now, once per request (for pages that keep only "user:x")."""
    cache: dict[str, Mapping[str, Any]] = g.setdefault("actor_labels", {})
    if actor not in cache:
        cache[actor] = actor_details(db_session(), actor)
    return cache[actor]


def actor_label(actor: str, details: Mapping[str, Any] | None = None) -> str:
    """Who acted, by name and role: 王芳（窗口）, 罗磊超（律师）, 命令行. Without recorded `details` the account
    is looked up as it is now."""
    if details is None and ":" in actor:
        details = {"actor": _who(actor)}
    who = (details or {}).get("actor") or {}
    kind = who.get("kind") or actor.partition(":")[0]
    if kind in MACHINES or actor in MACHINES:
        return str(MACHINES.get(kind) or MACHINES[actor])
    name = who.get("name") or actor.partition(":")[2] or actor
    role = who.get("role") or ("lawyer" if kind == "lawyer" else "")
    return str(_l("%(name)s（%(role)s）", name=name, role=role_name(role))) if role else str(name)


def init_app(app: Flask) -> None:
    """Install the label functions as Jinja filters and globals."""
    app.jinja_env.filters.update(
        role_name=role_name,
        action_name=action_name,
        language_names=language_names,
        office_name=office_name,
        office_names=office_names,
        short_date=short_date,
    )
    # language_name is a filter (scheduler.web.i18n) and, for templates that call it, a global too.
    app.jinja_env.globals.update(status_name=status_name, actor_label=actor_label, language_name=language_name)
