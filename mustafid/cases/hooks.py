"""What other apps may listen to, without cases knowing them.

`case_moved` is sent once the transaction of a successful transition has
committed (never for a refused or rolled-back move), with the case's id, its
association's id, the statuses it left and entered and the actor's id.
Receivers run after the commit: one that fails is logged and changes nothing
already written (surveys invite on delivery and closure, P-SATISFACTION).
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

case_moved = Signal()


def announce_move(case, origin: str, to: str, actor) -> None:
    """Send `case_moved` when the current transaction commits."""
    transaction.on_commit(
        partial(
            case_moved.send_robust,
            sender=type(case),
            case_id=case.pk,
            organization_id=case.organization_id,
            origin=origin,
            to=to,
            actor_id=getattr(actor, "pk", None),
        )
    )
