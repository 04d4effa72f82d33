"""The association's categories and targets, and its improvement actions
(P-COMPLAINTS, P-IMPROVE)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.feedback.defaults import ensure_defaults
from mustafid.feedback.forms import CategoryForm, ImprovementForm, TargetForm
from mustafid.feedback.improvements import ActionStatus, ImprovementAction
from mustafid.feedback.models import FeedbackCategory, FeedbackItem, FeedbackTarget


def _targets():
    order = ["urgent", "high", "normal", "low"]
    return sorted(FeedbackTarget.objects.all(), key=lambda t: order.index(t.priority))


def _target_forms(request, data=None):
    return [
        (target, TargetForm(data, instance=target, prefix=target.priority))
        for target in _targets()
    ]


def _settings_page(request, *, category_form=None, target_forms=None, status=200):
    return TemplateResponse(
        request,
        "feedback/settings.html",
        {
            "categories": FeedbackCategory.objects.all(),
            "category_form": category_form or CategoryForm(),
            "target_forms": target_forms or _target_forms(request),
        },
        status=status,
    )


FIELDS = ["acknowledge_days", "resolve_days", "board_after_days"]


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_FEEDBACK_SETTINGS)
def settings_page(request):
    """The targets per priority, in Saudi working days."""
    ensure_defaults(request.organization)
    if request.method == "POST":
        target_forms = _target_forms(request, request.POST)
        before = {t.pk: audit.snapshot(t, FIELDS) for t, _form in target_forms}
        if all(form.is_valid() for _target, form in target_forms):
            with transaction.atomic():
                for target, form in target_forms:
                    if form.has_changed():
                        form.save()
                        audit.record_for_request(
                            request,
                            AuditAction.UPDATE,
                            obj=target,
                            changes=audit.changed_fields(
                                before[target.pk], audit.snapshot(target, FIELDS)
                            ),
                        )
            messages.success(request, _("The targets were saved."))
            return redirect("feedback:settings")
        return _settings_page(request, target_forms=target_forms, status=400)
    return _settings_page(request)


@require_POST
@staff_view(Perm.MANAGE_FEEDBACK_SETTINGS)
def category_add(request):
    form = CategoryForm(request.POST)
    form.instance.organization = request.organization
    if form.is_valid():
        name = form.cleaned_data["name_ar"].strip()
        if FeedbackCategory.objects.filter(name_ar__iexact=name).exists():
            form.add_error("name_ar", _("There is already a category of this name."))
        else:
            with transaction.atomic():
                form.instance.position = FeedbackCategory.objects.count() + 1
                category = form.save()
                audit.record_for_request(request, AuditAction.CREATE, obj=category)
            messages.success(request, _("The category was added."))
            return redirect("feedback:settings")
    return _settings_page(request, category_form=form, status=400)


@require_POST
@staff_view(Perm.MANAGE_FEEDBACK_SETTINGS)
def category_toggle(request, pk: int):
    category = get_for_org(request, FeedbackCategory, pk=pk)
    with transaction.atomic():
        category.is_enabled = not category.is_enabled
        category.save(update_fields=["is_enabled", "updated_at"])
        audit.record_for_request(
            request,
            AuditAction.UPDATE,
            obj=category,
            changes={"is_enabled": [not category.is_enabled, category.is_enabled]},
        )
    return redirect("feedback:settings")


# --- Improvement actions (P-IMPROVE) ------------------------------------------


@require_GET
@staff_view(Perm.MANAGE_IMPROVEMENTS)
def action_list(request):
    actions = ImprovementAction.objects.select_related("owner").order_by(
        "status", "due_on", "id"
    )
    return TemplateResponse(
        request,
        "feedback/action_list.html",
        {"actions": actions, "today": timezone.localdate()},
    )


def _action_form(request, instance=None):
    staff = [
        m.user
        for m in Membership.objects.filter(
            organization=request.organization, is_active=True
        ).select_related("user")
    ]
    # Suggestions and complaints the manager may see (P-EVALCULTURE).
    items = (
        FeedbackItem.objects.visible_to(request.membership)
        .filter(kind__in=["suggestion", "complaint", "remark", "dispute"])
        .order_by("-received_at")[:200]
    )
    # An action keeps the items it came from, however old.
    chosen = (
        [] if instance is None else list(instance.items.values_list("pk", flat=True))
    )
    items = FeedbackItem.objects.filter(pk__in=[i.pk for i in items] + chosen).order_by(
        "-received_at"
    )
    initial = {}
    wanted = request.GET.get("item")
    if instance is None and wanted and wanted.isdigit():
        initial["items"] = items.filter(pk=wanted)
    return ImprovementForm(
        request.POST or None,
        instance=instance,
        staff=staff,
        items=items,
        initial=initial,
    )


def _save_action(request, form, created: bool):
    with transaction.atomic():
        action = form.save(commit=False)
        action.organization = request.organization
        if action.status == ActionStatus.DONE and action.completed_on is None:
            action.completed_on = timezone.localdate()
        action.save()
        form.save_m2m()
        audit.record_for_request(
            request,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=action,
            changes={"status": action.status, "published": action.is_published},
        )
    return action


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_IMPROVEMENTS)
def action_create(request):
    form = _action_form(request)
    if request.method == "POST" and form.is_valid():
        _save_action(request, form, created=True)
        messages.success(request, _("The improvement action was saved."))
        return redirect("feedback:action_list")
    return TemplateResponse(
        request,
        "feedback/action_form.html",
        {"form": form, "action": None},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_IMPROVEMENTS)
def action_edit(request, pk: int):
    action = get_for_org(request, ImprovementAction, pk=pk)
    form = _action_form(request, instance=action)
    if request.method == "POST" and form.is_valid():
        _save_action(request, form, created=False)
        messages.success(request, _("The improvement action was saved."))
        return redirect("feedback:action_list")
    return TemplateResponse(
        request,
        "feedback/action_form.html",
        {"form": form, "action": action},
        status=400 if form.is_bound else 200,
    )
