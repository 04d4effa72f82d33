"""Social research: assigning researchers, their reports, referred questions
(P-REFER-RESEARCH), and the guard that research ends with a completed report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.cases import research, transitions
from mustafid.cases.models import (
    Case,
    ResearchAssignment,
    ResearchAttachment,
    ResearchQuestion,
    ResearchReport,
)
from mustafid.core.models import AuditAction, AuditEvent, Membership
from mustafid.core.roles import Role
from tests.cases.helpers import add_research_report, make_case, make_service
from tests.cases.research_helpers import (
    add_attachment,
    assign,
    make_question,
    make_researching_case,
)
from tests.conftest import make_member
from tests.factories import TINY_PNG


def audit_events(obj):
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(
                object_type=obj._meta.label_lower, object_id=str(obj.pk)
            )
        )


NEEDS_REPORT = "A completed research report is needed first."


def in_both_languages(message: str) -> set[str]:
    # The Arabic catalogue is filled at the end: accept either language.
    with translation.override("ar"):
        return {message, translation.gettext(message)}


def report_data(**extra):
    return {
        "researched_on_0": "gregorian",
        "researched_on_1": timezone.localdate().isoformat(),
        "visit_type": "field",
        "findings": "الأسرة تسكن في بيت شعبي",
        "household_situation": "أم وأربعة أطفال بلا دخل ثابت",
        "recommendation": "approve",
        "recommendation_text": "تستحق المساعدة المالية",
    } | extra


# Assigning a researcher


def test_reception_assigns_a_researcher_audited_and_shown_on_the_request(
    client_as, org, members
):
    """P-REFER-RESEARCH: the request goes to a named researcher, on the record."""
    case = make_case(org, "verifying")
    researcher = members[Role.RESEARCHER]
    client = client_as(Role.RECEPTION)
    response = client.post(
        reverse("cases:research_assign", args=[case.pk]),
        {"researcher": researcher.pk, "note": "زيارة منزلية"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assignment = ResearchAssignment.objects.get()
    assert (assignment.case, assignment.researcher) == (case, researcher)
    assert assignment.assigned_by == members[Role.RECEPTION]
    [event] = audit_events(assignment)
    assert event.action == AuditAction.CREATE
    assert event.changes["researcher"] == [None, researcher.username]
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert researcher.get_full_name() in page
    assert "زيارة منزلية" in page


def test_the_form_shows_each_researchers_open_workload(client_as, org, members):
    busy = members[Role.RESEARCHER]
    idle = make_member(org, Role.RESEARCHER, first_name="خالد", last_name="الحربي")
    for status in ("researching", "verifying"):
        assign(make_case(org, status), busy)
    # Decided and finished requests are no longer work.
    assign(make_case(org, "approved"), busy)
    assign(make_case(org, "closed"), idle)
    case = make_case(org, "verifying")
    response = client_as(Role.MANAGER).get(
        reverse("cases:research_assign", args=[case.pk])
    )
    field = response.context["form"].fields["researcher"]
    labels = {user.pk: field.label_from_instance(user) for user in field.queryset}
    assert {user.pk: user.workload for user in field.queryset} == {
        busy.pk: 2,
        idle.pk: 0,
    }
    assert "2" in labels[busy.pk] and "خالد الحربي" in labels[idle.pk]


@pytest.mark.parametrize("who", ["reception", "other_association", "inactive"])
def test_only_an_active_researcher_of_the_association_is_assigned(
    client_as, org, other_org, members, who
):
    case = make_case(org, "verifying")
    if who == "reception":
        candidate = members[Role.RECEPTION]
    elif who == "other_association":
        candidate = make_member(other_org, Role.RESEARCHER)
    else:
        candidate = make_member(org, Role.RESEARCHER)
        with scopes_disabled():
            Membership.objects.filter(user=candidate).update(is_active=False)
    response = client_as(Role.RECEPTION).post(
        reverse("cases:research_assign", args=[case.pk]),
        {"researcher": candidate.pk},
    )
    assert response.status_code == 200
    assert "researcher" in response.context["form"].errors
    with scope(organization=org), pytest.raises(research.ResearchRefused):
        research.assign_researcher(
            actor=members[Role.MANAGER], case=case, researcher=candidate
        )
    with scopes_disabled():
        assert not ResearchAssignment.objects.exists()


def test_reassignment_ends_the_previous_one_and_keeps_it(org, members):
    case = make_case(org, "researching")
    first = members[Role.RESEARCHER]
    second = make_member(org, Role.RESEARCHER)
    with scope(organization=org):
        research.assign_researcher(
            actor=members[Role.MANAGER], case=case, researcher=first
        )
        with pytest.raises(research.ResearchRefused):
            research.assign_researcher(
                actor=members[Role.MANAGER], case=case, researcher=first
            )
        research.assign_researcher(
            actor=members[Role.MANAGER], case=case, researcher=second
        )
        rows = list(case.research_assignments.order_by("id"))
        assert research.current_researcher(case) == second
    assert [(r.researcher, r.ended_at is None) for r in rows] == [
        (first, False),
        (second, True),
    ]


@pytest.mark.parametrize(
    "status,needs_research", [("in_committee", True), ("verifying", False)]
)
def test_no_assignment_once_the_committee_has_it_or_without_research(
    client_as, org, members, status, needs_research
):
    case = make_case(
        org, status, service=make_service(org, needs_research=needs_research)
    )
    client = client_as(Role.RECEPTION)
    url = reverse("cases:research_assign", args=[case.pk])
    assert not client.get(url).context["assignable"]
    response = client.post(url, {"researcher": members[Role.RESEARCHER].pk})
    assert response.context["form"].non_field_errors()
    with scopes_disabled():
        assert not ResearchAssignment.objects.exists()


# The research report


def test_another_researcher_may_not_write_the_report(client_as, org, members):
    """Only the assigned researcher, or a manager, writes it (P-REFER-RESEARCH)."""
    case = make_researching_case(org, make_member(org, Role.RESEARCHER))
    url = reverse("cases:research_report", args=[case.pk])
    assert client_as(Role.RESEARCHER).get(url).status_code == 403
    response = client_as(Role.RESEARCHER).post(url, report_data(complete="1"))
    assert response.status_code == 403
    with scopes_disabled():
        refusals = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED)
        assert refusals.filter(actor=members[Role.RESEARCHER]).count() == 2
    assert client_as(Role.MANAGER).get(url).status_code == 200
    with scopes_disabled():
        assert not ResearchReport.objects.exists()


def test_draft_then_completed_report_with_a_private_attachment(client_as, org, members):
    case = make_researching_case(org, members[Role.RESEARCHER])
    client = client_as(Role.RESEARCHER)
    url = reverse("cases:research_report", args=[case.pk])
    draft = report_data(findings="", recommendation="", draft="1")
    draft["attachment"] = SimpleUploadedFile("home.png", TINY_PNG, "image/png")
    assert client.post(url, draft).status_code == 302
    with scopes_disabled():
        report = ResearchReport.objects.get()
        attachment = ResearchAttachment.objects.get()
    assert report.status == "draft" and report.researcher == members[Role.RESEARCHER]
    assert attachment.report == report and attachment.content_type == "image/png"
    assert "home" not in attachment.file.name  # the stored name is ours

    # Completing needs every part of the study; nothing changes meanwhile.
    response = client.post(url, report_data(findings=" ", complete="1"))
    assert response.status_code == 200
    assert "findings" in response.context["form"].errors
    with scopes_disabled():
        assert ResearchReport.objects.get().status == "draft"

    assert client.post(url, report_data(complete="1")).status_code == 302
    with scopes_disabled():
        report = ResearchReport.objects.get()
    assert report.status == "completed" and report.completed_at
    assert report.recommendation == "approve"
    assert [e.action for e in audit_events(report)] == ["update", "create"]
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "تستحق المساعدة المالية" in page
    assert reverse("cases:research_attachment", args=[attachment.pk]) in page


def test_a_completed_report_is_never_edited(client_as, org, members):
    case = make_researching_case(org, members[Role.RESEARCHER])
    completed = add_research_report(case)
    client = client_as(Role.RESEARCHER)
    client.post(
        reverse("cases:research_report", args=[case.pk]),
        report_data(findings="نتائج جديدة", draft="1"),
    )
    with scopes_disabled():
        completed.refresh_from_db()
        reports = ResearchReport.objects.count()
    assert completed.findings != "نتائج جديدة"
    assert reports == 2  # a follow-up study is a new report


@pytest.mark.parametrize(
    "bad", [{"researched_on_1": "1446-13-40"}, {"visit_type": "email"}]
)
def test_bad_input_is_refused_and_changes_nothing(client_as, org, members, bad):
    case = make_researching_case(org, members[Role.RESEARCHER])
    response = client_as(Role.RESEARCHER).post(
        reverse("cases:research_report", args=[case.pk]), report_data(**bad)
    )
    assert response.status_code == 200 and response.context["form"].errors
    with scopes_disabled():
        assert not ResearchReport.objects.exists()


def test_a_report_is_written_only_during_research(client_as, org, members):
    case = make_case(org, "verifying")
    assign(case, members[Role.RESEARCHER])
    url = reverse("cases:research_report", args=[case.pk])
    client = client_as(Role.RESEARCHER)
    assert not client.get(url).context["writable"]
    client.post(url, report_data(complete="1"))
    with scopes_disabled():
        assert not ResearchReport.objects.exists()


def test_attachments_are_served_after_the_check_and_audited(client_as, org):
    report = add_research_report(make_case(org, "in_committee"))
    attachment = add_attachment(report)
    response = client_as(Role.AUDITOR).get(
        reverse("cases:research_attachment", args=[attachment.pk])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == TINY_PNG
    assert [e.action for e in audit_events(attachment)] == [AuditAction.VIEW]


# The guard on leaving research


@pytest.mark.parametrize(
    "to,committee", [("in_committee", True), ("approved", False), ("rejected", False)]
)
def test_research_ends_only_with_a_completed_report(org, members, to, committee):
    """P-REFER-RESEARCH, P-COMMITTEE: the decision rests on the researcher's study."""
    service = make_service(org, needs_committee=committee)
    case = make_case(org, "researching", service=service)
    actor = members[Role.RESEARCHER if to == "in_committee" else Role.MANAGER]
    with scope(organization=org):
        membership = Membership.objects.get(user=actor)

    def move():
        with scope(organization=org):
            current = Case.objects.get(pk=case.pk)
            return transitions.transition(
                actor=actor,
                membership=membership,
                case=current,
                to=to,
                expected_version=current.version,
                reason="حسب توصية الباحث",
            )

    with pytest.raises(transitions.GuardFailed) as refused:
        move()
    assert str(refused.value) in in_both_languages(NEEDS_REPORT)
    add_research_report(case, completed=False)
    with pytest.raises(transitions.GuardFailed):
        move()
    add_research_report(case)
    assert move().status == to


def test_the_page_says_the_report_is_needed_first(client_as, org):
    case = make_case(org, "researching")
    response = client_as(Role.RESEARCHER).post(
        reverse("cases:case_move", args=[case.pk, "in_committee"]),
        {"version": case.version},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert set(shown) & in_both_languages(NEEDS_REPORT)
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).status == "researching"


# Questions referred to a researcher


def test_reception_refers_a_question_and_the_researcher_answers_it(
    client_as, org, members, beneficiary
):
    """P-REFER-RESEARCH: procedures unclear to the beneficiary go to a researcher."""
    researcher = members[Role.RESEARCHER]
    client = client_as(Role.RECEPTION)
    response = client.post(
        reverse("cases:question_refer", args=[beneficiary.pk]),
        {"researcher": researcher.pk, "question": "ما المستندات المطلوبة للإعانة؟"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        question = ResearchQuestion.objects.get()
    assert (question.status, question.referred_by) == ("open", members[Role.RECEPTION])
    assert audit_events(question)[0].action == AuditAction.CREATE

    client = client_as(Role.RESEARCHER)
    queue = client.get(reverse("cases:work_queue", args=["research"]))
    assert list(queue.context["questions"]) == [question]
    url = reverse("cases:question_answer", args=[question.pk])
    assert client.post(url, {"answer": " "}).status_code == 200
    assert client.post(url, {"answer": "صورة الهوية ومشهد الضمان"}).status_code == 302
    with scopes_disabled():
        question.refresh_from_db()
    assert question.status == "answered" and question.answered_at
    assert question.answered_by == researcher
    assert not client.get(reverse("cases:work_queue", args=["research"])).context[
        "questions"
    ]
    profile = client_as(Role.RECEPTION).get(
        reverse("registry:beneficiary_detail", args=[beneficiary.pk]),
        {"tab": "questions"},
    )
    assert "صورة الهوية ومشهد الضمان" in profile.content.decode()


def test_a_question_is_answered_once_by_its_researcher(client_as, org, members):
    question = make_question(org, make_member(org, Role.RESEARCHER))
    url = reverse("cases:question_answer", args=[question.pk])
    assert client_as(Role.RESEARCHER).post(url, {"answer": "نعم"}).status_code == 403
    client = client_as(Role.MANAGER)
    client.post(url, {"answer": "نعم"})
    response = client.post(url, {"answer": "لا"})
    assert response.context["form"].non_field_errors()
    with scopes_disabled():
        assert ResearchQuestion.objects.get().answer == "نعم"


def test_a_question_names_only_the_beneficiarys_own_request(
    client_as, org, members, beneficiary
):
    someone_elses = make_case(org, "submitted")
    response = client_as(Role.RECEPTION).post(
        reverse("cases:question_refer", args=[beneficiary.pk]),
        {
            "researcher": members[Role.RESEARCHER].pk,
            "question": "سؤال",
            "case": someone_elses.pk,
        },
    )
    assert "case" in response.context["form"].errors
    with scopes_disabled():
        assert not ResearchQuestion.objects.exists()
