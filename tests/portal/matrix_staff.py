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


def make_terms_version(org):
    from mustafid.portal.consent import ConsentKind, current_text

    with scope(organization=org):
        return {"kind": "terms", "pk": current_text(org, ConsentKind.TERMS).pk}


def _terms(org):
    return {"kind": "terms"}


def routes(Route) -> list:
    return [
        Route("portal_staff:faq_list", PORTAL_WRITERS),
        Route("portal_staff:faq_edit", PORTAL_WRITERS, kwargs=make_faq_entry),
        # The privacy notice and the terms, versioned (P-CONSENT, P-PRIVACY).
        Route("portal_staff:consent_list", PORTAL_WRITERS),
        Route(
            "portal_staff:consent_history",
            PORTAL_WRITERS,
            kwargs=_terms,
            carries_id=False,
        ),
        Route(
            "portal_staff:consent_publish",
            PORTAL_WRITERS,
            kwargs=_terms,
            carries_id=False,
        ),
        # An empty form is refused with its reasons, to those allowed.
        Route(
            "portal_staff:consent_publish",
            PORTAL_WRITERS,
            "post",
            _terms,
            (400,),
            carries_id=False,
        ),
        Route(
            "portal_staff:consent_version",
            PORTAL_WRITERS,
            kwargs=make_terms_version,
        ),
    ]
