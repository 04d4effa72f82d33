"""Following one's own requests in the portal (issue 7; P-EONLINE, P-COMMITTEE,
P-COMPLETE, P-PRIVACY)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from mustafid.cases.models import CaseEvent
from mustafid.core.models import AuditEvent
from mustafid.registry.models import Document
from tests.cases.helpers import make_case
from tests.factories import (
    TINY_PNG,
    BeneficiaryFactory,
    DocumentTypeFactory,
    UserFactory,
)
from tests.portal.apply_helpers import ar, url
from tests.portal.helpers import sign_in_as


def person(org):
    with scope(organization=org):
        return BeneficiaryFactory(organization=org)


def event(case, to, *, public, note="", actor=None, **details):
    with scope(organization=case.organization):
        return CaseEvent.objects.create(
            organization=case.organization,
            case=case,
            to_status=to,
            public=public,
            note=note,
            actor=actor,
            details=details,
        )


def test_tracking_shows_public_steps_and_the_decision_reasons_only(client, org):
    """No staff names and no internal notes reach the beneficiary (P-PRIVACY);
    the reasons of the decision do (P-ELIGIBILITY, seed 002)."""
    beneficiary = person(org)
    case = make_case(org, "rejected", beneficiary=beneficiary)
    with scope(organization=org):
        case.decision_reasons = "الدخل أعلى من الحد المعتمد"
        case.save(update_fields=["decision_reasons"])
    staff = UserFactory(first_name="نورة", last_name="السبيعي")
    event(case, "submitted", public=True, actor=staff)
    event(case, "verifying", public=False, note="ملاحظة داخلية سرية", actor=staff)
    event(case, "rejected", public=True, actor=staff, reason="سبب")
    sign_in_as(client, beneficiary)
    page = client.get(url(org, "case_detail", number=case.number)).content.decode()
    assert "الدخل أعلى من الحد المعتمد" in page
    assert "ملاحظة داخلية سرية" not in page
    assert "نورة" not in page and staff.username not in page
    assert ar("Your documents are being checked") not in page
    assert ar("Received, waiting to be checked") in page
    assert ar("Not approved: see the reasons below") in page
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action="view",
            object_id=str(case.pk),
            actor_label=f"portal:beneficiary:{beneficiary.pk}",
        ).exists()


def test_the_list_shows_only_ones_own_requests_in_plain_words(client, org):
    mine = make_case(org, "in_committee", beneficiary=person(org))
    theirs = make_case(org, "submitted")
    sign_in_as(client, mine.beneficiary)
    page = client.get(url(org, "cases")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert ar("Before the research committee for a decision") in page


def test_another_beneficiarys_request_is_not_found(client, org, other_org):
    theirs = make_case(org, "submitted")
    sign_in_as(client, person(org))
    assert client.get(url(org, "case_detail", number=theirs.number)).status_code == 404
    upload = client.post(url(org, "case_upload", number=theirs.number), {})
    assert upload.status_code == 404


def incomplete_case(org, beneficiary):
    case = make_case(org, "incomplete", beneficiary=beneficiary)
    event(case, "incomplete", public=True, missing=["صورة الهوية الوطنية", " "])
    return case


def test_missing_papers_are_listed_and_answered_by_upload(client, org):
    """P-COMPLETE: the beneficiary sends what is missing; it waits for the
    staff's verification and the request's audit trail records it."""
    beneficiary = person(org)
    case = incomplete_case(org, beneficiary)
    with scope(organization=org):
        id_card = DocumentTypeFactory(organization=org)
        case.service.required_documents.add(id_card)
    sign_in_as(client, beneficiary)
    page = client.get(url(org, "case_detail", number=case.number)).content.decode()
    assert "صورة الهوية الوطنية" in page
    response = client.post(
        url(org, "case_upload", number=case.number),
        {
            "document_type": id_card.pk,
            "file": SimpleUploadedFile("id.png", TINY_PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    with scope(organization=org):
        document = Document.objects.get(beneficiary=beneficiary)
        assert document.status == "pending"
        assert case.document_checklist()[0]["state"] == "pending"
    with scopes_disabled():
        noted = AuditEvent.objects.get(object_id=str(case.pk), action="update")
    assert noted.changes["document_sent"] == document.pk


def test_a_bad_upload_for_a_request_is_refused_with_the_reason(client, org):
    beneficiary = person(org)
    case = incomplete_case(org, beneficiary)
    with scope(organization=org):
        id_card = DocumentTypeFactory(organization=org)
    sign_in_as(client, beneficiary)
    response = client.post(
        url(org, "case_upload", number=case.number),
        {
            "document_type": id_card.pk,
            "file": SimpleUploadedFile("x.png", b"not an image", "image/png"),
        },
    )
    assert response.status_code == 400
    with scope(organization=org):
        assert not Document.objects.exists()


def test_the_applicant_sends_an_incomplete_request_back(client, org):
    """incomplete → submitted is the applicant's own move (the lifecycle's
    intake rule); the decision clock restarts (P-COMMITTEE)."""
    beneficiary = person(org)
    case = incomplete_case(org, beneficiary)
    sign_in_as(client, beneficiary)
    response = client.post(url(org, "case_resubmit", number=case.number))
    assert response.status_code == 302
    with scope(organization=org):
        case.refresh_from_db()
        back = CaseEvent.objects.filter(case=case, to_status="submitted").get()
    assert case.status == "submitted"
    assert case.decision_due >= datetime.date.today()
    assert back.actor is None and back.public
    # Not again: a submitted request is not sent back.
    client.post(url(org, "case_resubmit", number=case.number))
    with scope(organization=org):
        assert CaseEvent.objects.filter(case=case, to_status="submitted").count() == 1
