"""Query-string values read by list pages: an id is ASCII digits within a
database key's range, or no id at all. (str.isdigit() also takes "²" and "٣",
which int() refuses or reads, and an id past 2**63 overflows the driver.)"""

MAX_ID = 2**63 - 1


def ascii_digits(value) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit()


def id_param(value) -> int | None:
    """The id `value` names, or None when it names none."""
    if not ascii_digits(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
