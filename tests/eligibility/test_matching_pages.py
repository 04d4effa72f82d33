"""P-GOAL: who qualifies for a service and never asked, and telling them
(issue 5 item 7)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_scopes import scope, scopes_disabled

from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Role
from mustafid.eligibility import invitations
from mustafid.eligibility.invitations import invite_matches, unapplied_matches
from mustafid.eligibility.models import MatchInvitation, Subject
from mustafid.eligibility.services import publish_rules
from mustafid.registry.models import Category, ContactMethod, RegistrationStatus
from tests.cases.helpers import make_case, make_service
from tests.factories import BeneficiaryFactory

REGISTERED = RegistrationStatus.REGISTERED


def person(org, **fields):
    """A registered citizen: qualifies for a service under its default rules."""
    with scope(organization=org):
        return BeneficiaryFactory(
            organization=org, **({"registration_status": REGISTERED} | fields)
        )


def request_made(org, beneficiary, service, status, days_ago=0):
    case = make_case(org, status, service=service, beneficiary=beneficiary)
    if days_ago:
        with scope(organization=org):
            type(case).objects.filter(pk=case.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=days_ago)
            )
    return case


def listed(org, service) -> set[int]:
    with scope(organization=org):
        return set(
            unapplied_matches(service, timezone.localdate()).values_list(
                "pk", flat=True
            )
        )


def list_url(service) -> str:
    return reverse("eligibility:match_list", args=[service.pk])


def invite_url(service) -> str:
    return reverse("eligibility:match_invite", args=[service.pk])


@pytest.fixture
def service(org):
    return make_service(org, name_ar="مساعدة الإيجار", name_en="Rent support")


# ---------------------------------------------------------------------------
# Who is listed


def test_lists_registered_eligible_people_who_never_asked(org, service):
    eligible = person(org)
    prospective = person(org, registration_status=RegistrationStatus.PROSPECTIVE)
    irregular = person(org, residency_status="irregular")
    assert listed(org, service) == {eligible.pk}
    assert prospective.pk not in listed(org, service)
    assert irregular.pk not in listed(org, service)


def test_open_or_recent_requests_keep_people_off_the_list(org, service):
    open_request = person(org)
    request_made(org, open_request, service, "researching", days_ago=800)
    recent = person(org)
    request_made(org, recent, service, "closed", days_ago=183)
    rejected_recently = person(org)
    request_made(org, rejected_recently, service, "rejected", days_ago=30)
    long_closed = person(org)
    request_made(org, long_closed, service, "closed", days_ago=730)
    long_rejected = person(org)
    request_made(org, long_rejected, service, "rejected", days_ago=730)
    other_service = person(org)
    request_made(org, other_service, make_service(org), "submitted")

    assert listed(org, service) == {long_closed.pk, long_rejected.pk, other_service.pk}


def test_only_those_who_meet_the_rules_are_listed(org, service, members):
    young, older, too_old = (
        person(org, birth_date=datetime.date(2000, 1, 1)),
        person(org, birth_date=datetime.date(1970, 1, 1)),
        person(org, birth_date=datetime.date(1940, 1, 1)),
    )
    with scope(organization=org):
        publish_rules(
            actor=members[Role.MANAGER],
            service=service,
            combine="all",
            criteria=[
                {
                    "subject": Subject.AGE,
                    "minimum": Decimal(18),
                    "maximum": Decimal(60),
                    "reason_ar": "العمر",
                    "reason_en": "Age",
                }
            ],
        )
    assert listed(org, service) == {young.pk, older.pk}
    assert too_old.pk not in listed(org, service)


def test_another_associations_people_are_never_listed(
    org, other_org, service, client_as
):
    mine = person(org, contact_consent=True)
    theirs = person(other_org, contact_consent=True)
    assert listed(org, service) == {mine.pk}

    client = client_as(Role.SERVICES)
    response = client.get(list_url(service))
    assert [b.pk for b in response.context["page"]] == [mine.pk]
    client.post(invite_url(service))
    with scopes_disabled():
        assert set(OutboxMessage.objects.values_list("beneficiary", flat=True)) == {
            mine.pk
        }
        assert not MatchInvitation.objects.filter(beneficiary=theirs).exists()


# ---------------------------------------------------------------------------
# The page


def test_page_describes_the_rules_counts_and_lists_newest_first(
    org, service, client_as
):
    with scope(organization=org):
        widows = Category.objects.create(
            organization=org, code="widows", name_ar="أرامل"
        )
    first = person(org, contact_consent=True, region="riyadh")
    second = person(org, identity_number="1000000008")
    second.categories.add(widows)

    response = client_as(Role.SERVICES).get(list_url(service))

    assert response.status_code == 200
    assert response.context["counts"] == {"total": 2, "consented": 1}
    assert [b.pk for b in response.context["page"]] == [second.pk, first.pk]
    html = response.content.decode()
    assert "مساعدة الإيجار" in html
    conditions = response.context["conditions"]
    assert len(conditions) == 2  # the defaults: within the remit, legal residency
    for text in conditions:
        assert escape(text) in html
    assert "أرامل" in html
    # The identity number is masked: the last four digits only.
    assert "1000000008" not in html
    assert "0008" in html


def test_page_query_count_does_not_grow_with_rows(org, service, client_as):
    with scope(organization=org):
        category = Category.objects.create(organization=org, code="c", name_ar="فئة")
    client = client_as(Role.SERVICES)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(service)).status_code == 200
        return len(captured)

    person(org).categories.add(category)
    few = queries()
    for _ in range(20):
        person(org, contact_consent=True).categories.add(category)
    assert queries() == few
    assert few <= 10


def test_pages_of_25_and_a_stale_page_number_shows_the_last(org, service, client_as):
    for _ in range(27):
        person(org)
    client = client_as(Role.SERVICES)
    assert len(client.get(list_url(service)).context["page"]) == 25
    last = client.get(list_url(service) + "?page=2").context["page"]
    assert len(last) == 2 and last.number == 2
    stale = client.get(list_url(service) + "?page=9").context["page"]
    assert stale.number == 2 and len(stale) == 2
    assert client.get(list_url(service) + "?page=x").context["page"].number == 1


def test_empty_list_is_a_page_too(org, service, client_as):
    response = client_as(Role.SERVICES).get(list_url(service) + "?page=4")
    assert response.status_code == 200
    assert response.context["counts"] == {"total": 0, "consented": 0}


def test_index_lists_active_services_within_the_remit(
    org, other_org, service, client_as
):
    inactive = make_service(org, is_active=False)
    outside = make_service(org, in_scope=False)
    theirs = make_service(other_org)
    response = client_as(Role.MANAGER).get(reverse("eligibility:match_services"))
    assert response.status_code == 200
    assert list(response.context["services"]) == [service]
    html = response.content.decode()
    assert list_url(service) in html
    for hidden in (inactive, outside, theirs):
        assert list_url(hidden) not in html


def test_services_outside_the_remit_or_inactive_answer_404(org, client_as):
    client = client_as(Role.SERVICES)
    for service in (
        make_service(org, is_active=False),
        make_service(org, in_scope=False),
    ):
        assert client.get(list_url(service)).status_code == 404
        assert client.post(invite_url(service)).status_code == 404


def test_another_associations_service_answers_404(other_org, client_as):
    theirs = make_service(other_org)
    person(other_org, contact_consent=True)
    client = client_as(Role.SERVICES)
    assert client.get(list_url(theirs)).status_code == 404
    assert client.post(invite_url(theirs)).status_code == 404
    with scopes_disabled():
        assert not OutboxMessage.objects.exists()


def test_roles_without_the_permission_are_refused(org, service, client_as):
    person(org, contact_consent=True)
    client = client_as(Role.RECEPTION)
    assert client.get(list_url(service)).status_code == 403
    assert client.post(invite_url(service)).status_code == 403
    with scopes_disabled():
        assert not OutboxMessage.objects.exists()


def test_invite_is_post_only(org, service, client_as):
    assert client_as(Role.SERVICES).get(invite_url(service)).status_code == 405


# ---------------------------------------------------------------------------
# Telling them


def test_only_those_who_agreed_are_told(org, service, client_as, members):
    agreed = person(org, contact_consent=True, preferred_contact=ContactMethod.WHATSAPP)
    declined = person(org, contact_consent=False)

    response = client_as(Role.SERVICES).post(invite_url(service))

    assert response.status_code == 302
    assert response["Location"] == list_url(service)
    with scopes_disabled():
        message = OutboxMessage.objects.get()
        invitation = MatchInvitation.objects.get()
        event = AuditEvent.objects.get(object_type="catalog.service")
    assert message.beneficiary_id == agreed.pk
    assert message.event == "service_match"
    assert message.channel == ContactMethod.WHATSAPP
    assert message.context["service_ar"] == "مساعدة الإيجار"
    assert message.context["service_en"] == "Rent support"
    assert message.context["conditions_ar"] and message.context["conditions_en"]
    assert invitation.beneficiary_id == agreed.pk
    assert invitation.message_id == message.pk
    assert invitation.invited_by == members[Role.SERVICES]
    assert invitation.rule_set.version == 1  # the defaults, saved on first use
    assert event.changes["match_invitations"] == 1
    assert event.changes["remaining"] == 0
    # Not told, so still listed; the one told leaves the list.
    assert listed(org, service) == {declined.pk}


def test_a_run_tells_at_most_the_limit_and_says_how_many_remain(
    org, service, client_as, monkeypatch
):
    monkeypatch.setattr(invitations, "INVITATIONS_PER_RUN", 2)
    for _ in range(5):
        person(org, contact_consent=True)
    client = client_as(Role.SERVICES)

    response = client.post(invite_url(service), follow=True)

    said = [str(m) for m in response.context["messages"]]
    assert any("2" in m for m in said) and any("3" in m for m in said)
    assert response.context["counts"] == {"total": 3, "consented": 3}
    with scopes_disabled():
        assert OutboxMessage.objects.count() == 2
    client.post(invite_url(service))
    client.post(invite_url(service))
    with scopes_disabled():
        assert OutboxMessage.objects.count() == 5
        assert MatchInvitation.objects.count() == 5
        runs = AuditEvent.objects.filter(object_type="catalog.service").order_by("id")
        told = [(e.changes["match_invitations"], e.changes["remaining"]) for e in runs]
    assert told == [(2, 3), (2, 1), (1, 0)]


def test_two_runs_never_tell_anyone_twice(org, service, client_as):
    people = [person(org, contact_consent=True) for _ in range(3)]
    client = client_as(Role.SERVICES)
    client.post(invite_url(service), follow=True)
    response = client.post(invite_url(service), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["info"]
    with scopes_disabled():
        for someone in people:
            assert OutboxMessage.objects.filter(beneficiary=someone).count() == 1
            assert MatchInvitation.objects.filter(beneficiary=someone).count() == 1
        runs = AuditEvent.objects.filter(object_type="catalog.service").order_by("id")
        assert [e.changes["match_invitations"] for e in runs] == [3, 0]


def test_a_run_with_nobody_who_agreed_sends_nothing(org, service, members):
    person(org, contact_consent=False)
    with scope(organization=org):
        run = invite_matches(actor=members[Role.SERVICES], service=service)
    assert (run.invited, run.remaining) == (0, 0)
    with scopes_disabled():
        assert not OutboxMessage.objects.exists()
        assert not MatchInvitation.objects.exists()


def test_a_failed_run_leaves_no_message_behind(org, service, members, monkeypatch):
    person(org, contact_consent=True)

    def refuse(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(invitations.audit, "record", refuse)
    with scope(organization=org), pytest.raises(RuntimeError):
        invite_matches(actor=members[Role.SERVICES], service=service)
    with scopes_disabled():
        assert not OutboxMessage.objects.exists()
        assert not MatchInvitation.objects.exists()
