"""Mobile numbers: whatever way people write them, stored as E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mustafid.core.arabic import to_western_digits


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
    try:
        number = phonenumbers.parse(text, "SA")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Enter a mobile number such as 0501234567."), code="invalid"
        ) from exc
    mobile_types = {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    if not (
        phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) in mobile_types
    ):
        raise ValidationError(
            _("This is not a valid mobile number. Saudi mobiles start with 05."),
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
