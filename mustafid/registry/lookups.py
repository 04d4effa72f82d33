"""Is this identity number registered here, and to whom? (P-REGISTER, P-PRIVACY)

Asked by the registration form on every check, so it is a statement compiled
once (`core.compiled`) rather than a queryset built each time: the four name
columns by the number's keyed hash, nothing decrypted. bench/RESULTS.md has
its cost beside the same SQL sent raw.
"""

from typing import NamedTuple

from mustafid.core.compiled import CompiledQuery
from mustafid.core.crypto import blind_index
from mustafid.core.tenancy import active_organization_id
from mustafid.registry.models import Beneficiary


class Holder(NamedTuple):
    """Who holds an identity number in the association: enough to name them."""

    pk: int
    first_name: str
    father_name: str
    grandfather_name: str
    family_name: str

    @property
    def full_name(self) -> str:
        return " ".join(self[1:])


_HOLDER = CompiledQuery(
    lambda organization_id, identity_hash: (
        Beneficiary.objects.filter(
            organization_id=organization_id, identity_hash=identity_hash
        )
        .order_by()
        .values_list(*Holder._fields)[:1]
    ),
    organization_id=int,
    identity_hash=str,
)


def holder_of(number: str) -> Holder | None:
    """The active association's holder of this normalised identity number."""
    rows = _HOLDER.rows(
        organization_id=active_organization_id(), identity_hash=blind_index(number)
    )
    return Holder(*rows[0]) if rows else None
