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
