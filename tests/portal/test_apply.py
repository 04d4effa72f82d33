"""Applying online through the portal (issue 7; P-EONLINE, P-ATTEST, P-COMPLETE,
P-ELIGIBILITY, P-CHANNELS)."""

import datetime
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.cases.models import (
    Attestation,
    AttestationMethod,
    AttestationText,
    Case,
    CaseEvent,
)
from mustafid.cases.services import current_attestation_text
from mustafid.contact.models import ChannelKind
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Perm, Role
from mustafid.eligibility.models import Subject
from mustafid.eligibility.services import publish_rules
from mustafid.portal import applying
from mustafid.registry.models import Document
from tests.cases.helpers import make_case
from tests.factories import TINY_PNG, BeneficiaryFactory
from tests.portal.apply_helpers import ar, attest, choose, service_with_documents, url
from tests.portal.helpers import latest_code, sign_in_as

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def applicant(org, **fields):
    defaults = {
        "birth_date": datetime.date(1980, 5, 1),
        "city": "الرياض",
        "region": "riyadh",
        "employment_status": "not_working",
        "monthly_income": Decimal(1500),
    }
    with scope(organization=org):
        return BeneficiaryFactory(organization=org, **(defaults | fields))


def cases_of(org, beneficiary):
    with scope(organization=org):
        return list(Case.objects.filter(beneficiary=beneficiary))


def test_applying_end_to_end_opens_one_submitted_request_on_the_website(client, org):
    """P-EONLINE (seed 002 5-2): the request is electronic, on the association's
    website channel, attested in the portal against the wording in force, and
    the beneficiary is told its number and decision date (P-COMMITTEE)."""
    service, id_card = service_with_documents(org)
    beneficiary = applicant(org)
    sign_in_as(client, beneficiary)
    assert choose(client, org, service).status_code == 302
    assert client.get(url(org, "apply_check")).status_code == 200
    upload = SimpleUploadedFile("id.png", TINY_PNG, content_type="image/png")
    response = client.post(
        url(org, "apply_documents"), {"document_type": id_card.pk, "file": upload}
    )
    assert response.status_code == 302
    response = attest(client, org, beneficiary)
    [case] = cases_of(org, beneficiary)
    assert response.status_code == 302
    assert response["Location"] == url(org, "apply_receipt", number=case.number)
    with scope(organization=org):
        assert case.status == "submitted"
        assert case.channel.kind == ChannelKind.WEBSITE
        assert case.created_by is None
        attestation = Attestation.objects.get(case=case)
        assert attestation.method == AttestationMethod.PORTAL_OTP
        assert attestation.text == current_attestation_text(org)
        assert attestation.attested_by_name == beneficiary.full_name
        assert attestation.recorded_by is None
        submitted = CaseEvent.objects.get(case=case, to_status="submitted")
        assert submitted.actor is None and submitted.public
        assert submitted.details["portal_applicant"] == beneficiary.pk
        assert OutboxMessage.objects.filter(
            beneficiary=beneficiary, event="case_received"
        ).exists()
        document = Document.objects.get(beneficiary=beneficiary)
        assert document.status == "pending" and document.uploaded_by is None
    with scopes_disabled():
        labels = set(
            AuditEvent.objects.filter(object_id=str(case.pk)).values_list(
                "actor_label", flat=True
            )
        )
    assert labels == {f"portal:beneficiary:{beneficiary.pk}"}
    receipt = client.get(response["Location"]).content.decode()
    assert case.number in receipt
    assert str(case.decision_due.year) in receipt


def test_a_wrong_or_expired_code_sends_nothing(client, org):
    """P-ATTEST: without the right code no request, no attestation exists."""
    service, _id_card = service_with_documents(org)
    beneficiary = applicant(org)
    sign_in_as(client, beneficiary)
    choose(client, org, service)
    client.post(url(org, "apply_attest"), {"agree": "on", "action": "send_code"})
    code = latest_code(org, beneficiary.mobile)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(
        url(org, "apply_attest"), {"agree": "on", "code": wrong, "action": "submit"}
    )
    assert response.status_code == 400
    assert ar("The code is not right. %(left)s tries left.") % {"left": 4} in (
        response.content.decode()
    )
    later = timezone.now() + datetime.timedelta(minutes=6)
    with time_machine.travel(later):
        response = client.post(
            url(org, "apply_attest"),
            {"agree": "on", "code": code, "action": "submit"},
        )
    assert response.status_code == 400
    assert ar("The code has expired. Ask for a new code.") in response.content.decode()
    assert cases_of(org, beneficiary) == []
    with scope(organization=org):
        assert not Attestation.objects.exists()


def test_the_attestation_box_must_be_ticked(client, org):
    service, _id_card = service_with_documents(org)
    beneficiary = applicant(org)
    sign_in_as(client, beneficiary)
    choose(client, org, service)
    response = client.post(url(org, "apply_attest"), {"action": "send_code"})
    assert response.status_code == 400
    assert ar("Tick the box to attest.") in response.content.decode()
    with scopes_disabled():
        assert not OutboxMessage.objects.filter(event="one_time_code").exists()


def test_wording_changed_after_reading_sends_nothing(client, org):
    """P-ATTEST: the attestation is against the wording the applicant read."""
    service, _id_card = service_with_documents(org)
    beneficiary = applicant(org)
    sign_in_as(client, beneficiary)
    choose(client, org, service)
    client.post(url(org, "apply_attest"), {"agree": "on", "action": "send_code"})
    code = latest_code(org, beneficiary.mobile)
    with scope(organization=org):
        current_attestation_text(org)
        AttestationText.objects.update(is_current=False)
        AttestationText.objects.create(
            organization=org, version=2, text_ar="نص جديد", is_current=True
        )
    response = client.post(
        url(org, "apply_attest"), {"agree": "on", "code": code, "action": "submit"}
    )
    assert response.status_code == 400
    assert cases_of(org, beneficiary) == []


def test_a_second_open_request_for_the_same_service_is_refused(client, org):
    service, _id_card = service_with_documents(org)
    beneficiary = applicant(org)
    open_one = make_case(org, "verifying", service=service, beneficiary=beneficiary)
    sign_in_as(client, beneficiary)
    response = choose(client, org, service)
    page = response.content.decode()
    assert response.status_code == 200
    assert open_one.number in page
    assert url(org, "case_detail", number=open_one.number) in page
    # Straight to the last step with the service still chosen: refused there too.
    session = client.session
    session["portal_apply"] = {"organization": org.pk, "service": service.pk}
    session.save()
    attest(client, org, beneficiary)
    assert cases_of(org, beneficiary) == [open_one]


def test_a_closed_or_rejected_request_does_not_block_a_new_one(org):
    service, _id_card = service_with_documents(org)
    beneficiary = applicant(org)
    make_case(org, "rejected", service=service, beneficiary=beneficiary)
    make_case(org, "closed", service=service, beneficiary=beneficiary)
    with scope(organization=org):
        assert applying.open_request_for(beneficiary, service) is None


def upload(client, org, id_card, name, content, content_type):
    return client.post(
        url(org, "apply_documents"),
        {
            "document_type": id_card.pk,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def test_a_document_of_the_wrong_type_is_refused_and_nothing_is_stored(client, org):
    """P-COMPLETE: the type is read from the content, not the name."""
    service, id_card = service_with_documents(org)
    beneficiary = applicant(org)
    sign_in_as(client, beneficiary)
    choose(client, org, service)
    response = upload(client, org, id_card, "id.png", b"MZ\x90\x00 not an image", "")
    assert response.status_code == 400
    expected = ar("This file type is not accepted. Accepted: %(kinds)s.") % {
        "kinds": "PDF, PNG, JPG"
    }
    assert expected in response.content.decode()
    with scope(organization=org):
        assert not Document.objects.exists()


def test_a_document_too_large_is_refused_and_nothing_is_stored(
    client, org, monkeypatch
):
    from mustafid.portal import apply_forms

    monkeypatch.setattr(apply_forms.PortalDocumentForm.base_fields["file"], "max_mb", 0)
    service, id_card = service_with_documents(org)
    beneficiary = applicant(org)
    sign_in_as(client, beneficiary)
    choose(client, org, service)
    response = upload(client, org, id_card, "id.pdf", TINY_PDF, "application/pdf")
    assert response.status_code == 400
    assert ar("The file is larger than %(max)s MB.") % {"max": 0} in (
        response.content.decode()
    )
    with scope(organization=org):
        assert not Document.objects.exists()


def precheck_lines(org, beneficiary, service):
    with scope(organization=org):
        return {
            line.subject: (line.state, line.explanation)
            for line in applying.precheck(beneficiary, service).lines
        }


def test_the_precheck_says_met_not_met_and_unknown_with_the_reasons(org, members):
    """P-ELIGIBILITY: the portal's pre-check is the staff's evaluator, in words."""
    service, _id_card = service_with_documents(org)
    with scope(organization=org):
        publish_rules(
            actor=members[Role.MANAGER],
            service=service,
            combine="all",
            criteria=[
                {
                    "subject": Subject.AGE,
                    "minimum": Decimal(60),
                    "reason_ar": "العمر ستون سنة فأكثر",
                    "reason_en": "Aged 60 or more",
                },
                {
                    "subject": Subject.REGION,
                    "values": ["riyadh"],
                    "reason_ar": "السكن في منطقة الرياض",
                    "reason_en": "Lives in the Riyadh region",
                },
                {
                    "subject": Subject.EDUCATION,
                    "values": ["none", "primary"],
                    "reason_ar": "التعليم ابتدائي أو دونه",
                    "reason_en": "Primary education or less",
                },
            ],
        )
    beneficiary = applicant(org, birth_date=datetime.date(1990, 1, 1))
    with translation.override("ar"):
        lines = precheck_lines(org, beneficiary, service)
    assert lines == {
        # Not met: the association's reason is told.
        "age": ("not_met", "العمر ستون سنة فأكثر"),
        "region": ("met", ""),
        # Unknown: the record lacks it, and the form below asks for it.
        "education": ("unknown", ar("Your record does not say yet; fill it in below.")),
    }
    with scope(organization=org):
        checked = applying.precheck(beneficiary, service)
        # Education is asked for because the rules read it.
        assert "education" in applying.missing_profile_fields(beneficiary, service)
    assert not checked.eligible and checked.has_unknown


def test_a_beneficiary_who_fails_the_precheck_is_told_and_may_still_apply(
    client, org, members
):
    service, _id_card = service_with_documents(org)
    with scope(organization=org):
        publish_rules(
            actor=members[Role.MANAGER],
            service=service,
            combine="all",
            criteria=[
                {
                    "subject": Subject.AGE,
                    "minimum": Decimal(60),
                    "reason_ar": "العمر ستون سنة فأكثر",
                    "reason_en": "Aged 60 or more",
                }
            ],
        )
    beneficiary = applicant(org)
    sign_in_as(client, beneficiary)
    choose(client, org, service)
    page = client.get(url(org, "apply_check")).content.decode()
    assert "العمر ستون سنة فأكثر" in page
    told = ar(
        "By your record, you do not meet all the conditions of this service. "
        "You may still send the request: the committee decides, and tells "
        "you the reasons."
    )
    assert told in page
    attest(client, org, beneficiary)
    assert len(cases_of(org, beneficiary)) == 1


def test_missing_profile_data_is_asked_for_and_saved_as_the_beneficiarys(client, org):
    service, _id_card = service_with_documents(org)
    beneficiary = applicant(org, birth_date=None, monthly_income=None, city="")
    sign_in_as(client, beneficiary)
    choose(client, org, service)
    page = client.get(url(org, "apply_check")).content.decode()
    assert 'name="monthly_income"' in page and 'name="city"' in page
    assert 'name="gender"' not in page
    bad = client.post(url(org, "apply_check"), {"monthly_income": "-5"})
    assert bad.status_code == 400
    response = client.post(
        url(org, "apply_check"),
        {
            "birth_date_0": "gregorian",
            "birth_date_1": "1975-02-03",
            "monthly_income": "2000",
            "city": "الخرج",
        },
    )
    assert response.status_code == 302
    with scope(organization=org):
        beneficiary.refresh_from_db()
    assert beneficiary.birth_date == datetime.date(1975, 2, 3)
    assert beneficiary.monthly_income == Decimal(2000)
    with scopes_disabled():
        change = AuditEvent.objects.get(object_id=str(beneficiary.pk), action="update")
    assert change.actor is None
    assert change.actor_label == f"portal:beneficiary:{beneficiary.pk}"


def test_the_steps_go_back_to_the_choice_without_a_service(client, org):
    sign_in_as(client, applicant(org))
    response = client.get(url(org, "apply_documents"))
    assert response.status_code == 302
    assert response["Location"] == url(org, "apply")


def test_the_portal_applicant_may_only_take_in_requests(org):
    """It never decides, verifies or delivers: the staff do."""
    beneficiary = applicant(org)
    acting = applying.PortalApplicant.of(beneficiary)
    assert acting.organization_id == org.pk
    assert acting.has_perm(Perm.INTAKE_CASES)
    for perm in set(Perm) - {Perm.INTAKE_CASES}:
        assert not acting.has_perm(perm)
