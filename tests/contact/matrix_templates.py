"""The notification wording routes in the permission matrix."""

from mustafid.core.roles import Role

# Those whose role holds Perm.MANAGE_TEMPLATES.
TEMPLATE_WRITERS = frozenset({Role.MANAGER, Role.ADMIN})
ONE = {"event": "decision", "method": "sms", "language": "ar"}


def routes(Route) -> list:
    return [
        Route("contact_templates:list", TEMPLATE_WRITERS),
        Route(
            "contact_templates:edit",
            TEMPLATE_WRITERS,
            kwargs=lambda org: ONE,
            carries_id=False,
        ),
        Route(
            "contact_templates:restore",
            TEMPLATE_WRITERS,
            "post",
            lambda org: ONE,
            (302,),
            carries_id=False,
        ),
    ]
