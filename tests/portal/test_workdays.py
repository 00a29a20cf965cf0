"""England working days for service-level deadlines."""

import datetime as dt

from portal.workdays import add_working_days, is_working_day, working_days_between


def test_christmas_and_boxing_day_and_new_year_are_not_working_days():
    # 2023: Christmas Monday 25th, Boxing Day Tuesday 26th; New Year's Day Monday 1 January 2024.
    assert not is_working_day(dt.date(2023, 12, 25))
    assert not is_working_day(dt.date(2023, 12, 26))
    assert not is_working_day(dt.date(2024, 1, 1))
    assert is_working_day(dt.date(2023, 12, 27))


def test_five_working_days_from_friday_before_christmas_skip_the_bank_holidays():
    # Fri 22 Dec 2023 + 5: 27, 28, 29 Dec, 2, 3 Jan (1 Jan is a bank holiday).
    assert add_working_days(dt.date(2023, 12, 22), 5) == dt.date(2024, 1, 3)


def test_working_days_across_easter_skip_good_friday_and_easter_monday():
    # Easter 2024: Good Friday 29 March, Easter Monday 1 April.
    assert add_working_days(dt.date(2024, 3, 28), 1) == dt.date(2024, 4, 2)
    assert working_days_between(dt.date(2024, 3, 28), dt.date(2024, 4, 2)) == 1


def test_scottish_only_bank_holidays_are_working_days_in_england():
    # 2 January is a bank holiday in Scotland, not in England.
    assert is_working_day(dt.date(2024, 1, 2))


def test_zero_days_from_a_weekend_is_the_next_working_day():
    assert add_working_days(dt.date(2024, 6, 1), 0) == dt.date(2024, 6, 3)
    assert working_days_between(dt.date(2024, 6, 3), dt.date(2024, 6, 3)) == 0
