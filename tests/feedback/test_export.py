"""The feedback queue exported to Excel: one row per item as filtered, how it
was handled and never what was said or by whom (P-COMPLAINTS, P-PRIVACY); an
item about a staff member never reaches them (P-EVALCULTURE); audited."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.core.fields import hijri_iso
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.core.spreadsheets import XLSX
from mustafid.feedback import services
from mustafid.feedback.defaults import ensure_defaults
from mustafid.feedback.models import FeedbackCategory, FeedbackItem
from tests.cases.helpers import make_case, make_service
from tests.conftest import make_member
from tests.factories import BeneficiaryFactory
from tests.feedback.helpers import ar, make_item, step

pytestmark = pytest.mark.django_db

EXPORT = "feedback:item_export"


def export(client, **query) -> list[tuple]:
    response = client.get(reverse(EXPORT), query)
    assert response.status_code == 200, response
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    return rows_of(b"".join(response.streaming_content))


def rows_of(content: bytes) -> list[tuple]:
    return list(sheet_of(content).iter_rows(values_only=True))


def sheet_of(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def by_reference(rows) -> dict[str, dict]:
    header = rows[0]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def exports(org) -> list[AuditEvent]:
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(organization=org, action=AuditAction.EXPORT)
        )


@pytest.fixture
def person(org):
    with scope(organization=org):
        return BeneficiaryFactory(organization=org, first_name="منيرة")


@pytest.fixture
def handled(org, members, person):
    """A beneficiary's complaint about a service, resolved, closed and rated."""
    officer = members[Role.RECEPTION]
    with scope(organization=org):
        ensure_defaults(org)
        category = FeedbackCategory.objects.get(name_en="Quality of service")
    item = make_item(
        org,
        sender="beneficiary",
        beneficiary=person,
        sender_name="",
        sender_mobile="",
        category=category,
        about="service",
        service=make_service(org, name_ar="السلة الغذائية", name_en="Food basket"),
        description="لم تصلني السلة الغذائية هذا الشهر.",
    )
    step(org, services.assign, actor=officer, item=item, assignee=officer)
    step(org, services.resolve, actor=officer, item=item, resolution="سُلّمت اليوم.")
    step(org, services.close, actor=officer, item=item)
    step(org, services.record_satisfaction, item=item, score=4)
    with scope(organization=org):
        return FeedbackItem.objects.get(pk=item.pk)


@pytest.fixture
def late(org):
    """An anonymous suggestion received 30 days ago, still open."""
    return make_item(
        org,
        kind="suggestion",
        sender="anonymous",
        sender_name="",
        sender_mobile="",
        received_at=timezone.now() - datetime.timedelta(days=30),
    )


def test_each_item_is_a_row_of_how_it_was_handled(client_as, members, handled, late):
    rows = export(in_english(client_as(Role.MANAGER)), status="any")
    header = rows[0]
    assert header[:6] == (
        "reference", "kind", "category", "channel", "priority", "status"
    )  # fmt: skip
    items = by_reference(rows)
    assert set(items) == {handled.reference, late.reference}

    row = items[handled.reference]
    received = timezone.localdate(handled.received_at)
    assert row["kind"] == "Complaint"
    assert row["category"] == "Quality of service"
    assert row["channel"] == "Phone"
    assert (row["priority"], row["status"]) == ("Normal", "Closed")
    assert row["received at"].date() == received
    assert row["received at (Hijri)"] == hijri_iso(received)
    for name in ("acknowledged at", "resolved at", "closed at"):
        assert row[name].date() == timezone.localdate()
    assert row["target (working days)"] == 5
    assert row["working days taken"] <= 1
    assert row["past the resolution target"] == "no"
    assert row["about"] == "A service: Food basket"
    officer = members[Role.RECEPTION]
    assert row["assigned to"] == officer.get_full_name()
    assert row["sender"] == "A beneficiary"
    assert row["satisfaction with the handling"] == 4

    row = items[late.reference]
    assert (row["kind"], row["status"]) == ("Suggestion", "Acknowledged")
    assert row["resolved at"] is None and row["closed at"] is None
    assert row["working days taken"] >= 20 > row["target (working days)"]
    assert row["past the resolution target"] == "yes"
    assert row["about"] == "The association in general"
    assert row["assigned to"] is None
    assert row["sender"] == "Anonymous"
    assert row["satisfaction with the handling"] is None


def test_no_sender_details_nor_text_of_the_item_are_exported(
    client_as, org, person, handled
):
    """P-PRIVACY: what was said and who said it stay in the application."""
    other = make_item(org, sender_email="fahad@example.com")
    cells = {
        str(value)
        for row in export(client_as(Role.MANAGER), status="any")
        for value in row
        if value is not None
    }
    assert other.reference in cells
    text = " ".join(cells)
    for private in (
        person.first_name,
        person.full_name,
        person.mobile,
        "فهد الدوسري",
        "0551234567",
        "fahad@example.com",
        handled.description,
        other.description,
        handled.resolution,
    ):
        assert private not in text


def test_in_arabic_the_sheet_reads_right_to_left(client_as, handled):
    response = client_as(Role.MANAGER).get(reverse(EXPORT), {"status": "any"})
    sheet = sheet_of(b"".join(response.streaming_content))
    assert sheet.sheet_view.rightToLeft
    header = next(sheet.iter_rows(values_only=True))
    assert header[0] == ar("reference") != "reference"
    assert header[1] == ar("kind") != "kind"
    with scopes_disabled():
        assert sheet.cell(row=1, column=1).font.bold
    english = in_english(client_as(Role.MANAGER)).get(reverse(EXPORT))
    assert not sheet_of(b"".join(english.streaming_content)).sheet_view.rightToLeft


def test_the_export_follows_the_queues_filter(client_as, handled, late):
    client = client_as(Role.MANAGER)
    # As the queue: open items unless told otherwise.
    assert set(by_reference(export(client))) == {late.reference}
    assert set(by_reference(export(client, status="closed"))) == {handled.reference}
    kind = export(client, status="any", kind="complaint")
    assert set(by_reference(kind)) == {handled.reference}
    overdue = export(client, status="any", show="overdue")
    assert set(by_reference(overdue)) == {late.reference}
    mine = export(client, status="any", show="mine")
    assert len(mine) == 1  # the header alone: nothing is the manager's


@pytest.fixture
def subject(org):
    """A manager a beneficiary complains about."""
    return make_member(org, Role.MANAGER, first_name="ناصر", last_name="المطيري")


@pytest.fixture
def about_them(org, subject, person):
    return make_item(
        org,
        sender="beneficiary",
        beneficiary=person,
        sender_name="",
        sender_mobile="",
        about="staff",
        about_staff=subject,
    )


def test_the_staff_member_concerned_never_exports_the_item_about_them(
    client, org, subject, about_them, late
):
    client.force_login(subject)
    rows = export(in_english(client), status="any")
    assert set(by_reference(rows)) == {late.reference}


def test_another_manager_exports_it_with_the_staff_member_named(
    client_as, subject, about_them
):
    rows = export(in_english(client_as(Role.MANAGER)), status="any")
    row = by_reference(rows)[about_them.reference]
    assert row["about"] == f"A staff member: {subject.get_full_name()}"


def test_another_associations_items_are_never_exported(
    client_as, org, other_org, handled
):
    for kind in ("complaint", "remark", "suggestion"):
        make_item(other_org, kind=kind)
    rows = export(in_english(client_as(Role.MANAGER)), status="any")
    assert [row[1] for row in rows[1:]] == ["Complaint"]


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.AUDITOR, Role.ADMIN])
def test_who_lacks_the_queue_or_its_figures_is_refused(client_as, org, late, role):
    client = client_as(role)
    assert client.get(reverse(EXPORT)).status_code == 403
    assert exports(org) == []
    with scopes_disabled():
        refusal = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert refusal.changes["path"] == reverse(EXPORT)


def test_the_queue_offers_the_export_to_the_manager_only(client_as, late):
    link = reverse(EXPORT)
    queue = reverse("feedback:item_list")
    assert link not in client_as(Role.RECEPTION).get(queue).content.decode()
    page = client_as(Role.MANAGER).get(queue, {"kind": "suggestion"})
    assert f"{link}?kind=suggestion" in page.content.decode()


def test_the_export_is_audited_with_its_filter_and_row_count(
    client_as, org, members, handled, late
):
    export(client_as(Role.MANAGER), status="any", kind="complaint")
    [event] = exports(org)
    assert event.actor == members[Role.MANAGER]
    assert event.changes == {
        "format": "xlsx",
        "export": "feedback_items",
        "rows": 1,
        "filter": {"status": "any", "show": "all", "kind": "complaint"},
    }


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "praise"},
        {"status": "<script>"},
        {"show": "everything"},
        {"category": "x"},
        {"channel": "999999"},
    ],
    ids=str,
)
def test_a_bad_filter_is_a_clear_error_and_exports_nothing(client_as, org, late, query):
    client = client_as(Role.MANAGER)
    response = client.get(reverse(EXPORT), query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("feedback:item_list") + "?")
    page = client.get(response["Location"])
    assert page.status_code == 200
    with translation.override("ar"):
        told = translation.gettext("The filter is not valid: nothing was exported.")
    assert told in [str(m) for m in page.context["messages"]]
    assert exports(org) == []


def test_another_associations_category_is_a_bad_filter(client_as, org, other_org):
    with scope(organization=other_org):
        ensure_defaults(other_org)
        theirs = FeedbackCategory.objects.filter(organization=other_org).first()
    response = client_as(Role.MANAGER).get(reverse(EXPORT), {"category": theirs.pk})
    assert response.status_code == 302
    assert exports(org) == []


def _varied_items(org, members, count: int) -> None:
    """Items pointing at everything a row shows: category, service, request,
    staff member, assignee, beneficiary."""
    officer = members[Role.RECEPTION]
    with scope(organization=org):
        ensure_defaults(org)
        categories = list(FeedbackCategory.objects.filter(organization=org))
    for n in range(count):
        beneficiary = BeneficiaryFactory.create(organization=org)
        about = ["service", "case", "staff", "general"][n % 4]
        extra = {
            "service": {"service": make_service(org)},
            "case": {"case": make_case(org, beneficiary=beneficiary)},
            "staff": {"about_staff": make_member(org, Role.SERVICES)},
            "general": {},
        }[about]
        with scope(organization=org):
            item = make_item(
                org,
                sender="beneficiary",
                beneficiary=beneficiary,
                sender_name="",
                sender_mobile="",
                category=categories[n % len(categories)],
                about=about,
                **extra,
            )
        if about != "staff":
            step(org, services.assign, actor=officer, item=item, assignee=officer)


def test_the_export_reads_a_fixed_number_of_queries_whatever_the_rows(
    client_as, org, members
):
    """Design 4: pages and exports issue a bounded number of queries."""
    client = client_as(Role.MANAGER)
    counts = []
    for added, total in ((2, 2), (18, 20)):
        _varied_items(org, members, added)
        with CaptureQueriesContext(connection) as queries:
            rows = export(client, status="any")
        assert len(rows) == 1 + total
        counts.append(len(queries))
    assert counts[0] == counts[1]
