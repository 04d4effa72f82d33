"""No figure of an anonymous questionnaire over fewer than SURVEY_MIN_CELL
answers, overall or in any row of a breakdown, on the page or in the export:
a handful of answers could point at the person who gave them (P-PRIVACY,
P-SATISFACTION). Non-anonymous questionnaires are shown as before."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope
from openpyxl import load_workbook

from mustafid.core.roles import Role
from mustafid.surveys import indicators, services
from mustafid.surveys.invitations import invite
from tests.cases.helpers import make_service
from tests.conftest import make_member
from tests.factories import BeneficiaryFactory
from tests.surveys.helpers import ar, make_questionnaire, questions

pytestmark = pytest.mark.django_db
LONE_COMMENT = "الموظف الوحيد في الفرع تأخر"


def fewer_than(count: int) -> str:
    with translation.override("ar"):
        return translation.ngettext(
            "fewer than %(count)s answer", "fewer than %(count)s answers", count
        ) % {"count": count}


def _paper(questionnaire, actor, service, staff, rating, text=""):
    q = questions(questionnaire)
    values = {q["rating"].pk: rating}
    if text:
        values[q["text"].pk] = text
    services.enter_paper_response(
        actor=actor,
        questionnaire=questionnaire,
        version=questionnaire.current_version(),
        values=values,
        answered_on=timezone.localdate(),
        service=service,
        staff=staff,
    )


def _answers(org, questionnaire, shape):
    """Answers for `questionnaire`: service A, by the first staff member, five
    on paper and one by SMS link; service B, by the second, two on paper (one
    with a comment)."""
    actor = shape["actor"]
    with scope(organization=org):
        for rating in (5, 4, 4, 3, 5):
            _paper(questionnaire, actor, shape["a"], shape["first"], rating)
        _paper(questionnaire, actor, shape["b"], shape["second"], 1, LONE_COMMENT)
        _paper(questionnaire, actor, shape["b"], shape["second"], 2)
        invitation = invite(
            questionnaire=questionnaire,
            beneficiary=BeneficiaryFactory(organization=org, preferred_contact="sms"),
            programme_key="p1",
            service=shape["a"],
            staff=shape["first"],
        )
        services.submit_response(
            invitation=invitation,
            version=questionnaire.current_version(),
            values={questions(questionnaire)["rating"].pk: 5},
        )


@pytest.fixture
def shape(org, members):
    return {
        "a": make_service(org, name_ar="كفالة أيتام"),
        "b": make_service(org, name_ar="سلة غذائية"),
        "first": make_member(org, Role.SERVICES, first_name="سارة", last_name="علي"),
        "second": make_member(org, Role.SERVICES, first_name="خالد", last_name="سعد"),
        "actor": members[Role.RECEPTION],
    }


@pytest.fixture
def anonymous(org, shape):
    questionnaire = make_questionnaire(org, anonymous=True)
    _answers(org, questionnaire, shape)
    return questionnaire


def _rows(rows):
    return {row.key: row for row in rows}


def test_small_cells_of_an_anonymous_questionnaire_are_withheld(org, shape, anonymous):
    with scope(organization=org):
        report = indicators.compute(
            indicators.Filters(questionnaire=anonymous), with_staff=True
        )
    # The whole questionnaire: eight answers, shown.
    assert not report.total.withheld
    assert (report.total.responses, report.total.mean_score) == (8, 3.62)
    by_service = _rows(report.by_service)
    assert by_service[shape["a"].pk].responses == 6
    small = by_service[shape["b"].pk]
    assert small.withheld
    assert (small.responses, small.mean_score, small.satisfaction_rate) == (
        0,
        None,
        None,
    )
    by_channel = _rows(report.by_channel)
    assert by_channel["paper"].responses == 7
    assert by_channel["sms"].withheld  # one answer by link
    assert by_channel["sms"].response_rate is None
    [month] = report.by_month
    assert month.responses == 8
    by_staff = _rows(report.by_staff)
    assert by_staff[shape["first"].pk].mean_score == 4.33
    assert by_staff[shape["second"].pk].withheld


def test_a_filter_down_to_a_few_anonymous_answers_shows_no_figure(
    org, shape, anonymous
):
    with scope(organization=org):
        report = indicators.compute(
            indicators.Filters(questionnaire=anonymous, service=shape["b"])
        )
    assert report.total.withheld
    assert report.total.mean_score is None and report.total.responses == 0
    assert report.ratings == []
    assert LONE_COMMENT not in report.comments


def test_the_minimum_is_the_setting(org, shape, anonymous, settings):
    settings.SURVEY_MIN_CELL = 2
    with scope(organization=org):
        report = indicators.compute(indicators.Filters(questionnaire=anonymous))
    small = _rows(report.by_service)[shape["b"].pk]
    assert not small.withheld
    assert small.mean_score == 1.5
    assert _rows(report.by_channel)["sms"].withheld


def test_a_questionnaire_that_names_people_shows_every_cell(org, shape):
    named = make_questionnaire(org)
    _answers(org, named, shape)
    with scope(organization=org):
        report = indicators.compute(
            indicators.Filters(questionnaire=named), with_staff=True
        )
        lone = indicators.compute(
            indicators.Filters(questionnaire=named, service=shape["b"])
        )
    rows = [
        report.total,
        *report.by_service,
        *report.by_channel,
        *report.by_month,
        *report.by_staff,
    ]
    assert not any(row.withheld for row in rows)
    assert _rows(report.by_service)[shape["b"].pk].mean_score == 1.5
    assert _rows(report.by_channel)["sms"].mean_score == 5.0
    assert (lone.total.responses, lone.total.withheld) == (2, False)
    assert LONE_COMMENT in lone.comments


def test_a_cell_mixing_questionnaires_hides_its_few_anonymous_answers(
    org, shape, anonymous
):
    """All questionnaires together, minus the named one alone, would give the
    anonymous answers of service B away: that row is withheld."""
    _answers(org, make_questionnaire(org), shape)
    with scope(organization=org):
        report = indicators.compute(indicators.Filters())
    by_service = _rows(report.by_service)
    assert by_service[shape["b"].pk].withheld
    assert by_service[shape["a"].pk].responses == 12
    assert report.total.responses == 16


def test_the_page_says_fewer_than_the_minimum_instead_of_figures(
    client_as, org, shape, anonymous
):
    client = client_as(Role.MANAGER)
    url = reverse("surveys:indicators")
    page = client.get(url, {"questionnaire": anonymous.pk})
    assert page.status_code == 200
    content = page.content.decode()
    assert content.count(fewer_than(5)) == 3  # service B, SMS, second staff
    assert "سلة غذائية" in content  # the row is there, without its figures

    narrow = client.get(url, {"questionnaire": anonymous.pk, "service": shape["b"].pk})
    assert narrow.status_code == 200
    content = narrow.content.decode()
    assert fewer_than(5) in content
    assert ar("Ratings") not in content
    assert LONE_COMMENT not in content
    assert narrow.context["report"].total.withheld


def _sheets(response) -> dict:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {sheet.title: list(sheet.values) for sheet in workbook.worksheets}


def test_the_export_says_fewer_than_the_minimum_instead_of_figures(
    client_as, org, shape, anonymous
):
    client = client_as(Role.MANAGER)
    url = reverse("surveys:indicators_export")
    sheets = _sheets(client.get(url, {"questionnaire": anonymous.pk}))
    summary = sheets[ar("Summary")]
    assert summary[1][1] == 8  # the whole questionnaire's responses
    by_service = {row[0]: row[1:] for row in sheets[ar("By service")][1:]}
    assert by_service["سلة غذائية"] == (fewer_than(5),) + (None,) * 7
    assert by_service["كفالة أيتام"][0] == 6
    by_channel = {row[0]: row[1] for row in sheets[ar("By channel")][1:]}
    assert by_channel[ar("SMS")] == fewer_than(5)
    by_staff = {row[0]: row[1] for row in sheets[ar("By staff member")][1:]}
    assert by_staff["خالد سعد"] == fewer_than(5)
    assert by_staff["سارة علي"] == 6

    narrow = _sheets(
        client.get(url, {"questionnaire": anonymous.pk, "service": shape["b"].pk})
    )
    assert narrow[ar("Summary")][1][1] == fewer_than(5)
