"""Settings: safe defaults, overridden by the environment, overridden again by tests."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "SCHEDULER_"


@dataclass(frozen=True)
class Settings:
    """Everything that differs between a laptop demo, CI and a bureau's server."""

    instance_dir: Path
    database_url: str
    secret_key: str
    calendars_dir: Path
    timezone: str = "Asia/Shanghai"
    # Days a cancelled duty stays in a lawyer's feed (as STATUS:CANCELLED) before it is dropped.
    cancelled_keep_days: int = 30
    # Past duties kept in the office and prefecture feeds, and in a lawyer's own feed (a subscribed feed
    # must stay small: Google Calendar stops reading one of about 1 MB).
    feed_past_days: int = 90
    lawyer_feed_past_days: int = 365
    base_url: str = "http://127.0.0.1:5000"
    # Approve a swap request as soon as the colleague accepts it, when it breaks no rule.
    auto_approve_swaps: bool = False
    # When set, solve jobs go to an RQ queue on this Redis server, served by `scheduler worker`.
    redis_url: str = ""
    # Change notices: the SMTP server and the sender, which is also the ORGANIZER of invitations.
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_sender: str = "duty-calendar@localhost"
    # The alarm of duty events: "DAYS HH:MM" before the duty, or "off" (read by scheduler.calendars.feeds).
    reminder: str = "1 18:00"
    # The bureau named in report titles.
    bureau_name: str = "黔西南州司法局"
    # Web: Secure cookies (serve over HTTPS), reverse proxies trusted for X-Forwarded-*, where login limits
    # are counted (redis://... shares them between worker processes), and migrating the schema at start.
    secure_cookies: bool = False
    proxy_count: int = 0
    ratelimit_storage_uri: str = "memory://"
    auto_migrate: bool = True
    # Sign-in lockout per account: after `lockout_threshold` failures in a row (0: never) the account refuses
    # sign-ins for `lockout_seconds`, doubled with each further failure up to `lockout_max_seconds`.
    lockout_threshold: int = 5
    lockout_seconds: int = 60
    lockout_max_seconds: int = 3600
    # Assessment grades: thresholds other than the defaults, "name=value,..." (scheduler.attendance.grades).
    grade_rules: str = ""


def _secret_key(instance_dir: Path) -> str:
    """The key from instance/secret_key, created on first use; never a fixed default."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def _int(env: Mapping[str, str], name: str, default: int, low: int = 0, high: int | None = None) -> int:
    raw = env.get(f"{ENV_PREFIX}{name}", "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        from scheduler.core.errors import BadSetting, WholeNumberFrom, WholeNumberRange

        expected = WholeNumberRange(low=low, high=high) if high is not None else WholeNumberFrom(low=low)
        raise BadSetting(setting=f"{ENV_PREFIX}{name}", value=raw, expected=expected) from None
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(f"{ENV_PREFIX}{name}", "").strip().lower()
    return value in ("1", "true", "yes", "on") if value else default


def _absolute_sqlite(url: str) -> str:
    """`url` with a relative SQLite path made absolute (against the current directory, once)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return url
    path, sep, query = url[len(prefix) :].partition("?")
    if not path or path == ":memory:" or Path(path).is_absolute():
        return url
    return f"{prefix}{Path(path).resolve()}{sep}{query}"


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read SCHEDULER_* variables from `env` (default: the process environment), then apply overrides."""
    env = os.environ if env is None else env
    # Resolved once, here: every later use sees the same absolute path whatever the current directory.
    instance_dir = Path(env.get(f"{ENV_PREFIX}INSTANCE_DIR", "instance")).resolve()
    database_url = _absolute_sqlite(env.get(f"{ENV_PREFIX}DATABASE_URL") or "") or (
        f"sqlite:///{instance_dir / 'scheduler.sqlite3'}"
    )
    secret = env.get(f"{ENV_PREFIX}SECRET_KEY") or None
    settings = Settings(
        instance_dir=instance_dir,
        database_url=database_url,
        secret_key=secret or "",
        calendars_dir=Path(env.get(f"{ENV_PREFIX}CALENDARS_DIR", "calendars")).resolve(),
        timezone=env.get(f"{ENV_PREFIX}TIMEZONE", "Asia/Shanghai"),
        base_url=env.get(f"{ENV_PREFIX}BASE_URL", "http://127.0.0.1:5000"),
        redis_url=env.get(f"{ENV_PREFIX}REDIS_URL", ""),
        cancelled_keep_days=_int(env, "CANCELLED_KEEP_DAYS", 30),
        feed_past_days=_int(env, "FEED_PAST_DAYS", 90, 0, 36600),
        lawyer_feed_past_days=_int(env, "LAWYER_FEED_PAST_DAYS", 365, 0, 36600),
        auto_approve_swaps=_flag(env, "AUTO_APPROVE_SWAPS", False),
        smtp_host=env.get(f"{ENV_PREFIX}SMTP_HOST", "localhost"),
        smtp_port=_int(env, "SMTP_PORT", 25, 1, 65535),
        smtp_sender=env.get(f"{ENV_PREFIX}SMTP_FROM", "duty-calendar@localhost"),
        reminder=env.get(f"{ENV_PREFIX}REMINDER", "1 18:00").strip() or "1 18:00",
        bureau_name=env.get(f"{ENV_PREFIX}BUREAU_NAME", "").strip() or "黔西南州司法局",
        secure_cookies=_flag(env, "SECURE_COOKIES", False),
        proxy_count=_int(env, "PROXY_COUNT", 0),
        ratelimit_storage_uri=env.get(f"{ENV_PREFIX}RATELIMIT_STORAGE_URI", "") or "memory://",
        auto_migrate=_flag(env, "AUTO_MIGRATE", True),
        lockout_threshold=_int(env, "LOCKOUT_THRESHOLD", 5),
        lockout_seconds=_int(env, "LOCKOUT_SECONDS", 60, 1),
        lockout_max_seconds=_int(env, "LOCKOUT_MAX_SECONDS", 3600, 1),
        grade_rules=env.get(f"{ENV_PREFIX}GRADE_RULES", "").strip(),
    )
    settings = replace(settings, **overrides)
    if not settings.secret_key:
        settings = replace(settings, secret_key=_secret_key(settings.instance_dir))
    return settings
