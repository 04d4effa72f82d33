"""Staff publish new versions of the privacy notice and the terms; beneficiaries
accept new terms again and are told once of a new privacy notice (P-CONSENT,
P-PRIVACY)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django_scopes import scope, scopes_disabled

from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.portal import session
from mustafid.portal.consent import (
    ConsentAcceptance,
    ConsentKind,
    ConsentText,
    current_text,
    current_texts,
    record_acceptance,
)
from mustafid.portal.consent_versions import publish_consent_text
from tests.factories import BeneficiaryFactory
from tests.portal.helpers import latest_code

MOBILE = "+966551234567"
IDENTITY = "1000000008"
NEW_TERMS = "شروط الجمعية المعدلة: يلتزم المستفيد بتحديث بياناته كل سنة."
CHANGED = "أضفنا واجب تحديث البيانات كل سنة."


def publish_url(kind="terms"):
    return reverse("portal_staff:consent_publish", args=[kind])


def publish_data(**changes):
    return {
        "text_ar": NEW_TERMS,
        "text_en": "",
        "summary_ar": CHANGED,
        "summary_en": "We added a yearly update of your data.",
    } | changes


def portal_url(org, name, **query):
    url = reverse(name, kwargs={"org_slug": org.slug})
    return f"{url}?{urlencode(query)}" if query else url


def versions(org, kind=ConsentKind.TERMS):
    with scopes_disabled():
        return list(
            ConsentText.objects.filter(organization=org, kind=kind).order_by("version")
        )


@pytest.fixture
def person(org):
    """A beneficiary who accepted version 1 of both texts when registering."""
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(
            organization=org, identity_number=IDENTITY, mobile=MOBILE
        )
        record_acceptance(
            beneficiary=beneficiary, texts=list(current_texts(org).values())
        )
    return beneficiary


def publish(org, members, kind=ConsentKind.TERMS, **changes):
    data = publish_data(**changes)
    with scope(organization=org):
        return publish_consent_text(
            actor=members[Role.MANAGER], organization=org, kind=kind, **data
        )


def sign_in(client, org):
    client.post(
        portal_url(org, "portal:sign_in"),
        {"identity_number": IDENTITY, "mobile": "0551234567"},
    )
    return client.post(
        portal_url(org, "portal:code"), {"code": latest_code(org, MOBILE)}
    )


# Staff: the texts, their versions, and publishing a new one.


def test_publishing_makes_a_new_version_and_keeps_the_old_with_its_acceptances(
    client_as, members, org, person
):
    staff = client_as(Role.MANAGER)
    form = staff.get(publish_url()).context["form"]
    old = versions(org)[0]
    assert form.initial["text_ar"] == old.text_ar  # starts from the text in force
    response = staff.post(publish_url(), publish_data())
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal_staff:consent_history", args=["terms"]
    )
    first, second = versions(org)
    assert (first.pk, first.version, first.text_ar) == (old.pk, 1, old.text_ar)
    assert first.updated_at == old.updated_at  # not touched
    assert (second.version, second.text_ar, second.summary_ar) == (
        2,
        NEW_TERMS,
        CHANGED,
    )
    assert second.published_by == members[Role.MANAGER]
    assert second.in_force_from == timezone.localdate()
    with scopes_disabled():
        accepted = ConsentAcceptance.objects.get(text__kind=ConsentKind.TERMS)
        assert accepted.text_id == first.pk  # the acceptance stays with version 1
        event = AuditEvent.objects.get(
            action=AuditAction.CREATE, object_id=str(second.pk)
        )
    assert event.actor == members[Role.MANAGER]
    assert event.changes["version"] == [1, 2]
    with scope(organization=org):
        assert current_text(org, ConsentKind.TERMS) == second


def test_the_list_shows_each_version_in_force_its_publisher_and_acceptances(
    client_as, members, org, person
):
    publish(org, members)
    page = client_as(Role.ADMIN).get(reverse("portal_staff:consent_list"))
    rows = {row["kind"]: row for row in page.context["rows"]}
    terms, privacy = rows[ConsentKind.TERMS], rows[ConsentKind.PRIVACY]
    assert (terms["current"].version, terms["current"].accepted) == (2, 0)
    assert (privacy["current"].version, privacy["current"].accepted) == (1, 1)
    assert terms["versions"] == 2
    manager = members[Role.MANAGER]
    assert (manager.get_full_name() or manager.get_username()) in page.content.decode()


def test_the_history_lists_every_version_with_what_changed(
    client_as, members, org, person
):
    publish(org, members)
    staff = client_as(Role.MANAGER)
    page = staff.get(reverse("portal_staff:consent_history", args=["terms"]))
    assert [text.version for text in page.context["versions"]] == [2, 1]
    assert CHANGED in page.content.decode()
    first = versions(org)[0]
    detail = staff.get(
        reverse("portal_staff:consent_version", args=["terms", first.pk])
    )
    assert detail.status_code == 200
    assert first.text_ar.splitlines()[0] in detail.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text_ar", "", "Write the text in Arabic."),
        ("text_ar", "   \n ", "Write the text in Arabic."),
        ("summary_ar", "", "Say in a sentence, in Arabic, what changed."),
    ],
)
def test_an_empty_arabic_text_or_summary_is_refused_with_a_clear_message(
    client_as, org, field, value, message
):
    response = client_as(Role.MANAGER).post(
        publish_url(), publish_data(**{field: value})
    )
    assert response.status_code == 400
    with translation.override("en"):
        assert message in list(response.context["form"].errors[field])
    assert [text.version for text in versions(org)] == [1]


def test_the_wording_in_force_is_not_published_again(client_as, org):
    staff = client_as(Role.MANAGER)
    with scope(organization=org):
        current = current_text(org, ConsentKind.PRIVACY)
    response = staff.post(
        publish_url("privacy"),
        publish_data(text_ar=current.text_ar, text_en=current.text_en),
    )
    assert response.status_code == 400
    # Told in the staff member's language (Arabic by default).
    with translation.override("ar"):
        expected = translation.gettext("This wording is already the version in force.")
    assert list(response.context["form"].non_field_errors()) == [expected]
    assert expected != "This wording is already the version in force."
    assert len(versions(org, ConsentKind.PRIVACY)) == 1


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.AUDITOR, Role.RESEARCHER])
def test_a_role_without_the_portal_permission_cannot_publish(client_as, org, role):
    response = client_as(role).post(publish_url(), publish_data())
    assert response.status_code == 403
    assert all(text.version == 1 for text in versions(org))


def test_another_associations_texts_are_invisible_and_not_editable(
    client_as, members, org, other_org
):
    with scope(organization=other_org):
        theirs = publish_consent_text(
            actor=None,
            organization=other_org,
            kind=ConsentKind.TERMS,
            text_ar="شروط جمعية بيتا الخاصة",
            summary_ar="تعديل بيتا",
        )
    staff = client_as(Role.MANAGER)
    history = staff.get(reverse("portal_staff:consent_history", args=["terms"]))
    assert "شروط جمعية بيتا الخاصة" not in history.content.decode()
    assert "تعديل بيتا" not in history.content.decode()
    assert theirs.pk not in {text.pk for text in history.context["versions"]}
    for pk in (theirs.pk, versions(other_org)[0].pk):
        url = reverse("portal_staff:consent_version", args=["terms", pk])
        assert staff.get(url).status_code == 404
    # Publishing here writes a version here only.
    staff.post(publish_url(), publish_data())
    assert [text.version for text in versions(other_org)] == [1, 2]
    assert versions(other_org)[1].text_ar == "شروط جمعية بيتا الخاصة"
    assert [text.version for text in versions(org)] == [1, 2]


def test_an_unknown_kind_of_text_is_not_found(client_as):
    staff = client_as(Role.MANAGER)
    assert staff.get(publish_url("cookies")).status_code == 404
    assert staff.post(publish_url("cookies"), publish_data()).status_code == 404


# The portal: its pages, registration, and answering new terms.


def test_the_portal_pages_and_registration_show_the_new_versions(client, members, org):
    publish(org, members)
    publish(org, members, ConsentKind.PRIVACY, text_ar="إشعار الخصوصية الجديد للجمعية")
    terms = client.get(portal_url(org, "portal:terms"))
    assert NEW_TERMS in terms.content.decode()
    assert terms.context["text"].version == 2
    privacy = client.get(portal_url(org, "portal:privacy")).content.decode()
    assert "إشعار الخصوصية الجديد للجمعية" in privacy
    register = client.get(portal_url(org, "portal:register"))
    assert {kind: text.version for kind, text in register.context["texts"].items()} == {
        ConsentKind.PRIVACY: 2,
        ConsentKind.TERMS: 2,
    }


def test_new_terms_are_accepted_before_going_on(client, members, org, person):
    publish(org, members)
    response = sign_in(client, org)
    my_home = portal_url(org, "portal:my_home")
    ask = portal_url(org, "portal:accept_terms", next=my_home)
    assert response["Location"] == ask
    # Every page for the signed-in beneficiary waits for the answer.
    held = client.get(portal_url(org, "portal:cases"))
    assert held["Location"] == portal_url(
        org, "portal:accept_terms", next=portal_url(org, "portal:cases")
    )
    page = client.get(ask)
    assert page.status_code == 200
    assert CHANGED in page.content.decode() and NEW_TERMS in page.content.decode()
    response = client.post(ask, {"answer": "accept", "next": my_home})
    assert response["Location"] == my_home
    assert client.get(my_home).status_code == 200
    with scopes_disabled():
        accepted = sorted(
            ConsentAcceptance.objects.filter(
                beneficiary=person, text__kind=ConsentKind.TERMS
            ).values_list("text__version", "method")
        )
    assert accepted == [(1, "portal"), (2, "portal")]


def test_declining_new_terms_signs_out_with_an_explanation(
    client, members, org, person
):
    publish(org, members)
    sign_in(client, org)
    response = client.post(
        portal_url(org, "portal:accept_terms"), {"answer": "decline"}
    )
    assert response["Location"] == portal_url(org, "portal:home")
    assert session.SESSION_KEY not in client.session
    home = client.get(response["Location"])
    told = [str(message) for message in home.context["messages"]]
    with translation.override("ar"):
        expected = translation.gettext(
            "You did not accept the new terms, so you have been signed out: the "
            "portal is used under the terms in force. Your record and your "
            "requests stay as they are. To ask about the terms, contact the "
            "association."
        )
    assert told == [expected]
    with scopes_disabled():
        assert not ConsentAcceptance.objects.filter(text__version=2).exists()
        event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert event.changes == {"where": "portal", "declined_terms": 2}
    assert client.get(portal_url(org, "portal:my_home")).status_code == 302


def test_no_answer_is_refused_and_nothing_recorded(client, members, org, person):
    publish(org, members)
    sign_in(client, org)
    response = client.post(portal_url(org, "portal:accept_terms"), {"answer": ""})
    assert response.status_code == 400
    with scopes_disabled():
        assert not ConsentAcceptance.objects.filter(text__version=2).exists()
    assert session.terms_due(response.wsgi_request) is not None


def test_terms_already_accepted_ask_nothing(client, members, org, person):
    with scope(organization=org):
        record_acceptance(beneficiary=person, texts=[publish(org, members)])
    response = sign_in(client, org)
    assert response["Location"] == portal_url(org, "portal:my_home")


def test_a_beneficiary_who_never_accepted_online_is_not_asked(client, members, org):
    with scope(organization=org):
        BeneficiaryFactory(organization=org, identity_number=IDENTITY, mobile=MOBILE)
    publish(org, members)
    response = sign_in(client, org)
    assert response["Location"] == portal_url(org, "portal:my_home")


def test_a_new_privacy_notice_is_shown_once_and_not_accepted_again(
    client, members, org, person
):
    publish(
        org,
        members,
        ConsentKind.PRIVACY,
        text_ar="إشعار الخصوصية الجديد للجمعية",
        summary_ar="نحفظ المستندات خمس سنوات بدل عشر.",
    )
    response = sign_in(client, org)
    assert response["Location"] == portal_url(org, "portal:my_home")
    first = client.get(response["Location"]).content.decode()
    assert "نحفظ المستندات خمس سنوات بدل عشر." in first
    second = client.get(response["Location"]).content.decode()
    assert "نحفظ المستندات خمس سنوات بدل عشر." not in second
    with scopes_disabled():
        accepted = ConsentAcceptance.objects.filter(
            beneficiary=person, text__kind=ConsentKind.PRIVACY
        ).values_list("text__version", flat=True)
    assert list(accepted) == [1]
