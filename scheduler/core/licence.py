"""Licence numbers: a lawyer's practice licence (执业证号) and a firm's unified social credit code.

The shape is checked strictly; the inner fields (region, year) only produce warnings, because
numbers issued under older rules exist and a bureau must still be able to enter them.
"""

from __future__ import annotations

import datetime as dt
import re

from scheduler.core.errors import Message, Outcome

LAWYER_LICENCE = re.compile(r"^1\d{16}$")
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
GUIZHOU = "52"

LicenceNot17Digits = Outcome("licence.not_17_digits", "执业证号“{value}”须为 17 位数字")
LicenceNotLawyer = Outcome("licence.not_lawyer", "执业证号“{value}”须以 1 开头（律师执业证）")
LicenceNotGuizhou = Outcome("licence.not_guizhou", "执业证号 {value} 不是贵州颁发的（地区 {region}）")
LicenceOddYear = Outcome("licence.odd_year", "执业证号 {value} 中的首次执业年份（{year}）不太可能")
CreditCodeShape = Outcome(
    "credit_code.shape", "统一社会信用代码“{value}”须为 18 位（数字和大写字母，不含 I、O、S、V、Z）"
)


def licence_problem(number: str) -> Message | None:
    """Why `number` is not a lawyer's licence number, or None when its shape is right."""
    if not number.isdigit() or len(number) != 17:
        return LicenceNot17Digits(value=number)
    if number[0] != "1":
        return LicenceNotLawyer(value=number)
    return None


def licence_warnings(number: str, today: dt.date | None = None) -> list[Message]:
    """Soft checks of the inner fields: region code and year of first licence."""
    warnings = []
    if number[1:3] != GUIZHOU:
        warnings.append(LicenceNotGuizhou(value=number, region=number[1:5]))
    year = int(number[5:9])
    this_year = (today or dt.date.today()).year
    if not 1980 <= year <= this_year:
        warnings.append(LicenceOddYear(value=number, year=year))
    return warnings


def credit_code_problem(code: str) -> Message | None:
    """Why `code` is not an 18-character unified social credit code, or None."""
    if not CREDIT_CODE.match(code):
        return CreditCodeShape(value=code)
    return None


def make_licence(region: str, year: int, gender: int, serial: int) -> str:
    """A well-formed licence number: 1, 4-digit region, year of first licence, type, gender, serial."""
    number = f"1{region:0>4}{year:04d}1{gender % 10}{serial:06d}"
    assert len(number) == 17, number
    return number
