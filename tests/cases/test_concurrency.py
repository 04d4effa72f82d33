"""Two officers act on the same case at once: one wins, the other is told."""

import threading
import time

import pytest
from django.db import connection, transaction
from django_scopes import scope, scopes_disabled

from mustafid.cases import transitions
from mustafid.cases.models import Case, CaseEvent
from mustafid.core.models import Membership
from mustafid.core.roles import Role
from tests.cases.helpers import make_case
from tests.conftest import make_member


def _membership(user, org):
    with scopes_disabled():
        return Membership.objects.get(user=user, organization=org)


def test_the_second_of_two_officers_gets_case_changed(org, members):
    case = make_case(org, "submitted")
    seen_by_both = case.version
    with scope(organization=org):
        transitions.transition(
            actor=members[Role.RECEPTION],
            membership=_membership(members[Role.RECEPTION], org),
            case=case,
            to="verifying",
            expected_version=seen_by_both,
        )
        with pytest.raises(transitions.CaseChanged, match="أعد تحميل الصفحة"):
            transitions.transition(
                actor=members[Role.SERVICES],
                membership=_membership(members[Role.SERVICES], org),
                case=case,
                to="incomplete",
                expected_version=seen_by_both,
                missing=["صورة الهوية"],
            )
        assert Case.objects.get(pk=case.pk).status == "verifying"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_connections_at_once_one_wins(org):
    """The first holds the row lock; the second waits, then sees the new version."""
    first = make_member(org, Role.RECEPTION)
    second = make_member(org, Role.SERVICES)
    case = make_case(org, "submitted")
    version = case.version
    locked = threading.Event()
    results = {}

    def officer(name, user, to, hold, **details):
        try:
            with scope(organization=org), transaction.atomic():
                results[name] = transitions.transition(
                    actor=user,
                    membership=_membership(user, org),
                    case=case,
                    to=to,
                    expected_version=version,
                    **details,
                )
                if hold:
                    locked.set()
                    time.sleep(0.5)  # the other connection is now waiting
        except transitions.TransitionError as error:
            results[name] = error
        finally:
            connection.close()

    a = threading.Thread(target=officer, args=("a", first, "verifying", True))
    b = threading.Thread(
        target=officer,
        args=("b", second, "incomplete", False),
        kwargs={"missing": ["صورة الهوية"]},
    )
    a.start()
    assert locked.wait(10)
    b.start()
    a.join(20)
    b.join(20)
    assert isinstance(results["a"], Case)
    assert isinstance(results["b"], transitions.CaseChanged)
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).status == "verifying"
        assert CaseEvent.objects.filter(case_id=case.pk).count() == 1
