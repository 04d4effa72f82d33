"""Signing in to the portal by a one-time code (P-EONLINE, P-REMOTE, P-PRIVACY).

The pages answer the same whether or not the numbers belong to a beneficiary,
and count toward the same limits; the session id changes on sign-in; `next`
never leaves the association's pages.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.portal import session
from mustafid.portal.codes import OneTimeCode
from tests.factories import BeneficiaryFactory
from tests.portal.helpers import latest_code, sign_in_as

MOBILE = "+966551234567"
IDENTITY = "1000000008"


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


@pytest.fixture
def person(org):
    with scope(organization=org):
        return BeneficiaryFactory(
            organization=org, identity_number=IDENTITY, mobile=MOBILE
        )


def url(org, name, **query):
    base = reverse(name, kwargs={"org_slug": org.slug})
    if query:
        from django.utils.http import urlencode

        base += "?" + urlencode(query)
    return base


def ask(client, org, identity=IDENTITY, mobile="0551234567", **extra):
    return client.post(
        url(org, "portal:sign_in"),
        {"identity_number": identity, "mobile": mobile, **extra},
        REMOTE_ADDR=extra.pop("ip", "10.1.1.1"),
    )


def answer(client, org, code):
    return client.post(url(org, "portal:code"), {"code": code})


def test_a_beneficiary_signs_in_with_the_code_sent_to_their_mobile(client, org, person):
    response = ask(client, org, identity="١٠٠٠٠٠٠٠٠٨", mobile="055 123 4567")
    assert response.status_code == 302
    assert response["Location"] == url(org, "portal:code")
    page = client.get(url(org, "portal:code")).content.decode()
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    before = client.session.session_key
    response = answer(client, org, latest_code(org, MOBILE))
    assert response.status_code == 302
    assert response["Location"] == url(org, "portal:my_home")
    assert client.session[session.SESSION_KEY]["id"] == person.pk
    # Session fixation: the id known before sign-in is worthless after it.
    assert client.session.session_key != before
    home = client.get(url(org, "portal:my_home")).content.decode()
    assert person.full_name in home
    with scopes_disabled():
        event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.organization == org and event.object_id == str(person.pk)
    assert event.actor is None and event.actor_label == "portal"


def test_numbers_that_match_no_one_get_the_same_answer_and_no_code(client, org, person):
    """No enumeration: a wrong mobile for a real identity number, or an unknown
    number, leads to the same code page, and a guess there is answered alike."""
    for identity, mobile in ((IDENTITY, "0559999999"), ("1000000016", "0551234567")):
        response = ask(client, org, identity=identity, mobile=mobile)
        assert response.status_code == 302
        assert response["Location"] == url(org, "portal:code")
        response = answer(client, org, "000000")
        assert response.status_code == 400
        assert (
            ar("The code is not right. %(left)s tries left.") % {"left": 4}
            in response.content.decode()
        )
        assert session.SESSION_KEY not in client.session
    with scopes_disabled():
        assert not OutboxMessage.objects.filter(event="one_time_code").exists()
        assert OneTimeCode.objects.count() == 2


def test_bad_mobile_is_refused_with_a_message_and_nothing_sent(client, org):
    response = ask(client, org, mobile="12345")
    assert response.status_code == 400
    assert (
        ar("This is not a valid mobile number. Saudi mobiles start with 05.")
        in response.content.decode()
        or ar("Enter a mobile number such as 0501234567.") in response.content.decode()
    )
    with scopes_disabled():
        assert not OneTimeCode.objects.exists()


def test_codes_are_limited_per_number_matched_or_not(client, org, person, settings):
    settings.PORTAL_CODES_PER_MOBILE = 2
    assert ask(client, org, identity="1000000016").status_code == 302
    assert ask(client, org).status_code == 302
    response = ask(client, org)
    assert response.status_code == 429
    assert (
        ar("Too many codes were asked for. Wait an hour and try again.")
        in response.content.decode()
    )


def test_codes_are_limited_per_address_in_english_too(client, org, settings):
    settings.PORTAL_CODES_PER_IP = 2
    client.cookies["django_language"] = "en"
    assert ask(client, org, mobile="0551111111").status_code == 302
    assert ask(client, org, mobile="0552222222").status_code == 302
    response = ask(client, org, mobile="0553333333")
    assert response.status_code == 429
    assert "Too many codes were asked for" in response.content.decode()
    # Another address is not held back.
    response = ask(client, org, mobile="0554444444", ip="10.9.9.9")
    assert response.status_code == 302


def test_an_expired_code_does_not_sign_in(client, org, person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ask(client, org)
    code = latest_code(org, MOBILE)
    with time_machine.travel(start + datetime.timedelta(minutes=6)):
        response = answer(client, org, code)
    assert response.status_code == 400
    assert ar("The code has expired. Ask for a new code.") in response.content.decode()
    assert session.SESSION_KEY not in client.session


def test_a_wrong_code_says_how_many_tries_are_left(client, org, person):
    ask(client, org)
    code = latest_code(org, MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = answer(client, org, wrong)
    assert response.status_code == 400
    assert session.SESSION_KEY not in client.session
    assert answer(client, org, code).status_code == 302


def test_the_code_page_without_a_pending_sign_in_goes_back(client, org):
    response = client.get(url(org, "portal:code"))
    assert response["Location"] == url(org, "portal:sign_in")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/alpha/",
        "/\\evil.example",
        "/beta/services/",
        "/cases/",
    ],
)
def test_next_never_leaves_the_associations_pages(
    client, org, other_org, person, target
):
    client.post(
        url(org, "portal:sign_in"),
        {"identity_number": IDENTITY, "mobile": MOBILE, "next": target},
    )
    response = answer(client, org, latest_code(org, MOBILE))
    assert response["Location"] == url(org, "portal:my_home")


def test_next_to_a_page_of_the_association_is_followed(client, org, person):
    target = url(org, "portal:services")
    client.get(url(org, "portal:sign_in", next=target))
    client.post(
        url(org, "portal:sign_in"),
        {"identity_number": IDENTITY, "mobile": MOBILE, "next": target},
    )
    response = answer(client, org, latest_code(org, MOBILE))
    assert response["Location"] == target


def test_a_signed_in_page_sends_to_sign_in_and_back(client, org, person):
    response = client.get(url(org, "portal:my_home"))
    assert response["Location"] == url(
        org, "portal:sign_in", next=url(org, "portal:my_home")
    )
    page = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{url(org, "portal:my_home")}"' in page


def test_sign_out_is_a_post_and_is_audited(client, org, person):
    sign_in_as(client, person)
    assert client.get(url(org, "portal:sign_out")).status_code == 405
    before = client.session.session_key
    response = client.post(url(org, "portal:sign_out"))
    assert response["Location"] == url(org, "portal:home")
    assert session.SESSION_KEY not in client.session
    assert client.session.session_key != before
    with scopes_disabled():
        assert AuditEvent.objects.filter(action=AuditAction.LOGOUT).count() == 1
    assert client.get(url(org, "portal:my_home")).status_code == 302


def test_signed_in_nav_offers_my_page_and_sign_out(client, org, person):
    sign_in_as(client, person)
    page = client.get(url(org, "portal:home")).content.decode()
    assert url(org, "portal:my_home") in page
    assert url(org, "portal:sign_out") in page
    # Already signed in: the sign-in page goes to my page.
    assert client.get(url(org, "portal:sign_in"))["Location"] == url(
        org, "portal:my_home"
    )


def test_a_sign_in_to_one_association_does_not_open_another(
    client, org, other_org, person
):
    ask(client, org)
    code = latest_code(org, MOBILE)
    response = client.post(url(other_org, "portal:code"), {"code": code})
    assert response["Location"] == url(other_org, "portal:sign_in")
