"""Import and export pages: upload, columns, check, import with progress; Excel."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.spreadsheets import download, write_to_temporary_file
from mustafid.core.tenancy import get_for_org
from mustafid.registry import importing
from mustafid.registry.exporting import write_workbook
from mustafid.registry.forms import BeneficiaryFilterForm
from mustafid.registry.import_files import UnreadableFile, error_report_csv
from mustafid.registry.import_forms import MAX_ROWS, ImportMappingForm, ImportUploadForm
from mustafid.registry.import_models import ImportJob
from mustafid.registry.models import Beneficiary

PAGE_SIZE = 25
ERRORS_SHOWN = 100
PREVIEW_ROWS = 5


def _job(request, pk: int) -> ImportJob:
    return get_for_org(request, ImportJob.objects.select_related("created_by"), pk=pk)


@require_GET
@staff_view(Perm.IMPORT_BENEFICIARIES)
def import_list(request):
    jobs = ImportJob.objects.select_related("created_by")
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "registry/import_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@staff_view(Perm.IMPORT_BENEFICIARIES)
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = importing.create_import_job(
            actor=request.user,
            organization=request.organization,
            upload=upload,
            kind=upload.checked_kind,
            original_name=upload.original_name,
            headers=form.headers,
            mapping=form.mapping,
            total_rows=form.total_rows,
        )
        return redirect("registry:import_mapping", pk=job.pk)
    return TemplateResponse(
        request,
        "registry/import_upload.html",
        {"form": form, "max_rows": MAX_ROWS, "batch_size": importing.BATCH_SIZE},
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.IMPORT_BENEFICIARIES)
def import_mapping(request, pk: int):
    """The first rows of the file under a choice of field for each column;
    saving the choice runs the dry run."""
    job = _job(request, pk)
    if not job.can_change_mapping:
        return redirect("registry:import_job", pk=job.pk)
    try:
        preview = importing.open_job_table(job).preview(PREVIEW_ROWS)
    except (UnreadableFile, OSError):
        messages.error(request, _("The uploaded file can no longer be read."))
        return redirect("registry:import_job", pk=job.pk)
    form = ImportMappingForm(
        request.POST or None,
        headers=job.headers,
        mapping=job.mapping,
        initial={"update_existing": job.update_existing},
    )
    if request.method == "POST" and form.is_valid():
        try:
            importing.check_columns(
                job=job,
                mapping=form.mapping(),
                update_existing=form.cleaned_data["update_existing"],
            )
        except importing.ImportStateError:
            messages.error(request, _("This import has moved on and cannot change."))
        except (UnreadableFile, OSError):
            messages.error(request, _("The uploaded file can no longer be read."))
        return redirect("registry:import_job", pk=job.pk)
    return TemplateResponse(
        request,
        "registry/import_mapping.html",
        {"job": job, "form": form, "preview": preview},
    )


@require_GET
@staff_view(Perm.IMPORT_BENEFICIARIES)
def import_job(request, pk: int):
    """Where an import stands; htmx polls the status partial while it runs."""
    job = _job(request, pk)
    template = "registry/import_job.html"
    if request.htmx:
        template += "#status"
    return TemplateResponse(
        request,
        template,
        {
            "job": job,
            "errors": job.error_rows[:ERRORS_SHOWN],
            "errors_shown": ERRORS_SHOWN,
            "batch_size": importing.BATCH_SIZE,
        },
    )


@require_GET
@staff_view(Perm.IMPORT_BENEFICIARIES)
def import_errors(request, pk: int):
    """The row errors as CSV: row, column, value, message in Arabic and English."""
    job = _job(request, pk)
    response = HttpResponse(
        error_report_csv(job.error_rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="import-{job.pk}-errors.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_view(Perm.IMPORT_BENEFICIARIES)
def import_start(request, pk: int):
    job = _job(request, pk)
    if not job.can_start:
        messages.error(request, _("This import cannot be started now."))
        return redirect("registry:import_job", pk=job.pk)
    try:
        importing.queue_import(job=job)
    except importing.ImportStateError:
        messages.error(request, _("This import cannot be started now."))
    else:
        messages.success(
            request,
            _("The import has started. It goes on in the background: you may leave."),
        )
    return redirect("registry:import_job", pk=job.pk)


@require_POST
@staff_view(Perm.IMPORT_BENEFICIARIES)
def import_cancel(request, pk: int):
    job = _job(request, pk)
    try:
        stopped = importing.cancel_import(job=job)
    except importing.ImportStateError:
        messages.error(request, _("This import has already ended."))
    else:
        if stopped:
            messages.success(
                request, _("The import was cancelled. Nothing was written.")
            )
        else:
            messages.warning(
                request,
                _(
                    "The import will stop before its next batch of %(size)s rows. "
                    "The rows already imported are kept."
                )
                % {"size": importing.BATCH_SIZE},
            )
    return redirect("registry:import_job", pk=job.pk)


@require_GET
@staff_view(Perm.EXPORT_BENEFICIARIES)
def beneficiary_export(request):
    """The filtered list as .xlsx (P-PRIVACY: the export and its filter are
    audited)."""
    form = BeneficiaryFilterForm(request.GET or None)
    beneficiaries = Beneficiary.objects.all()
    if form.is_bound:
        if not form.is_valid():
            messages.error(request, _("The filter is not valid: nothing was exported."))
            list_url = reverse("registry:beneficiary_list")
            return redirect(f"{list_url}?{urlencode(request.GET)}")
        beneficiaries = form.filter(beneficiaries)
    out, rows = write_to_temporary_file(lambda out: write_workbook(beneficiaries, out))
    record_for_request(
        request,
        AuditAction.EXPORT,
        changes={"format": "xlsx", "rows": rows, "filter": _filter_summary(form)},
    )
    return download(out, f"beneficiaries-{timezone.localdate().isoformat()}.xlsx")


def _filter_summary(form: BeneficiaryFilterForm) -> dict:
    if not form.is_bound:
        return {}
    summary = {}
    for name, value in form.cleaned_data.items():
        if value:
            summary[name] = getattr(value, "code", value)
    return summary
