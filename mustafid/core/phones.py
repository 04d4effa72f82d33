"""Mobile numbers: whatever way people write them, stored as E.164."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mustafid.core.arabic import to_western_digits

# How most Saudi mobiles are written, once tidied: 05XXXXXXXX or +9665XXXXXXXX.
# Their country and national number are plain, so they skip phonenumbers'
# parser (two thirds of its cost: a 100,000-row import spent 13 % of its time
# here); whether the number is a valid mobile is still the library's answer.
_SAUDI_MOBILE = re.compile(r"(?:0|\+966)(5[0-9]{8})")
SAUDI_CODE = 966
MOBILE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)


def _is_mobile(number: phonenumbers.PhoneNumber) -> bool:
    return (
        phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) in MOBILE_TYPES
    )


def normalize_mobile(raw: str) -> str:
    """+9665XXXXXXXX from 05…, 5…, +966…, 00966…, with spaces or Eastern digits.

    Raises ValidationError for anything that is not a mobile number.
    """
    text = to_western_digits(raw or "").strip()
    text = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("5") and len(text) == 9:
        text = "0" + text
    if match := _SAUDI_MOBILE.fullmatch(text):
        national = match.group(1)
        number = phonenumbers.PhoneNumber(
            country_code=SAUDI_CODE, national_number=int(national)
        )
        if _is_mobile(number):
            return f"+{SAUDI_CODE}{national}"
        raise not_a_mobile()
    return parsed_mobile(text)


def not_a_mobile() -> ValidationError:
    return ValidationError(
        _("This is not a valid mobile number. Saudi mobiles start with 05."),
        code="invalid",
    )


def parsed_mobile(text: str) -> str:
    """The E.164 form of a tidied number through phonenumbers' parser."""
    try:
        number = phonenumbers.parse(text, "SA")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Enter a mobile number such as 0501234567."), code="invalid"
        ) from exc
    if not _is_mobile(number):
        raise not_a_mobile()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
