"""Building channels and inquiries for the contact tests and the matrix."""

from django_scopes import scope

from mustafid.contact import services
from mustafid.contact.models import Channel
from tests.cases.helpers import make_channel


def phone_channel(org) -> Channel:
    return make_channel(org, name_ar="الهاتف", name_en="Phone", kind="phone")


def make_inquiry(org, *, beneficiary=None, **fields):
    with scope(organization=org):
        defaults = {
            "actor": None,
            "organization": org,
            "channel": phone_channel(org),
            "question": "متى يفتح باب التسجيل؟",
        }
        if beneficiary is None:
            defaults |= {"inquirer_name": "سائل", "inquirer_mobile": "0501234567"}
        return services.create_inquiry(beneficiary=beneficiary, **(defaults | fields))
