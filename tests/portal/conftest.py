from tests.contact.conftest import _only_local_network, sms_gateway  # noqa: F401
