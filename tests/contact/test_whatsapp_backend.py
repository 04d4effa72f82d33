"""The WhatsApp backend against a Cloud-API-speaking server on 127.0.0.1.

Business-initiated notifications go as approved templates; Meta's error codes
decide whether a failed message is tried again (issue 6 items 5, 8).
"""

import pytest

from mustafid.contact.backends import PermanentError, TransientError
from mustafid.contact.backends.whatsapp import CloudApiBackend
from tests.contact.backend_helpers import ARABIC_BODY, outgoing


def send(org, **fields):
    return CloudApiBackend().send(outgoing(org, method="whatsapp", **fields))


def test_a_template_message_reaches_the_phone_numbers_endpoint(org, whatsapp):
    sent = send(org)

    request = whatsapp.last
    assert request.method == "POST"
    assert request.path == "/v23.0/109876543210/messages"
    assert request.headers["Authorization"] == "Bearer whatsapp-secret-token"
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "966512345678",
        "type": "template",
        "template": {
            "name": "mustafid_decision",
            "language": {"code": "ar"},
            "components": [
                {
                    "type": "body",
                    # Meta refuses new lines inside a template parameter.
                    "parameters": [
                        {"type": "text", "text": " ".join(ARABIC_BODY.split())}
                    ],
                }
            ],
        },
    }
    assert sent.provider_id.startswith("wamid.")


def test_the_template_follows_the_event_mapping_and_the_language(
    org, whatsapp, settings
):
    settings.WHATSAPP = settings.WHATSAPP | {
        "TEMPLATES": {"decision": "case_decision_v2"}
    }

    send(org, language="en", body="Your request was approved.")

    template = whatsapp.last.body["template"]
    assert template["name"] == "case_decision_v2"
    assert template["language"] == {"code": "en"}


def test_text_mode_sends_the_text_as_it_is(org, whatsapp, settings):
    settings.WHATSAPP = settings.WHATSAPP | {"MODE": "text"}

    send(org)

    assert whatsapp.last.body["type"] == "text"
    assert whatsapp.last.body["text"] == {"preview_url": False, "body": ARABIC_BODY}


@pytest.mark.parametrize(
    ("status", "code"),
    [(429, 130429), (400, 131056), (500, 131000), (503, 2), (400, 4), (400, 80007)],
)
def test_throttling_and_outages_are_tried_again_later(org, whatsapp, status, code):
    whatsapp.fail_with_error(status, code, "Rate limit hit")

    with pytest.raises(TransientError, match=str(code)):
        send(org)


@pytest.mark.parametrize(
    "code",
    [
        100,  # invalid parameter
        131026,  # undeliverable
        131047,  # more than 24 hours since the beneficiary wrote
        132001,  # template does not exist
    ],
)
def test_refusals_that_need_a_person_are_never_retried(org, whatsapp, code):
    whatsapp.fail_with_error(400, code, "Message failed")

    with pytest.raises(PermanentError, match=str(code)):
        send(org)


def test_an_expired_token_says_so(org, whatsapp):
    whatsapp.fail_with_error(401, 190, "Error validating access token")

    with pytest.raises(PermanentError, match="token"):
        send(org)


def test_a_server_that_is_gone_or_hangs_is_tried_again_later(org, whatsapp, settings):
    settings.WHATSAPP = settings.WHATSAPP | {"TIMEOUT": 0.3}
    whatsapp.hang(5)
    with pytest.raises(TransientError, match="timed out"):
        send(org)

    whatsapp.stop()
    with pytest.raises(TransientError, match="unreachable"):
        send(org)


def test_without_phone_number_id_or_token_the_message_is_refused(org, settings):
    settings.WHATSAPP = {}

    with pytest.raises(PermanentError, match="WHATSAPP_TOKEN"):
        send(org)


def test_an_invalid_number_is_refused_before_any_request(org, whatsapp):
    with pytest.raises(PermanentError, match="invalid mobile number"):
        send(org, to="0512345678")
    assert whatsapp.requests == []
