"""The association's settings for requests: holidays and the attestation wording."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mustafid.cases.models import AttestationText, Holiday
from mustafid.core import audit
from mustafid.core.hijri import format_gregorian, format_hijri
from mustafid.core.models import AuditAction, Organization

MAX_HOLIDAY_DAYS = 30


class SettingRefused(Exception):
    """A change that would break a setting; `str(error)` is the message."""


def _day_label(day: datetime.date) -> str:
    language = get_language() or "ar"
    hijri = format_hijri(day, language)
    gregorian = format_gregorian(day, language)
    return f"{hijri} ({gregorian})" if hijri else gregorian


@transaction.atomic
def add_holidays(
    *,
    actor,
    organization: Organization,
    first_day: datetime.date,
    days: int = 1,
    name: str,
    request=None,
) -> list[Holiday]:
    """Add a day off, or a run of them (an Eid holiday); days already off refuse it.

    They count when the association counts the decision window in working days.
    """
    if not 1 <= days <= MAX_HOLIDAY_DAYS:
        raise SettingRefused(
            _("A holiday lasts from 1 to %(max)s days.") % {"max": MAX_HOLIDAY_DAYS}
        )
    wanted = [first_day + datetime.timedelta(days=n) for n in range(days)]
    taken = list(Holiday.objects.filter(organization=organization, date__in=wanted))
    if taken:
        raise SettingRefused(
            _("Already a holiday: %(days)s.")
            % {"days": "، ".join(f"{_day_label(h.date)} {h.name}" for h in taken)}
        )
    try:
        # A savepoint: a day added meanwhile by someone else refuses, not 500s.
        with transaction.atomic():
            holidays = [
                Holiday.objects.create(
                    organization=organization, date=day, name=name.strip()
                )
                for day in wanted
            ]
    except IntegrityError as exc:
        raise SettingRefused(
            _("One of these days was just added by someone else; reload the page.")
        ) from exc
    for holiday in holidays:
        audit.record(
            AuditAction.CREATE,
            actor=actor,
            organization=organization,
            obj=holiday,
            changes={"date": holiday.date.isoformat(), "name": holiday.name},
            request=request,
        )
    return holidays


@transaction.atomic
def delete_holiday(*, actor, holiday: Holiday, request=None) -> None:
    """Remove a day off; deadlines already set keep their date."""
    audit.record(
        AuditAction.DELETE,
        actor=actor,
        organization=holiday.organization,
        obj=holiday,
        changes={"date": holiday.date.isoformat(), "name": holiday.name},
        request=request,
    )
    holiday.delete()


@transaction.atomic
def publish_attestation_text(
    *,
    actor,
    organization: Organization,
    text_ar: str,
    text_en: str = "",
    request=None,
) -> AttestationText:
    """Make a new wording the one in force (P-ATTEST).

    The earlier versions stay: each attestation cites the wording it was given.
    """
    text_ar, text_en = text_ar.strip(), text_en.strip()
    if not text_ar:
        raise SettingRefused(_("Write the attestation in Arabic."))
    # One publication at a time per association: versions stay consecutive.
    Organization.objects.select_for_update().filter(pk=organization.pk).get()
    texts = AttestationText.objects.filter(organization=organization)
    current = texts.filter(is_current=True).first()
    if current and (current.text_ar, current.text_en) == (text_ar, text_en):
        raise SettingRefused(_("This wording is already the one in force."))
    version = (texts.aggregate(last=Max("version"))["last"] or 0) + 1
    texts.filter(is_current=True).update(is_current=False, updated_at=timezone.now())
    text = AttestationText.objects.create(
        organization=organization,
        version=version,
        text_ar=text_ar,
        text_en=text_en,
        is_current=True,
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=text,
        changes={
            "version": [current.version if current else None, version],
            "text_ar": [current.text_ar if current else "", text_ar],
            "text_en": [current.text_en if current else "", text_en],
        },
        request=request,
    )
    return text
