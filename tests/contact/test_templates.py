"""Notification wording: every event in both languages by every method, the
association's own templates, the checks on saving them, and their pages
(issue 6 item 4; P-RECEIVE, P-ELIGIBILITY, P-COMMITTEE, P-PRIVACY)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from mustafid.cases import transitions
from mustafid.cases.models import CaseStatus
from mustafid.contact.notification_template import NotificationTemplate
from mustafid.contact.outbox import Method, OutboxMessage, queue_message
from mustafid.contact.template_services import restore_default, save_template
from mustafid.contact.wording import (
    EVENTS,
    Renderer,
    UnknownEvent,
    check_template,
    render,
    sms_segments,
)
from mustafid.contact.wording.samples import SAMPLES
from mustafid.core.models import AuditEvent, Membership
from mustafid.core.roles import Role
from mustafid.registry.models import ResidencyStatus
from tests.cases.helpers import make_case, make_service
from tests.conftest import make_member
from tests.factories import BeneficiaryFactory

QUICK = {"needs_research": False, "needs_committee": False}
NEW_EVENTS = {
    "inquiry_answered",
    "survey_invitation",
    "survey_reminder",
    "complaint_acknowledged",
    "complaint_resolved",
    "deadline_reminder",
    "inquiry_overdue",
    "policy_review_due",
    # Issue 7: the answer to a beneficiary's data request (P-PRIVACY).
    "data_request_answered",
    "data_request_refused",
    # Issue 8 (P-COMPLAINTS).
    "feedback_acknowledged",
    "feedback_answered",
    "complaint_reopened",
    "dispute_outcome",
    "complaint_satisfaction",
    "feedback_escalated",
}


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def move(org, user, case, to, **details):
    with scope(organization=org):
        case.refresh_from_db()
        membership = Membership.objects.get(user=user, organization=org)
        return transitions.transition(
            actor=user,
            membership=membership,
            case=case,
            to=to,
            expected_version=case.version,
            **details,
        )


def last_message(org, event):
    with scope(organization=org):
        return (
            OutboxMessage.objects.filter(event=event)
            .select_related("beneficiary")
            .latest("id")
        )


def rendered(org, message, method, language):
    with scope(organization=org):
        return render(
            org,
            message.event,
            method,
            language,
            message.context,
            beneficiary=message.beneficiary,
        )


def test_the_catalogue_covers_every_event_the_code_queues_and_issue_6_names():
    assert (
        set(EVENTS)
        == {
            "case_received",
            "documents_missing",
            "decision",
            "delivery_scheduled",
            "permit_result",
            "case_reopened",
            "referred_out",
            "referral_accepted",
            "referral_declined",
            "referral_completed",
            "review_due",
            "review_completed",
            "service_match",
            # Issue 7: the portal's sign-in and attestation codes.
            "one_time_code",
        }
        | NEW_EVENTS
    )


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("method", list(Method.values))
@pytest.mark.parametrize("event", list(EVENTS))
def test_every_event_renders_in_both_languages_by_every_method(
    org, event, method, language
):
    """Every default passes the save checks and renders with no placeholder left."""
    subject, body = EVENTS[event].default(method, language)
    check_template(
        event=event, method=method, language=language, subject=subject, body=body
    )
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(organization=org, name_en="Sara Alharbi")
        result = render(
            org, event, method, language, SAMPLES[event], beneficiary=beneficiary
        )
    assert result.body and "{" not in result.body and "}" not in result.body
    if method in ("email", "letter"):
        assert result.subject and "{" not in result.subject
    else:
        assert result.subject == ""
        if method == "sms":
            assert sms_segments(result.body) <= 4
    assert beneficiary.identity_number not in result.body  # P-PRIVACY
    name = org.name_en if language == "en" else org.name_ar
    if not EVENTS[event].for_staff and method in ("email", "letter"):
        assert name in result.body
        greeting = "Sara Alharbi" if language == "en" else beneficiary.first_name
        assert greeting in result.body


def test_a_submitted_request_tells_the_expected_decision_date(org, members):
    """P-COMMITTEE: the receipt gives the decision date, Hijri and Gregorian in
    Arabic; the identity number is never in the text (P-PRIVACY)."""
    case = make_case(org, "draft")
    move(org, members[Role.RECEPTION], case, CaseStatus.SUBMITTED)
    case.refresh_from_db()
    message = last_message(org, "case_received")
    arabic = rendered(org, message, "sms", "ar")
    english = rendered(org, message, "email", "en")
    assert case.number in arabic.body and case.number in english.subject
    assert case.service.name_ar in arabic.body
    assert "هـ" in arabic.body and str(case.decision_due.year) in arabic.body
    with translation.override("en"):
        month = case.decision_due.strftime("%B")
    assert month in english.body
    for text in (arabic.body, english.body):
        assert case.beneficiary.identity_number not in text


def test_a_refusal_lists_reasons_and_failed_conditions_in_the_readers_language(
    org, members
):
    """P-ELIGIBILITY (seed 002): the refusal names the committee's reasons and
    the conditions not met, each in the recipient's language."""
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(
            organization=org, residency_status=ResidencyStatus.IRREGULAR
        )
    case = make_case(
        org, "draft", service=make_service(org, **QUICK), beneficiary=beneficiary
    )
    move(org, members[Role.RECEPTION], case, CaseStatus.SUBMITTED)
    move(org, members[Role.RECEPTION], case, CaseStatus.VERIFYING)
    move(
        org,
        members[Role.MANAGER],
        case,
        CaseStatus.REJECTED,
        reason="- الدخل أعلى من الحد\nيمكن التقدم بعد ستة أشهر",
        reason_list=[
            {"code": "income", "ar": "الدخل أعلى من الحد", "en": "Income too high"}
        ],
    )
    message = last_message(org, "decision")
    arabic = rendered(org, message, "letter", "ar")
    english = rendered(org, message, "sms", "en")
    assert "الدخل أعلى من الحد" in arabic.body
    assert "يمكن التقدم بعد ستة أشهر" in arabic.body
    assert "يشترط وجود إقامة نظامية" in arabic.body
    assert "Income too high" in english.body
    assert "Legal residency in Saudi Arabia is required." in english.body
    assert "الدخل أعلى من الحد" not in english.body
    # The committee's own note is kept as written.
    assert "يمكن التقدم بعد ستة أشهر" in english.body


def test_an_approval_does_not_read_as_a_refusal(org, members):
    case = make_case(org, "verifying", service=make_service(org, **QUICK))
    move(org, members[Role.MANAGER], case, CaseStatus.APPROVED, reason="مستوفٍ")
    message = last_message(org, "decision")
    assert "approved" in rendered(org, message, "sms", "en").body
    assert "not approved" not in rendered(org, message, "email", "en").body
    assert "بقبول طلبك" in rendered(org, message, "sms", "ar").body


def test_an_association_s_template_wins_only_there(org, other_org):
    manager = make_member(org, Role.MANAGER)
    with scope(organization=org):
        save_template(
            actor=manager,
            organization=org,
            event="case_received",
            method="sms",
            language="ar",
            subject="",
            body="وصل طلبك {{ case_number }} يا {{ beneficiary_name }}",
        )
        ours = render(org, "case_received", "sms", "ar", SAMPLES["case_received"])
        # Other methods and languages keep the default.
        english = render(org, "case_received", "sms", "en", SAMPLES["case_received"])
    with scope(organization=other_org):
        theirs = render(
            other_org, "case_received", "sms", "ar", SAMPLES["case_received"]
        )
    assert ours.body.startswith("وصل طلبك 1446-000123")
    assert "received your request" in english.body
    assert "وصل طلبك" not in theirs.body and "تسلمت" in theirs.body


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("طلبك {{ case_numbr }} وصل", "case_numbr"),
        ("{{ identity_number }}", "identity_number"),
        ("{% if national_id %}x{% endif %}", "national_id"),
        ("{{ case_number|upper }}", "case_number|upper"),
        ("{% load static %}", "load static"),
        ("{% include 'base.html' %}", "include"),
    ],
)
def test_saving_refuses_what_the_event_does_not_have(org, body, named):
    manager = make_member(org, Role.MANAGER)
    with scope(organization=org), pytest.raises(ValidationError) as refused:
        save_template(
            actor=manager,
            organization=org,
            event="case_received",
            method="whatsapp",
            language="ar",
            subject="",
            body=body,
        )
    assert named in " ".join(refused.value.messages)
    with scopes_disabled():
        assert not NotificationTemplate.objects.exists()
        assert not AuditEvent.objects.filter(
            object_type="contact.notificationtemplate"
        ).exists()


def test_saving_refuses_a_syntax_error_and_keeps_the_earlier_wording(org):
    manager = make_member(org, Role.MANAGER)
    keep = {"event": "decision", "method": "email", "language": "en"}
    with scope(organization=org):
        save_template(
            actor=manager,
            organization=org,
            subject="Decision {{ case_number }}",
            body="{% if approved %}Yes{% else %}No: {{ reasons }}{% endif %}",
            **keep,
        )
        with pytest.raises(ValidationError):
            save_template(
                actor=manager,
                organization=org,
                subject="Decision",
                body="{% if approved %}Yes",
                **keep,
            )
        row = NotificationTemplate.objects.get()
    assert row.subject == "Decision {{ case_number }}"


def test_an_sms_longer_than_four_parts_is_refused(org):
    manager = make_member(org, Role.MANAGER)
    too_long = "نرجو " * 60 + "{{ case_number }}"
    with scope(organization=org), pytest.raises(ValidationError) as refused:
        save_template(
            actor=manager,
            organization=org,
            event="case_received",
            method="sms",
            language="ar",
            subject="",
            body=too_long,
        )
    assert "4" in " ".join(refused.value.messages)
    with scopes_disabled():
        assert not NotificationTemplate.objects.exists()
    # The same text is fine by WhatsApp.
    with scope(organization=org):
        save_template(
            actor=manager,
            organization=org,
            event="case_received",
            method="whatsapp",
            language="ar",
            subject="",
            body=too_long,
        )


def test_sms_segments_follow_the_encoding():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("ب" * 70) == 1
    assert sms_segments("ب" * 71) == 2
    assert sms_segments("ب" * 268) == 4
    assert sms_segments("ب" * 269) == 5


def test_an_unknown_event_is_a_clear_error(org):
    with pytest.raises(UnknownEvent, match="no_such_event"):
        render(org, "no_such_event", "sms", "ar", {})


def test_rendering_a_batch_reads_the_templates_once(org):
    """Thousands of messages: one query for the association's templates."""
    with scope(organization=org):
        beneficiaries = BeneficiaryFactory.create_batch(3, organization=org)
        save_template(
            actor=None,
            organization=org,
            event="review_due",
            method="sms",
            language="ar",
            subject="",
            body="{{ beneficiary_name }}: {{ due_on }}",
        )
        for index in range(300):
            queue_message(
                organization=org,
                event=["review_due", "case_received"][index % 2],
                context=SAMPLES[["review_due", "case_received"][index % 2]],
                beneficiary=beneficiaries[index % 3],
                method=["sms", "email"][index % 2],
                language=["ar", "en"][index % 3 == 0],
            )
        batch = list(OutboxMessage.objects.select_related("beneficiary", "staff"))
        with CaptureQueriesContext(connection) as queries:
            renderer = Renderer(org)
            texts = [renderer.render_message(message) for message in batch]
    assert len(queries) == 1
    assert len(texts) == 300 and all(text.body for text in texts)


def test_a_staff_reminder_names_the_staff_member(org):
    staff = make_member(org, Role.RESEARCHER, first_name="نورة", last_name="السبيعي")
    context = {
        "case": "1446-000777",
        "service_ar": "سلة",
        "service_en": "Basket",
        "due_on": datetime.date(2025, 3, 20).isoformat(),
        "days_left": 2,
    }
    with scope(organization=org):
        text = render(org, "deadline_reminder", "sms", "ar", context, staff=staff)
    assert text.body.startswith("نورة السبيعي") and "1446-000777" in text.body


# The pages (Perm.MANAGE_TEMPLATES).

EDIT = {"event": "case_received", "method": "sms", "language": "ar"}


def edit_url(**kwargs):
    return reverse("contact_templates:edit", kwargs=EDIT | kwargs)


def test_the_list_shows_which_messages_the_association_wrote(client, org):
    manager = make_member(org, Role.MANAGER)
    with scope(organization=org):
        save_template(
            actor=manager,
            organization=org,
            subject="",
            body="{{ case_number }}",
            **EDIT,
        )
    client.force_login(manager)
    response = client.get(reverse("contact_templates:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(ar("customised")) == 1
    assert str(EVENTS["decision"].label) in page or ar("Decision on a request") in page


def test_editing_saves_audits_and_restoring_deletes(client, org):
    manager = make_member(org, Role.MANAGER)
    client.force_login(manager)
    page = client.get(edit_url())
    assert "{{ decision_due }}" in page.content.decode()  # the placeholders listed
    response = client.post(
        edit_url(), {"body": "طلبك {{ case_number }} يُقرَّر قبل {{ decision_due }}"}
    )
    assert response.status_code == 302
    with scope(organization=org):
        row = NotificationTemplate.objects.get()
        assert row.updated_by == manager
        assert AuditEvent.objects.filter(
            object_type="contact.notificationtemplate", action="create"
        ).exists()
    response = client.post(reverse("contact_templates:restore", kwargs=EDIT))
    assert response.status_code == 302
    with scope(organization=org):
        assert not NotificationTemplate.objects.exists()
        assert AuditEvent.objects.filter(
            object_type="contact.notificationtemplate", action="delete"
        ).exists()


def test_a_refused_text_shows_the_reason_and_saves_nothing(client, org):
    client.force_login(make_member(org, Role.MANAGER))
    response = client.post(edit_url(), {"body": "{{ iqama }}"})
    assert response.status_code == 200
    assert "iqama" in response.content.decode()
    with scopes_disabled():
        assert not NotificationTemplate.objects.exists()


def test_the_live_preview_renders_the_text_being_typed(client, org):
    client.force_login(make_member(org, Role.MANAGER))
    response = client.post(
        edit_url(method="email", language="en"),
        {
            "preview": "1",
            "subject": "Hi {{ beneficiary_name }}",
            "body": "{{ service }}",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Monthly food basket" in text and "Mohammed Alotaibi" in text
    assert "<html" not in text
    with scopes_disabled():
        assert not NotificationTemplate.objects.exists()
    bad = client.post(
        edit_url(), {"preview": "1", "body": "{{ nope }}"}, HTTP_HX_REQUEST="true"
    )
    assert "nope" in bad.content.decode()


def test_an_email_needs_a_subject(client, org):
    client.force_login(make_member(org, Role.MANAGER))
    response = client.post(edit_url(method="email"), {"body": "{{ case_number }}"})
    assert response.status_code == 200
    with scopes_disabled():
        assert not NotificationTemplate.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [{"event": "no_such"}, {"method": "fax"}, {"language": "fr"}],
)
def test_unknown_event_method_or_language_is_not_found(client, org, kwargs):
    client.force_login(make_member(org, Role.MANAGER))
    assert client.get(edit_url(**kwargs)).status_code == 404


def test_restoring_a_default_that_was_never_changed_changes_nothing(org):
    with scope(organization=org):
        assert not restore_default(actor=None, organization=org, **EDIT)
    with scopes_disabled():
        assert not AuditEvent.objects.filter(
            object_type="contact.notificationtemplate"
        ).exists()


def _moves_that_notify():
    from mustafid.cases.transitions import TRANSITIONS

    seen, moves = set(), []
    for (origin, to), rule in TRANSITIONS.items():
        if rule.notify and rule.notify not in seen:
            seen.add(rule.notify)
            moves.append((origin, to))
    return moves


@pytest.mark.parametrize(("origin", "to"), _moves_that_notify())
def test_each_lifecycle_message_renders_from_what_the_move_queued(org, origin, to):
    """Built by the real lifecycle: every message a move queues reads fully in
    both languages, with the request number and nothing of the identity."""
    from mustafid.core.roles import role_has_perm
    from tests.cases.test_transitions import DETAILS, case_ready_for, committee_vote

    rule = transitions.TRANSITIONS[(origin, to)]
    role = next(role for role in Role if role_has_perm(role, rule.perm))
    user = make_member(org, role)
    case = case_ready_for(org, origin, to)
    details = DETAILS | committee_vote(case, to)
    move(org, user, case, to, **details)
    message = last_message(org, rule.notify)
    for method in Method.values:
        for language in ("ar", "en"):
            text = rendered(org, message, method, language)
            assert text.body and "{" not in text.body
            assert case.number in text.subject + text.body
            assert case.beneficiary.identity_number not in text.body


def test_a_row_without_language_reads_in_the_beneficiary_s_and_phone_goes_by_sms(
    org,
):
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(
            organization=org, preferred_language="en", preferred_contact="phone"
        )
        message = OutboxMessage.objects.create(
            organization=org,
            beneficiary=beneficiary,
            event="case_received",
            context=SAMPLES["case_received"],
            channel="phone",
        )
        text = Renderer(org).render_message(message)
    assert text.subject == "" and "received your request" in text.body
