"""One-time codes sent to a mobile: the portal's sign-in, registration and the
applicant's attestation (P-ATTEST: "portal checkbox confirmed by a one-time code").

A code is six random digits, valid five minutes, stored only as a keyed hash,
and spent by the first right answer. Wrong answers count against the code (it
dies after a few), and codes asked for count against the number and the
address asking (rate limits), so neither guessing nor flooding a phone pays.
The code reaches the phone through the outbox, sent at once rather than by the
next worker round; the outbox keeps the text with the code masked.
"""

import datetime
import hmac
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from mustafid.contact.outbox import Method, queue_message
from mustafid.core import ratelimit
from mustafid.core.crypto import blind_index
from mustafid.core.tenancy import TenantModel

VALID_FOR = datetime.timedelta(seconds=settings.PORTAL_CODE_SECONDS)
HOUR = datetime.timedelta(hours=1)


class Purpose(models.TextChoices):
    SIGN_IN = "sign_in", gettext_lazy("Sign in")
    REGISTER = "register", gettext_lazy("Register")
    ATTEST = "attest", gettext_lazy("Confirm the attestation")


class OneTimeCode(TenantModel):
    mobile_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    wrong_answers = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "mobile_hash", "purpose"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class CodeRefused(Exception):
    """A code cannot be sent or checked now; the message says why."""


class TooManyCodes(CodeRefused):
    """The number or the address asked for too many codes this hour."""


def _hash(code_id: int, code: str) -> str:
    # Keyed and bound to the row: a stolen table holds no usable codes.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{code_id}:{code}".encode(), "sha256").hexdigest()


def count_code_request(*, organization, mobile: str, ip: str | None) -> None:
    """Count one code asked for by this number and address, or raise CodeRefused.

    Called for every request of a code, whether a code is then sent or not, so
    the limits cannot tell a registered number from another.
    """
    limited = [
        (f"code:mobile:{organization.pk}:{mobile}", settings.PORTAL_CODES_PER_MOBILE),
        (f"code:ip:{ip}", settings.PORTAL_CODES_PER_IP),
    ]
    for key, limit in limited:
        if key.endswith(":None"):
            continue
        if not ratelimit.allow(key, limit=limit, window=HOUR):
            raise TooManyCodes(
                _("Too many codes were asked for. Wait an hour and try again.")
            )


def issue_code(
    *,
    organization,
    mobile: str,
    purpose: str,
    ip: str | None = None,
    beneficiary=None,
    language: str = "ar",
    send: bool = True,
) -> OneTimeCode:
    """Send a fresh code to `mobile` (E.164), or raise CodeRefused.

    Earlier unused codes of the same purpose die: only the newest works.
    `send=False` stores a code nobody is told (the answer to details that match
    no one): checking it then behaves exactly as checking a real one, wrong
    answers counted, so the code page cannot tell who is registered either.
    """
    count_code_request(organization=organization, mobile=mobile, ip=ip)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        mobile_hash = blind_index(mobile)
        OneTimeCode.objects.filter(
            organization=organization,
            mobile_hash=mobile_hash,
            purpose=purpose,
            used_at__isnull=True,
        ).update(used_at=now)
        record = OneTimeCode.objects.create(
            organization=organization,
            mobile_hash=mobile_hash,
            purpose=purpose,
            code_hash="",
            expires_at=now + VALID_FOR,
        )
        record.code_hash = _hash(record.pk, code)
        record.save(update_fields=["code_hash"])
        if not send:
            return record
        message = queue_message(
            organization=organization,
            event="one_time_code",
            context={"code": code, "minutes": int(VALID_FOR.total_seconds() // 60)},
            # Always the number asked for by SMS, never a preferred email.
            method=Method.SMS,
            address=mobile,
            language=language
            if beneficiary is None
            else beneficiary.preferred_language,
        )
        transaction.on_commit(lambda: _send_now(message.pk))
    return record


def _send_now(message_id: int) -> None:
    from mustafid.contact.sending import send_now

    with scopes_disabled():
        send_now(message_id)


def check_code(*, organization, mobile: str, purpose: str, code: str) -> None:
    """Spend the code, or raise CodeRefused saying what to do next."""
    now = timezone.now()
    answer = "".join(ch for ch in str(code) if ch.isdigit())
    answer = answer.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update()
            .filter(
                organization=organization,
                mobile_hash=blind_index(mobile),
                purpose=purpose,
                used_at__isnull=True,
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if record is None or record.expires_at <= now:
            raise CodeRefused(_("The code has expired. Ask for a new code."))
        if record.wrong_answers >= settings.PORTAL_CODE_ATTEMPTS:
            raise CodeRefused(_("Too many wrong codes. Ask for a new code."))
        if hmac.compare_digest(record.code_hash, _hash(record.pk, answer)):
            record.used_at = now
            record.save(update_fields=["used_at", "updated_at"])
            return
        record.wrong_answers += 1
        record.save(update_fields=["wrong_answers", "updated_at"])
    left = settings.PORTAL_CODE_ATTEMPTS - record.wrong_answers
    if left <= 0:
        raise CodeRefused(_("Too many wrong codes. Ask for a new code."))
    raise CodeRefused(_("The code is not right. %(left)s tries left.") % {"left": left})
