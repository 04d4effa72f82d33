"""One interface for every channel of sending (issue 6 item 5)."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mustafid.contact.backends import (
    Backend,
    PermanentError,
    SendError,
    TransientError,
    get_backend,
)
from mustafid.contact.backends.console import ConsoleBackend
from mustafid.contact.backends.email import EmailBackend
from mustafid.contact.backends.letter import LetterBackend
from mustafid.contact.backends.sms import HttpSmsBackend
from mustafid.contact.backends.whatsapp import CloudApiBackend
from mustafid.contact.outbox import Method
from tests.contact.backend_helpers import ARABIC_BODY, outgoing


def test_each_method_has_its_backend_by_default():
    expected = {
        Method.SMS: HttpSmsBackend,
        Method.WHATSAPP: CloudApiBackend,
        Method.EMAIL: EmailBackend,
        Method.LETTER: LetterBackend,
    }
    for method, backend in expected.items():
        assert type(get_backend(method)) is backend
        assert isinstance(get_backend(method), Backend)


def test_an_unknown_method_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        get_backend("pigeon")


def test_failures_are_one_family_the_dispatcher_can_catch():
    assert issubclass(TransientError, SendError)
    assert issubclass(PermanentError, SendError)


def _backends_with(environment: dict) -> dict:
    """The settings read afresh, in a new interpreter, from this checkout."""
    root = str(settings.PROJECT_DIR)
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.NOTIFICATION_BACKENDS))"
    )
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code],
        env=os.environ
        | {"DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": root}
        | environment,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_demo_prints_sms_whatsapp_and_email_but_still_makes_letters():
    backends = _backends_with({"NOTIFICATION_BACKEND": "console"})

    console = "mustafid.contact.backends.console.ConsoleBackend"
    assert backends["sms"] == backends["whatsapp"] == backends["email"] == console
    assert backends["letter"] == "mustafid.contact.backends.letter.LetterBackend"


def test_the_console_backend_prints_the_message(org, caplog):
    caplog.set_level("INFO", logger="mustafid.contact")
    stream = io.StringIO()

    sent = ConsoleBackend(stream=stream).send(
        outgoing(org, method="email", to="sara@example.test", subject="قرار")
    )

    printed = stream.getvalue()
    assert "email" in printed
    assert "sara@example.test" in printed
    assert "Subject: قرار" in printed
    assert ARABIC_BODY in printed
    assert sent.provider_id == "console-42"
    assert "console: email message 42 printed" in caplog.text


def test_the_console_backend_writes_to_stdout_by_default(org, capsys):
    ConsoleBackend().send(outgoing(org))

    assert ARABIC_BODY in capsys.readouterr().out
