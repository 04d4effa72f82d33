"""The values of an event's placeholders, from the facts its message carries.

The outbox row's `context` holds the facts in both languages where they have
two (`service_ar` / `service_en`, reasons as {"ar", "en"}); the recipient's
language picks one. Dates read Hijri and Gregorian in Arabic, Gregorian in
English; lists become one line each.
"""

import datetime

from django.utils import formats, translation

from mustafid.core.hijri import format_gregorian, format_hijri

# Placeholder -> the context key it reads, where the names differ.
ALIASES = {
    "case_number": ("case_number", "case"),
    "referral_reason": ("reason",),
    "failed_conditions": ("failed_conditions", "failed"),
    "conditions": ("conditions",),
}
DATES = frozenset(
    {"decision_due", "due_on", "suspend_on", "answered_on", "expires_on", "approved_on"}
)


def format_date(value, language: str) -> str:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(value, datetime.date):
        return str(value)
    with translation.override(language):
        if language == "ar":
            hijri = format_hijri(value, "ar")
            gregorian = format_gregorian(value, "ar")
            return f"{hijri} ({gregorian})" if hijri else gregorian
        return formats.date_format(value, "DATE_FORMAT")


def _pick(item, language: str) -> str:
    """One item of a list, in the language when it carries both."""
    if isinstance(item, dict):
        other = "en" if language == "ar" else "ar"
        for key in (language, f"reason_{language}", other, f"reason_{other}"):
            if item.get(key):
                return str(item[key])
        return ""
    return str(item)


def as_lines(items, language: str) -> str:
    lines = [_pick(item, language).strip() for item in items]
    return "\n".join(f"- {line}" for line in lines if line)


def _lookup(context: dict, name: str, language: str):
    other = "en" if language == "ar" else "ar"
    for key in ALIASES.get(name, (name,)):
        for candidate in (f"{key}_{language}", key, f"{key}_{other}"):
            value = context.get(candidate)
            if value not in (None, "", []):
                return value
    return None


def _decision_reasons(context: dict, language: str) -> str:
    """The committee's chosen reasons in the language, then any note.

    `reasons` is the text the request keeps: "- name_ar" per chosen reason and
    the committee's own note; `reason_list` has the chosen reasons in both
    languages, so an English reader gets them in English."""
    chosen = context.get("reason_list") or []
    arabic_lines = {f"- {item.get('ar', '')}".strip() for item in chosen}
    note = [
        line
        for line in (context.get("reasons") or "").splitlines()
        if line.strip() and line.strip() not in arabic_lines
    ]
    return as_lines([*chosen, *note], language)


def _review_reason(context: dict, language: str) -> str:
    from mustafid.eligibility.models import ReviewReason

    code = context.get("reason", "")
    if code not in ReviewReason.values:
        return str(code)
    with translation.override(language):
        return str(ReviewReason(code).label)


def placeholder_values(event, context: dict, language: str) -> dict:
    """{placeholder: text or switch} for one message (without the common ones)."""
    values = {}
    for name in event.placeholders:
        value = _lookup(context, name, language)
        if name in DATES and value:
            value = format_date(value, language)
        elif isinstance(value, list | tuple):
            value = as_lines(value, language)
        values[name] = "" if value is None else value
    if event.code == "decision":
        values["approved"] = context.get("decision") == "approved"
        values["reasons"] = _decision_reasons(context, language)
    elif event.code == "permit_result":
        values["granted"] = context.get("outcome") == "granted"
    elif event.code == "review_completed":
        values["renewed"] = context.get("outcome") == "renewed"
    elif event.code == "review_due":
        values["review_reason"] = _review_reason(context, language)
    return values
