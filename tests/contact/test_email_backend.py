"""The email backend against a real SMTP server on 127.0.0.1 (issue 6 items 5, 8)."""

import socket

import pytest
from django.test import override_settings

from mustafid.contact.backends import PermanentError, TransientError
from mustafid.contact.backends.email import EmailBackend
from tests.contact.backend_helpers import ARABIC_BODY, outgoing

SUBJECT = "قرار لجنة البحث في طلبكم"


def send(org, **fields):
    values = {"method": "email", "to": "sara@example.test", "subject": SUBJECT}
    return EmailBackend().send(outgoing(org, **(values | fields)))


def test_arabic_mail_arrives_from_the_association(org, smtp_server):
    sent = send(org)

    [message] = smtp_server.messages
    # Django folds the encoded subject onto a second line; unfolding leaves a space.
    assert message["Subject"].strip() == SUBJECT
    assert message.get_content().replace("\r\n", "\n").strip() == ARABIC_BODY
    assert message["To"] == "sara@example.test"
    assert message["From"].addresses[0].display_name == "جمعية ألفا"
    assert message["From"].addresses[0].addr_spec == "no-reply@mustafid.test"
    assert message["Message-ID"] == sent.provider_id
    assert sent.provider_id.endswith("@mustafid.test>")


def test_english_mail_carries_the_english_name(org, smtp_server):
    send(org, language="en", subject="Decision", body="Approved.")

    [message] = smtp_server.messages
    assert message["From"].addresses[0].display_name == "Alpha Association"


def test_a_refused_mailbox_is_never_retried(org, smtp_server):
    with pytest.raises(PermanentError, match="SMTP 550"):
        send(org, to="nobody@reject.test")
    assert smtp_server.messages == []


def test_a_mailbox_answering_451_is_tried_again_later(org, smtp_server):
    with pytest.raises(TransientError, match="SMTP 451"):
        send(org, to="busy@later.test")


def test_a_stopped_smtp_server_is_tried_again_later(org, smtp_server):
    smtp_server.stop()

    with pytest.raises(TransientError, match="unreachable"):
        send(org)


def test_an_smtp_server_that_says_nothing_is_tried_again_later(org, smtp_server):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    port = silent.getsockname()[1]
    try:
        with (
            override_settings(EMAIL_PORT=port, EMAIL_TIMEOUT=0.3),
            pytest.raises(TransientError),
        ):
            send(org)
    finally:
        silent.close()


@pytest.mark.parametrize("to", ["", "not-an-address"])
def test_no_address_is_refused_before_connecting(org, smtp_server, to):
    with pytest.raises(PermanentError, match="email address"):
        send(org, to=to)
