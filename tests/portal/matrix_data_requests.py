"""The back office's data-request routes in the permission matrix (P-PRIVACY)."""

from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.portal import data_rights
from tests.factories import BeneficiaryFactory

# Roles holding Perm.HANDLE_DATA_REQUESTS.
HANDLERS = frozenset({Role.RECEPTION, Role.MANAGER, Role.ADMIN})


def _data_request(org) -> dict:
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(organization=org)
        item = data_rights.ask(
            beneficiary=beneficiary, kind="correction", details="تاريخ الميلاد خطأ"
        )
    return {"pk": item.pk}


def routes(Route) -> list:
    return [
        Route("data_requests:list", HANDLERS),
        Route("data_requests:detail", HANDLERS, kwargs=_data_request),
        # An empty answer is refused with the form's error, nothing written.
        Route("data_requests:detail", HANDLERS, "post", _data_request, (400,)),
    ]
