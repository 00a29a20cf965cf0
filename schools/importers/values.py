"""Cleaning single values as published: "NULL" and "" are missing, codes may have
lost their leading zeros, dates are dd-mm-yyyy or dd/mm/yyyy."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

MISSING = frozenset({"", "NULL", "null"})
NOT_APPLICABLE = frozenset(
    {"not applicable", "does not apply", "not recorded", "n/a", "none", "unknown"}
)
_DATE = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class ValueProblem(ValueError):
    """A value that cannot be used; the message says why."""


def text(value: str) -> str:
    value = value.strip()
    return "" if value in MISSING else value


def described(value: str) -> str:
    """A descriptive name column: "Not applicable" and the like are missing."""
    value = text(value)
    return "" if value.casefold() in NOT_APPLICABLE else value


@lru_cache(maxsize=100_000)
def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if value in MISSING:
        return None
    match = _DATE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.match(value)
        if not match:
            raise ValueProblem("Not a date: expected dd-mm-yyyy or dd/mm/yyyy.")
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem("Not a real date (no such day).") from None


def parse_int(value: str, *, lowest: int = 0, highest: int = 2_000_000) -> int | None:
    value = value.strip()
    if value in MISSING:
        return None
    try:
        number = int(value)
    except ValueError:
        try:
            as_decimal = Decimal(value)
        except InvalidOperation:
            raise ValueProblem("Not a whole number.") from None
        if not as_decimal.is_finite() or as_decimal != as_decimal.to_integral_value():
            raise ValueProblem("Not a whole number.") from None
        number = int(as_decimal)
    if not lowest <= number <= highest:
        raise ValueProblem(f"Out of range ({lowest} to {highest}).")
    return number


@lru_cache(maxsize=20_000)
def parse_percentage(value: str) -> Decimal | None:
    value = value.strip().rstrip("%")
    if value in MISSING:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueProblem("Not a number.") from None
    if not number.is_finite():
        raise ValueProblem("Not a number.")
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueProblem("A percentage must be between 0 and 100.")
    return number.quantize(Decimal("0.01"))


def parse_urn(value: str, *, required: bool = True) -> str:
    value = value.strip()
    if value in MISSING:
        if required:
            raise ValueProblem("The URN is missing.")
        return ""
    if not value.isdigit() or len(value) != 6:
        raise ValueProblem("A URN is 6 digits.")
    return value


def parse_code(value: str, width: int, what: str) -> str:
    """A numeric code compared zero-padded ("2", "002" and "0002" are the same LA)."""
    value = value.strip()
    if value in MISSING:
        return ""
    if not value.isdigit() or len(value.lstrip("0")) > width:
        raise ValueProblem(f"{what} is a number of up to {width} digits.")
    return value.lstrip("0").zfill(width)


def number_code(value: str) -> str:
    """A coded value without meaningful leading zeros ("02" -> "2")."""
    value = text(value)
    return str(int(value)) if value.isdigit() else value


def limit(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise ValueProblem(f"Longer than {max_length} characters.")
    return value


def person_name(*parts: str) -> str:
    cleaned = [p.strip() for p in parts]
    return " ".join(
        p for p in cleaned if p and p not in MISSING and p.casefold() not in NOT_APPLICABLE
    )
