"""Wording shared by pages, messages and summaries."""


def counted(number: int, one: str, many: str) -> str:
    """A count with its noun in the right number: "1 school", "1,234 schools"."""
    number = int(number or 0)
    return f"{number:,} {one if number == 1 else many}"
