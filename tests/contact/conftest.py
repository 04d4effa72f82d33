import socket

import pytest

from tests.contact.fakes import FakeSmsGateway, FakeSmtpServer, FakeWhatsApp

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", None}


@pytest.fixture(autouse=True)
def _only_local_network(monkeypatch):
    """A backend that would reach a real provider fails the test instead."""
    real_getaddrinfo = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in LOCAL_HOSTS:
            raise AssertionError(f"test tried to reach {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture
def sms_gateway(settings):
    """A Taqnyat-like gateway on 127.0.0.1, set as SMS_GATEWAY."""
    gateway = FakeSmsGateway().start()
    settings.SMS_GATEWAY = {
        "PRESET": "taqnyat",
        "URL": gateway.url,
        "TOKEN": "taqnyat-secret-token",
        "SENDER": "Mustafid",
        "TIMEOUT": 2,
    }
    yield gateway
    gateway.stop()


@pytest.fixture
def whatsapp(settings):
    fake = FakeWhatsApp().start()
    settings.WHATSAPP = {
        "BASE_URL": fake.base_url,
        "VERSION": fake.version,
        "PHONE_NUMBER_ID": fake.phone_number_id,
        "TOKEN": "whatsapp-secret-token",
        "TIMEOUT": 2,
    }
    yield fake
    fake.stop()


@pytest.fixture
def smtp_server(settings):
    server = FakeSmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Mustafid <no-reply@mustafid.test>"
    yield server
    server.stop()
