"""Building services and walking the apply steps in portal tests."""

from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from tests.cases.helpers import make_service
from tests.factories import DocumentTypeFactory
from tests.portal.helpers import latest_code


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def url(org, name: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"org_slug": org.slug, **kwargs})


def service_with_documents(org, **fields):
    """A service asking for the national id card, quick to decide."""
    service = make_service(org, needs_research=False, needs_committee=False, **fields)
    with scope(organization=org):
        id_card = DocumentTypeFactory(organization=org)
        service.required_documents.add(id_card)
    return service, id_card


def choose(client, org, service):
    return client.post(url(org, "apply"), {"service": service.pk})


def attest(client, org, beneficiary, *, code=None):
    """Tick the attestation, ask for a code and send it (the real one unless
    `code` is given)."""
    client.post(url(org, "apply_attest"), {"agree": "on", "action": "send_code"})
    answer = latest_code(org, beneficiary.mobile) if code is None else code
    return client.post(
        url(org, "apply_attest"), {"agree": "on", "code": answer, "action": "submit"}
    )
