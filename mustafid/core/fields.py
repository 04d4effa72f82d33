"""Form fields shared by the apps."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.core.arabic import to_western_digits
from mustafid.core.hijri import from_hijri, to_hijri

_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")


class CalendarDateWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.Select(
                    choices=DualCalendarDateField.CALENDARS,
                    attrs={"aria-label": _("Calendar")},
                ),
                forms.TextInput(
                    attrs={
                        "placeholder": "1446-03-12",
                        "dir": "ltr",
                        "aria-label": _("Date (year-month-day)"),
                    }
                ),
            ],
            attrs,
        )

    def decompress(self, value):
        return ["gregorian", value.isoformat()] if value else ["hijri", ""]


class DualCalendarDateField(forms.MultiValueField):
    """A date typed in the Hijri or the Gregorian calendar, stored Gregorian.

    Accepts year-month-day or day/month/year, in Western or Eastern digits.
    """

    CALENDARS = [("hijri", _("Hijri")), ("gregorian", _("Gregorian"))]
    widget = CalendarDateWidget
    default_error_messages = {
        "invalid": _("Enter the date as year-month-day, e.g. 1446-03-12."),
        "no_such_date": _("There is no such date in the chosen calendar."),
        "future": _("The date cannot be in the future."),
    }

    def __init__(self, *, allow_future: bool = False, **kwargs):
        self.allow_future = allow_future
        # The calendar list always sends a value: an empty date is one with no
        # text, which only a required field refuses (in validate()).
        fields = (
            forms.ChoiceField(choices=self.CALENDARS, required=False),
            forms.CharField(max_length=12, required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not data_list[1]:
            return None
        calendar, text = data_list
        text = to_western_digits(text).strip()
        if match := _ISO.match(text):
            year, month, day = (int(p) for p in match.groups())
        elif match := _DMY.match(text):
            day, month, year = (int(p) for p in match.groups())
        else:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            if calendar == "hijri":
                value = from_hijri(year, month, day)
            else:
                value = datetime.date(year, month, day)
        except ValueError as exc:
            raise forms.ValidationError(
                self.error_messages["no_such_date"], code="no_such_date"
            ) from exc
        if not self.allow_future and value > datetime.date.today():
            raise forms.ValidationError(self.error_messages["future"], code="future")
        return value

    def validate(self, value):
        # MultiValueField validates nothing itself: a chosen calendar with no
        # date would pass a required field.
        if self.required and value is None:
            raise forms.ValidationError(
                self.error_messages["required"], code="required"
            )


def hijri_iso(day: datetime.date) -> str:
    hijri = to_hijri(day)
    return f"{hijri.year}-{hijri.month:02d}-{hijri.day:02d}" if hijri else ""
