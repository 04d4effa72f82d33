"""SMS through one generic HTTP gateway adapter, with presets for Saudi gateways.

settings.SMS_GATEWAY names a preset ("PRESET") and overrides any of its keys:

URL, METHOD        where and how to send
ENCODING           "json" body, "form" body, or "query" string
AUTH               {"TYPE": "bearer"|"header"|"param"|"none", "NAME", "VALUE",
                    "USER_NAME", "USER"}; "param" goes with the other parameters
TOKEN, USERNAME    shortcuts for AUTH.VALUE and AUTH.USER (from the environment)
STATIC             parameters sent every time
FIELDS             the gateway's names of "to", "sender", "body" and, when it
                   takes one, "reference" (our message id, so it can drop repeats)
TO_AS_LIST         the number inside a list
TO_FORMAT          "966" (digits without +, as the Saudi gateways want) or "+966"
SENDER             the registered sender name
SUCCESS            {"PATH": dotted path in the JSON answer, "IN": accepted values};
                   without a PATH any 2xx answer is success
ID_PATH            dotted path of the gateway's message id
ERROR_PATH         dotted path of the gateway's explanation
ERROR_CODE_PATH    dotted path of the gateway's error code
REJECTED_PATH      dotted path of the refused numbers in a 2xx answer (Taqnyat)
TRANSIENT_CODES    error codes worth trying again later (e.g. no balance)
TIMEOUT            seconds
"""

import copy
import json
import logging
import re
from urllib.parse import urlencode, urlsplit

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
    "METHOD": "POST",
    "ENCODING": "json",
    "AUTH": {"TYPE": "none"},
    "STATIC": {},
    "FIELDS": {"to": "to", "sender": "sender", "body": "body"},
    "TO_AS_LIST": False,
    "TO_FORMAT": "966",
    "SENDER": "",
    "SUCCESS": {"PATH": None, "IN": []},
    "ID_PATH": None,
    "ERROR_PATH": None,
    "ERROR_CODE_PATH": None,
    "REJECTED_PATH": None,
    "TRANSIENT_CODES": [],
    "TIMEOUT": 10,
}

# From the vendors' documentation (see the README); check them against your account.
PRESETS = {
    "taqnyat": {
        "URL": "https://api.taqnyat.sa/v1/messages",
        "ENCODING": "json",
        "AUTH": {"TYPE": "bearer"},
        "FIELDS": {"to": "recipients", "sender": "sender", "body": "body"},
        "TO_AS_LIST": True,
        "SUCCESS": {"PATH": "statusCode", "IN": [200, 201]},
        "ID_PATH": "messageId",
        "ERROR_PATH": "message",
        "ERROR_CODE_PATH": "statusCode",
        # A 201 may still list the number as refused.
        "REJECTED_PATH": "rejected",
    },
    "unifonic": {
        "URL": "https://el.cloud.unifonic.com/rest/SMS/messages",
        "ENCODING": "form",
        "AUTH": {"TYPE": "param", "NAME": "AppSid"},
        "STATIC": {"responseType": "JSON"},
        "FIELDS": {
            "to": "Recipient",
            "sender": "SenderID",
            "body": "Body",
            "reference": "CorrelationID",
        },
        "SUCCESS": {"PATH": "success", "IN": [True, "true"]},
        "ID_PATH": "data.MessageID",
        "ERROR_PATH": "message",
        "ERROR_CODE_PATH": "errorCode",
    },
    "msegat": {
        "URL": "https://www.msegat.com/gw/sendsms.php",
        "ENCODING": "json",
        "AUTH": {"TYPE": "param", "NAME": "apiKey", "USER_NAME": "userName"},
        "STATIC": {"msgEncoding": "UTF8"},
        "FIELDS": {"to": "numbers", "sender": "userSender", "body": "msg"},
        "SUCCESS": {"PATH": "code", "IN": [1, "1", "M0000"]},
        "ERROR_PATH": "message",
        "ERROR_CODE_PATH": "code",
        # 1060: no balance left; the message can go once the account is topped up.
        "TRANSIENT_CODES": ["1060"],
    },
}

E164 = re.compile(r"\+\d{8,15}")


def _merge(base: dict, extra: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def gateway_config(overrides: dict | None = None) -> dict:
    """The preset named in SMS_GATEWAY, under SMS_GATEWAY's own keys."""
    overrides = dict(settings.SMS_GATEWAY if overrides is None else overrides)
    preset = overrides.pop("PRESET", "") or ""
    if preset and preset not in PRESETS:
        raise PermanentError(f"unknown SMS gateway preset {preset!r}")
    config = _merge(_merge(DEFAULTS, PRESETS.get(preset, {})), overrides)
    if token := config.pop("TOKEN", ""):
        config["AUTH"]["VALUE"] = token
    if username := config.pop("USERNAME", ""):
        config["AUTH"]["USER"] = username
    return config


def _same(value, accepted) -> bool:
    """Gateways mix 1, "1" and true, "true": compare them as text."""
    return str(value).lower() in {str(item).lower() for item in accepted}


class HttpSmsBackend(Backend):
    method = "sms"

    def send(self, outgoing: Outgoing) -> Sent:
        config = gateway_config()
        auth = config["AUTH"]
        if not config.get("URL") or (
            auth.get("TYPE", "none") != "none" and not auth.get("VALUE")
        ):
            raise PermanentError(
                "SMS gateway not configured (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN)"
            )
        if not E164.fullmatch(outgoing.to or ""):
            raise PermanentError("invalid mobile number")
        number = outgoing.to if config["TO_FORMAT"].startswith("+") else outgoing.to[1:]
        url, data, headers = self._request(config, outgoing, number)
        response = request(
            url,
            method=config["METHOD"],
            data=data,
            headers=headers,
            timeout=float(config["TIMEOUT"]),
        )
        document = response.json()
        explanation = get_path(document, config["ERROR_PATH"]) or response.text()
        code = get_path(document, config["ERROR_CODE_PATH"])
        transient_code = code is not None and _same(code, config["TRANSIENT_CODES"])
        if response.status == 429 or response.status >= 500:
            raise TransientError(trimmed(f"HTTP {response.status}: {explanation}"))
        if not 200 <= response.status < 300:
            error = TransientError if transient_code else PermanentError
            raise error(trimmed(f"HTTP {response.status}: {explanation}"))
        success = config["SUCCESS"]
        if success.get("PATH") and not _same(
            get_path(document, success["PATH"]), success.get("IN", [])
        ):
            error = TransientError if transient_code else PermanentError
            raise error(trimmed(f"refused ({code}): {explanation}"))
        rejected = get_path(document, config["REJECTED_PATH"])
        if rejected and number.lstrip("+") in str(rejected):
            raise PermanentError("number rejected by the gateway")
        provider_id = get_path(document, config["ID_PATH"])
        logger.info(
            "sms message %s accepted by %s",
            outgoing.message_id,
            urlsplit(url).hostname,
        )
        return Sent(
            provider_id="" if provider_id is None else str(provider_id),
            detail=f"HTTP {response.status}",
        )

    @staticmethod
    def _request(config: dict, outgoing: Outgoing, number: str):
        fields, auth = config["FIELDS"], config["AUTH"]
        params = dict(config["STATIC"])
        params[fields["to"]] = [number] if config["TO_AS_LIST"] else number
        if config["SENDER"] and fields.get("sender"):
            params[fields["sender"]] = config["SENDER"]
        params[fields["body"]] = outgoing.body
        if fields.get("reference"):
            params[fields["reference"]] = str(outgoing.message_id)
        headers = {"Accept": "application/json"}
        kind = auth.get("TYPE", "none")
        if kind == "bearer":
            headers["Authorization"] = f"Bearer {auth['VALUE']}"
        elif kind == "header":
            headers[auth.get("NAME") or "Authorization"] = auth["VALUE"]
        elif kind == "param":
            params[auth["NAME"]] = auth["VALUE"]
            if auth.get("USER_NAME"):
                params[auth["USER_NAME"]] = auth.get("USER", "")
        url, data = config["URL"], None
        encoding = config["ENCODING"]
        if encoding == "json":
            data = json.dumps(params, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        elif encoding == "form":
            data = urlencode(params, doseq=True).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        elif encoding == "query":
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
        else:
            raise PermanentError(f"unknown SMS gateway encoding {encoding!r}")
        return url, data, headers
