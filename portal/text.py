"""Wording shared by pages, messages and summaries."""


def counted(number: int, one: str, many: str) -> str:
    """A count with its noun in the right number: "1 school", "1,234 schools"."""
    number = int(number or 0)
    return f"{number:,} {one if number == 1 else many}"


def money(value) -> str:
    """Pounds as GOV.UK writes them: "£10,000.00", "-£5.50"; blank for no value."""
    from decimal import Decimal

    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def days(value) -> str:
    """A number of days without a spurious ".0": "10", "2.5"; blank for no value."""
    from decimal import Decimal

    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():f}"
