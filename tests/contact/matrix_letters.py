"""The printable letters route in the permission matrix."""

from mustafid.core.roles import Role
from tests.contact.backend_helpers import make_letter_message

# Those whose role holds Perm.VIEW_OUTBOX.
OUTBOX_READERS = frozenset({Role.RECEPTION, Role.MANAGER, Role.AUDITOR, Role.ADMIN})


def routes(Route) -> list:
    return [
        Route(
            "contact:letter",
            OUTBOX_READERS,
            kwargs=lambda org: {"pk": make_letter_message(org).pk},
        ),
    ]
