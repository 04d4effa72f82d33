"""The channels, interaction log and inquiry routes in the permission matrix."""

from mustafid.core.roles import Role
from tests.cases.helpers import make_channel
from tests.contact.helpers import make_inquiry

# Those whose role holds Perm.MANAGE_CHANNELS.
CHANNEL_KEEPERS = frozenset({Role.MANAGER, Role.ADMIN})
# Those who meet or call beneficiaries: Perm.LOG_INTERACTIONS, ANSWER_INQUIRIES.
CONTACT = frozenset(
    {Role.RECEPTION, Role.RESEARCHER, Role.SERVICES, Role.MANAGER, Role.ADMIN}
)


def _channel(org):
    return {"pk": make_channel(org).pk}


def _inquiry(org):
    return {"pk": make_inquiry(org).pk}


def routes(Route) -> list:
    return [
        Route("contact:channel_list", CHANNEL_KEEPERS),
        Route("contact:channel_toggle", CHANNEL_KEEPERS, "post", _channel, (302,)),
        Route("contact:channel_move", CHANNEL_KEEPERS, "post", _channel, (302,)),
        Route("contact:interaction_create", CONTACT),
        Route("contact:inquiry_list", CONTACT),
        Route("contact:inquiry_create", CONTACT),
        Route("contact:inquiry_detail", CONTACT, kwargs=_inquiry),
        # Empty forms: nobody assigned (302); no answer, no reason (400).
        Route("contact:inquiry_assign", CONTACT, "post", _inquiry, (302,)),
        Route("contact:inquiry_answer", CONTACT, "post", _inquiry, (400,)),
        Route("contact:inquiry_close", CONTACT, "post", _inquiry, (400,)),
    ]
