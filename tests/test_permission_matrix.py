"""Every route x every role, and another association's ids (P-PRIVACY).

Each new page or API route joins ROUTES (or PUBLIC_ROUTES, for pages anyone may
open); `test_every_route_is_in_the_matrix` fails until it does.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scope, scopes_disabled

from mustafid.cases.models import Holiday
from mustafid.core import audit
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.registry.import_models import ImportJob, ImportStatus
from mustafid.registry.models import HouseholdMember
from tests.cases import committee_helpers
from tests.cases.helpers import add_delivery, make_case, make_service
from tests.cases.referral_helpers import (
    make_directory_entry,
    make_directory_referral,
    make_incoming_referral,
)
from tests.cases.research_helpers import (
    attachment_kwargs,
    question_kwargs,
    researching_case_kwargs,
)
from tests.conftest import make_member
from tests.contact import (
    matrix_contact,
    matrix_letters,
    matrix_outbox,
    matrix_templates,
)
from tests.eligibility import matrix as eligibility_matrix
from tests.factories import TINY_PNG, BeneficiaryFactory, DocumentFactory
from tests.feedback import matrix_feedback
from tests.portal import matrix_data_requests, matrix_portal, matrix_staff
from tests.portal.helpers import sign_in_as
from tests.surveys import matrix_surveys

ALL = frozenset(Role)
OVERSIGHT = frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN})
IMPORTERS = frozenset({Role.MANAGER, Role.ADMIN})
CASEWORK = frozenset(
    {Role.RECEPTION, Role.RESEARCHER, Role.SERVICES, Role.MANAGER, Role.ADMIN}
)
REACH = frozenset({Role.RECEPTION, Role.MANAGER, Role.ADMIN})
INTAKE = frozenset({Role.RECEPTION, Role.MANAGER, Role.ADMIN})
VERIFY = frozenset({Role.RECEPTION, Role.RESEARCHER, Role.SERVICES})
DELIVER = frozenset({Role.SERVICES, Role.MANAGER})
SERVICES = frozenset({Role.MANAGER, Role.ADMIN})


def make_beneficiary(org):
    with scope(organization=org):
        return {"pk": BeneficiaryFactory(organization=org).pk}


def make_member_of_household(org):
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(organization=org)
        member = HouseholdMember.objects.create(
            organization=org,
            beneficiary=beneficiary,
            relation="son",
            full_name="سعد",
            gender="male",
        )
    return {"pk": beneficiary.pk, "member_pk": member.pk}


def make_document(org):
    with scope(organization=org):
        document = DocumentFactory(organization=org)
    return {"doc_pk": document.pk}


def make_audit_event(org):
    return {"pk": audit.record(AuditAction.VIEW, organization=org).pk}


def give_logo(org):
    org.logo.save("logo.png", ContentFile(TINY_PNG))


def make_beneficiary_for_question(org):
    return {"beneficiary_pk": make_beneficiary(org)["pk"]}


def make_submitted_case(org):
    return {"pk": make_case(org, "submitted").pk, "to": "verifying"}


def make_delivering_case(org):
    return {"pk": make_case(org, "delivering").pk}


def make_scanned_case(org):
    return {"pk": make_case(org, "submitted", scan=True).pk}


def make_import_job(org, status=ImportStatus.UPLOADED, **counts):
    with scope(organization=org):
        job = ImportJob(
            organization=org,
            file_kind="csv",
            original_name="people.csv",
            headers=["رقم الهوية"],
            mapping=["identity_number"],
            total_rows=1,
            status=status,
            **counts,
        )
        content = ContentFile("رقم الهوية\n1000000008\n".encode())
        job.file.save("people.csv", content, save=False)
        job.save()
    return {"pk": job.pk}


def make_checked_import_job(org):
    return make_import_job(org, ImportStatus.VALIDATED, valid_rows=1)


def own_organization(org):
    return {"organization_id": org.pk}


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset
    method: str = "get"
    kwargs: object = None  # org -> URL kwargs, for routes that carry an id
    ok_status: tuple = field(default=(200,))
    prepare: object = None  # org -> None, for routes that need data to answer 200
    carries_id: bool = True  # whether kwargs name an object of the association


ROUTES = [
    Route("core:dashboard", ALL),
    Route("core:association", ALL),
    Route("core:association_edit", frozenset({Role.ADMIN})),
    Route("core:association_logo", ALL, prepare=give_logo),
    Route("core:staff", OVERSIGHT),
    Route("core:audit_log", OVERSIGHT),
    Route("core:audit_event", OVERSIGHT, kwargs=make_audit_event),
    Route("core:switch_association", ALL, "post", own_organization, (302,)),
    Route("registry:beneficiary_list", ALL),
    Route("registry:beneficiary_detail", ALL, kwargs=make_beneficiary),
    Route("registry:beneficiary_create", CASEWORK),
    Route("registry:beneficiary_edit", CASEWORK, kwargs=make_beneficiary),
    Route("registry:member_create", CASEWORK, kwargs=make_beneficiary),
    Route("registry:member_edit", CASEWORK, kwargs=make_member_of_household),
    Route("registry:member_remove", CASEWORK, "post", make_member_of_household, (302,)),
    Route("registry:document_create", CASEWORK, kwargs=make_beneficiary),
    Route("registry:document_file", ALL, kwargs=make_document),
    Route("registry:document_review", CASEWORK, kwargs=make_document),
    Route("registry:reach_list", ALL),
    Route("registry:reach_create", REACH),
    Route("registry:import_list", IMPORTERS),
    Route("registry:import_upload", IMPORTERS),
    Route("registry:import_job", IMPORTERS, kwargs=make_import_job),
    Route("registry:import_mapping", IMPORTERS, kwargs=make_import_job),
    Route("registry:import_errors", IMPORTERS, kwargs=make_checked_import_job),
    Route("registry:import_start", IMPORTERS, "post", make_checked_import_job, (302,)),
    Route("registry:import_cancel", IMPORTERS, "post", make_import_job, (302,)),
    Route("registry:beneficiary_export", OVERSIGHT),
    Route(
        "registry:list_settings",
        frozenset({Role.ADMIN}),
        kwargs=lambda org: {"kind": "document-types"},
        carries_id=False,
    ),
    # Without a query the check answers 400 with the reason: allowed, not 403.
    Route("registry:duplicate_check", ALL, ok_status=(400,)),
    Route(
        "registry:beneficiary_merge",
        frozenset({Role.MANAGER, Role.ADMIN}),
        kwargs=lambda org: (
            make_beneficiary(org) | {"other_pk": make_beneficiary(org)["pk"]}
        ),
    ),
    Route("cases:case_list", ALL),
    Route("cases:case_intake", INTAKE),
    Route("cases:case_detail", ALL, kwargs=lambda org: {"pk": make_case(org).pk}),
    Route("cases:case_move", VERIFY, "post", make_submitted_case, (302,)),
    Route("cases:delivery_create", DELIVER, "post", make_delivering_case, (302,)),
    Route("cases:attestation_scan", ALL, kwargs=make_scanned_case),
    Route("catalog:service_list", SERVICES),
    Route("catalog:service_create", SERVICES),
    Route(
        "catalog:service_edit",
        SERVICES,
        kwargs=lambda org: {"pk": make_service(org).pk},
    ),
]

# Social research and the work queues (P-REFER-RESEARCH, item 13).
ASSIGN = frozenset({Role.RECEPTION, Role.MANAGER, Role.ADMIN})
RESEARCH = frozenset({Role.RESEARCHER, Role.MANAGER})
OVERSEE = frozenset({Role.MANAGER, Role.ADMIN})
QUEUES = {
    "reception": INTAKE,
    "research": RESEARCH,
    "committee": frozenset({Role.COMMITTEE, Role.MANAGER}),
    "delivery": DELIVER,
    "overdue": OVERSEE,
    "escalated": OVERSEE,
}
ROUTES += [
    Route(
        "cases:research_assign",
        ASSIGN,
        kwargs=lambda org: {"pk": make_case(org, "verifying").pk},
    ),
    # The matrix signs the role in first: a new researcher is the one assigned.
    Route("cases:research_report", RESEARCH, kwargs=researching_case_kwargs),
    Route("cases:research_attachment", ALL, kwargs=attachment_kwargs),
    Route("cases:question_refer", ASSIGN, kwargs=make_beneficiary_for_question),
    Route("cases:question_answer", RESEARCH, kwargs=question_kwargs),
    # The auditor has no work queue.
    Route("cases:queue_home", ALL - {Role.AUDITOR}, ok_status=(302,)),
    *(
        Route(
            "cases:work_queue",
            allowed,
            kwargs=lambda org, name=name: {"name": name},
            carries_id=False,
        )
        for name, allowed in QUEUES.items()
    ),
]


# Permits, delivery proofs and the settings of requests (P-PERMITS, P-DELIVER,
# P-ATTEST). Either wait move needs VERIFY_CASES or DECIDE_CASES, by the step.
PERMITS = frozenset(
    {Role.RECEPTION, Role.RESEARCHER, Role.SERVICES, Role.COMMITTEE, Role.MANAGER}
)
CASE_SETTINGS = frozenset({Role.MANAGER, Role.ADMIN})


def make_permit_case(org):
    service = make_service(
        org, needs_external_permit=True, permit_authority="الدفاع المدني"
    )
    return {"pk": make_case(org, "researching", service=service).pk}


def make_delivery_with_proof(org):
    case = make_case(org, "delivering")
    with scope(organization=org):
        delivery = add_delivery(case)
        delivery.proof.save("proof.png", ContentFile(TINY_PNG), save=False)
        delivery.proof_content_type = "image/png"
        delivery.save()
    return {"pk": case.pk, "delivery_pk": delivery.pk}


def make_holiday(org):
    with scope(organization=org):
        holiday = Holiday.objects.create(
            organization=org, date=datetime.date(2025, 3, 30), name="عيد الفطر"
        )
    return {"pk": holiday.pk}


ROUTES += [
    Route("cases:permit_raise", PERMITS, "post", make_permit_case, (302,)),
    Route("cases:permit_answer", PERMITS, "post", make_permit_case, (302,)),
    Route("cases:delivery_proof", ALL, kwargs=make_delivery_with_proof),
    Route("cases:holiday_list", CASE_SETTINGS),
    Route("cases:holiday_delete", CASE_SETTINGS, "post", make_holiday, (302,)),
    Route("cases:attestation_text", CASE_SETTINGS),
]

# Referrals out and in, their directory, and reopening (P-OUTOFSCOPE).
REFER = frozenset({Role.RECEPTION, Role.MANAGER})
DIRECTORY = frozenset({Role.MANAGER, Role.ADMIN})
ROUTES += [
    Route("cases:referral_list", ALL),
    Route(
        "cases:referral_create",
        REFER,
        kwargs=lambda org: {"pk": make_case(org, "verifying").pk},
    ),
    Route("cases:referral_detail", ALL, kwargs=make_directory_referral),
    Route("cases:referral_outcome", REFER, "post", make_directory_referral, (302,)),
    Route("cases:incoming_referral", ALL, kwargs=make_incoming_referral),
    Route(
        "cases:incoming_referral_respond",
        REFER,
        "post",
        make_incoming_referral,
        (302,),
    ),
    Route("cases:directory_list", DIRECTORY),
    Route("cases:directory_create", DIRECTORY),
    Route(
        "cases:directory_edit",
        DIRECTORY,
        kwargs=lambda org: {"pk": make_directory_entry(org).pk},
    ),
    Route(
        "cases:case_reopen",
        frozenset({Role.MANAGER}),
        "post",
        lambda org: {"pk": make_case(org, "closed").pk},
        (302,),
    ),
]

# The research committee (P-COMMITTEE): the manager runs it, members vote, the
# auditor and the admin read its minutes; the admin takes no case decisions.
COMMITTEE_VIEW = frozenset({Role.COMMITTEE, Role.MANAGER, Role.AUDITOR, Role.ADMIN})
COMMITTEE_RUN = frozenset({Role.MANAGER})
COMMITTEE_VOTE = frozenset({Role.COMMITTEE, Role.MANAGER})
ROUTES += [
    Route("cases:committee_meetings", COMMITTEE_VIEW),
    Route("cases:committee_members", COMMITTEE_RUN),
    Route(
        "cases:committee_member_change",
        COMMITTEE_RUN,
        "post",
        committee_helpers.member_kwargs,
        (302,),
    ),
    Route("cases:committee_quorum", COMMITTEE_RUN, "post", ok_status=(302,)),
    Route("cases:committee_reasons", COMMITTEE_RUN),
    Route("cases:committee_meeting_create", COMMITTEE_RUN),
    Route(
        "cases:committee_meeting",
        COMMITTEE_VIEW,
        kwargs=committee_helpers.meeting_kwargs,
    ),
    Route(
        "cases:committee_minutes",
        COMMITTEE_VIEW,
        kwargs=committee_helpers.meeting_kwargs,
    ),
    Route(
        "cases:committee_attendance",
        COMMITTEE_RUN,
        kwargs=committee_helpers.meeting_kwargs,
    ),
    *(
        Route(name, COMMITTEE_RUN, "post", committee_helpers.meeting_kwargs, (302,))
        for name in ("cases:committee_agenda_build", "cases:committee_agenda_add")
    ),
    Route(
        "cases:committee_decide",
        COMMITTEE_RUN,
        "post",
        committee_helpers.held_meeting_kwargs,
        (302,),
    ),
    Route(
        "cases:committee_vote_remaining",
        COMMITTEE_VOTE,
        "post",
        committee_helpers.held_meeting_kwargs,
        (302,),
    ),
    Route(
        "cases:committee_item",
        COMMITTEE_VIEW,
        kwargs=committee_helpers.held_item_kwargs,
    ),
    Route(
        "cases:committee_item_remove",
        COMMITTEE_RUN,
        "post",
        committee_helpers.planned_item_kwargs,
        (302,),
    ),
    *(
        Route(name, COMMITTEE_VOTE, "post", committee_helpers.held_item_kwargs, (302,))
        for name in ("cases:committee_vote", "cases:committee_item_reasons")
    ),
    Route(
        "cases:committee_item_set_aside",
        COMMITTEE_RUN,
        "post",
        committee_helpers.held_item_kwargs,
        (302,),
    ),
]

# Issue 5: each part of eligibility lists its routes in tests/eligibility/matrix_*.py.
ROUTES += eligibility_matrix.routes(Route)

# Issue 6: each part of contact lists its routes in tests/contact/matrix_*.py.
ROUTES += matrix_templates.routes(Route)
ROUTES += matrix_contact.routes(Route)
ROUTES += matrix_letters.routes(Route)
ROUTES += matrix_outbox.routes(Route)

# Issue 7: the staff pages of the portal.
ROUTES += matrix_staff.routes(Route)
# Issue 7: the staff's queue of beneficiaries' data requests (P-PRIVACY).
ROUTES += matrix_data_requests.routes(Route)
# Issue 8: complaints, suggestions, disputes and improvement actions.
ROUTES += matrix_feedback.routes(Route)
# Issue 9: satisfaction surveys.
ROUTES += matrix_surveys.routes(Route)

PUBLIC_ROUTES = {
    "core:home",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    # Providers' delivery receipts, signed or at a secret URL (test_receipts.py).
    "contact:whatsapp_webhook",
    "contact:sms_delivery_report",
} | matrix_portal.PUBLIC


@dataclass(frozen=True)
class PortalRoute:
    name: str
    method: str = "get"
    kwargs: object = None  # beneficiary -> URL kwargs naming one of their objects
    ok_status: tuple = field(default=(200,))


PORTAL_ROUTES = matrix_portal.routes(PortalRoute)


def route_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from route_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_route_is_in_the_matrix():
    covered = (
        {route.name for route in ROUTES}
        | PUBLIC_ROUTES
        | {route.name for route in PORTAL_ROUTES}
    )
    missing = sorted(set(route_names()) - covered)
    assert not missing, f"routes missing from the permission matrix: {missing}"


def url_for(route, org):
    return reverse(route.name, kwargs=route.kwargs(org) if route.kwargs else None)


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_role_is_allowed_or_denied(client, org, route, role):
    if route.prepare:
        route.prepare(org)
    client.force_login(make_member(org, role))
    response = getattr(client, route.method)(url_for(route, org))
    if role in route.allowed:
        assert response.status_code in route.ok_status
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_is_sent_to_sign_in(client, org, route):
    response = getattr(client, route.method)(url_for(route, org))
    if route.name == "core:switch_association":
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.kwargs and r.carries_id], ids=lambda r: r.name
)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_another_associations_ids_answer_404(client, org, other_org, route, role):
    """Whatever the role, an id of another association is not found, never 403."""
    client.force_login(make_member(org, role))
    response = getattr(client, route.method)(url_for(route, other_org))
    if role in route.allowed:
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_staff_without_an_association_get_403(client, org, route):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = getattr(client, route.method)(url_for(route, org))
    assert response.status_code in {403, 404}


def test_refusal_is_written_to_the_audit_trail(client, org):
    user = make_member(org, Role.RECEPTION)
    client.force_login(user)
    client.get(reverse("core:audit_log"))
    with scopes_disabled():
        event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.actor == user
    assert event.organization == org
    assert event.changes["path"] == reverse("core:audit_log")


def portal_url(route, beneficiary, org=None):
    org = org or beneficiary.organization
    kwargs = route.kwargs(beneficiary) if route.kwargs else {}
    return reverse(route.name, kwargs={"org_slug": org.slug, **kwargs})


def portal_beneficiary(org):
    with scope(organization=org):
        return BeneficiaryFactory(organization=org)


@pytest.mark.parametrize("route", PORTAL_ROUTES, ids=lambda r: r.name)
def test_portal_is_for_its_signed_in_beneficiary(client, org, route):
    beneficiary = portal_beneficiary(org)
    sign_in_as(client, beneficiary)
    response = getattr(client, route.method)(portal_url(route, beneficiary))
    assert response.status_code in route.ok_status


@pytest.mark.parametrize("route", PORTAL_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("who", ["anonymous", "staff", "other_association"])
def test_portal_sends_others_to_sign_in(client, org, other_org, members, route, who):
    """Staff sign-in opens no portal page, nor does another association's."""
    beneficiary = portal_beneficiary(org)
    url = portal_url(route, beneficiary)
    if who == "staff":
        client.force_login(members[Role.MANAGER])
    elif who == "other_association":
        sign_in_as(client, portal_beneficiary(other_org))
    response = getattr(client, route.method)(url)
    assert response.status_code == 302
    sign_in = reverse("portal:sign_in", kwargs={"org_slug": org.slug})
    assert response["Location"].startswith(sign_in)


@pytest.mark.parametrize(
    "route", [r for r in PORTAL_ROUTES if r.kwargs], ids=lambda r: r.name
)
def test_portal_hides_another_beneficiarys_objects(client, org, route):
    owner, neighbour = portal_beneficiary(org), portal_beneficiary(org)
    sign_in_as(client, neighbour)
    response = getattr(client, route.method)(portal_url(route, owner))
    assert response.status_code == 404
