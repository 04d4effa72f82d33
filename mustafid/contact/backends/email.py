"""Email through Django's mail API, so the EMAIL_* settings apply."""

import smtplib
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation

from mustafid.contact.backends import (
    Backend,
    Outgoing,
    PermanentError,
    Sent,
    TransientError,
    trimmed,
)


def _smtp_error(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return trimmed(f"SMTP {code}: {text}")


def _classified(code: int, text) -> Exception:
    error = TransientError if 400 <= code < 500 else PermanentError
    return error(_smtp_error(code, text))


class EmailBackend(Backend):
    method = "email"

    def send(self, outgoing: Outgoing) -> Sent:
        if not outgoing.to or "@" not in outgoing.to:
            raise PermanentError("no valid email address")
        sender_name, sender_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        with translation.override(outgoing.language or "ar"):
            sender_name = outgoing.organization.name or sender_name
        domain = sender_address.rpartition("@")[2] or None
        message_id = make_msgid(domain=domain)
        message = EmailMessage(
            subject=outgoing.subject,
            body=outgoing.body,
            from_email=formataddr((sender_name, sender_address)),
            to=[outgoing.to],
            headers={"Message-ID": message_id},
            connection=get_connection(fail_silently=False),
        )
        message.encoding = "utf-8"
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _classified(code, text) from exc
        except smtplib.SMTPResponseException as exc:
            raise _classified(exc.smtp_code, exc.smtp_error) from exc
        except smtplib.SMTPServerDisconnected as exc:
            raise TransientError(trimmed(f"SMTP disconnected: {exc}")) from exc
        except smtplib.SMTPException as exc:
            raise TransientError(trimmed(f"SMTP error: {exc}")) from exc
        except OSError as exc:  # refused, timed out, no route
            raise TransientError(trimmed(f"SMTP unreachable: {exc}")) from exc
        except ValueError as exc:  # Django refuses a malformed address
            raise PermanentError(trimmed(f"invalid email address: {exc}")) from exc
        return Sent(provider_id=message_id, detail="accepted by the SMTP server")
