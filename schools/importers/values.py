"""Cleaning single values as published: "NULL" and "" are missing, codes may have
lost their leading zeros, dates are dd-mm-yyyy or dd/mm/yyyy.

The one definition of each rule: every importer cleans its values with these.
Numbers, codes and dates are ASCII digits only (Python's int() and \\d would also
take "²" or full-width digits)."""

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache
from itertools import product

# "" and NULL in any letter case ("NULL" as GIAS writes it, "null" in re-saved files).
_NULL_CASES = ("".join(letters) for letters in product(*zip("null", "NULL", strict=True)))
MISSING = frozenset({"", *_NULL_CASES})
NOT_APPLICABLE = frozenset(
    {"not applicable", "does not apply", "not recorded", "n/a", "none", "unknown"}
)
_DATE = re.compile(r"^([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")


class ValueProblem(ValueError):
    """A value that cannot be used; the message says why."""


def is_digits(value: str) -> bool:
    """Only the ASCII digits 0-9 (and at least one)."""
    return value.isascii() and value.isdigit()


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
    if not _NUMBER.match(value):
        raise ValueProblem("Not a whole number.")
    as_decimal = Decimal(value)
    if as_decimal != as_decimal.to_integral_value():
        raise ValueProblem("Not a whole number.")
    number = int(as_decimal)
    if not lowest <= number <= highest:
        raise ValueProblem(f"Out of range ({lowest} to {highest}).")
    return number


@lru_cache(maxsize=20_000)
def parse_percentage(value: str) -> Decimal | None:
    value = value.strip().rstrip("%")
    if value in MISSING:
        return None
    if not _NUMBER.match(value):
        raise ValueProblem("Not a number.")
    number = Decimal(value)
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueProblem("A percentage must be between 0 and 100.")
    return number.quantize(Decimal("0.01"))


def parse_urn(value: str, *, required: bool = True) -> str:
    value = value.strip()
    if value in MISSING:
        if required:
            raise ValueProblem("The URN is missing.")
        return ""
    if not is_digits(value) or len(value) != 6:
        raise ValueProblem("A URN is 6 digits.")
    return value


def parse_code(value: str, width: int, what: str) -> str:
    """A numeric code compared zero-padded ("2", "002" and "0002" are the same LA)."""
    value = value.strip()
    if value in MISSING:
        return ""
    if not is_digits(value) or len(value.lstrip("0")) > width:
        raise ValueProblem(f"{what} is a number of up to {width} digits.")
    return value.lstrip("0").zfill(width)


def number_code(value: str) -> str:
    """A coded value without meaningful leading zeros ("02" -> "2")."""
    value = text(value)
    return str(int(value)) if is_digits(value) else value


def limit(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise ValueProblem(f"Longer than {max_length} characters.")
    return value


def person_name(*parts: str) -> str:
    cleaned = [p.strip() for p in parts]
    return " ".join(
        p for p in cleaned if p and p not in MISSING and p.casefold() not in NOT_APPLICABLE
    )
