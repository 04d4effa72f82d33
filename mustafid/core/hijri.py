"""Hijri (Umm al-Qura) dates beside Gregorian ones."""

import datetime

from django.utils import formats
from hijridate import Gregorian, Hijri


def to_hijri(day: datetime.date) -> Hijri | None:
    """The Umm al-Qura date, or None outside the calendar's range (1343-1500 AH)."""
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return None


def from_hijri(year: int, month: int, day: int) -> datetime.date:
    """The Gregorian date of a Hijri one; ValueError when it does not exist."""
    try:
        return Hijri(year, month, day).to_gregorian()
    except OverflowError as exc:
        raise ValueError(str(exc)) from exc


def format_hijri(day: datetime.date, language: str) -> str:
    hijri = to_hijri(day)
    if hijri is None:
        return ""
    lang = "ar" if language.startswith("ar") else "en"
    suffix = "هـ" if lang == "ar" else "AH"
    return f"{hijri.day} {hijri.month_name(lang)} {hijri.year} {suffix}"


def format_gregorian(day: datetime.date, language: str) -> str:
    suffix = "م" if language.startswith("ar") else ""
    return f"{formats.date_format(day, 'DATE_FORMAT')} {suffix}".strip()
