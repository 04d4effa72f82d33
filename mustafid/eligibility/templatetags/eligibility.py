"""How a stored evaluation line reads on a page: the condition and its values."""

import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from mustafid.core.templatetags.dates import dual_date
from mustafid.eligibility.choices import FIXED_CHOICES, value_choices
from mustafid.eligibility.models import Subject

register = template.Library()


def _get(line, name):
    return line[name] if isinstance(line, dict) else getattr(line, name)


def _people(size: int) -> str:
    return ngettext("%(size)s person", "%(size)s people", size) % {"size": size}


@register.filter
def line_label(line) -> str:
    subject = _get(line, "subject")
    return Subject(subject).label if subject in Subject.values else subject


@register.filter
def line_values(line) -> str:
    """The values the condition looked at, in words ("" when nothing to add)."""
    subject, values = _get(line, "subject"), _get(line, "values") or {}
    if subject in FIXED_CHOICES:
        value = next(iter(values.values()), "")
        labels = dict(FIXED_CHOICES[subject])
        return str(labels.get(value, value)) if value else _("not recorded")
    if subject == Subject.NATIONALITY:
        code = values.get("nationality") or ""
        return countries.name(code) or code or _("not recorded")
    if subject == Subject.AGE:
        age = values.get("age")
        if age is None:
            return _("birth date not recorded")
        return _("%(age)s years") % {"age": age}
    if subject == Subject.HOUSEHOLD_SIZE:
        return _people(values.get("household_size") or 0)
    if subject == Subject.INCOME_PER_PERSON:
        if values.get("income_per_person") is None:
            return _("income not recorded")
        return _("%(amount)s SAR a person, %(people)s") % {
            "amount": values["income_per_person"],
            "people": _people(values.get("household_size") or 0),
        }
    if subject in (Subject.CATEGORIES_ANY, Subject.CATEGORIES_ALL):
        names = dict(value_choices(subject))
        if values.get("missing_categories"):
            missing = [names.get(c, c) for c in values["missing_categories"]]
            return _("missing: %(names)s") % {"names": _(", ").join(missing)}
        return _(", ").join(names.get(c, c) for c in values.get("categories", []))
    if subject == Subject.NOT_RECEIVED and values.get("last_received"):
        received = datetime.date.fromisoformat(values["last_received"])
        return _("last received on %(date)s") % {"date": dual_date(received)}
    return ""
