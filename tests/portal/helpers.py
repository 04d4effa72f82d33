"""Signing a beneficiary in to their association's portal in tests."""

from mustafid.portal import session


def sign_in_as(client, beneficiary) -> None:
    """What a completed one-time-code sign-in leaves in the session."""
    stored = client.session
    stored[session.SESSION_KEY] = {
        "id": beneficiary.pk,
        "organization": beneficiary.organization_id,
    }
    stored.save()


def latest_code(organization, mobile: str) -> str:
    """The code last queued for `mobile`, read before the outbox masks it.

    In tests the transaction never commits, so the immediate send (on commit)
    does not run and the queued message still holds the code.
    """
    from django_scopes import scopes_disabled

    from mustafid.contact.outbox import OutboxMessage

    with scopes_disabled():
        queued = OutboxMessage.objects.filter(
            organization=organization, event="one_time_code"
        ).order_by("-id")
        # The address is encrypted at rest: compared here, not in SQL.
        message = next(m for m in queued if m.address == mobile)
    return message.context["code"]
