"""WhatsApp through the Cloud API (or any server speaking it).

Notifications start the conversation, so by default they go as approved
templates (MODE "template"): the template named for the event in TEMPLATES, else
TEMPLATE_PREFIX + event, in the recipient's language, with one body parameter
carrying the rendered text. MODE "text" sends free text, which Meta delivers only
within 24 hours of the beneficiary's last message.
"""

import json
import logging

from django.conf import settings

from mustafid.contact.backends import (
    Backend,
    Outgoing,
    PermanentError,
    Sent,
    TransientError,
    trimmed,
)
from mustafid.contact.backends.http import get_path, request

logger = logging.getLogger("mustafid.contact")

DEFAULTS = {
    "BASE_URL": "https://graph.facebook.com",
    "VERSION": "v23.0",
    "PHONE_NUMBER_ID": "",
    "TOKEN": "",
    "MODE": "template",
    "TEMPLATE_PREFIX": "mustafid_",
    "TEMPLATES": {},
    "LANGUAGE_CODES": {"ar": "ar", "en": "en"},
    "TIMEOUT": 10,
}

# Meta's error codes worth trying again: throttling, temporary outages, the
# per-recipient rate limit. Everything else (bad parameter 100, undeliverable
# 131026, outside the 24-hour window 131047, template problems 132xxx, token
# 190) needs a person.
TRANSIENT_CODES = {1, 2, 4, 80007, 130429, 131000, 131016, 131056}


def whatsapp_config() -> dict:
    given = {key: value for key, value in settings.WHATSAPP.items() if value}
    return DEFAULTS | given


def template_parameter(text: str) -> str:
    """Meta refuses parameters with new lines, tabs or runs of 5+ spaces."""
    return " ".join(text.split())


class CloudApiBackend(Backend):
    method = "whatsapp"

    def send(self, outgoing: Outgoing) -> Sent:
        config = whatsapp_config()
        if not (config["PHONE_NUMBER_ID"] and config["TOKEN"]):
            raise PermanentError(
                "WhatsApp not configured (WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_TOKEN)"
            )
        if not (outgoing.to.startswith("+") and outgoing.to[1:].isdigit()):
            raise PermanentError("invalid mobile number")
        url = "/".join(
            (
                config["BASE_URL"].rstrip("/"),
                config["VERSION"].strip("/"),
                str(config["PHONE_NUMBER_ID"]),
                "messages",
            )
        )
        response = request(
            url,
            data=json.dumps(self.payload(config, outgoing), ensure_ascii=False).encode(
                "utf-8"
            ),
            headers={
                "Authorization": f"Bearer {config['TOKEN']}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
            timeout=float(config["TIMEOUT"]),
        )
        document = response.json()
        if not 200 <= response.status < 300:
            code = get_path(document, "error.code")
            code = int(code) if str(code).isdigit() else code
            explanation = get_path(document, "error.message") or response.text()
            text = trimmed(f"HTTP {response.status} ({code}): {explanation}")
            if code == 190:
                text = trimmed(f"WhatsApp token refused (190): {explanation}")
            if (
                response.status == 429
                or response.status >= 500
                or code in TRANSIENT_CODES
            ):
                raise TransientError(text)
            raise PermanentError(text)
        message_id = get_path(document, "messages.0.id")
        if not message_id:
            raise PermanentError(trimmed(f"no message id in answer: {response.text()}"))
        logger.info("whatsapp message %s accepted", outgoing.message_id)
        status = get_path(document, "messages.0.message_status") or "accepted"
        return Sent(provider_id=str(message_id), detail=str(status))

    @staticmethod
    def payload(config: dict, outgoing: Outgoing) -> dict:
        message = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": outgoing.to.lstrip("+"),
        }
        if config["MODE"] == "text":
            return message | {
                "type": "text",
                "text": {"preview_url": False, "body": outgoing.body},
            }
        name = config["TEMPLATES"].get(outgoing.event) or (
            f"{config['TEMPLATE_PREFIX']}{outgoing.event}"
        )
        language = config["LANGUAGE_CODES"].get(outgoing.language, outgoing.language)
        return message | {
            "type": "template",
            "template": {
                "name": name,
                "language": {"code": language or "ar"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": template_parameter(outgoing.body)}
                        ],
                    }
                ],
            },
        }
