"""A stored letter, for staff to print (issue 6 item 5)."""

from django.core.files.storage import default_storage
from django.http import Http404
from django.views.decorators.http import require_GET

from mustafid.contact.outbox import Method, OutboxMessage
from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.core.uploads import serve_private

# The stored letter is our own HTML; it needs nothing but its inline styles and
# its embedded logo, so nothing else may load or run in it.
LETTER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@require_GET
@staff_view(Perm.VIEW_OUTBOX)
def letter(request, pk: int):
    """A letter as it was issued, for printing (never a public media URL)."""
    message = get_for_org(request, OutboxMessage, pk=pk, method=Method.LETTER)
    # Only a letter stored for this association (LetterBackend's names).
    if not message.provider_id.startswith(f"letters/{message.organization_id}/"):
        raise Http404
    try:
        stored = default_storage.open(message.provider_id, "rb")
    except OSError as exc:
        raise Http404 from exc
    record_for_request(request, AuditAction.VIEW, obj=message)
    response = serve_private(stored, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = LETTER_POLICY
    return response
