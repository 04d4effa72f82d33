"""The outgoing-message routes in the permission matrix."""

from django_scopes import scope

from mustafid.contact.outbox import OutboxStatus, queue_message
from mustafid.core.roles import Role
from tests.factories import BeneficiaryFactory

# Roles holding Perm.VIEW_OUTBOX, and Perm.RESEND_MESSAGES.
READERS = frozenset({Role.RECEPTION, Role.MANAGER, Role.AUDITOR, Role.ADMIN})
RESENDERS = frozenset({Role.RECEPTION, Role.MANAGER, Role.ADMIN})


def _failed_message(org):
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(organization=org)
        message = queue_message(
            organization=org, event="decision", beneficiary=beneficiary
        )
        message.status = OutboxStatus.FAILED
        message.last_error = "HTTP 400"
        message.save()
    return {"pk": message.pk}


def routes(Route) -> list:
    return [
        Route("outbox:list", READERS),
        Route("outbox:detail", READERS, kwargs=_failed_message),
        Route("outbox:resend", RESENDERS, "post", _failed_message, (302,)),
    ]
