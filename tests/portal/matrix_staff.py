"""The portal's staff pages in the permission matrix (P-TRANSPARENCY)."""

from django_scopes import scope

from mustafid.core.roles import Role

# Those whose role holds Perm.MANAGE_PORTAL.
PORTAL_WRITERS = frozenset({Role.MANAGER, Role.ADMIN})


def make_faq_entry(org):
    from mustafid.portal.faq import FaqEntry

    with scope(organization=org):
        entry = FaqEntry.objects.create(
            organization=org, question_ar="سؤال؟", answer_ar="جواب."
        )
    return {"pk": entry.pk}


def routes(Route) -> list:
    return [
        Route("portal_staff:faq_list", PORTAL_WRITERS),
        Route("portal_staff:faq_edit", PORTAL_WRITERS, kwargs=make_faq_entry),
    ]
