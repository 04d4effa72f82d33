from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.contact.models import Channel
from mustafid.core import services
from mustafid.core.forms import AuditFilterForm, OrganizationForm, StaffFilterForm
from mustafid.core.models import AuditEvent, Membership
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import SESSION_KEY, get_for_org
from mustafid.core.uploads import JPEG, PNG
from mustafid.governance.models import PolicyVersion, StaffTool
from mustafid.registry.models import Beneficiary, RegistrationStatus

PAGE_SIZE = 50


def home(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return redirect("login")


@require_GET
@staff_view(Perm.VIEW_DASHBOARD)
def dashboard(request):
    role = request.membership.role
    context = {
        "registration_counts": [
            (RegistrationStatus(row["registration_status"]).label, row["total"])
            for row in Beneficiary.objects.values("registration_status")
            .annotate(total=Count("id"))
            .order_by("registration_status")
        ],
        "beneficiary_total": Beneficiary.objects.count(),
        "policy": PolicyVersion.objects.first(),
    }
    if request.membership.has_perm(Perm.VIEW_AUDIT):
        context["recent_events"] = AuditEvent.objects.select_related("actor")[:8]
    return TemplateResponse(request, f"core/dashboards/{role}.html", context)


@require_POST
def switch_association(request, organization_id: int):
    """Make another of the user's associations the current one."""
    if not request.user.is_authenticated:
        raise Http404
    membership = next(
        (m for m in request.memberships if m.organization_id == organization_id), None
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.organization_id
    messages.success(
        request,
        _("You are now working in %(name)s.") % {"name": membership.organization},
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    return redirect(next_url or "core:dashboard")


@require_GET
@staff_view(Perm.VIEW_ASSOCIATION)
def association(request):
    return TemplateResponse(
        request,
        "core/association.html",
        {
            "organization": request.organization,
            "channels": Channel.objects.all(),
            "tools": StaffTool.objects.all(),
            "policies": PolicyVersion.objects.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.CHANGE_ASSOCIATION)
def association_edit(request):
    organization = request.organization
    form = OrganizationForm(
        request.POST or None, request.FILES or None, instance=organization
    )
    if request.method == "POST" and form.is_valid():
        services.update_organization(
            actor=request.user,
            organization=organization,
            data={f: form.cleaned_data[f] for f in form.Meta.fields},
            request=request,
        )
        messages.success(request, _("The association's settings were saved."))
        return redirect("core:association")
    if request.method == "POST":
        organization.refresh_from_db()  # the bound form changed it; the shell shows it
    return TemplateResponse(request, "core/association_edit.html", {"form": form})


@require_GET
@staff_view(Perm.VIEW_DASHBOARD)
def association_logo(request):
    """The current association's logo, from private storage."""
    logo = request.organization.logo
    if not logo:
        raise Http404
    kind = PNG if logo.name.endswith(".png") else JPEG
    response = FileResponse(logo.open("rb"), content_type=kind.mime)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@staff_view(Perm.VIEW_STAFF)
def staff(request):
    form = StaffFilterForm(request.GET or None)
    memberships = Membership.objects.select_related("user")
    if form.is_valid() and form.cleaned_data["role"]:
        memberships = memberships.filter(role=form.cleaned_data["role"])
    return TemplateResponse(
        request, "core/staff.html", {"form": form, "memberships": memberships}
    )


@require_GET
@staff_view(Perm.VIEW_AUDIT)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor")
    if form.is_valid():
        events = form.filter(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_GET
@staff_view(Perm.VIEW_AUDIT)
def audit_event(request, pk: int):
    event = get_for_org(request, AuditEvent, pk=pk)
    return TemplateResponse(request, "core/audit_event.html", {"event": event})


def permission_denied(request, exception=None):
    return TemplateResponse(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return TemplateResponse(request, "404.html", status=404)


def server_error(request):
    return TemplateResponse(request, "500.html", status=500).render()
