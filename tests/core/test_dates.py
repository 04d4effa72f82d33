"""Every date shows Hijri (Umm al-Qura) and Gregorian side by side."""

import datetime

from django.template import Context, Template
from django.utils import translation

from mustafid.core.hijri import from_hijri, to_hijri


def render(value, language):
    with translation.override(language):
        return Template("{{ value|dual_date }}").render(Context({"value": value}))


def test_arabic_shows_the_hijri_and_gregorian_dates():
    html = render(datetime.date(2026, 11, 23), "ar")
    assert "13 جمادى الآخرة 1448 هـ" in html
    assert "23 نوفمبر 2026 م" in html
    assert 'datetime="2026-11-23"' in html


def test_english_shows_both_in_english():
    html = render(datetime.date(2025, 6, 1), "en")
    assert "5 Dhu al-Hijjah 1446 AH" in html
    assert "1 June 2025" in html


def test_a_datetime_shows_its_local_riyadh_day():
    late_utc = datetime.datetime(2026, 11, 22, 22, 30, tzinfo=datetime.UTC)
    assert 'datetime="2026-11-23"' in render(late_utc, "ar")


def test_a_date_outside_the_umm_al_qura_range_shows_gregorian_only():
    html = render(datetime.date(1900, 1, 1), "en")
    assert "1 January 1900" in html
    assert "AH" not in html


def test_empty_dates_render_nothing():
    assert render(None, "ar") == ""


def test_hijri_and_gregorian_convert_both_ways():
    day = datetime.date(2023, 7, 15)
    hijri = to_hijri(day)
    assert from_hijri(hijri.year, hijri.month, hijri.day) == day


def test_an_optional_date_left_empty_is_none_whatever_the_calendar():
    """The calendar list always sends a value; an empty date is still empty."""
    import pytest
    from django import forms

    from mustafid.core.fields import DualCalendarDateField

    assert DualCalendarDateField(required=False).clean(["gregorian", ""]) is None
    assert DualCalendarDateField(required=False).clean(["hijri", " "]) is None
    with pytest.raises(forms.ValidationError, match=r"required|مطلوب"):
        DualCalendarDateField(required=True).clean(["hijri", ""])
    assert DualCalendarDateField().clean(["hijri", "1446-01-01"]) == from_hijri(
        1446, 1, 1
    )
