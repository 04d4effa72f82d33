"""Calendar steps the rules need: N years or N months before a day.

A 29 February with no twin in the target year becomes the 28th, which is what
makes "aged 18 on this day" agree with `Beneficiary.age_on`.
"""

import calendar
import datetime


def years_before(day: datetime.date, years: int) -> datetime.date:
    return months_before(day, years * 12)


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))
