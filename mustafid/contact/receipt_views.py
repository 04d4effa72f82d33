"""The doors providers use to report delivery (see contact.receipts)."""

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from mustafid.contact import receipts


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    """GET: Meta verifies the subscription; POST: signed status notifications."""
    if request.method == "GET":
        token = settings.WHATSAPP.get("VERIFY_TOKEN", "")
        given = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") != "subscribe"
            or not token
            or not hmac.compare_digest(token, given)
        ):
            return HttpResponse("verification refused", status=403)
        return HttpResponse(request.GET.get("hub.challenge", ""))
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not receipts.whatsapp_signature_valid(request.body, signature):
        return HttpResponse("bad signature", status=403)
    try:
        statuses = receipts.whatsapp_statuses(request.body)
    except receipts.BadReceipt as error:
        return JsonResponse({"error": str(error)}, status=400)
    changed = sum(receipts.record_receipt(*status) for status in statuses)
    return JsonResponse({"updated": changed})


@csrf_exempt
@require_POST
def sms_delivery_report(request, token: str):
    """The SMS gateway's delivery report, JSON or form, at a secret URL."""
    expected = settings.SMS_RECEIPT_TOKEN
    if not expected or not hmac.compare_digest(expected, token):
        raise Http404
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            return JsonResponse({"error": "the body is not JSON"}, status=400)
    else:
        data = request.POST.dict()
    try:
        provider_id, status, error = receipts.sms_receipt(data)
    except receipts.BadReceipt as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(
        {"updated": receipts.record_receipt(provider_id, status, error)}
    )
