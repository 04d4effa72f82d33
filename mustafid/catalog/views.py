from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mustafid.catalog import services
from mustafid.catalog.forms import ServiceForm
from mustafid.catalog.models import Service
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.registry.models import DocumentType


@require_GET
@staff_view(Perm.MANAGE_SERVICES)
def service_list(request):
    service_rows = Service.objects.prefetch_related(
        Prefetch("required_documents", queryset=DocumentType.objects.all())
    )
    return TemplateResponse(
        request, "catalog/service_list.html", {"services": service_rows}
    )


def _service_form_view(request, service=None):
    form = ServiceForm(
        request.POST or None, instance=service, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        services.save_service(
            actor=request.user,
            organization=request.organization,
            data=form.cleaned_data,
            service=service,
            request=request,
        )
        messages.success(request, _("The service was saved."))
        return redirect("catalog:service_list")
    if request.method == "POST" and service is not None:
        service.refresh_from_db()  # the bound form changed the instance
    return TemplateResponse(
        request, "catalog/service_form.html", {"form": form, "service": service}
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_SERVICES)
def service_create(request):
    return _service_form_view(request)


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_SERVICES)
def service_edit(request, pk: int):
    return _service_form_view(request, get_for_org(request, Service, pk=pk))
