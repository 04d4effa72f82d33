"""Identity documents: the format each type must have (P-COMPLETE)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mustafid.core.saudi_ids import luhn_ok, normalize_id
from mustafid.registry.models import IdentityType

_TEN_DIGITS = re.compile(r"^\d{10}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{6,12}$")
_GCC = re.compile(r"^[A-Z0-9]{6,15}$")
_FIRST_DIGIT = {IdentityType.NATIONAL_ID: "1", IdentityType.IQAMA: "2"}


class CheckDigitError(ValidationError):
    """Well formed, but the check digit does not match: a manager may accept it."""


def clean_identity(identity_type: str, raw: str) -> str:
    """The normalised number, or a ValidationError saying what is wrong."""
    number = normalize_id(raw).upper().replace("-", "")
    if identity_type in _FIRST_DIGIT:
        first = _FIRST_DIGIT[identity_type]
        if not _TEN_DIGITS.match(number):
            raise ValidationError(
                _("The number must be 10 digits."), code="identity_length"
            )
        if number[0] != first:
            message = (
                _("A national ID starts with 1.")
                if first == "1"
                else _("An iqama number starts with 2.")
            )
            raise ValidationError(message, code="identity_prefix")
        if not luhn_ok(number):
            raise CheckDigitError(
                _("The number's check digit is wrong: check it against the card."),
                code="identity_check_digit",
            )
        return number
    if identity_type == IdentityType.BORDER_NUMBER:
        if not _TEN_DIGITS.match(number) or number[0] not in "34":
            raise ValidationError(
                _("A border number is 10 digits starting with 3 or 4."),
                code="identity_format",
            )
        return number
    pattern = _PASSPORT if identity_type == IdentityType.PASSPORT else _GCC
    if not pattern.match(number):
        raise ValidationError(
            _("Use 6 to 15 Latin letters and digits, as on the document."),
            code="identity_format",
        )
    return number
