"""The association's channels page (P-CHANNELS)."""

import html

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from mustafid.contact.models import Channel
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from tests.cases.helpers import make_case, make_channel

pytestmark = pytest.mark.django_db


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_manager_sees_the_associations_channels_only(client_as, org, other_org):
    make_channel(org, name_ar="الهاتف", kind="phone")
    make_channel(other_org, name_ar="قناة أخرى", kind="letters")
    response = client_as(Role.MANAGER).get(reverse("contact:channel_list"))
    text = page_text(response)
    assert "الهاتف" in text
    assert "قناة أخرى" not in text


def test_adding_a_channel_puts_it_last_and_is_audited(client_as, org):
    make_channel(org, name_ar="الهاتف", kind="phone", position=4)
    response = client_as(Role.MANAGER).post(
        reverse("contact:channel_list"),
        {"kind": "social_media", "name_ar": "سناب شات", "name_en": "Snapchat"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        channel = Channel.objects.get(organization=org, name_ar="سناب شات")
        assert channel.position == 5 and channel.is_enabled
        assert AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_id=str(channel.pk)
        ).exists()


@pytest.mark.parametrize(
    "names", [{"name_ar": "الهاتف"}, {"name_ar": "هاتف آخر", "name_en": "phone"}]
)
def test_a_name_already_used_is_refused_clearly(client_as, org, names):
    make_channel(org, name_ar="الهاتف", name_en="Phone", kind="phone")
    response = client_as(Role.MANAGER).post(
        reverse("contact:channel_list"), {"kind": "phone", "name_en": "", **names}
    )
    assert response.status_code == 200
    assert ar("The association already has a channel of this name.") in page_text(
        response
    )
    with scopes_disabled():
        assert Channel.objects.filter(organization=org).count() == 1


def test_the_same_name_is_free_in_another_association(client_as, org, other_org):
    make_channel(other_org, name_ar="الهاتف", kind="phone")
    client_as(Role.MANAGER).post(
        reverse("contact:channel_list"), {"kind": "phone", "name_ar": "الهاتف"}
    )
    with scopes_disabled():
        assert Channel.objects.filter(organization=org, name_ar="الهاتف").exists()


def test_bad_input_adds_nothing(client_as, org):
    response = client_as(Role.MANAGER).post(
        reverse("contact:channel_list"), {"kind": "pigeon", "name_ar": ""}
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert not Channel.objects.filter(organization=org).exists()


def test_a_disabled_channel_leaves_the_intake_picker_but_stays_on_old_cases(
    client_as, org
):
    visit = make_channel(org, name_ar="مقابلة شخصية")
    case = make_case(org, "submitted")
    client = client_as(Role.MANAGER)
    response = client.post(reverse("contact:channel_toggle", args=[visit.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert not visit.is_enabled
    intake = client.get(reverse("cases:case_intake"))
    assert visit not in intake.context["form"].fields["channel"].queryset
    log = client.get(reverse("contact:interaction_create"))
    assert visit not in log.context["form"].fields["channel"].queryset
    assert "مقابلة شخصية" in page_text(
        client.get(reverse("cases:case_detail", args=[case.pk]))
    )
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action=AuditAction.UPDATE,
            object_id=str(visit.pk),
            changes__is_enabled=[True, False],
        ).exists()
    # Enabled again, it is offered again.
    client.post(reverse("contact:channel_toggle", args=[visit.pk]))
    intake = client.get(reverse("cases:case_intake"))
    assert visit in intake.context["form"].fields["channel"].queryset


def test_channels_move_up_and_down(client_as, org):
    first = make_channel(org, name_ar="أ", position=1)
    second = make_channel(org, name_ar="ب", position=2)
    third = make_channel(org, name_ar="ج", position=3)
    client = client_as(Role.MANAGER)
    client.post(reverse("contact:channel_move", args=[third.pk]), {"direction": "up"})
    with scopes_disabled():
        order = list(Channel.objects.filter(organization=org).values_list("pk"))
    assert [pk for (pk,) in order] == [first.pk, third.pk, second.pk]
    # The first cannot go higher: a message, no change.
    response = client.post(
        reverse("contact:channel_move", args=[first.pk]),
        {"direction": "up"},
        follow=True,
    )
    assert ar("The channel cannot move further.") in page_text(response)
    with scopes_disabled():
        again = list(Channel.objects.filter(organization=org).values_list("pk"))
    assert again == order


def test_another_associations_channel_cannot_be_disabled(client_as, other_org):
    theirs = make_channel(other_org, name_ar="الهاتف")
    response = client_as(Role.MANAGER).post(
        reverse("contact:channel_toggle", args=[theirs.pk])
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_enabled
