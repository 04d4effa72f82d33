"""The indicators equal the figures counted by hand (P-SATISFACTION); results
about a staff member reach managers only (P-EVALCULTURE)."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from openpyxl import load_workbook

from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.surveys import indicators, services
from mustafid.surveys.invitations import invite
from tests.cases.helpers import make_service
from tests.conftest import make_member
from tests.factories import BeneficiaryFactory
from tests.surveys.helpers import ar, make_questionnaire, questions

pytestmark = pytest.mark.django_db


def _values(questionnaire, rating, nps=None):
    q = questions(questionnaire)
    values = {q["rating"].pk: rating}
    if nps is not None:
        values[q["nps"].pk] = nps
    return values


@pytest.fixture
def data(org, members):
    """Service A: two answers by link (5 & NPS 10, 4 & NPS 8) out of three
    invitations; service B: two paper answers (2 & NPS 3, 3) and one
    unanswered invitation."""
    questionnaire = make_questionnaire(org)
    service_a, service_b = make_service(org), make_service(org)
    first = make_member(org, Role.SERVICES, first_name="سارة", last_name="العمري")
    second = make_member(org, Role.SERVICES, first_name="خالد", last_name="الحربي")
    with scope(organization=org):
        version = questionnaire.current_version()
        people = BeneficiaryFactory.create_batch(4, organization=org)
        sent = [
            invite(
                questionnaire=questionnaire,
                beneficiary=person,
                programme_key="p1",
                service=service,
                staff=staff,
            )
            for person, service, staff in (
                (people[0], service_a, first),
                (people[1], service_a, first),
                (people[2], service_a, first),
                (people[3], service_b, second),
            )
        ]
        for invitation, (rating, nps) in zip(sent[:2], [(5, 10), (4, 8)], strict=True):
            services.submit_response(
                invitation=invitation,
                version=version,
                values=_values(questionnaire, rating, nps),
            )
        for rating, nps in [(2, 3), (3, None)]:
            services.enter_paper_response(
                actor=members[Role.RECEPTION],
                questionnaire=questionnaire,
                version=version,
                values=_values(questionnaire, rating, nps),
                answered_on=timezone.localdate(),
                service=service_b,
                staff=second,
            )
    return {"a": service_a, "b": service_b, "first": first, "second": second}


def test_the_overall_figures_equal_the_hand_count(org, data):
    with scope(organization=org):
        total = indicators.compute(indicators.Filters()).total
    assert total.responses == 4
    assert total.ratings == 4
    assert total.satisfaction_rate == 50.0  # 5 and 4 of 5, 4, 2, 3
    assert total.mean_score == 3.5  # (5 + 4 + 2 + 3) / 4
    assert total.nps == 0.0  # one promoter (10), one detractor (3), of three
    assert (total.invited, total.answered, total.response_rate) == (4, 2, 50.0)


def test_the_breakdowns_equal_the_hand_count(org, data):
    with scope(organization=org):
        report = indicators.compute(indicators.Filters(), with_staff=True)
    by_service = {row.key: row for row in report.by_service}
    a, b = by_service[data["a"].pk], by_service[data["b"].pk]
    assert (a.satisfaction_rate, a.mean_score, a.nps) == (100.0, 4.5, 50.0)
    assert (a.invited, a.answered, a.response_rate) == (3, 2, 66.7)
    assert (b.satisfaction_rate, b.mean_score, b.nps) == (0.0, 2.5, -100.0)
    assert (b.invited, b.answered, b.response_rate) == (1, 0, 0.0)
    by_channel = {row.key: row for row in report.by_channel}
    assert by_channel["sms"].satisfaction_rate == 100.0
    assert by_channel["paper"].satisfaction_rate == 0.0
    # Paper answers have no invitation: no response rate.
    assert by_channel["paper"].response_rate is None
    by_staff = {row.key: row for row in report.by_staff}
    assert by_staff[data["first"].pk].mean_score == 4.5
    assert by_staff[data["second"].pk].mean_score == 2.5
    [month] = report.by_month
    assert month.responses == 4
    assert report.ratings == [(5, 1), (4, 1), (3, 1), (2, 1), (1, 0)]


def test_filters_narrow_every_figure(org, data):
    with scope(organization=org):
        only_a = indicators.compute(indicators.Filters(service=data["a"])).total
        paper = indicators.compute(indicators.Filters(channel="paper")).total
        later = indicators.compute(
            indicators.Filters(
                date_from=timezone.localdate() + datetime.timedelta(days=1)
            )
        ).total
    assert (only_a.responses, only_a.mean_score, only_a.response_rate) == (
        2,
        4.5,
        66.7,
    )
    assert (paper.responses, paper.satisfaction_rate, paper.invited) == (2, 0.0, 0)
    assert (later.responses, later.satisfaction_rate, later.invited) == (0, None, 0)


def test_the_page_costs_a_bounded_number_of_queries(client_as, org, data):
    client = client_as(Role.MANAGER)
    url = reverse("surveys:indicators")
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    # Many more answers cost no more queries.
    questionnaire = make_questionnaire(org)
    with scope(organization=org):
        for n in range(15):
            services.enter_paper_response(
                actor=data["first"],
                questionnaire=questionnaire,
                version=questionnaire.current_version(),
                values=_values(questionnaire, 1 + n % 5, n % 11),
                answered_on=timezone.localdate() - datetime.timedelta(days=40 * n),
                service=make_service(org),
                staff=make_member(org, Role.SERVICES),
            )
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before) <= 25


def test_only_managers_see_results_about_a_staff_member(client_as, org, data):
    """P-EVALCULTURE: never a public ranking."""
    manager = client_as(Role.MANAGER).get(reverse("surveys:indicators"))
    assert ar("By staff member") in manager.content.decode()
    assert "سارة العمري" in manager.content.decode()
    for role in (Role.SERVICES, Role.AUDITOR, Role.ADMIN, Role.RECEPTION):
        page = client_as(role).get(
            reverse("surveys:indicators"), {"staff": data["first"].pk}
        )
        assert page.status_code == 200
        content = page.content.decode()
        assert ar("By staff member") not in content
        assert "سارة العمري" not in content and "خالد الحربي" not in content
        assert page.context["report"].by_staff is None
        # The staff filter is ignored: the figures are the association's.
        assert page.context["report"].total.responses == 4


def _sheets(response) -> dict:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {sheet.title: list(sheet.values) for sheet in workbook.worksheets}


def test_the_export_has_the_staff_sheet_for_managers_only_and_is_audited(
    client_as, org, data
):
    staff_sheet = ar("By staff member")
    manager = _sheets(client_as(Role.MANAGER).get(reverse("surveys:indicators_export")))
    assert staff_sheet in manager
    names = {row[0] for row in manager[staff_sheet][1:]}
    assert {"سارة العمري", "خالد الحربي"} <= names
    summary = manager[ar("Summary")]
    assert summary[1][1:4] == (4, 50.0, 3.5)  # responses, rate, mean

    services_role = _sheets(
        client_as(Role.SERVICES).get(reverse("surveys:indicators_export"))
    )
    assert staff_sheet not in services_role
    cells = {str(v) for rows in services_role.values() for row in rows for v in row}
    assert "سارة العمري" not in cells
    with scope(organization=org):
        exports = AuditEvent.objects.filter(action=AuditAction.EXPORT)
        assert exports.count() == 2
        assert {e.changes["by_staff"] for e in exports} == {True, False}


def test_an_invalid_filter_is_explained_not_a_500(client_as, org):
    client = client_as(Role.MANAGER)
    page = client.get(
        reverse("surveys:indicators"),
        {"date_from": "2025-05-01", "date_to": "2025-01-01", "service": "abc"},
    )
    assert page.status_code == 400
    assert "date_to" in page.context["form"].errors
    export = client.get(reverse("surveys:indicators_export"), {"date_from": "x"})
    assert export.status_code == 302
