from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.core.uploads import serve_private
from mustafid.registry import search, services
from mustafid.registry.forms import (
    BeneficiaryFilterForm,
    BeneficiaryForm,
    DocumentForm,
    DocumentReviewForm,
    HouseholdMemberForm,
    ReachRecordForm,
)
from mustafid.registry.models import (
    Beneficiary,
    Category,
    Document,
    HouseholdMember,
    ReachRecord,
)

PAGE_SIZE = 25
CONTACTS_PAGE_SIZE = 20
# The profile's sections; later issues fill cases, contacts, complaints, surveys.
TABS = {
    "data": gettext_lazy("Data"),
    "household": gettext_lazy("Household"),
    "documents": gettext_lazy("Documents"),
    "cases": gettext_lazy("Requests"),
    "questions": gettext_lazy("Questions to researchers"),
    "contacts": gettext_lazy("Contacts"),
    "complaints": gettext_lazy("Complaints"),
    "surveys": gettext_lazy("Surveys"),
    "audit": gettext_lazy("Audit trail"),
}


@require_GET
@staff_view(Perm.VIEW_BENEFICIARIES)
def beneficiary_list(request):
    form = BeneficiaryFilterForm(request.GET or None)
    beneficiaries = Beneficiary.objects.all()
    if form.is_valid():
        beneficiaries = form.filter(beneficiaries)
    beneficiaries = beneficiaries.prefetch_related(
        Prefetch("categories", queryset=Category.objects.all())
    ).annotate(
        expired_documents=Count(
            "documents", filter=Q(documents__expires_on__lt=timezone.localdate())
        )
    )
    if not beneficiaries.query.order_by:
        beneficiaries = beneficiaries.order_by("family_name", "first_name", "id")
    page = Paginator(beneficiaries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    searched = form.is_valid() and form.cleaned_data.get("q")
    return TemplateResponse(
        request,
        "registry/beneficiary_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # A name search lists the newest matches only (registry.search).
            "capped_at": search.MAX_NAME_MATCHES
            if searched and page.paginator.count >= search.MAX_NAME_MATCHES
            else None,
        },
    )


def _beneficiary_form(request, instance=None):
    return BeneficiaryForm(
        request.POST or None,
        instance=instance,
        can_override_check_digit=request.membership.has_perm(Perm.OVERRIDE_ID_CHECK),
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.CHANGE_BENEFICIARIES)
def beneficiary_create(request):
    form = _beneficiary_form(request)
    if request.method == "POST" and form.is_valid():
        beneficiary = services.register_beneficiary(
            actor=request.user,
            organization=request.organization,
            data=form.registry_data(),
            request=request,
        )
        messages.success(request, _("The beneficiary was registered."))
        return redirect("registry:beneficiary_detail", pk=beneficiary.pk)
    return TemplateResponse(
        request, "registry/beneficiary_form.html", {"form": form, "beneficiary": None}
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.CHANGE_BENEFICIARIES)
def beneficiary_edit(request, pk: int):
    beneficiary = get_for_org(request, Beneficiary, pk=pk)
    form = _beneficiary_form(request, instance=beneficiary)
    if request.method == "POST" and form.is_valid():
        services.update_beneficiary(
            actor=request.user,
            beneficiary=beneficiary,
            data=form.registry_data(),
            request=request,
        )
        messages.success(request, _("The changes were saved."))
        return redirect("registry:beneficiary_detail", pk=beneficiary.pk)
    if request.method == "POST":
        beneficiary.refresh_from_db()  # the bound form changed the instance
    return TemplateResponse(
        request,
        "registry/beneficiary_form.html",
        {"form": form, "beneficiary": beneficiary},
    )


@require_GET
@staff_view(Perm.VIEW_BENEFICIARIES)
@transaction.atomic
def beneficiary_detail(request, pk: int):
    beneficiary = get_for_org(request, Beneficiary.objects.with_household(), pk=pk)
    tab = request.GET.get("tab", "data")
    if tab not in TABS:
        tab = "data"
    # P-PRIVACY: every opening of a beneficiary's record is audited.
    record_for_request(request, AuditAction.VIEW, obj=beneficiary, changes={"tab": tab})
    tabs = [
        (key, label)
        for key, label in TABS.items()
        if key != "audit" or request.membership.has_perm(Perm.VIEW_AUDIT)
    ]
    context = {"beneficiary": beneficiary, "tab": tab, "tabs": tabs}
    context |= _tab_context(request, beneficiary, tab)
    return TemplateResponse(request, "registry/beneficiary_detail.html", context)


def _tab_context(request, beneficiary, tab):
    if tab == "data":
        return {"categories": beneficiary.categories.all()}
    if tab == "household":
        return {"members": beneficiary.household_members.all()}
    if tab == "documents":
        return {
            "documents": beneficiary.documents.select_related(
                "document_type", "verified_by"
            ),
            "can_verify": request.membership.has_perm(Perm.VERIFY_DOCUMENTS),
        }
    if tab == "cases" and request.membership.has_perm(Perm.VIEW_CASES):
        return {
            "cases": beneficiary.cases.select_related("service", "channel").order_by(
                "-created_at", "-id"
            )
        }
    if tab == "questions" and request.membership.has_perm(Perm.VIEW_CASES):
        # P-REFER-RESEARCH: what reception referred and what the researcher said.
        return {
            "questions": beneficiary.research_questions.select_related(
                "case", "referred_by", "researcher", "answered_by"
            )
        }
    if tab == "contacts":
        # P-RECEIVE: the beneficiary's timeline, newest first, in bounded queries.
        contacts = beneficiary.interactions.select_related(
            "channel", "staff", "case", "inquiry"
        ).order_by("-occurred_at", "-id")
        return {
            "contacts_page": Paginator(contacts, CONTACTS_PAGE_SIZE).get_page(
                request.GET.get("page")
            )
        }
    if tab == "complaints":
        # P-COMPLAINTS; P-EVALCULTURE: never an item about the reader.
        from mustafid.feedback.models import FeedbackItem

        return {
            "feedback_items": FeedbackItem.objects.visible_to(request.membership)
            .filter(beneficiary=beneficiary)
            .order_by("-received_at", "-id")[:100]
        }
    if tab == "surveys":
        from mustafid.surveys.profile import tab_context

        return tab_context(beneficiary)
    if tab == "audit" and request.membership.has_perm(Perm.VIEW_AUDIT):
        return {
            "events": AuditEvent.objects.filter(
                object_type=beneficiary._meta.label_lower,
                object_id=str(beneficiary.pk),
            )[:100]
        }
    return {}


def _member_form_view(request, pk, member_pk=None):
    beneficiary = get_for_org(request, Beneficiary, pk=pk)
    member = (
        get_for_org(request, HouseholdMember, pk=member_pk, beneficiary=beneficiary)
        if member_pk
        else None
    )
    form = HouseholdMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.save_household_member(
            actor=request.user,
            beneficiary=beneficiary,
            member=member,
            data=form.cleaned_data,
            request=request,
        )
        messages.success(request, _("The household was updated."))
        return redirect(_tab_url(beneficiary, "household"))
    return TemplateResponse(
        request,
        "registry/member_form.html",
        {"form": form, "beneficiary": beneficiary, "member": member},
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.CHANGE_BENEFICIARIES)
def member_create(request, pk: int):
    return _member_form_view(request, pk)


@require_http_methods(["GET", "POST"])
@staff_view(Perm.CHANGE_BENEFICIARIES)
def member_edit(request, pk: int, member_pk: int):
    return _member_form_view(request, pk, member_pk)


@require_POST
@staff_view(Perm.CHANGE_BENEFICIARIES)
def member_remove(request, pk: int, member_pk: int):
    beneficiary = get_for_org(request, Beneficiary, pk=pk)
    member = get_for_org(
        request, HouseholdMember, pk=member_pk, beneficiary=beneficiary
    )
    services.remove_household_member(actor=request.user, member=member, request=request)
    messages.success(request, _("The household member was removed."))
    return redirect(_tab_url(beneficiary, "household"))


@require_http_methods(["GET", "POST"])
@staff_view(Perm.CHANGE_BENEFICIARIES)
def document_create(request, pk: int):
    beneficiary = get_for_org(request, Beneficiary, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        services.add_document(
            actor=request.user,
            beneficiary=beneficiary,
            document_type=form.cleaned_data["document_type"],
            upload=upload,
            content_type=upload.checked_kind.mime,
            expires_on=form.cleaned_data["expires_on"],
            request=request,
        )
        messages.success(request, _("The document was added, awaiting verification."))
        return redirect(_tab_url(beneficiary, "documents"))
    return TemplateResponse(
        request,
        "registry/document_form.html",
        {"form": form, "beneficiary": beneficiary},
    )


@require_GET
@staff_view(Perm.VIEW_BENEFICIARIES)
def document_file(request, doc_pk: int):
    """The document's file, only after the permission check (never a public URL)."""
    document = get_for_org(request, Document, pk=doc_pk)
    record_for_request(request, AuditAction.VIEW, obj=document)
    return serve_private(document.file, content_type=document.content_type)


@require_http_methods(["GET", "POST"])
@staff_view(Perm.VERIFY_DOCUMENTS)
def document_review(request, doc_pk: int):
    document = get_for_org(
        request, Document.objects.select_related("beneficiary"), pk=doc_pk
    )
    form = DocumentReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.verify_document(
            actor=request.user,
            document=document,
            verified=form.cleaned_data["decision"] == "verify",
            reason=form.cleaned_data["reason"],
            request=request,
        )
        messages.success(request, _("The document's verification was recorded."))
        return redirect(_tab_url(document.beneficiary, "documents"))
    return TemplateResponse(
        request, "registry/document_review.html", {"form": form, "document": document}
    )


@require_GET
@staff_view(Perm.VIEW_BENEFICIARIES)
def reach_list(request):
    records = ReachRecord.objects.select_related("channel")
    totals = (
        records.values("channel__name_ar", "channel__name_en")
        .annotate(total=Sum("count"), entries=Count("id"))
        .order_by("-total")
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "registry/reach_list.html",
        {
            "page": page,
            "totals": totals,
            "grand_total": records.aggregate(total=Sum("count"))["total"] or 0,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.RECORD_REACH)
def reach_create(request):
    form = ReachRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_reach(
            actor=request.user,
            organization=request.organization,
            data=form.cleaned_data,
            request=request,
        )
        messages.success(request, _("The reach was recorded."))
        return redirect("registry:reach_list")
    return TemplateResponse(request, "registry/reach_form.html", {"form": form})


def _tab_url(beneficiary, tab):
    return reverse("registry:beneficiary_detail", args=[beneficiary.pk]) + f"?tab={tab}"
