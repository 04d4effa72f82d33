"""A whole request journey in the browser, in Arabic (issue 4, item 14).

Staff do every step through the pages, as they would at the association:
reception receives the request with the scanned attestation and checks the
papers, the researcher studies it, the committee meets, votes and decides (the
decision is applied by the background worker), and the services officer
delivers and closes it. Only the association itself (staff, service, channel,
committee) is set up directly.

Labels of strings the translators have not reached yet are looked up through
gettext (`ar()`), so the test follows the catalogue instead of guessing it;
the status labels, already translated, are spelt out in Arabic.
"""

import datetime
import re

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.cases import committee
from mustafid.cases.models import Case, CommitteeMember, DecisionReason, Delivery
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.roles import Role
from mustafid.registry.models import DocumentType, VerificationStatus
from tests.cases.committee_helpers import membership_of
from tests.cases.helpers import make_channel, make_service
from tests.conftest import make_member, make_organization
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_shell import sign_in
from tests.factories import TINY_PNG, BeneficiaryFactory, DocumentFactory

IDENTITY = "1000000008"
SERVICE = "مساعدة مالية لسداد الإيجار"
CHANNEL = "مقابلة شخصية"
APPROVE_REASON = "تنطبق عليه شروط الخدمة بحسب تقرير البحث الاجتماعي"
REASON_NOTE = "الأسرة بلا دخل ثابت منذ ستة أشهر"


def ar(text: str) -> str:
    """What an Arabic reader sees for `text` (English until it is translated)."""
    with translation.override("ar"):
        return translation.gettext(text)


def png(name: str) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": TINY_PNG}


def as_staff(page, live_server, user) -> None:
    """Sign in as another staff member in the same browser."""
    page.context.clear_cookies()
    sign_in(page, live_server.url, user.username)


def open_case(page, live_server, case) -> None:
    page.goto(live_server.url + reverse("cases:case_detail", args=[case.pk]))


def status_on_page(page) -> str:
    # The status badge is the first badge of the request's facts.
    return page.locator("main section.card").first.locator(".badge").first.inner_text()


def card(page, heading: str):
    """The page's card (section) under `heading`."""
    return page.locator(
        "section.card", has=page.get_by_role("heading", name=heading, exact=True)
    )


def timeline(page) -> str:
    return card(page, ar("Timeline")).inner_text()


def messages_shown(page) -> str:
    return page.locator(".messages").inner_text()


def agenda_row(page, case):
    return page.locator("tr", has=page.get_by_role("link", name=case.number))


def move(page, label: str) -> None:
    """Take one of the request page's next steps (a <details> with its form)."""
    step = page.locator("details").filter(
        has=page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    step.locator("summary").click()
    step.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def set_up_association():
    """The association, its staff and committee, a service needing research and
    the committee with a required document, a channel, and a beneficiary
    registered earlier whose identity copy awaits verification."""
    org = make_organization("birr", name_ar="جمعية البر الخيرية", name_en="Al-Birr")
    staff = {
        "reception": make_member(
            org, Role.RECEPTION, first_name="نورة", last_name="الشهري"
        ),
        "researcher": make_member(
            org, Role.RESEARCHER, first_name="خالد", last_name="الحربي"
        ),
        "manager": make_member(
            org, Role.MANAGER, first_name="عبدالرحمن", last_name="السبيعي"
        ),
        "member1": make_member(
            org, Role.COMMITTEE, first_name="هند", last_name="القحطاني"
        ),
        "member2": make_member(
            org, Role.COMMITTEE, first_name="فهد", last_name="الدوسري"
        ),
        "services": make_member(
            org, Role.SERVICES, first_name="ماجد", last_name="العنزي"
        ),
    }
    with scope(organization=org):
        id_copy = DocumentType.objects.create(
            organization=org,
            code="national_id",
            name_ar="صورة الهوية الوطنية",
            name_en="National ID copy",
            expires=True,
        )
        service = make_service(org, name_ar=SERVICE, name_en="Rent support")
        service.required_documents.set([id_copy])
        make_channel(org, name_ar=CHANNEL, name_en="In person")
        person = BeneficiaryFactory(
            organization=org,
            first_name="مريم",
            father_name="سالم",
            grandfather_name="عبدالله",
            family_name="الغامدي",
            identity_number=IDENTITY,
            mobile="+966551234567",
        )
        DocumentFactory(
            organization=org,
            beneficiary=person,
            document_type=id_copy,
            expires_on=timezone.localdate() + datetime.timedelta(days=400),
        )
        manager = staff["manager"]
        seats = [
            committee.add_member(
                actor=manager,
                organization=org,
                membership=membership_of(staff[key], org),
                is_chair=key == "manager",
            )
            for key in ("manager", "member1", "member2")
        ]
        committee.set_quorum(actor=manager, organization=org, quorum_minimum=2)
    return org, staff, person, seats


def test_a_request_goes_from_intake_to_closing_through_the_pages(
    page, live_server, transactional_db
):
    org, staff, person, seats = set_up_association()
    today = timezone.localdate().isoformat()

    # --- Reception: find the beneficiary, receive the request -----------------
    as_staff(page, live_server, staff["reception"])
    page.goto(live_server.url + reverse("registry:beneficiary_list"))
    page.fill("#id_q", IDENTITY)
    page.get_by_role("button", name=ar("Search"), exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=person.full_name).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=ar("New request")).first.click()
    page.wait_for_load_state()
    assert person.full_name in page.locator("main").inner_text()
    page.select_option("#id_channel", label=CHANNEL)
    page.select_option("#id_service", label=SERVICE)
    page.locator("input[name=attestation_method][value=paper_scan]").check()
    page.set_input_files("#id_scan", png("attestation.png"))
    page.fill("#id_notes", "حضرت المستفيدة بنفسها ومعها صورة الهوية")
    screenshot(page, "journey-01-intake-ar")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name=ar("Submit the request")).click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))

    with scopes_disabled():
        case = Case.objects.get(beneficiary=person)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert case.number in page.locator("h1").inner_text()
    assert status_on_page(page) == "مقدَّم"
    assert case.number in messages_shown(page)
    events = timeline(page)
    assert "مسودة" in events and "مقدَّم" in events
    assert "ظاهر للمستفيد" in events  # the submission is on the beneficiary's timeline
    assert page.get_by_role("link", name=ar("Open the signed form")).is_visible()
    screenshot(page, "journey-02-case-submitted-ar")
    assert serious_accessibility_violations(page) == []

    # --- Reception checks the papers ------------------------------------------
    move(page, "التحقق من المستندات")
    assert status_on_page(page) == "التحقق من المستندات"
    documents = card(page, ar("Required documents"))
    assert ar("Awaiting verification") in documents.inner_text()
    # Research cannot start while the identity copy is unverified: the guard says so.
    move(page, "البحث الاجتماعي")
    assert "صورة الهوية الوطنية" in messages_shown(page)
    assert status_on_page(page) == "التحقق من المستندات"

    documents.get_by_role("link", name=ar("Verify"), exact=True).click()
    page.wait_for_load_state()
    page.locator("input[name=decision][value=verify]").check()
    page.get_by_role("button", name=ar("Record the decision")).click()
    page.wait_for_load_state()
    open_case(page, live_server, case)
    assert ar("Verified") in documents.inner_text()

    # --- Reception assigns the researcher; research starts ---------------------
    page.get_by_role("link", name=ar("Assign a researcher")).click()
    page.wait_for_load_state()
    page.locator(f"input[name=researcher][value='{staff['researcher'].pk}']").check()
    page.get_by_role("button", name=ar("Assign"), exact=True).click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    research = card(page, ar("Social research"))
    assert "خالد الحربي" in research.inner_text()
    move(page, "البحث الاجتماعي")
    assert status_on_page(page) == "البحث الاجتماعي"

    # --- The researcher finds it in their queue and writes the report ----------
    as_staff(page, live_server, staff["researcher"])
    page.get_by_role("link", name=ar("My work")).click()
    page.wait_for_url(re.compile(r"/cases/queues/research/$"))
    assert page.locator("h1").inner_text() == ar("My research")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "journey-03-research-queue-ar")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=ar("Write the research report")).click()
    page.wait_for_load_state()
    page.select_option("#id_researched_on_0", "gregorian")
    page.fill("#id_researched_on_1", today)
    page.locator("input[name=visit_type][value=field]").check()
    page.fill(
        "#id_findings",
        "تسكن الأسرة في شقة مستأجرة من غرفتين، والإيجار متأخر ثلاثة أشهر.",
    )
    page.fill(
        "#id_household_situation",
        "أم وأربعة أبناء، لا دخل ثابتاً، والضمان الاجتماعي لم يُصرف بعد.",
    )
    page.locator("input[name=recommendation][value=approve]").check()
    page.fill("#id_recommendation_text", "الحاجة ثابتة بالزيارة الميدانية.")
    page.set_input_files("#id_attachment", png("visit.png"))
    screenshot(page, "journey-04-research-report-ar")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name=ar("Complete the report")).click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    assert "الحاجة ثابتة بالزيارة الميدانية." in research.inner_text()
    assert research.locator("a[href*='/research/attachments/']").count() == 1
    move(page, "لدى لجنة البحث")
    assert status_on_page(page) == "لدى لجنة البحث"

    # --- The manager plans the meeting, builds the agenda, holds it ------------
    manager = staff["manager"]
    as_staff(page, live_server, manager)
    page.goto(live_server.url + reverse("cases:committee_meetings"))
    page.get_by_role("link", name=ar("Plan a meeting")).click()
    page.wait_for_load_state()
    page.select_option("#id_date_0", "gregorian")
    page.fill("#id_date_1", today)
    page.fill("#id_notes", "الاجتماع الدوري للجنة البحث")
    page.get_by_role("button", name=ar("Plan the meeting")).click()
    page.wait_for_url(re.compile(r"/cases/committee/\d+/$"))
    meeting_url = page.url
    page.get_by_role("button", name=ar("Add them to the agenda")).click()
    page.wait_for_load_state()
    agenda = page.locator("table.table")
    assert case.number in agenda.inner_text()
    assert person.full_name in agenda.inner_text()
    page.get_by_role("link", name=ar("Hold the meeting")).click()
    page.wait_for_load_state()
    for seat in seats:
        page.locator(f"input[name=attendees][value='{seat.pk}']").check()
    page.get_by_role("button", name=ar("Record the attendance")).click()
    page.wait_for_url(meeting_url)

    # The chair votes from the agenda's quick buttons.
    agenda_row(page, case).get_by_role("button", name=ar("Approve"), exact=True).click()
    page.wait_for_url(meeting_url)
    assert "1 / 0 / 0" in agenda_row(page, case).inner_text()

    # --- Committee members give the reasons and vote on the request's page -----
    as_staff(page, live_server, staff["member1"])
    page.goto(meeting_url)
    page.get_by_role("link", name=case.number).click()
    page.wait_for_load_state()
    reasons_form = page.locator(
        "form", has=page.get_by_role("button", name=ar("Save the reasons"))
    )
    reasons_form.get_by_label(APPROVE_REASON).check()
    reasons_form.locator("textarea[name=note]").fill(REASON_NOTE)
    reasons_form.get_by_role("button", name=ar("Save the reasons")).click()
    page.wait_for_load_state()
    vote_form = page.locator(
        "form", has=page.get_by_role("button", name=ar("Record the vote"))
    )
    vote_form.locator("input[name=choice][value=approve]").check()
    vote_form.locator("textarea[name=note]").fill("أؤيد توصية الباحث")
    vote_form.get_by_role("button", name=ar("Record the vote")).click()
    page.wait_for_load_state()

    as_staff(page, live_server, staff["member2"])
    page.goto(meeting_url)
    page.get_by_role("link", name=case.number).click()
    page.wait_for_load_state()
    vote_form = page.locator(
        "form", has=page.get_by_role("button", name=ar("Record the vote"))
    )
    vote_form.locator("input[name=choice][value=reject]").check()
    vote_form.locator("textarea[name=note]").fill("يُكتفى بالضمان الاجتماعي بعد صرفه")
    vote_form.get_by_role("button", name=ar("Record the vote")).click()
    page.wait_for_load_state()
    votes = page.locator("table.table").inner_text()
    assert "هند القحطاني" in votes and "فهد الدوسري" in votes
    assert "يُكتفى بالضمان الاجتماعي بعد صرفه" in votes
    screenshot(page, "journey-05-committee-item-ar")
    assert serious_accessibility_violations(page) == []

    # --- The manager applies the decisions; the worker runs them ---------------
    as_staff(page, live_server, manager)
    page.goto(meeting_url)
    assert "2 / 1 / 0" in agenda_row(page, case).inner_text()
    screenshot(page, "journey-06-meeting-votes-ar")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name=ar("Apply the decisions")).click()
    page.wait_for_url(meeting_url)
    progress = page.locator("#decision-progress")
    assert ar("Waiting for the background worker to start.") in progress.inner_text()
    assert progress.get_attribute("hx-trigger") == "every 2s"
    # Leave the polling page while the worker writes (one SQLite connection is
    # shared with the live server's thread), then come back.
    page.goto("about:blank")
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    page.goto(meeting_url)
    progress = page.locator("#decision-progress")
    assert progress.get_attribute("hx-trigger") is None
    assert (
        ar("The meeting is decided: every request on its agenda has its outcome.")
        in progress.inner_text()
    )
    assert "مقبول" in agenda_row(page, case).inner_text()
    screenshot(page, "journey-07-meeting-decided-ar")

    page.get_by_role("link", name=ar("Minutes")).click()
    page.wait_for_load_state()
    minutes = page.locator("main").inner_text()
    for name in ("عبدالرحمن السبيعي", "هند القحطاني", "فهد الدوسري"):
        assert name in minutes
    assert (
        case.number in minutes and APPROVE_REASON in minutes and REASON_NOTE in minutes
    )
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "journey-08-minutes-ar")
    assert serious_accessibility_violations(page) == []

    # --- The request shows the decision and its reasons ------------------------
    open_case(page, live_server, case)
    assert status_on_page(page) == "مقبول"
    facts = page.locator("main section.card").first.inner_text()
    assert "أسباب القرار" in facts
    assert APPROVE_REASON in facts and REASON_NOTE in facts
    events = timeline(page)
    assert "لدى لجنة البحث" in events and "مقبول" in events
    screenshot(page, "journey-09-case-approved-ar")
    assert serious_accessibility_violations(page) == []

    # --- The services officer delivers and closes ------------------------------
    as_staff(page, live_server, staff["services"])
    page.get_by_role("link", name=ar("My work")).click()
    page.wait_for_url(re.compile(r"/cases/queues/delivery/$"))
    page.get_by_role("link", name=case.number).click()
    page.wait_for_load_state()
    move(page, "قيد التسليم")
    assert status_on_page(page) == "قيد التسليم"
    page.select_option("#id_delivery_kind", "cash")
    page.fill("#id_delivery_amount", "1500")
    page.fill("#id_delivery_note", "حوالة بنكية لإيجار ثلاثة أشهر")
    page.set_input_files("#id_delivery_proof", png("receipt.png"))
    page.get_by_role("button", name=ar("Record the delivery")).click()
    page.wait_for_load_state()
    deliveries = card(page, ar("Deliveries"))
    assert "1500" in deliveries.inner_text()
    assert deliveries.locator("a[href$='/proof/']").count() == 1
    move(page, "مغلق")
    assert status_on_page(page) == "مغلق"
    events = timeline(page)
    for label in (
        "مقدَّم",
        "التحقق من المستندات",
        "البحث الاجتماعي",
        "لدى لجنة البحث",
        "مقبول",
        "قيد التسليم",
        "مغلق",
    ):
        assert label in events, label
    assert APPROVE_REASON in events  # the decision's reasons stay on the timeline
    screenshot(page, "journey-10-case-closed-ar")
    assert serious_accessibility_violations(page) == []

    # --- What the beneficiary will be told -------------------------------------
    with scopes_disabled():
        case.refresh_from_db()
        assert case.status == "closed"
        delivery = Delivery.objects.get(case=case)
        messages = list(OutboxMessage.objects.filter(beneficiary=person))
        reason = DecisionReason.objects.get(organization=org, name_ar=APPROVE_REASON)
        document = person.documents.get()
        assert CommitteeMember.objects.filter(organization=org).count() == 3
    assert document.status == VerificationStatus.VERIFIED
    assert delivery.proof and delivery.proof_content_type == "image/png"
    assert [m.event for m in messages] == [
        "case_received",
        "decision",
        "delivery_scheduled",
    ]
    assert all(
        m.status == "queued" and m.context["case"] == case.number for m in messages
    )
    decision = messages[1].context
    assert decision["decision"] == "approved"
    assert APPROVE_REASON in decision["reasons"] and REASON_NOTE in decision["reasons"]
    assert [r["code"] for r in decision["reason_list"]] == [reason.code]
