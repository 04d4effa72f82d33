"""The committee's pages (P-COMMITTEE): members, meetings, votes, minutes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from mustafid.cases import committee_decisions
from mustafid.cases.committee_defaults import ensure_decision_reasons
from mustafid.cases.models import (
    AgendaItem,
    CommitteeMeeting,
    CommitteeMember,
    CommitteeRule,
    CommitteeVote,
    DecisionReason,
)
from mustafid.core.hijri import to_hijri
from mustafid.core.roles import Role
from mustafid.governance.models import PolicyVersion
from tests.cases.committee_helpers import (
    add_item,
    held_meeting,
    make_meeting,
    membership_of,
    seat,
    vote,
)
from tests.cases.helpers import make_case
from tests.conftest import make_member


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_the_committee_is_run_from_its_pages(client, org, members):
    """P-COMMITTEE end to end: plan, build the agenda, hold, vote, give reasons,
    decide; the requests are decided and the minutes say so."""
    manager = members[Role.MANAGER]
    chair = seat(org, manager, chair=True)
    voter = seat(org)
    cases = [make_case(org, "in_committee") for _ in range(2)]
    client.force_login(manager)

    hijri = to_hijri(timezone.localdate() + datetime.timedelta(days=3))
    response = client.post(
        reverse("cases:committee_meeting_create"),
        {
            "date_0": "hijri",
            "date_1": f"{hijri.year}-{hijri.month:02d}-{hijri.day:02d}",
            "notes": "الاجتماع الدوري",
        },
    )
    with scopes_disabled():
        meeting = CommitteeMeeting.objects.get()
    assert response["Location"] == reverse("cases:committee_meeting", args=[meeting.pk])
    assert meeting.date == timezone.localdate() + datetime.timedelta(days=3)
    assert meeting.number == 1

    client.post(reverse("cases:committee_agenda_build", args=[meeting.pk]), {})
    response = client.post(
        reverse("cases:committee_attendance", args=[meeting.pk]),
        {"attendees": [chair.pk, voter.pk]},
    )
    assert response.status_code == 302
    with scopes_disabled():
        meeting.refresh_from_db()
        items = list(AgendaItem.objects.order_by("position"))
    assert meeting.status == "held" and meeting.quorum == 2
    assert [item.case_id for item in items] == [case.pk for case in cases]

    ensure_decision_reasons(org)
    with scopes_disabled():
        reject_reason = DecisionReason.objects.filter(kind="reject").first()
    client.post(
        reverse("cases:committee_item_reasons", args=[items[1].pk]),
        {"reasons": [reject_reason.pk], "note": "الدخل مرتفع"},
    )
    # The chair votes from the agenda, the other member from their own login.
    client.post(
        reverse("cases:committee_vote", args=[items[0].pk]),
        {"choice": "approve", "back": "meeting"},
    )
    client.post(
        reverse("cases:committee_vote", args=[items[1].pk]),
        {"choice": "reject", "back": "meeting"},
    )
    member_client = client.__class__()
    member_client.force_login(voter.membership.user)
    member_client.post(
        reverse("cases:committee_vote_remaining", args=[meeting.pk]),
        {"choice": "reject", "note": "لا تنطبق الشروط"},
    )
    response = client.post(reverse("cases:committee_decide", args=[meeting.pk]))
    assert response.status_code == 302
    with scope(organization=org):
        committee_decisions.run_decisions(meeting)  # the worker's job
    with scopes_disabled():
        statuses = [type(c).objects.get(pk=c.pk).status for c in cases]
    # Item 1: 1 for, 1 against, the chair (for) breaks the tie.
    assert statuses == ["approved", "rejected"]
    minutes = client.get(reverse("cases:committee_minutes", args=[meeting.pk]))
    assert reject_reason.name_ar in minutes.text
    assert "لا تنطبق الشروط" in minutes.text


def test_the_meeting_page_issues_a_bounded_number_of_queries(
    client_as, org, django_assert_max_num_queries
):
    """The agenda page's queries do not grow with its rows."""
    members = [seat(org, chair=True), seat(org), seat(org)]
    meeting = held_meeting(org, members, chair=members[0])
    ensure_decision_reasons(org)
    with scopes_disabled():
        reason = DecisionReason.objects.first()

    def add_rows(count):
        for _row in range(count):
            item = add_item(meeting)
            with scope(organization=org):
                item.reasons.add(reason)
            for member in members:
                vote(item, member, "approve", note="مستحق")

    client = client_as(Role.MANAGER)
    url = reverse("cases:committee_meeting", args=[meeting.pk])
    add_rows(2)
    client.get(url)
    with django_assert_max_num_queries(18):
        small = client.get(url)
    add_rows(20)
    with django_assert_max_num_queries(18):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert large.text.count('href="/cases/committee/items/') == 22
    minutes_url = reverse("cases:committee_minutes", args=[meeting.pk])
    with django_assert_max_num_queries(18):
        assert client.get(minutes_url).status_code == 200


def test_the_minutes_are_a_printable_arabic_page(client_as, org, members):
    """P-COMMITTEE: the minutes list the meeting, attendees, quorum, each request
    with its votes, decision and reasons; in Arabic, right to left, for print."""
    chair = seat(org, chair=True)
    second = seat(org)
    chair.membership.user.first_name, chair.membership.user.last_name = (
        "خالد",
        "الزهراني",
    )
    chair.membership.user.save()
    absent = seat(org)
    absent.membership.user.first_name = "غائب"
    absent.membership.user.save()
    meeting = held_meeting(org, [chair, second], chair=chair)
    approved, rejected = add_item(meeting), add_item(meeting)
    ensure_decision_reasons(org)
    with scope(organization=org):
        reason = DecisionReason.objects.get(code="income_above_limit")
        rejected.reasons.add(reason)
    vote(approved, chair, "approve")
    vote(approved, second, "approve")
    vote(rejected, chair, "reject", note="الدخل يتجاوز الحد بكثير")
    vote(rejected, second, "abstain")
    with scope(organization=org):
        meeting = committee_decisions.start_decisions(
            actor=members[Role.MANAGER], meeting=meeting, background=False
        )
        committee_decisions.run_decisions(meeting)
    client = client_as(Role.AUDITOR)
    with translation.override("en"):
        page = client.get(reverse("cases:committee_minutes", args=[meeting.pk]))
    html = page.text
    assert '<html lang="ar" dir="rtl">' in html
    assert "css/minutes.css" in html
    assert "خالد الزهراني" in html
    assert "غائب" not in html
    for item in (approved, rejected):
        assert item.case.number in html
        assert item.case.beneficiary.full_name in html
    assert reason.name_ar in html
    assert "الدخل يتجاوز الحد بكثير" in html
    with translation.override("ar"):
        quorum = _("%(present)s present, %(quorum)s needed")
    assert quorum % {"present": 2, "quorum": 2} in html
    with scopes_disabled():
        assert (
            CommitteeMeeting.objects.get(pk=meeting.pk).status == "decided"
        )  # as the minutes record


@pytest.mark.parametrize("typed", ["1446-13-40", "", "غدا"])
def test_meeting_with_a_bad_date_changes_nothing(client_as, org, typed):
    response = client_as(Role.MANAGER).post(
        reverse("cases:committee_meeting_create"),
        {"date_0": "hijri", "date_1": typed},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    with scopes_disabled():
        assert not CommitteeMeeting.objects.exists()


def test_adding_an_unknown_or_another_associations_request_is_refused(
    client_as, org, other_org
):
    """P-PRIVACY: another association's request number is simply not found."""
    meeting = make_meeting(org)
    theirs = make_case(other_org, "in_committee")
    client = client_as(Role.MANAGER)
    for number in ("1447-999999", theirs.number):
        response = client.post(
            reverse("cases:committee_agenda_add", args=[meeting.pk]),
            {"number": number},
            follow=True,
        )
        assert messages_of(response)
    with scopes_disabled():
        assert not AgendaItem.objects.exists()
    client.post(reverse("cases:committee_agenda_build", args=[meeting.pk]), {})
    with scopes_disabled():
        assert not AgendaItem.objects.exists()


def test_voting_without_being_present_is_refused_with_a_message(client, org):
    present, absent = seat(org), seat(org)
    item = add_item(held_meeting(org, [present]))
    client.force_login(absent.membership.user)
    response = client.post(
        reverse("cases:committee_vote", args=[item.pk]),
        {"choice": "approve"},
        follow=True,
    )
    assert _("Only members present at the meeting can vote on its agenda.") in (
        messages_of(response)
    )
    with scopes_disabled():
        assert not CommitteeVote.objects.exists()
    response = client.post(
        reverse("cases:committee_vote", args=[item.pk]), {"choice": "yes"}, follow=True
    )
    assert messages_of(response)


def test_deciding_without_quorum_says_so(client_as, org):
    meeting = held_meeting(org, [seat(org)], quorum=3)
    add_item(meeting)
    response = client_as(Role.MANAGER).post(
        reverse("cases:committee_decide", args=[meeting.pk]), follow=True
    )
    assert any("3" in m for m in messages_of(response))
    with scopes_disabled():
        assert CommitteeMeeting.objects.get(pk=meeting.pk).run_status == ""


def test_members_page_adds_members_chair_and_quorum(client_as, org, other_org):
    committee_user = make_member(org, Role.COMMITTEE)
    outsider = make_member(other_org, Role.COMMITTEE)
    client = client_as(Role.MANAGER)
    page = client.get(reverse("cases:committee_members"))
    choices = [pk for pk, _ in page.context["form"].fields["membership"].choices if pk]
    with scopes_disabled():
        assert membership_of(outsider, other_org).pk not in {c.value for c in choices}
    client.post(
        reverse("cases:committee_members"),
        {"membership": membership_of(committee_user, org).pk, "is_chair": "on"},
    )
    with scopes_disabled():
        member = CommitteeMember.objects.get()
    assert member.is_chair and member.is_active
    client.post(reverse("cases:committee_member_change", args=[member.pk]), {})
    member.refresh_from_db()
    assert not member.is_active and not member.is_chair
    response = client.post(
        reverse("cases:committee_quorum"), {"quorum_minimum": "0"}, follow=True
    )
    assert messages_of(response)
    client.post(reverse("cases:committee_quorum"), {"quorum_minimum": "4"})
    with scopes_disabled():
        assert CommitteeRule.objects.get().quorum_minimum == 4


def test_reasons_page_seeds_the_defaults_and_saves_edits(client_as, org):
    client = client_as(Role.MANAGER)
    page = client.get(reverse("cases:committee_reasons"))
    formset = page.context["formset"]
    assert formset.total_form_count() > 5
    initial = formset.forms[: formset.initial_form_count()]
    data = {
        key: value
        for form in initial
        for key, value in {
            f"{form.prefix}-{name}": form.initial.get(name, "")
            for name in ("code", "kind", "name_ar", "name_en", "position")
        }.items()
    }
    data |= {f"{form.prefix}-id": form.instance.pk for form in initial}
    data |= {
        f"{formset.forms[0].prefix}-is_active": "on",
        "form-TOTAL_FORMS": str(len(initial)),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        f"{formset.forms[0].prefix}-name_ar": "سبب معدل",
    }
    response = client.post(reverse("cases:committee_reasons"), data)
    assert response.status_code == 302
    with scopes_disabled():
        assert DecisionReason.objects.filter(name_ar="سبب معدل").exists()


def test_case_page_shows_the_committee_and_the_policy_version(client_as, org, members):
    """Item 12: the decided request shows the policy version it followed."""
    with scope(organization=org):
        version = PolicyVersion.objects.create(
            organization=org,
            number="2",
            title_ar="سياسة تنظيم العلاقة مع المستفيدين",
            text="…",
            board_meeting_date=timezone.localdate() - datetime.timedelta(days=10),
        )
    member = seat(org)
    meeting = held_meeting(org, [member])
    item = add_item(meeting)
    vote(item, member, "approve")
    with scope(organization=org):
        meeting = committee_decisions.start_decisions(
            actor=members[Role.MANAGER], meeting=meeting, background=False
        )
        committee_decisions.run_decisions(meeting)
    page = client_as(Role.COMMITTEE).get(
        reverse("cases:case_detail", args=[item.case_id])
    )
    assert version.title_ar in page.text and "(2)" in page.text
    assert reverse("cases:committee_item", args=[item.pk]) in page.text


def test_another_associations_meeting_is_not_found(client_as, org, other_org):
    """P-PRIVACY: the meeting and item pages 404 across associations."""
    theirs = add_item(make_meeting(other_org))
    client = client_as(Role.MANAGER)
    for url in (
        reverse("cases:committee_meeting", args=[theirs.meeting_id]),
        reverse("cases:committee_minutes", args=[theirs.meeting_id]),
        reverse("cases:committee_item", args=[theirs.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("cases:committee_vote", args=[theirs.pk]), {"choice": "approve"}
        ).status_code
        == 404
    )
    listing = client.get(reverse("cases:committee_meetings"))
    assert listing.context["page"].paginator.count == 0


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_readers_see_the_agenda_without_the_controls(client_as, org, role):
    meeting = held_meeting(org, [seat(org)])
    add_item(meeting)
    page = client_as(role).get(reverse("cases:committee_meeting", args=[meeting.pk]))
    assert page.status_code == 200
    assert reverse("cases:committee_decide", args=[meeting.pk]) not in page.text
    assert 'name="choice"' not in page.text
