"""The beneficiary's profile opens a new request and lists their requests."""

from django.urls import reverse

from mustafid.core.roles import Role
from tests.cases.helpers import make_case


def profile(client, beneficiary, tab="data"):
    url = reverse("registry:beneficiary_detail", args=[beneficiary.pk])
    return client.get(url, {"tab": tab})


def new_request_url(beneficiary):
    return reverse("cases:case_intake") + f"?beneficiary={beneficiary.pk}"


def test_intake_staff_get_a_new_request_link(client_as, beneficiary):
    """P-RECEIVE: a request is opened from the profile, the beneficiary chosen."""
    body = profile(client_as(Role.RECEPTION), beneficiary).content.decode()
    assert new_request_url(beneficiary) in body


def test_roles_without_intake_get_no_link(client_as, beneficiary):
    for role in (Role.RESEARCHER, Role.COMMITTEE, Role.AUDITOR):
        body = profile(client_as(role), beneficiary).content.decode()
        assert new_request_url(beneficiary) not in body


def test_the_requests_tab_lists_the_beneficiarys_requests_only(
    client_as, org, beneficiary
):
    own = make_case(org, "submitted", beneficiary=beneficiary)
    other = make_case(org, "submitted")
    response = profile(client_as(Role.COMMITTEE), beneficiary, "cases")
    body = response.content.decode()
    assert list(response.context["cases"]) == [own]
    assert reverse("cases:case_detail", args=[own.pk]) in body
    assert other.number not in body


def test_the_requests_tab_says_when_there_are_none(client_as, beneficiary):
    response = profile(client_as(Role.RECEPTION), beneficiary, "cases")
    assert list(response.context["cases"]) == []
    assert new_request_url(beneficiary) in response.content.decode()


def test_the_requests_tab_queries_do_not_grow(
    client_as, org, beneficiary, django_assert_max_num_queries
):
    client = client_as(Role.MANAGER)
    make_case(org, "submitted", beneficiary=beneficiary)
    with django_assert_max_num_queries(30) as few:
        profile(client, beneficiary, "cases")
    for _ in range(5):
        make_case(org, "submitted", beneficiary=beneficiary)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = profile(client, beneficiary, "cases")
    assert len(response.context["cases"]) == 6
