"""The messages of account use cases (scheduler.people.accounts) and the account commands: data worded at the
edge (Chinese templates; the English is in the catalogue)."""

from __future__ import annotations

from scheduler.core.errors import Conflict, InputError, NotFound


class BadUsername(InputError):
    code = "account.bad_username"
    template = "用户名“{username}”不可用：须为 2 到 60 个字母、数字、“.”、“_”或“-”，以字母或数字开头"


class PasswordTooShort(InputError):
    code = "account.password_too_short"
    template = "密码至少要有 {minimum} 个字符"


class PasswordTooLong(InputError):
    code = "account.password_too_long"
    template = "密码最多 {maximum} 个字符"


class RoleUnknown(InputError):
    code = "account.role_unknown"
    template = "角色“{role}”不存在，可选：{roles}"


class LawyerLicenceForLawyers(InputError):
    code = "account.lawyer_licence"
    template = "角色为律师时须给出 --lawyer 执业证号，其他角色不能给"


class UsernameTaken(Conflict):
    code = "account.username_taken"
    template = "用户名“{username}”已被使用"


class LawyerAlreadyHasAccount(Conflict):
    code = "account.lawyer_already_has_account"
    template = "律师 {name}（{licence}）已有账户"


class CreatedMeanwhile(Conflict):
    code = "account.created_meanwhile"
    template = "用户名“{username}”或该律师的账户已在此期间被创建"


class NoSuchAccount(NotFound):
    code = "account.no_such_account"
    template = "没有名为“{username}”的账户"


class DemoLawyerMissing(InputError):
    code = "account.demo_lawyer_missing"
    template = "演示律师账户需要一名律师：请先建立演示数据"


class NoPasswordOnStdin(InputError):
    code = "account.no_password_on_stdin"
    template = "--password-stdin：标准输入中没有密码"


class OfficesForStaff(InputError):
    code = "account.offices_for_staff"
    template = "{role} 账户须给出 --office 信访局代码（可重复）或 --all-offices"


class OfficesOnlyForStaff(InputError):
    code = "account.offices_only_for_staff"
    template = "--office 和 --all-offices 只适用于窗口工作人员和排班员的账户"


class OfficesOrAll(InputError):
    code = "account.offices_or_all"
    template = "请给出信访局代码，或给出 --all-offices（不能两者都给）"
