"""The SMS backend against a real HTTP gateway on 127.0.0.1 (issue 6 items 5, 8).

Whatever the gateway answers, the dispatcher learns whether to try again
later (TransientError) or never (PermanentError), so a provider that is down
loses nothing and a refused number is not retried forever.
"""

import pytest

from mustafid.contact.backends import PermanentError, TransientError
from mustafid.contact.backends.sms import HttpSmsBackend
from tests.contact.backend_helpers import ARABIC_BODY, outgoing
from tests.contact.fakes import FakeSmsGateway


@pytest.fixture
def gateway_of(settings):
    """A gateway answering like `shape`, with SMS_GATEWAY set to its preset."""
    started = []

    def start(shape, preset=None, **overrides):
        gateway = FakeSmsGateway(shape).start()
        started.append(gateway)
        settings.SMS_GATEWAY = {
            "PRESET": shape if preset is None else preset,
            "URL": gateway.url,
            "TOKEN": f"{shape}-secret",
            "SENDER": "Mustafid",
            "TIMEOUT": 2,
        } | overrides
        return gateway

    yield start
    for gateway in started:
        gateway.stop()


def send(org, **fields):
    return HttpSmsBackend().send(outgoing(org, **fields))


def test_taqnyat_receives_bearer_json_with_the_number_in_a_list(org, sms_gateway):
    sent = send(org)

    request = sms_gateway.last
    assert request.method == "POST"
    assert request.path == "/v1/messages"
    assert request.headers["Authorization"] == "Bearer taqnyat-secret-token"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.body == {
        "recipients": ["966512345678"],
        "sender": "Mustafid",
        "body": ARABIC_BODY,
    }
    # Arabic travels as UTF-8, not as \u escapes.
    assert ARABIC_BODY.splitlines()[0].encode("utf-8") in request.raw
    assert sent.provider_id == "5452899970"


def test_unifonic_receives_a_form_with_its_app_sid_and_our_reference(org, gateway_of):
    gateway = gateway_of("unifonic")

    sent = send(org, message_id=77)

    request = gateway.last
    assert request.path == "/rest/SMS/messages"
    assert request.headers["Content-Type"].startswith(
        "application/x-www-form-urlencoded"
    )
    assert "Authorization" not in request.headers
    assert request.body == {
        "AppSid": "unifonic-secret",
        "Recipient": "966512345678",
        "SenderID": "Mustafid",
        "Body": ARABIC_BODY,
        "CorrelationID": "77",
        "responseType": "JSON",
    }
    assert sent.provider_id == "5452899970"


def test_msegat_receives_user_name_and_key_in_the_json_body(org, gateway_of):
    gateway = gateway_of("msegat", USERNAME="mustafid-user")

    sent = send(org)

    assert gateway.last.path == "/gw/sendsms.php"
    assert gateway.last.body == {
        "userName": "mustafid-user",
        "apiKey": "msegat-secret",
        "numbers": "966512345678",
        "userSender": "Mustafid",
        "msg": ARABIC_BODY,
        "msgEncoding": "UTF8",
    }
    # Msegat gives no message id; success is still success.
    assert sent.provider_id == ""


def test_a_gateway_wanting_the_plus_and_a_query_string_gets_them(org, gateway_of):
    # No preset: every key from SMS_GATEWAY (SMS_GATEWAY_OPTIONS).
    gateway = gateway_of(
        "taqnyat",
        preset="",
        ENCODING="query",
        AUTH={"TYPE": "param", "NAME": "key"},
        FIELDS={"to": "to", "sender": "from", "body": "text"},
        TO_FORMAT="+966",
        SUCCESS={"PATH": "statusCode", "IN": [201]},
        ID_PATH="messageId",
    )

    send(org)

    assert gateway.last.query == {
        "key": "taqnyat-secret",
        "to": "+966512345678",
        "from": "Mustafid",
        "text": ARABIC_BODY,
    }
    assert gateway.last.raw == b""


def test_a_header_token_is_sent_under_its_name(org, gateway_of):
    gateway = gateway_of("taqnyat", AUTH={"TYPE": "header", "NAME": "X-Api-Key"})

    send(org)

    assert gateway.last.headers["X-Api-Key"] == "taqnyat-secret"
    assert "Authorization" not in gateway.last.headers


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_a_gateway_in_trouble_is_tried_again_later(org, sms_gateway, status):
    sms_gateway.fail_with(status, {"statusCode": status, "message": "busy"})

    with pytest.raises(TransientError, match=f"HTTP {status}"):
        send(org)


def test_a_gateway_that_hangs_past_the_timeout_is_tried_again_later(
    org, sms_gateway, settings
):
    settings.SMS_GATEWAY = settings.SMS_GATEWAY | {"TIMEOUT": 0.3}
    sms_gateway.hang(5)

    with pytest.raises(TransientError, match="timed out"):
        send(org)


def test_a_stopped_gateway_is_tried_again_later(org, sms_gateway):
    sms_gateway.stop()

    with pytest.raises(TransientError, match="unreachable"):
        send(org)


@pytest.mark.parametrize("shape", ["taqnyat", "unifonic", "msegat"])
def test_each_gateways_refusal_is_never_retried(org, gateway_of, shape):
    gateway_of(shape).refuse()

    with pytest.raises(PermanentError) as refused:
        send(org)

    assert refused.value.__class__ is PermanentError
    assert len(str(refused.value)) <= 200


def test_the_refusal_text_is_the_gateways_explanation(org, sms_gateway):
    sms_gateway.refuse()

    with pytest.raises(PermanentError, match="HTTP 400: Invalid recipients"):
        send(org)


def test_a_taqnyat_201_listing_the_number_as_rejected_is_a_refusal(org, sms_gateway):
    sms_gateway.fail_with(
        201,
        {
            "statusCode": 201,
            "messageId": 1,
            "accepted": "[]",
            "rejected": "[966512345678,]",
        },
    )

    with pytest.raises(PermanentError, match="rejected"):
        send(org)


def test_msegat_out_of_balance_is_tried_again_later(org, gateway_of):
    gateway_of("msegat").fail_with(200, {"code": 1060, "message": "No balance"})

    with pytest.raises(TransientError, match="No balance"):
        send(org)


def test_a_listed_transient_code_in_a_4xx_is_tried_again_later(org, gateway_of):
    gateway = gateway_of("taqnyat", TRANSIENT_CODES=["402"])
    gateway.fail_with(402, {"statusCode": 402, "message": "credit"})

    with pytest.raises(TransientError):
        send(org)


def test_an_answer_that_is_not_json_is_a_refusal(org, sms_gateway):
    sms_gateway.fail_with(200, b"<html>maintenance</html>")

    with pytest.raises(PermanentError, match="maintenance"):
        send(org)


@pytest.mark.parametrize("to", ["", "0512345678", "+9665abc", "966512345678"])
def test_a_number_not_in_e164_is_refused_before_any_request(org, sms_gateway, to):
    with pytest.raises(PermanentError, match="invalid mobile number"):
        send(org, to=to)
    assert sms_gateway.requests == []


def test_without_url_or_token_the_message_is_refused_with_the_reason(org, settings):
    settings.SMS_GATEWAY = {"PRESET": "taqnyat"}

    with pytest.raises(PermanentError, match="SMS_GATEWAY_TOKEN"):
        send(org)


def test_the_token_is_never_logged(org, sms_gateway, caplog):
    caplog.set_level("DEBUG")
    send(org)
    sms_gateway.fail_with(503, {"message": "down"})
    with pytest.raises(TransientError) as failed:
        send(org)

    assert "taqnyat-secret-token" not in caplog.text
    assert "taqnyat-secret-token" not in str(failed.value)
