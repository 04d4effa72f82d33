"""The channels of sending, each behind one interface (issue 6 item 5).

The dispatcher (`contact.sending`) builds an `Outgoing`, calls
`get_backend(method).send(outgoing)` and records what comes back: a `Sent`, a
`TransientError` (try again later) or a `PermanentError` (never retry).
Consent, opt-out, quiet hours, retries and back-off are the dispatcher's; a
backend only carries one message over its channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from mustafid.core.models import Organization


@dataclass(frozen=True)
class Outgoing:
    message_id: int
    method: str  # a mustafid.contact.outbox.Method value
    to: str  # E.164 mobile (sms, whatsapp), an email address, "" for a letter
    subject: str  # email and letter; "" otherwise
    body: str  # plain text, already rendered in the recipient's language
    language: str  # "ar" or "en"
    event: str  # e.g. "decision"
    organization: Organization  # the sender name and the letterhead
    recipient_name: str = ""
    postal_address: str = ""  # several lines, for letters


@dataclass(frozen=True)
class Sent:
    provider_id: str = ""  # the provider's message id, or the stored letter's name
    detail: str = ""  # short, e.g. the provider's status text


class SendError(Exception):
    """A message that did not go; the text is short, technical and shown to staff."""


class TransientError(SendError):
    """Try again later: network down, timeout, HTTP 429/5xx, SMTP 4xx, rate limit."""


class PermanentError(SendError):
    """Never retry: bad number or address, a refusal, a template problem."""


class Backend:
    method: str = ""

    def send(self, outgoing: Outgoing) -> Sent:
        raise NotImplementedError


def get_backend(method: str) -> Backend:
    """The backend configured for `method` in settings.NOTIFICATION_BACKENDS."""
    try:
        path = settings.NOTIFICATION_BACKENDS[method]
    except KeyError:
        raise ImproperlyConfigured(
            f"No notification backend for method {method!r} "
            "(settings.NOTIFICATION_BACKENDS)."
        ) from None
    return import_string(path)()


def trimmed(text: object, limit: int = 200) -> str:
    """A provider's text made short enough to store as the message's last error."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
