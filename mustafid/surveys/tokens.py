"""The single-use links of survey invitations.

A link's token is HMAC(secret key, the invitation's random salt): unguessable
(256 bits), rebuilt for a reminder without being stored, and found again by
its SHA-256 hash, the only form kept in the database.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.urls import reverse


def new_salt() -> str:
    return secrets.token_hex(16)


def token_for(salt: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"survey-link:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(invitation) -> str:
    path = reverse(
        "portal:survey_answer",
        kwargs={
            "org_slug": invitation.organization.slug,
            "token": token_for(invitation.salt),
        },
    )
    return settings.SITE_URL.rstrip("/") + path
