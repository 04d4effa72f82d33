"""Staff word the association's public questions and answers (P-TRANSPARENCY)."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.portal.faq import FaqEntry


def entry_data(**changes):
    return {
        "question_ar": "هل تقدمون خدمة النقل؟",
        "question_en": "Do you offer transport?",
        "answer_ar": "نعم، لمواعيد المستشفى.",
        "answer_en": "Yes, to hospital appointments.",
        "position": "60",
        "is_published": "on",
    } | changes


def test_the_manager_adds_a_question_the_public_then_reads(client_as, client, org):
    staff = client_as(Role.MANAGER)
    page = staff.get(reverse("portal_staff:faq_list")).content.decode()
    assert "كيف تحمون بياناتي؟" in page  # the defaults are there to edit
    response = staff.post(reverse("portal_staff:faq_list"), entry_data())
    assert response.status_code == 302
    with scopes_disabled():
        entry = FaqEntry.objects.get(question_ar="هل تقدمون خدمة النقل؟")
        assert AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_id=str(entry.pk)
        ).exists()
    public = staff.get(reverse("portal:faq", kwargs={"org_slug": org.slug}))
    assert "نعم، لمواعيد المستشفى." in public.content.decode()


def test_unpublishing_hides_a_question(client_as, org):
    staff = client_as(Role.ADMIN)
    with scope(organization=org):
        entry = FaqEntry.objects.create(
            organization=org, question_ar="سؤال قديم؟", answer_ar="جواب."
        )
    response = staff.post(
        reverse("portal_staff:faq_edit", args=[entry.pk]),
        entry_data(question_ar="سؤال قديم؟", is_published=""),
    )
    assert response.status_code == 302
    public = staff.get(reverse("portal:faq", kwargs={"org_slug": org.slug}))
    assert "سؤال قديم؟" not in public.content.decode()


def test_bad_input_is_refused_and_nothing_changes(client_as, org):
    staff = client_as(Role.MANAGER)
    response = staff.post(reverse("portal_staff:faq_list"), entry_data(answer_ar=""))
    assert response.status_code == 400
    with scopes_disabled():
        assert not FaqEntry.objects.filter(question_ar="هل تقدمون خدمة النقل؟")


def test_another_associations_question_is_not_found(client_as, other_org):
    with scope(organization=other_org):
        entry = FaqEntry.objects.create(
            organization=other_org, question_ar="سؤال بيتا؟", answer_ar="جواب."
        )
    staff = client_as(Role.MANAGER)
    assert (
        staff.get(reverse("portal_staff:faq_edit", args=[entry.pk])).status_code == 404
    )
