"""New versions of the privacy notice and the terms, and what a beneficiary is
asked when one comes (P-CONSENT, P-PRIVACY).

Staff never change a version: beneficiaries accepted its words. They publish a
new one, in force the day it is published, with a short note of what changed.
A beneficiary who accepted earlier terms accepts the new ones at their next
sign-in, or is signed out; a new privacy notice informs and is not accepted
again, so it is shown once on "my page".
"""

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization
from mustafid.portal.consent import (
    ConsentAcceptance,
    ConsentKind,
    ConsentText,
    NoticeShown,
    current_text,
    record_acceptance,
)


class ConsentRefused(Exception):
    """A new version that cannot be published, with the reason for staff."""


def _clean(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF.
    return text.replace("\r\n", "\n").strip()


@transaction.atomic
def publish_consent_text(
    *,
    actor,
    organization: Organization,
    kind: str,
    text_ar: str,
    summary_ar: str,
    text_en: str = "",
    summary_en: str = "",
    request=None,
) -> ConsentText:
    """Publish a new version of the privacy notice or the terms, in force today;
    the earlier versions and their acceptances stay as they were. Audited."""
    if kind not in ConsentKind.values:
        raise ConsentRefused(_("Choose the privacy notice or the terms."))
    text_ar, text_en = _clean(text_ar), _clean(text_en)
    summary_ar, summary_en = _clean(summary_ar), _clean(summary_en)
    if not text_ar:
        raise ConsentRefused(_("Write the text in Arabic."))
    if not summary_ar:
        raise ConsentRefused(_("Say in a sentence, in Arabic, what changed."))
    # One publication at a time per association: versions stay consecutive.
    Organization.objects.select_for_update().filter(pk=organization.pk).get()
    current = current_text(organization, kind)
    if (_clean(current.text_ar), _clean(current.text_en)) == (text_ar, text_en):
        raise ConsentRefused(_("This wording is already the version in force."))
    versions = ConsentText.objects.filter(organization=organization, kind=kind)
    version = versions.aggregate(last=Max("version"))["last"] + 1
    text = ConsentText.objects.create(
        organization=organization,
        kind=kind,
        version=version,
        text_ar=text_ar,
        text_en=text_en,
        summary_ar=summary_ar,
        summary_en=summary_en,
        in_force_from=timezone.localdate(),
        published_by=actor,
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=text,
        changes={
            "kind": kind,
            "version": [current.version, version],
            "summary_ar": summary_ar,
            "text_ar": [current.text_ar, text_ar],
            "text_en": [current.text_en, text_en],
        },
        request=request,
    )
    return text


def texts_with_counts(organization: Organization):
    """Every version of both texts, newest first, with how many accepted each."""
    return (
        ConsentText.objects.filter(organization=organization)
        .select_related("published_by")
        .annotate(accepted=Count("acceptances"))
        .order_by("kind", "-version")
    )


def _last_accepted_version(beneficiary, kind: str) -> int | None:
    return ConsentAcceptance.objects.filter(
        beneficiary=beneficiary, text__kind=kind
    ).aggregate(last=Max("text__version"))["last"]


def terms_to_accept_again(beneficiary) -> ConsentText | None:
    """The terms in force, when the beneficiary accepted an earlier version and
    not this one; None otherwise (also for one who never accepted any online)."""
    current = current_text(beneficiary.organization, ConsentKind.TERMS)
    last = _last_accepted_version(beneficiary, ConsentKind.TERMS)
    return current if last is not None and last < current.version else None


def accept_terms_again(*, beneficiary, text: ConsentText, request=None) -> None:
    """The beneficiary accepted the new terms in the portal; audited."""
    if text.kind != ConsentKind.TERMS:
        raise ValueError("Only the terms are accepted again.")
    record_acceptance(beneficiary=beneficiary, texts=[text], request=request)


def decline_terms(*, beneficiary, text: ConsentText, request=None) -> None:
    """The beneficiary declined the new terms: the sign-out is audited with why."""
    audit.record(
        AuditAction.LOGOUT,
        organization=beneficiary.organization,
        obj=beneficiary,
        changes={"where": "portal", "declined_terms": text.version},
        request=request,
        actor_label="portal",
    )


@transaction.atomic
def privacy_notice_once(beneficiary) -> ConsentText | None:
    """The privacy notice in force if it is newer than the one the beneficiary
    accepted and they have not been shown it yet; recorded as shown."""
    current = current_text(beneficiary.organization, ConsentKind.PRIVACY)
    last = _last_accepted_version(beneficiary, ConsentKind.PRIVACY)
    if last is None or last >= current.version:
        return None
    shown = NoticeShown.objects.filter(beneficiary=beneficiary, text=current)
    if shown.exists():
        return None
    NoticeShown.objects.create(
        organization=beneficiary.organization, beneficiary=beneficiary, text=current
    )
    return current
