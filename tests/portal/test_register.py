"""Registering in the portal: a prospective record with both consents and their
versions, never a duplicate, never a hint of who is registered (P-CONSENT,
P-EONLINE, P-PRIVACY, P-NEEDS)."""

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from mustafid.contact.models import ChannelKind, Interaction
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.crypto import blind_index
from mustafid.core.saudi_ids import RESIDENT, make_id
from mustafid.portal import session
from mustafid.portal.codes import OneTimeCode
from mustafid.portal.consent import ConsentAcceptance, ConsentKind, ConsentText
from mustafid.registry.models import (
    Beneficiary,
    IdentityType,
    RegistrationStatus,
    ResidencyStatus,
)
from tests.factories import BeneficiaryFactory
from tests.portal.helpers import latest_code

IDENTITY = "1000000008"
MOBILE = "+966561234567"


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def url(org, name):
    return reverse(name, kwargs={"org_slug": org.slug})


def form(**changes):
    data = {
        "identity_number": IDENTITY,
        "mobile": "0561234567",
        "first_name": "نورة",
        "father_name": "سالم",
        "grandfather_name": "عبدالعزيز",
        "family_name": "العتيبي",
        "gender": "female",
        "accept_privacy": "on",
        "accept_terms": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def register(client, org, **changes):
    return client.post(url(org, "portal:register"), form(**changes))


def count(model):
    with scopes_disabled():
        return model.objects.count()


def test_registration_opens_one_prospective_record_with_both_consents(client, org):
    page = client.get(url(org, "portal:register")).content.decode()
    assert "تسحب موافقتك" in page  # the privacy notice is on the page
    response = register(client, org)
    assert response["Location"] == url(org, "portal:code")
    assert count(Beneficiary) == 0  # nothing before the code
    response = client.post(url(org, "portal:code"), {"code": latest_code(org, MOBILE)})
    assert response["Location"] == url(org, "portal:my_home")
    with scope(organization=org):
        person = Beneficiary.objects.get()
        assert person.full_name == "نورة سالم عبدالعزيز العتيبي"
        assert person.registration_status == RegistrationStatus.PROSPECTIVE
        assert person.identity_type == IdentityType.NATIONAL_ID
        assert person.residency_status == ResidencyStatus.CITIZEN
        assert person.mobile == MOBILE
        accepted = {
            (a.text.kind, a.text.version, a.method, a.ip_address)
            for a in ConsentAcceptance.objects.select_related("text")
        }
        assert accepted == {
            (ConsentKind.PRIVACY, 1, "portal", "127.0.0.1"),
            (ConsentKind.TERMS, 1, "portal", "127.0.0.1"),
        }
        contact = Interaction.objects.get(beneficiary=person)
        assert contact.channel.kind == ChannelKind.WEBSITE
    assert client.session[session.SESSION_KEY]["id"] == person.pk


def test_the_version_in_force_is_the_one_recorded(client, org):
    with scope(organization=org):
        ConsentText.objects.create(
            organization=org,
            kind=ConsentKind.TERMS,
            version=2,
            text_ar="الشروط المعدلة للجمعية",
            in_force_from=datetime.date(2020, 1, 1),
        )
    assert (
        "الشروط المعدلة للجمعية"
        in client.get(url(org, "portal:register")).content.decode()
    )
    register(client, org)
    client.post(url(org, "portal:code"), {"code": latest_code(org, MOBILE)})
    with scopes_disabled():
        terms = ConsentAcceptance.objects.get(text__kind=ConsentKind.TERMS)
    assert terms.text.version == 2


def test_an_iqama_holder_registers_as_a_resident(client, org):
    iqama = make_id(RESIDENT, random.Random(7))
    register(client, org, identity_number=iqama)
    client.post(url(org, "portal:code"), {"code": latest_code(org, MOBILE)})
    with scopes_disabled():
        person = Beneficiary.objects.get()
    assert person.identity_type == IdentityType.IQAMA
    assert person.residency_status == ResidencyStatus.RESIDENT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"identity_number": "1000000009"},
            "The number's check digit is wrong: check it against the card.",
        ),
        ({"identity_number": "12345"}, "The number must be 10 digits."),
        ({"accept_privacy": None}, "This field is required."),
        ({"accept_terms": None}, "This field is required."),
        ({"family_name": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_sent(
    client, org, changes, message
):
    response = register(client, org, **changes)
    assert response.status_code == 400
    assert ar(message) in response.content.decode()
    assert count(OneTimeCode) == 0 and count(Beneficiary) == 0


def test_registering_an_identity_already_here_creates_nothing(client, org):
    """Same mobile: the code goes to it and signs the existing record in."""
    with scope(organization=org):
        existing = BeneficiaryFactory(
            organization=org, identity_number=IDENTITY, mobile=MOBILE
        )
    response = register(client, org, first_name="اسم آخر")
    assert response["Location"] == url(org, "portal:code")
    client.post(url(org, "portal:code"), {"code": latest_code(org, MOBILE)})
    assert count(Beneficiary) == 1
    with scope(organization=org):
        existing.refresh_from_db()
        assert existing.first_name != "اسم آخر"
        assert existing.consents.count() == 2
    assert client.session[session.SESSION_KEY]["id"] == existing.pk


def test_an_identity_registered_with_another_mobile_is_not_revealed(client, org):
    """Another mobile: the same page, no code sent, no record made."""
    with scope(organization=org):
        BeneficiaryFactory(
            organization=org, identity_number=IDENTITY, mobile="+966501112222"
        )
    response = register(client, org)
    assert response.status_code == 302
    assert response["Location"] == url(org, "portal:code")
    with scopes_disabled():
        assert not OutboxMessage.objects.filter(event="one_time_code").exists()
        assert OneTimeCode.objects.filter(mobile_hash=blind_index(MOBILE)).exists()
    response = client.post(url(org, "portal:code"), {"code": "123456"})
    assert response.status_code == 400
    assert count(Beneficiary) == 1
    assert session.SESSION_KEY not in client.session


def test_the_same_person_may_register_in_two_associations(client, org, other_org):
    with scope(organization=other_org):
        BeneficiaryFactory(
            organization=other_org, identity_number=IDENTITY, mobile="+966501112222"
        )
    register(client, org)
    client.post(url(org, "portal:code"), {"code": latest_code(org, MOBILE)})
    with scopes_disabled():
        assert Beneficiary.objects.filter(organization=org).count() == 1


def test_registration_codes_count_toward_the_limits(client, org, settings):
    settings.PORTAL_CODES_PER_MOBILE = 1
    assert register(client, org).status_code == 302
    response = register(client, org)
    assert response.status_code == 429
    assert (
        ar("Too many codes were asked for. Wait an hour and try again.")
        in response.content.decode()
    )
