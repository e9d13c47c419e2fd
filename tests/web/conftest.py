"""Fixtures of the web tests: the application on the test database, clients signed in per role, rosters.

`client_as("planner")` gives a client signed in as a fresh planner account (a lawyer account needs
`lawyer_id=`); accounts share one cheap password hash (TEST_PASSWORD), since scrypt is slow on purpose.
`build_roster(...)` writes an office, lawyers, duties and a roster straight into the database, without
the solver, so that a test can ask for a small or a large roster in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from scheduler.config import Settings
from scheduler.core.licence import make_licence
from scheduler.db import transaction
from scheduler.models import Assignment, Duty, LawFirm, Lawyer, Office, Roster
from scheduler.models.accounts import OFFICE_ROLES, User
from scheduler.planning.duties import duty_type
from scheduler.web import create_app

TODAY = dt.date(2026, 2, 20)  # a Friday; the test rosters start after it
START = dt.date(2026, 3, 4)  # a Wednesday, in ISO week 10 of 2026
TEST_PASSWORD = "correct horse battery staple"
BASE_URL = "https://duty.example.org"
_serial = itertools.count(1)


@pytest.fixture
def web_settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        instance_dir=tmp_path / "instance",
        database_url=db_url,
        secret_key="test-secret-key-" + secrets.token_hex(8),
        calendars_dir=tmp_path / "calendars",
        base_url=BASE_URL,
        # Feeds are served at the real now, the test rosters lie in 2026: keep all their past duties.
        feed_past_days=36500,
        lawyer_feed_past_days=36500,
    )


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by the test applications: each test builds an app, compiling once is enough."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _MemoryBytecodeCache()


@pytest.fixture
def app(web_settings: Settings) -> Iterator[Flask]:
    application = create_app({"SETTINGS": web_settings, "TESTING": True, "AUTO_MIGRATE": False, "TODAY": TODAY})
    application.jinja_env.bytecode_cache = _TEMPLATES
    yield application
    application.extensions["scheduler.sessions"].kw["bind"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash() -> str:
    # Cheap on purpose: the test accounts sign in hundreds of times. The real hashing (scrypt) is tested in
    # test_auth.py; check_password_hash reads the method from the hash, so the sign-in code path is the same.
    return generate_password_hash(TEST_PASSWORD, method="pbkdf2:sha256:1000")


def login(client: FlaskClient, user_id: int) -> FlaskClient:
    """Sign `client` in as account `user_id` (as Flask-Login's session would after the form)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session["_session_version"] = 0  # a fresh account's; signing out anywhere raises it
    return client


@pytest.fixture
def make_account(session_factory: sessionmaker[Session], password_hash: str) -> Callable[..., int]:
    """make_account(role, lawyer_id=None, username=None, office_ids=None) -> the id of a new active account
    (password TEST_PASSWORD); a clerk or planner holds the offices `office_ids`, or every office when None."""

    def make(
        role: str, lawyer_id: int | None = None, username: str | None = None, office_ids: list[int] | None = None
    ) -> int:
        with transaction(session_factory) as session:
            user = User(
                username=username or f"{role}{next(_serial)}",
                password_hash=password_hash,
                role=role,
                lawyer_id=lawyer_id,
                all_offices=office_ids is None and role in OFFICE_ROLES,
                offices=list(session.scalars(select(Office).where(Office.id.in_(office_ids or [])))),
            )
            session.add(user)
            session.flush()
            return user.id

    return make


@pytest.fixture
def client_as(app: Flask, make_account: Callable[..., int]) -> Callable[..., FlaskClient]:
    """client_as(role, lawyer_id=None) -> a new client signed in as a fresh account of `role`."""

    def make(role: str, lawyer_id: int | None = None) -> FlaskClient:
        return login(app.test_client(), make_account(role, lawyer_id=lawyer_id))

    return make


@dataclass(frozen=True)
class World:
    """What `build_roster` made."""

    office_code: str
    lawyer_ids: list[int]
    duty_ids: list[int]
    roster_id: int
    team: dict[int, list[int]]  # duty id -> lawyer ids on it


def _office(session: Session, code: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        office = Office(
            code=code,
            name="望谟县信访局",
            name_en="Wangmo Xian Petition Bureau",
            address="望谟县王母街道",
            phone="0859-4610000",
        )
        session.add(office)
    return office


def build_roster(
    factory: sessionmaker[Session],
    *,
    lawyers: int = 6,
    duties: int = 4,
    per_duty: int = 2,
    every_days: int = 7,
    start: dt.date = START,
    code: str = "522326",
    status: str = "published",
    name_prefix: str = "律师",
    version: int = 1,
    period: tuple[dt.date, dt.date] | None = None,
) -> World:
    """An office with `lawyers` lawyers (two firms) and a roster of `duties` window duties every `every_days`
    days from `start`, each staffed by `per_duty` lawyers in turn. Calling it again with another `status`
    and `name_prefix` adds a roster of new lawyers on the same duties (e.g. a draft beside a published one)."""
    with transaction(factory) as session:
        office = _office(session, code)
        kind = duty_type(session, "window")
        firms = [
            LawFirm(name=f"{name_prefix}所{next(_serial)}", credit_code=f"31522326MD{next(_serial):07d}X")
            for _ in (0, 1)
        ]
        people = []
        for i in range(lawyers):
            lawyer = Lawyer(
                name=f"{name_prefix}{i}",
                licence_no=make_licence("5223", 2010, 1, next(_serial)),
                firm=firms[i % 2],
                first_practice_year=2010,
                calendar_token=secrets.token_urlsafe(24),
            )
            lawyer.offices = [office]
            people.append(lawyer)
        session.add_all(people)
        session.flush()
        days = [start + dt.timedelta(days=every_days * i) for i in range(duties)]
        existing = {d.date: d for d in session.scalars(select(Duty).where(Duty.office_id == office.id))}
        slots = []
        for day in days:
            duty = existing.get(day) or Duty(
                office=office, duty_type=kind, date=day, start=dt.time(9), end=dt.time(12), needed=per_duty
            )
            session.add(duty)
            slots.append(duty)
        first, last = period or (days[0], days[-1])
        roster = Roster(
            period_start=first,
            period_end=last,
            version=version,
            status=status,
            published_at=dt.datetime(2026, 2, 1, 8) if status == "published" else None,
        )
        session.add(roster)
        session.flush()
        team: dict[int, list[int]] = {}
        turn = itertools.cycle(people)
        for duty in slots:
            chosen = [next(turn) for _ in range(per_duty)]
            team[duty.id] = [lw.id for lw in chosen]
            for slot, lawyer in enumerate(chosen):
                session.add(
                    Assignment(roster=roster, duty=duty, lawyer=lawyer, date=duty.date, slot=slot, places=per_duty)
                )
        return World(code, [lw.id for lw in people], [d.id for d in slots], roster.id, team)


_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient) -> str:
    """A CSRF token valid for `client`'s session (read from the sign-in form, which every session can load)."""
    page = client.get("/login").get_data(as_text=True)
    found = _TOKEN.search(page)
    assert found, "the sign-in page carries no CSRF token"
    return found.group(1)


def post_form(client: FlaskClient, path: str, data: dict[str, str] | None = None) -> TestResponse:
    """POST `data` to `path` as the browser's form would, with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client), **(data or {})})


# For tests of behaviour that does not depend on the database (headers, languages, URL guards):
# they run on SQLite only, which keeps the suite fast; everything that reads or writes data runs on both.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
