"""The wording every association starts with: its privacy notice and terms
(P-CONSENT, P-PRIVACY) and the answers of its public FAQ (P-TRANSPARENCY).

Written from the association's own settings; the association may replace any of
it. Plain Arabic first, English beside it.
"""

from pathlib import Path

from mustafid.core.models import DecisionDays, Organization


def arabic_days(count: int, kind: str = DecisionDays.CALENDAR) -> str:
    """'14 يومًا', 'يومين', '3 أيام عمل': the count with the noun Arabic wants."""
    working = kind == DecisionDays.WORKING
    if count == 1:
        text = "يوم عمل واحد" if working else "يوم واحد"
    elif count == 2:
        text = "يومي عمل" if working else "يومين"
    elif 3 <= count <= 10:
        text = f"{count} أيام عمل" if working else f"{count} أيام"
    else:
        text = f"{count} يوم عمل" if working else f"{count} يومًا"
    if working:
        text += " (من الأحد إلى الخميس)"
    return text


def english_days(count: int, kind: str = DecisionDays.CALENDAR) -> str:
    noun = "working day" if kind == DecisionDays.WORKING else "day"
    text = f"{count} {noun}{'' if count == 1 else 's'}"
    if kind == DecisionDays.WORKING:
        text += " (Sunday to Thursday)"
    return text


TEXTS = Path(__file__).resolve().parent / "texts"


def _read(kind: str, language: str) -> str:
    return (TEXTS / f"{kind}.{language}.txt").read_text(encoding="utf-8")


def consent_text(organization: Organization, kind: str) -> tuple[str, str]:
    """(Arabic, English) default wording of the privacy notice or the terms."""
    names = {
        "name": organization.name_ar,
        "window_ar": arabic_days(
            organization.decision_window_days, organization.decision_days_kind
        ),
    }
    names_en = {
        "name": organization.name_en or organization.name_ar,
        "window_en": english_days(
            organization.decision_window_days, organization.decision_days_kind
        ),
    }
    return _read(kind, "ar").format(**names), _read(kind, "en").format(**names_en)
