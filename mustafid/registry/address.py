"""The Saudi national address (العنوان الوطني) and its parts' formats."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

short_address = RegexValidator(
    r"^[A-Z]{4}\d{4}$",
    _("A short address is 4 Latin capital letters and 4 digits, e.g. RRRD2929."),
)
building_number = RegexValidator(r"^\d{4}$", _("The building number is 4 digits."))
additional_number = RegexValidator(r"^\d{4}$", _("The additional number is 4 digits."))
postal_code = RegexValidator(r"^\d{5}$", _("The postal code is 5 digits."))
