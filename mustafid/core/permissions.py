"""The one decorator every staff page goes through."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse

from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.roles import Perm


def staff_view(perm: Perm):
    """Signed in, a member of an association, and holding `perm` there; else 403.

    Refusals are written to the audit trail as `permission_denied`.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.membership is None:
                return TemplateResponse(request, "core/no_association.html", status=403)
            if not request.membership.has_perm(perm):
                record_for_request(
                    request,
                    AuditAction.PERMISSION_DENIED,
                    changes={"path": request.path, "permission": str(perm)},
                )
                return TemplateResponse(request, "403.html", status=403)
            return view(request, *args, **kwargs)

        wrapper.required_perm = perm
        return wrapper

    return decorator
