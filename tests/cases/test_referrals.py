"""Referrals out (P-OUTOFSCOPE): consent, both tenants in one transaction, the
outcome on both sides, the beneficiary told; the receiver sees only what was
consented (P-PRIVACY)."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from mustafid.cases import referrals, transitions
from mustafid.cases.models import (
    Case,
    CaseEvent,
    ExternalAssociation,
    IncomingReferral,
    Referral,
)
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Perm, Role, role_has_perm
from mustafid.registry.models import HouseholdMember
from tests.cases.helpers import make_case
from tests.cases.referral_helpers import (
    make_directory_entry,
    membership_of,
    send,
)
from tests.conftest import make_member
from tests.factories import BeneficiaryFactory, DocumentFactory

REASON = "الخدمة الصحية ليست من اختصاص الجمعية"


@pytest.fixture
def rich_case(org):
    """A request whose beneficiary has every kind of fact a referral could share."""
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(
            organization=org,
            first_name="خالد",
            city="الهفوف",
            region="eastern",
            monthly_income=3000,
        )
        HouseholdMember.objects.create(
            organization=org,
            beneficiary=beneficiary,
            relation="son",
            full_name="سعد",
            gender="male",
            has_disability=True,
        )
        DocumentFactory(organization=org, beneficiary=beneficiary)
    return make_case(org, "verifying", beneficiary=beneficiary, notes="ملاحظة سرية")


def outbox(org, event):
    with scopes_disabled():
        return list(OutboxMessage.objects.filter(organization=org, event=event))


def rows_now():
    with scopes_disabled():
        return (
            Referral.objects.count(),
            IncomingReferral.objects.count(),
            CaseEvent.objects.count(),
            AuditEvent.objects.count(),
            OutboxMessage.objects.count(),
        )


def status_of(case):
    with scopes_disabled():
        return Case.objects.get(pk=case.pk).status


# --- sending ---------------------------------------------------------------


def test_referral_on_the_platform_copies_only_the_consented_facts(
    org, other_org, rich_case
):
    """P-OUTOFSCOPE, P-PRIVACY: name and mobile agreed; nothing else is copied."""
    referral = send(rich_case, target=other_org, shared=["mobile", "name"])
    with scope(organization=other_org):
        incoming = IncomingReferral.objects.get()
    beneficiary = rich_case.beneficiary
    assert incoming.organization == other_org
    assert incoming.source_organization == org
    assert incoming.shared_fields == ["name", "mobile"]  # the catalogue's order
    assert incoming.full_name == beneficiary.full_name
    assert incoming.mobile == beneficiary.mobile
    assert (incoming.identity_number, incoming.identity_type) == ("", "")
    assert (incoming.city, incoming.region, incoming.request_notes) == ("", "", "")
    assert (incoming.household, incoming.documents) == ({}, [])
    assert incoming.need == "يحتاج إلى علاج طبيعي"
    assert referral.incoming_id == incoming.pk
    assert referral.consent_given_by == beneficiary.full_name
    assert status_of(rich_case) == "referred_out"


def test_every_consented_fact_reaches_the_receiver(org, other_org, rich_case):
    """P-OUTOFSCOPE: with consent to all, the summary facts arrive, no files."""
    everything = ["name", "identity", "mobile", "address"]
    send(rich_case, target=other_org, shared=[*everything, "household", "documents"])
    send_notes = make_case(org, "submitted", notes="يحتاج كرسيا متحركا")
    send(send_notes, target=other_org, shared=["name", "mobile", "notes"])
    with scope(organization=other_org):
        first, second = IncomingReferral.objects.order_by("id")
    assert first.identity_number == rich_case.beneficiary.identity_number
    assert (first.city, first.region) == ("الهفوف", "eastern")
    assert first.household == {
        "size": 2,
        "with_disability": 1,
        "income_per_person": "1500.00",
    }
    assert [doc["type_ar"] for doc in first.documents] == ["صورة الهوية"]
    assert set(first.documents[0]) == {"type_ar", "type_en", "status", "expires_on"}
    assert second.request_notes == "يحتاج كرسيا متحركا"


def test_identity_and_mobile_are_encrypted_at_rest_on_the_receiving_side(
    org, other_org, rich_case
):
    """P-PRIVACY: the receiver's copy is encrypted like the registry."""
    send(rich_case, target=other_org, shared=["name", "identity", "mobile"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_number, mobile FROM cases_incomingreferral")
        stored = cursor.fetchone()
    assert rich_case.beneficiary.identity_number not in stored[0]
    assert rich_case.beneficiary.mobile not in stored[1]


def test_sending_records_the_move_the_consent_and_tells_the_beneficiary(
    org, other_org, rich_case
):
    """P-OUTOFSCOPE: the beneficiary is told where and why, at sending."""
    referral = send(rich_case, target=other_org, consent_given_by="والده")
    with scopes_disabled():
        event = CaseEvent.objects.filter(case=rich_case).last()
        sender_audit = AuditEvent.objects.filter(
            organization=org, object_type="cases.referral"
        ).get()
        receiver_audit = AuditEvent.objects.filter(
            organization=other_org, object_type="cases.incomingreferral"
        ).get()
    assert (event.from_status, event.to_status, event.public) == (
        "verifying",
        "referred_out",
        True,
    )
    assert event.note == REASON
    assert event.details == {"referral": referral.pk}
    assert (referral.consent_method, referral.consent_given_by) == ("signed", "والده")
    assert referral.consent_at is not None
    assert sender_audit.changes["shared_fields"] == ["name", "mobile", "household"]
    assert sender_audit.changes["target_organization"] == other_org.pk
    # The receiver's trail names what arrived and from where: no values, no staff.
    assert (receiver_audit.actor, receiver_audit.actor_label) == (None, org.slug)
    assert rich_case.beneficiary.mobile not in str(receiver_audit.changes)
    [message] = outbox(org, "referred_out")
    assert message.beneficiary == rich_case.beneficiary
    assert message.context["referred_to_ar"] == other_org.name_ar
    assert message.context["reason"] == REASON
    assert message.context["case"] == rich_case.number
    assert not outbox(other_org, "referred_out")


def test_a_directory_referral_sends_nothing_to_another_tenant(org):
    """P-OUTOFSCOPE: the beneficiary gets the directory association's contact."""
    external = make_directory_entry(org, phone="0135550000")
    case = make_case(org, "submitted")
    referral = send(case, external=external, shared=[])
    assert referral.incoming is None and referral.shared_fields == []
    with scopes_disabled():
        assert not IncomingReferral.objects.exists()
    [message] = outbox(org, "referred_out")
    assert message.context["referred_to_phone"] == "0135550000"


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_reception_and_the_manager_refer(org, other_org, role):
    """P-OUTOFSCOPE (seed 002 5-10): whoever receives the request refers it."""
    case = make_case(org, "submitted")
    user = make_member(org, role)
    allowed = role in (Role.RECEPTION, Role.MANAGER)
    assert role_has_perm(role, Perm.REFER_CASES) == allowed
    before = rows_now()
    if allowed:
        send(case, target=other_org, user=user)
        assert status_of(case) == "referred_out"
    else:
        with pytest.raises(transitions.NotPermitted):
            send(case, target=other_org, user=user)
        assert rows_now() == before


@pytest.mark.parametrize(
    "status", ["submitted", "incomplete", "verifying", "researching", "in_committee"]
)
def test_each_undecided_step_can_be_referred(org, other_org, status):
    """P-OUTOFSCOPE: a request is referred before it is decided."""
    case = make_case(org, status)
    send(case, target=other_org)
    assert status_of(case) == "referred_out"


@pytest.mark.parametrize(
    "status", ["draft", "approved", "rejected", "delivering", "closed", "withdrawn"]
)
def test_a_decided_or_finished_request_is_not_referred(org, other_org, status):
    case = make_case(org, status)
    before = rows_now()
    with pytest.raises(transitions.InvalidTransition):
        send(case, target=other_org)
    assert rows_now() == before
    assert status_of(case) == status


def test_a_referred_request_cannot_be_referred_again(org, other_org):
    case = make_case(org, "submitted")
    send(case, target=other_org)
    with scopes_disabled():
        case = Case.objects.get(pk=case.pk)
    with pytest.raises(transitions.InvalidTransition):
        send(case, target=other_org)


@pytest.mark.parametrize(
    "shared", [[], ["name"], ["mobile", "identity"]], ids=["none", "name", "no-name"]
)
def test_the_platform_needs_a_name_and_a_way_to_reach_them(org, other_org, shared):
    """P-OUTOFSCOPE: a referral the receiver could not act on is refused."""
    case = make_case(org, "submitted")
    before = rows_now()
    with pytest.raises(referrals.ReferralError):
        send(case, target=other_org, shared=shared)
    assert rows_now() == before
    assert status_of(case) == "submitted"


def test_bad_targets_and_fields_are_refused_and_change_nothing(org, other_org):
    case = make_case(org, "submitted")
    other_org.is_active = False
    other_org.save()
    elsewhere = make_directory_entry(other_org)
    inactive = make_directory_entry(org, is_active=False)
    before = rows_now()
    attempts = [
        {"target": org},
        {"target": other_org},
        {"external": elsewhere},
        {"external": inactive},
        {},
        {"target": other_org, "external": make_directory_entry(org)},
        {"external": make_directory_entry(org), "shared": ["salary"]},
        {"external": make_directory_entry(org), "reason": "  "},
        {"external": make_directory_entry(org), "consent_method": "telepathy"},
    ]
    for attempt in attempts:
        with pytest.raises(referrals.ReferralError):
            send(case, **attempt)
    assert rows_now()[:3] == before[:3]
    assert status_of(case) == "submitted"


def test_a_stale_page_is_refused_and_nothing_is_written(org, other_org):
    case = make_case(org, "submitted")
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    before = rows_now()
    with pytest.raises(transitions.CaseChanged):
        send(case, target=other_org)
    assert rows_now() == before


def test_a_failure_rolls_back_both_associations(org, other_org, monkeypatch):
    """The receiver's copy exists only if the sender's referral and move do."""
    case = make_case(org, "submitted")
    before = rows_now()

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(OutboxMessage.objects, "create", broken)
    with pytest.raises(RuntimeError):
        send(case, target=other_org)
    assert rows_now() == before
    assert status_of(case) == "submitted"


def test_the_lifecycle_refuses_referred_out_without_a_referral(org, members):
    """P-OUTOFSCOPE: the generic move cannot skip the consent and the target."""
    case = make_case(org, "submitted")
    with scope(organization=org), pytest.raises(transitions.GuardFailed):
        transitions.transition(
            actor=members[Role.MANAGER],
            membership=membership_of(members[Role.MANAGER], org),
            case=case,
            to="referred_out",
            expected_version=case.version,
        )
    assert status_of(case) == "submitted"


def test_the_case_page_offers_the_referral_form_not_a_bare_move(client_as, org):
    case = make_case(org, "submitted")
    body = client_as(Role.RECEPTION).get(reverse("cases:case_detail", args=[case.pk]))
    body = body.content.decode()
    assert reverse("cases:referral_create", args=[case.pk]) in body
    assert reverse("cases:case_move", args=[case.pk, "referred_out"]) not in body


def test_the_case_move_route_refuses_referred_out_without_a_referral(client_as, org):
    case = make_case(org, "submitted")
    url = reverse("cases:case_move", args=[case.pk, "referred_out"])
    response = client_as(Role.RECEPTION).post(url, {"version": case.version})
    assert response.status_code == 302
    assert status_of(case) == "submitted"


# --- the receiving side ------------------------------------------------------


def answer(incoming, outcome, *, role=Role.RECEPTION, user=None, **text):
    org = incoming.organization
    user = user or make_member(org, role)
    with scope(organization=org):
        return referrals.respond_to_referral(
            actor=user,
            membership=membership_of(user, org),
            incoming=incoming,
            outcome=outcome,
            **text,
        )


def sent_to(org, other_org):
    referral = send(make_case(org, "verifying"), target=other_org)
    with scope(organization=other_org):
        return referral, IncomingReferral.objects.get(pk=referral.incoming_id)


def refreshed(referral):
    with scopes_disabled():
        return Referral.objects.get(pk=referral.pk)


def test_accepted_then_completed_on_both_sides_and_the_beneficiary_told(org, other_org):
    """P-OUTOFSCOPE: each outcome reaches the sender and the beneficiary."""
    referral, incoming = sent_to(org, other_org)
    accepted = answer(incoming, "accepted", note="موعد يوم الأحد")
    assert accepted.status == "accepted" and accepted.responded_at
    assert refreshed(referral).status == "accepted"
    assert refreshed(referral).outcome_note == "موعد يوم الأحد"
    # The sender's row names no staff of another association.
    assert refreshed(referral).responded_by is None
    done = answer(incoming, "completed")
    assert done.status == "completed" and done.completed_at
    assert refreshed(referral).status == "completed"
    assert [m.context["referral_status"] for m in outbox(org, "referral_accepted")] == [
        "accepted"
    ]
    assert len(outbox(org, "referral_completed")) == 1
    assert not outbox(other_org, "referral_accepted")
    with scopes_disabled():
        trail = AuditEvent.objects.filter(action="update")
        sender_trail = trail.filter(organization=org, object_type="cases.referral")
        assert sender_trail.count() == 2
        assert {(e.actor, e.actor_label) for e in sender_trail} == {
            (None, other_org.slug)
        }
        assert (
            trail.filter(
                organization=other_org, object_type="cases.incomingreferral"
            ).count()
            == 2
        )


def test_declining_needs_a_reason_which_the_beneficiary_is_told(org, other_org):
    """P-OUTOFSCOPE: declined with the reason."""
    referral, incoming = sent_to(org, other_org)
    before = rows_now()
    with pytest.raises(referrals.ReferralError):
        answer(incoming, "declined", reason=" ")
    assert rows_now() == before
    answer(incoming, "declined", reason="لا نخدم هذه المنطقة")
    assert refreshed(referral).decline_reason == "لا نخدم هذه المنطقة"
    [message] = outbox(org, "referral_declined")
    assert message.context["decline_reason"] == "لا نخدم هذه المنطقة"


@pytest.mark.parametrize(
    "first,then",
    [
        (None, "completed"),
        (None, "sent"),
        (None, "nonsense"),
        ("declined", "accepted"),
        ("accepted", "declined"),
        ("completed", "completed"),
    ],
)
def test_outcomes_follow_their_order(org, other_org, first, then):
    """sent → accepted | declined; accepted → completed; nothing else."""
    _referral, incoming = sent_to(org, other_org)
    if first == "completed":
        answer(incoming, "accepted")
    if first:
        answer(incoming, first, reason="سبب")
    before = rows_now()
    with pytest.raises(referrals.ReferralError):
        answer(incoming, then, reason="سبب")
    assert rows_now() == before


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_reception_and_the_manager_answer_referrals(org, other_org, role):
    _referral, incoming = sent_to(org, other_org)
    if role in (Role.RECEPTION, Role.MANAGER):
        assert answer(incoming, "accepted", role=role).status == "accepted"
    else:
        with pytest.raises(transitions.NotPermitted):
            answer(incoming, "accepted", role=role)


def test_the_sender_cannot_answer_for_the_receiver(org, other_org):
    """Only the receiving association answers a referral on the platform."""
    referral, incoming = sent_to(org, other_org)
    sender_staff = make_member(org, Role.MANAGER)
    with scope(organization=org), pytest.raises(transitions.NotPermitted):
        referrals.respond_to_referral(
            actor=sender_staff,
            membership=membership_of(sender_staff, org),
            incoming=incoming,
            outcome="accepted",
        )
    with scope(organization=org), pytest.raises(referrals.ReferralError):
        referrals.record_directory_outcome(
            actor=sender_staff,
            membership=membership_of(sender_staff, org),
            referral=referral,
            outcome="accepted",
        )
    assert refreshed(referral).status == "sent"


def test_staff_record_a_directory_associations_answer(org, members):
    """P-OUTOFSCOPE: outside the platform, staff record the outcome by hand."""
    referral = send(make_case(org, "verifying"), external=make_directory_entry(org))
    manager = members[Role.MANAGER]
    for outcome in ("accepted", "completed"):
        with scope(organization=org):
            referrals.record_directory_outcome(
                actor=manager,
                membership=membership_of(manager, org),
                referral=referral,
                outcome=outcome,
                note="اتصلنا بالجمعية",
            )
    assert refreshed(referral).status == "completed"
    assert refreshed(referral).responded_by == manager
    assert len(outbox(org, "referral_accepted")) == 1
    assert len(outbox(org, "referral_completed")) == 1


# --- pages -------------------------------------------------------------------


def referral_post(target=None, external=None, **extra):
    return {
        "version": extra.pop("version", 1),
        "target_organization": target.pk if target else "",
        "external": external.pk if external else "",
        "reason": REASON,
        "need": "علاج طبيعي",
        "shared_fields": ["name", "mobile"],
        "consent_method": "in_person",
        "consent_given_by": "",
        "consent_confirmed": "on",
    } | extra


def test_referring_through_the_form(client_as, org, other_org):
    case = make_case(org, "verifying")
    url = reverse("cases:referral_create", args=[case.pk])
    client = client_as(Role.RECEPTION)
    assert client.get(url).status_code == 200
    response = client.post(url, referral_post(other_org, version=case.version))
    with scopes_disabled():
        referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:referral_detail", args=[referral.pk])
    assert referral.consent_method == "in_person"
    assert status_of(case) == "referred_out"
    detail = client.get(response["Location"]).content.decode()
    assert other_org.name_ar in detail and REASON in detail


@pytest.mark.parametrize(
    "change,field",
    [
        ({"consent_confirmed": ""}, "consent_confirmed"),
        ({"reason": ""}, "reason"),
        ({"consent_method": "telepathy"}, "consent_method"),
        ({"shared_fields": ["salary"]}, "shared_fields"),
        ({"target_organization": ""}, "__all__"),
        ({"shared_fields": ["mobile"]}, "__all__"),  # no name for the platform
    ],
)
def test_bad_referral_input_is_explained_and_changes_nothing(
    client_as, org, other_org, change, field
):
    case = make_case(org, "verifying")
    url = reverse("cases:referral_create", args=[case.pk])
    before = rows_now()
    data = referral_post(other_org, version=case.version) | change
    response = client_as(Role.MANAGER).post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert rows_now() == before


def test_the_form_lists_only_this_associations_directory(client_as, org, other_org):
    mine = make_directory_entry(org, name_ar="جمعية الدليل")
    theirs = make_directory_entry(other_org, name_ar="دليل جمعية أخرى")
    case = make_case(org, "verifying")
    url = reverse("cases:referral_create", args=[case.pk])
    client = client_as(Role.MANAGER)
    page = client.get(url)
    body = page.content.decode()
    assert mine.name_ar in body and theirs.name_ar not in body
    targets = page.context["form"].fields["target_organization"].queryset
    assert list(targets) == [other_org]
    response = client.post(url, referral_post(external=theirs, version=case.version))
    assert "external" in response.context["form"].errors


def test_a_decided_request_has_no_referral_form(client_as, org):
    case = make_case(org, "approved")
    response = client_as(Role.MANAGER).get(
        reverse("cases:referral_create", args=[case.pk])
    )
    assert response.status_code == 302


def test_the_receiver_sees_only_the_consented_facts(client, org, other_org, rich_case):
    """P-PRIVACY: not the identity number, address, household, documents, notes,
    the request number, nor any other data of the sending association."""
    with scope(organization=org):
        bystander = BeneficiaryFactory(organization=org, first_name="يوسف")
    send(rich_case, target=other_org, shared=["name", "mobile"])
    receiver = make_member(other_org, Role.RECEPTION)
    client.force_login(receiver)
    with scope(organization=other_org):
        incoming = IncomingReferral.objects.get()
    listing = client.get(reverse("cases:referral_list")).content.decode()
    page = client.get(reverse("cases:incoming_referral", args=[incoming.pk]))
    body = page.content.decode()
    beneficiary = rich_case.beneficiary
    assert beneficiary.full_name in listing and beneficiary.full_name in body
    assert beneficiary.mobile in body
    for secret in (
        beneficiary.identity_number,
        "الهفوف",
        "ملاحظة سرية",
        "صورة الهوية",
        "1500.00",
        rich_case.number,
        bystander.full_name,
    ):
        assert secret not in body and secret not in listing
    # Nothing of the sender opens from the receiver's association.
    with scopes_disabled():
        sender_referral = Referral.objects.get()
    for url in (
        reverse("cases:case_detail", args=[rich_case.pk]),
        reverse("cases:referral_detail", args=[sender_referral.pk]),
        reverse("registry:beneficiary_detail", args=[beneficiary.pk]),
    ):
        assert client.get(url).status_code == 404
    with scopes_disabled():
        viewed = AuditEvent.objects.filter(
            organization=other_org, action="view", object_id=str(incoming.pk)
        )
        assert viewed.filter(actor=receiver).exists()


def test_the_sender_cannot_open_the_receivers_copy(client_as, org, other_org):
    referral = send(make_case(org, "verifying"), target=other_org)
    response = client_as(Role.MANAGER).get(
        reverse("cases:incoming_referral", args=[referral.incoming_id])
    )
    assert response.status_code == 404


def test_answering_through_the_receivers_page(client, org, other_org):
    referral, incoming = sent_to(org, other_org)
    client.force_login(make_member(other_org, Role.MANAGER))
    url = reverse("cases:incoming_referral_respond", args=[incoming.pk])
    refused = client.post(url, {"outcome": "declined", "reason": ""}, follow=True)
    assert refreshed(referral).status == "sent"
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    page = client.get(reverse("cases:incoming_referral", args=[incoming.pk]))
    assert 'value="accepted"' in page.content.decode()
    assert 'value="completed"' not in page.content.decode()
    response = client.post(url, {"outcome": "accepted", "note": "نعم"})
    assert response.status_code == 302
    assert refreshed(referral).status == "accepted"
    wrong = client.post(url, {"outcome": "declined", "reason": "متأخر"}, follow=True)
    assert refreshed(referral).status == "accepted"
    assert wrong.status_code == 200


def test_recording_a_directory_answer_through_the_page(client_as, org):
    referral = send(make_case(org, "verifying"), external=make_directory_entry(org))
    client = client_as(Role.RECEPTION)
    url = reverse("cases:referral_outcome", args=[referral.pk])
    client.post(url, {"outcome": "declined", "reason": "لا مقاعد"})
    assert refreshed(referral).status == "declined"


def test_the_platform_referrals_outcome_is_not_recorded_by_the_sender_page(
    client_as, org, other_org
):
    referral, _incoming = sent_to(org, other_org)
    client = client_as(Role.MANAGER)
    body = client.get(reverse("cases:referral_detail", args=[referral.pk]))
    assert reverse("cases:referral_outcome", args=[referral.pk]) not in (
        body.content.decode()
    )
    client.post(
        reverse("cases:referral_outcome", args=[referral.pk]), {"outcome": "accepted"}
    )
    assert refreshed(referral).status == "sent"


def test_the_referrals_list_shows_sent_and_received(client_as, org, other_org):
    """The manager's view of referrals, both ways, with their status."""
    mine = send(make_case(org, "verifying"), external=make_directory_entry(org))
    theirs = send(make_case(other_org, "submitted"), target=org)
    client = client_as(Role.MANAGER)
    received = client.get(reverse("cases:referral_list")).content.decode()
    assert reverse("cases:incoming_referral", args=[theirs.incoming_id]) in received
    sent = client.get(reverse("cases:referral_list") + "?box=sent")
    assert reverse("cases:referral_detail", args=[mine.pk]) in sent.content.decode()
    filtered = client.get(reverse("cases:referral_list") + "?box=sent&status=declined")
    assert not list(filtered.context["page"])


def test_the_case_page_lists_its_referrals(client_as, org):
    referral = send(make_case(org, "verifying"), external=make_directory_entry(org))
    body = client_as(Role.AUDITOR).get(
        reverse("cases:case_detail", args=[referral.case_id])
    )
    assert reverse("cases:referral_detail", args=[referral.pk]) in (
        body.content.decode()
    )


# --- the directory -----------------------------------------------------------


def test_the_manager_keeps_the_directory(client_as, org):
    client = client_as(Role.MANAGER)
    data = {
        "name_ar": "جمعية الأمل الصحية",
        "services": "علاج طبيعي",
        "city": "الدمام",
        "region": "eastern",
        "phone": "0138000000",
        "is_active": "on",
    }
    response = client.post(reverse("cases:directory_create"), data)
    assert response.status_code == 302
    with scope(organization=org):
        entry = ExternalAssociation.objects.get()
    duplicate = client.post(reverse("cases:directory_create"), data)
    assert "name_ar" in duplicate.context["form"].errors
    client.post(
        reverse("cases:directory_edit", args=[entry.pk]), data | {"city": "الخبر"}
    )
    with scopes_disabled():
        entry.refresh_from_db()
        audited = AuditEvent.objects.filter(
            object_type="cases.externalassociation", object_id=str(entry.pk)
        )
        assert entry.city == "الخبر"
        assert audited.count() == 2
    listing = client.get(reverse("cases:directory_list")).content.decode()
    assert "جمعية الأمل الصحية" in listing


def test_the_managers_queue_lists_open_referrals(client_as, org, other_org):
    """P-OUTOFSCOPE: the manager sees referrals waiting on either side."""
    mine = send(make_case(org, "verifying"), external=make_directory_entry(org))
    theirs = send(make_case(other_org, "submitted"), target=org)
    done = send(make_case(org, "verifying"), external=make_directory_entry(org))
    with scope(organization=org):
        Referral.objects.filter(pk=done.pk).update(
            status="declined", decline_reason="x"
        )
    response = client_as(Role.MANAGER).get(
        reverse("cases:work_queue", args=["overdue"])
    )
    body = response.content.decode()
    assert reverse("cases:incoming_referral", args=[theirs.incoming_id]) in body
    assert reverse("cases:referral_detail", args=[mine.pk]) in body
    assert reverse("cases:referral_detail", args=[done.pk]) not in body


def test_the_receivers_row_can_only_be_written_in_the_receivers_scope(org, other_org):
    """Tenancy: a row of another association is refused in the sender's scope,
    which is why the referral writes the receiver's copy inside its scope."""
    with scope(organization=org), pytest.raises(ScopeError):
        IncomingReferral(
            organization=other_org,
            source_organization=org,
            service_name_ar="خدمة",
            consent_method="signed",
            consent_at=timezone.now(),
        ).save()
