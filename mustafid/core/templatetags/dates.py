"""`{{ value|dual_date }}`: every date shows Hijri and Gregorian side by side."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language

from mustafid.core.hijri import format_gregorian, format_hijri

register = template.Library()


@register.filter
def dual_date(value, with_time: bool = False):
    if not value:
        return ""
    moment = None
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        value = moment.date()
    language = get_language() or "ar"
    hijri = format_hijri(value, language)
    gregorian = format_gregorian(value, language)
    time = f" {moment:%H:%M}" if with_time and moment else ""
    if not hijri:
        return format_html(
            '<time class="dual-date" datetime="{}">{}{}</time>',
            value.isoformat(),
            gregorian,
            time,
        )
    return format_html(
        '<time class="dual-date" datetime="{}"><span class="hijri">{}</span>'
        ' <span class="sep" aria-hidden="true">·</span> '
        '<span class="gregorian">{}</span>{}</time>',
        value.isoformat(),
        hijri,
        gregorian,
        time,
    )


@register.filter
def dual_datetime(value):
    return dual_date(value, with_time=True)
