"""Licence numbers: a lawyer's practice licence (执业证号) and a firm's unified social credit code.

The shape is checked strictly; the inner fields (region, year) only produce warnings, because
numbers issued under older rules exist and a bureau must still be able to enter them.
"""

from __future__ import annotations

import datetime as dt
import re

LAWYER_LICENCE = re.compile(r"^1\d{16}$")
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
GUIZHOU = "52"


def licence_problem(number: str) -> str | None:
    """Why `number` is not a lawyer's licence number, or None when its shape is right."""
    if not number.isdigit() or len(number) != 17:
        return f"licence number {number!r} must be 17 digits"
    if number[0] != "1":
        return f"licence number {number!r} must start with 1 (a lawyer's licence)"
    return None


def licence_warnings(number: str, today: dt.date | None = None) -> list[str]:
    """Soft checks of the inner fields: region code and year of first licence."""
    warnings = []
    if number[1:3] != GUIZHOU:
        warnings.append(f"licence number {number} was not issued in Guizhou (region {number[1:5]})")
    year = int(number[5:9])
    this_year = (today or dt.date.today()).year
    if not 1980 <= year <= this_year:
        warnings.append(f"licence number {number} names an unlikely year of first licence ({year})")
    return warnings


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not an 18-character unified social credit code, or None."""
    if not CREDIT_CODE.match(code):
        return f"credit code {code!r} must be 18 characters (digits and capital letters, no I, O, S, V, Z)"
    return None


def make_licence(region: str, year: int, gender: int, serial: int) -> str:
    """A well-formed licence number: 1, 4-digit region, year of first licence, type, gender, serial."""
    number = f"1{region:0>4}{year:04d}1{gender % 10}{serial:06d}"
    assert len(number) == 17, number
    return number
