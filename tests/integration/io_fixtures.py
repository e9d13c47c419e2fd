"""Helpers of the lawyer import/export tests: a small prefecture, sheet files, and the state to compare."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from scheduler.core.licence import make_licence
from scheduler.models import AuditEvent, LawFirm, Lawyer, Office, Unavailability

OFFICES = {"522301": "兴义市信访局", "522326": "望谟县信访局", "522327": "册亨县信访局"}
FIRM = "贵州黔西南律师事务所"
FIRM_CODE = "31520000MD0123456X"
NEW_FIRM = "贵州布依律师事务所"
NEW_FIRM_CODE = "31520000MD0654321Y"

ZHANG = make_licence("5201", 2010, 1, 1)
LI = make_licence("5201", 2015, 2, 2)
WANG = make_licence("5223", 2018, 1, 3)

ZH_HEADER = [
    "姓名", "执业证号", "律师事务所", "统一社会信用代码", "电话", "邮箱", "首次执业年份",
    "专业领域", "语言", "可服务信访局", "每月最多值班", "希望值班日", "不希望值班日",
]  # fmt: skip
EN_HEADER = [
    "name", "licence_no", "firm", "firm_credit_code", "phone", "email", "first_practice_year",
    "specialties", "languages", "offices", "max_per_month", "preferred_weekdays", "undesired_weekdays",
]  # fmt: skip


def seed(session: Session) -> None:
    """The offices and the one firm the files refer to, committed."""
    session.add_all(Office(code=code, name=name) for code, name in OFFICES.items())
    session.add(LawFirm(name=FIRM, credit_code=FIRM_CODE))
    session.commit()


def lawyer_rows() -> list[list[object]]:
    """Three valid lawyers in the order of ZH_HEADER / EN_HEADER, written the way clerks write them."""
    return [
        [
            "张伟", ZHANG, FIRM, "", "13800000001", "zhang@example.cn", "2010",
            "民事、行政", "普通话，布依语", "522301；522326", "3", "周一、星期三", "周五",
        ],
        [
            "李娜", LI, NEW_FIRM, NEW_FIRM_CODE, "13800000002", "", "2015",
            "劳动争议", "普通话", "522327", "2", "tue, Thursday", "7",
        ],
        ["王芳", WANG, FIRM, FIRM_CODE, "", "", "2018", "", "", "", "1", "", ""],
    ]  # fmt: skip


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_sheet(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Write `rows` as CSV or .xlsx by the suffix of `path`."""
    return write_xlsx(path, rows) if path.suffix == ".xlsx" else write_csv(path, rows)


def state(factory: sessionmaker[Session], tokens: bool = True) -> dict[str, Any]:
    """Everything an import may touch, read in a fresh session; ids are left out, so a state
    rebuilt from a file compares equal to the one it came from."""
    with factory() as session:
        lawyers = session.scalars(
            select(Lawyer).options(selectinload(Lawyer.offices), selectinload(Lawyer.firm)).order_by(Lawyer.licence_no)
        ).all()
        periods = session.scalars(select(Unavailability).join(Unavailability.lawyer)).all()
        return {
            "firms": sorted((f.name, f.credit_code) for f in session.scalars(select(LawFirm))),
            "lawyers": [
                {
                    "name": lawyer.name,
                    "licence_no": lawyer.licence_no,
                    "firm": lawyer.firm.name if lawyer.firm else None,
                    "phone": lawyer.phone,
                    "email": lawyer.email,
                    "first_practice_year": lawyer.first_practice_year,
                    "specialties": lawyer.specialties,
                    "languages": lawyer.languages,
                    "offices": [o.code for o in lawyer.offices],
                    "max_per_month": lawyer.max_per_month,
                    "preferred_weekdays": lawyer.preferred_weekdays,
                    "undesired_weekdays": lawyer.undesired_weekdays,
                    "calendar_token": lawyer.calendar_token if tokens else None,
                }
                for lawyer in lawyers
            ],
            "unavailability": sorted((p.lawyer.licence_no, p.start, p.end, p.reason) for p in periods),
        }


def audit_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count(AuditEvent.id))) or 0
